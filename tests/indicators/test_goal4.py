"""LOK_FLEXJOB, LOK_LEDYD and LOK_LEDYD_FLEX (goal 4, local indicators, not STAR's).

One folder, computed for 2023 with suppression off (threshold 1) unless said otherwise. All
live in København 101 from 2000, open, unless said otherwise. Months of 2023.

 id  Mar                        Apr                               May
 F1  ledyd 31 d (101)           ledyd 10 d (101), flexjob 80 h     flexjob 100 h
 F2  ledyd 31 d (101)           ledyd 31 d (101)                  ledyd 12 d (101), flexjob 60 h
 F3  flexjob 50 h               ledyd 5 d (101), flexjob 50 h      —      (already in flexjob)
 F4  ledyd 20 d 147 + 11 d 101  ledyd 15 d 147 + 15 d 101 (tie)     —
 F5  —                          flexjob 40 h; moves 101→147 04-20  flexjob 40 h (lives in 147)
 F6  —                          flexjob 0 h + flexjob 0 h (no hours) —
 F7  —                          flexjob 30 h at two employers       —
 F8  ledighedsydelse in 2022M12, flexjob from 2023M01 (a start in January over the year end)

LOK_LEDYD, 101: Mar F1 F2 = 2 (F4 in 147, most days); Apr F1 F2 F3 = 3 (F4 tie → 101 → 4);
  May F2 = 1. 147: Mar F4 = 1.
LOK_FLEXJOB, 101: Mar F3 = 1; Apr F1 F3 F7 = 3 (F5 lives in 147 at the month's end, F6 has no
  hours); May F1 = 1 (F2 lives in 101 too → 2). 147: Apr F5, May F5 = 1 each.
LOK_LEDYD_FLEX, 101: Apr: F1 starts (no flexjob in Mar), F3 does not (in flexjob in Mar),
  F2, F4 no → 1 of 4. May: F2 starts → 1 of 1. Mar: 0 of 2.
"""

from __future__ import annotations

from datetime import date

import pyarrow.compute as pc
import pytest
from builders import RegisterFolder
from factlookup import assert_figure, assert_suppressed, compute

from jobmaal.indicators.engine import suppression_links
from jobmaal.indicators.suppression import recoverable_cells

MAR, APR, MAY = "2023-03", "2023-04", "2023-05"


def _folder(root, **kw) -> RegisterFolder:
    r = RegisterFolder(root, **kw)
    r.lives(1, 101).benefit(1, MAR, "ledighedsydelse", 101)
    r.benefit(1, APR, "ledighedsydelse", 101, days=10).job(1, APR, 80, subsidy="fleksjob")
    r.job(1, MAY, 100, subsidy="fleksjob")
    r.lives(2, 101).benefit(2, MAR, "ledighedsydelse", 101).benefit(2, APR, "ledighedsydelse", 101)
    r.benefit(2, MAY, "ledighedsydelse", 101, days=12).job(2, MAY, 60, subsidy="fleksjob")
    r.lives(3, 101).job(3, MAR, 50, subsidy="fleksjob")
    r.benefit(3, APR, "ledighedsydelse", 101, days=5).job(3, APR, 50, subsidy="fleksjob")
    r.lives(4, 101).benefit(4, MAR, "ledighedsydelse", 147, days=20)
    r.benefit(4, MAR, "ledighedsydelse", 101, days=11)
    r.benefit(4, APR, "ledighedsydelse", 147, days=15).benefit(4, APR, "ledighedsydelse", 101, days=15)
    r.lives(5, 101, date(2000, 1, 1), date(2023, 4, 19)).lives(5, 147, date(2023, 4, 20))
    r.job(5, APR, 40, subsidy="fleksjob").job(5, MAY, 40, subsidy="fleksjob")
    r.lives(6, 101).job(6, APR, 0, subsidy="fleksjob").job(6, APR, 0, employer=2, subsidy="fleksjob")
    r.lives(7, 101).job(7, APR, 10, subsidy="fleksjob").job(7, APR, 20, employer=2, subsidy="fleksjob")
    r.lives(8, 101).benefit(8, "2022-12", "ledighedsydelse", 101)
    r.benefit(8, "2023-01", "ledighedsydelse", 101, days=3).job(8, "2023-01", 20, subsidy="fleksjob")
    r.job(8, "2022-12", 0, subsidy="loentilskud")
    return r


@pytest.fixture(scope="module")
def facts(tmp_path_factory):
    return compute(_folder(tmp_path_factory.mktemp("goal4")).write(), threshold=1)


def _count(row: dict, n: int) -> None:
    assert row["suppressed"] is False, row
    assert row["value"] == n and row["numerator"] == n, row


def test_ledighedsydelse_counts_part_months_in_the_municipality_paying_most_days(facts):
    _count(facts.get("LOK_LEDYD", "2023M03", "101"), 2)
    _count(facts.get("LOK_LEDYD", "2023M03", "147"), 1)
    _count(facts.get("LOK_LEDYD", "2023M04", "101"), 4)  # F4's tie goes to the lowest code
    _count(facts.get("LOK_LEDYD", "2023M04", "147"), 0)
    _count(facts.get("LOK_LEDYD", "2023M05", "101"), 1)


def test_flexjob_counts_people_with_hours_where_they_live_at_month_end(facts):
    _count(facts.get("LOK_FLEXJOB", "2023M03", "101"), 1)
    _count(facts.get("LOK_FLEXJOB", "2023M04", "101"), 3)  # F1, F3, F7 once; not F5, F6
    _count(facts.get("LOK_FLEXJOB", "2023M04", "147"), 1)  # the mover
    _count(facts.get("LOK_FLEXJOB", "2023M05", "101"), 2)
    _count(facts.get("LOK_FLEXJOB", "2023M05", "147"), 1)


def test_counts_add_up_over_areas_and_are_published_per_month_only(facts):
    _count(facts.get("LOK_FLEXJOB", "2023M04", "DK", level="land"), 4)
    _count(facts.get("LOK_LEDYD", "2023M03", "DK", level="land"), 3)
    assert not facts.where(indicator="LOK_FLEXJOB", period="2023Q2")
    assert not facts.where(indicator="LOK_LEDYD", period="2023")


def test_flexjob_start_needs_no_flexjob_the_month_before(facts):
    assert_figure(facts.get("LOK_LEDYD_FLEX", "2023M03", "101"), 0, 2)
    assert_figure(facts.get("LOK_LEDYD_FLEX", "2023M04", "101"), 1, 4)
    assert_figure(facts.get("LOK_LEDYD_FLEX", "2023M05", "101"), 1, 1)
    assert_figure(facts.get("LOK_LEDYD_FLEX", "2023M01", "101"), 1, 1)  # F8 over the year end


def test_share_rolls_up_to_quarters_from_person_months(facts):
    # 2023Q2 in 101: Apr 1 of 4, May 1 of 1, Jun nobody → 2 of 5.
    assert_figure(facts.get("LOK_LEDYD_FLEX", "2023Q2", "101"), 2, 5)


def test_small_counts_are_suppressed_like_every_measure(tmp_path):
    facts = compute(_folder(tmp_path).write(), threshold=3)
    _count(facts.get("LOK_FLEXJOB", "2023M04", "101"), 3)
    assert_suppressed(facts.get("LOK_FLEXJOB", "2023M05", "101"))
    assert_suppressed(facts.get("LOK_LEDYD", "2023M05", "101"))
    _count(facts.get("LOK_LEDYD", "2023M06", "101"), 0)  # nobody: shown as 0, not hidden
    assert_suppressed(facts.get("LOK_LEDYD_FLEX", "2023M04", "101"))


# -- secondary suppression of the counts (hidden on the count: numerator = denominator) ----------

@pytest.fixture(scope="module")
def facts_at_3(tmp_path_factory):
    return compute(_folder(tmp_path_factory.mktemp("goal4_3")).write(), threshold=3)


def test_no_hidden_count_can_be_worked_out_from_shown_sums(facts_at_3):
    table = facts_at_3.table
    determined = recoverable_cells(table, suppression_links(table, 2023))
    local = pc.starts_with(table.column("indicator"), "LOK_").to_numpy(zero_copy_only=False)
    assert not determined[local].any()


def test_a_hidden_count_beside_a_shown_sum_gets_a_secondary_cell(facts_at_3):
    # April, flexjob: 101 has 3 (shown), 147 has F5 alone (1, primary); their RAR area, region
    # and the country (4) are shown, so another municipality must be hidden with 147
    assert_suppressed(facts_at_3.get("LOK_FLEXJOB", "2023M04", "147"))
    assert facts_at_3.get("LOK_FLEXJOB", "2023M04", "147")["suppression"] == "primary"
    region = [r for r in facts_at_3.where(indicator="LOK_FLEXJOB", period="2023M04",
                                          area_level="kommune", breakdown="i_alt")
              if r["suppression"] == "secondary"]
    assert region, "no secondary cell protects 147"
    assert facts_at_3.get("LOK_FLEXJOB", "2023M04", "DK", level="land")["value"] == 4


@pytest.mark.xfail(strict=True, reason="suppression.py: the hypercube's partners are the lightest "
                   "areas (counting 0), so a lone 1 among zeros stays pinned by the bounds a "
                   "reader knows (147 = 4 − 3 with every other hidden cell ≥ 0); see CubeResult."
                   "unprotected")
def test_a_lone_count_among_zeros_is_not_pinned_by_its_bounds(facts_at_3):
    # 147 (1) can only move up, so its cube needs a hidden partner that can move down: only 101
    # (3) counts anything in April
    assert_suppressed(facts_at_3.get("LOK_FLEXJOB", "2023M04", "101"))
