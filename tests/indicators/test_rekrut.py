"""REKRUT (goal 5a): weighted share of failed recruitments per RAR area and half-year.

Default settings (threshold 5: fewer than 5 distinct answering firms is suppressed).

  2023H1 Nordjylland, 5 firms (attempts, failed, weight):
         (10, 2, 1.0) (4, 1, 2.0) (6, 0, 1.5) (2, 2, 0.5) (8, 4, 1.0)
         Σw·failed   = 2 + 2 + 0 + 1 + 4       = 9
         Σw·attempts = 10 + 8 + 9 + 1 + 8      = 36   → 25 %
  2023H1 Hovedstaden, 4 firms, each (10, 5, 1.0): 20/40, suppressed (4 firms)
  2023H1 Sydjylland: no answers → 0/0, not suppressed
  2023H1 land: 9 firms, 29/76
  2023H2 Fyn, 5 firms: four (1, 0, 0.5) and one (1, 1, 0.5) → 0.5/2.5 = 20 % (sums < 5 shown)
  2022H2 Vestjylland 4 firms (10, k, 1.0) k = 1..4 → 10/40 suppressed; Bornholm 1 firm
         (20, 9, 2.0) → 18/40 suppressed; land 5 firms → 28/80 = 35 %
  2022H1 Østjylland: 5 rows but 4 distinct firms (firm 40 twice) → suppressed; Bornholm: firm
         41 again (1 firm) → suppressed; land: still 4 distinct firms (40-43) → suppressed
  2021H2 Fyn: one row outside the computed years → no 2021 period at all
"""

from __future__ import annotations

import pytest
from builders import RegisterFolder
from factlookup import Facts, assert_figure, assert_suppressed, compute


def build(root):
    r = RegisterFolder(root)
    for fid, (att, fail, w) in enumerate(
        [(10, 2, 1.0), (4, 1, 2.0), (6, 0, 1.5), (2, 2, 0.5), (8, 4, 1.0)], start=1
    ):
        r.recruitment(fid, "Nordjylland", "2023H1", att, fail, w)
    for fid in range(6, 10):
        r.recruitment(fid, "Hovedstaden", "2023H1", 10, 5, 1.0)
    for fid in range(10, 14):
        r.recruitment(fid, "Fyn", "2023H2", 1, 0, 0.5)
    r.recruitment(14, "Fyn", "2023H2", 1, 1, 0.5)
    for k, fid in enumerate(range(20, 24), start=1):
        r.recruitment(fid, "Vestjylland", "2022H2", 10, k, 1.0)
    r.recruitment(24, "Bornholm", "2022H2", 20, 9, 2.0)
    for fid in (40, 40, 41, 42, 43):
        r.recruitment(fid, "Østjylland", "2022H1", 10, 1, 1.0)
    r.recruitment(41, "Bornholm", "2022H1", 10, 1, 1.0)  # the same firm in a second area
    r.recruitment(50, "Fyn", "2021H2", 10, 1, 1.0)
    return r.write()


@pytest.fixture(scope="module")
def folder(tmp_path_factory):
    return build(tmp_path_factory.mktemp("rekrut"))


@pytest.fixture(scope="module")
def facts(folder) -> Facts:
    return compute(folder, 2023)


def rar(facts, name, period):
    return facts.get("REKRUT", period, name, level="rar")


def test_value_is_weighted_failed_over_weighted_attempts(facts):
    assert_figure(rar(facts, "Nordjylland", "2023H1"), 9, 36)
    assert rar(facts, "Nordjylland", "2023H1")["value"] == pytest.approx(25.0)


def test_fewer_than_five_firms_is_suppressed(facts):
    assert_suppressed(rar(facts, "Hovedstaden", "2023H1"))


def test_half_year_without_answers_is_an_empty_unsuppressed_row(facts):
    assert_figure(rar(facts, "Sydjylland", "2023H1"), 0, 0)


def test_country_sums_all_rar_areas_including_suppressed_ones(facts):
    # 9 + 20 = 29 failed, 36 + 40 = 76 attempts (weighted)
    assert_figure(facts.get("REKRUT", "2023H1", "DK", level="land"), 29, 76)


def test_country_is_shown_when_its_firms_reach_five_across_areas(facts):
    assert_suppressed(rar(facts, "Vestjylland", "2022H2"))
    assert_suppressed(rar(facts, "Bornholm", "2022H2"))
    assert_figure(facts.get("REKRUT", "2022H2", "DK", level="land"), 28, 80)


def test_small_weighted_sums_are_not_checked_against_the_threshold(facts):
    # 5 firms → shown although Σw·failed = 0.5 and Σw·attempts = 2.5
    assert_figure(rar(facts, "Fyn", "2023H2"), 0.5, 2.5)
    assert rar(facts, "Fyn", "2023H2")["value"] == pytest.approx(20.0)


def test_firms_are_counted_distinct(facts):
    assert_suppressed(rar(facts, "Østjylland", "2022H1"))
    assert_suppressed(rar(facts, "Bornholm", "2022H1"))


def test_country_counts_a_firm_answering_in_two_areas_once(facts):
    # firms 40, 41, 42, 43 answered 2022H1 (41 in two RAR areas): 4 distinct firms
    assert_suppressed(facts.get("REKRUT", "2022H1", "DK", level="land"))


def test_exists_only_for_the_four_half_years_at_rar_and_land(facts):
    rows = facts.where(indicator="REKRUT")
    assert {r["period"] for r in rows} == {"2022H1", "2022H2", "2023H1", "2023H2"}
    assert {r["area_level"] for r in rows} == {"rar", "land"}
    assert {r["breakdown"] for r in rows} == {"i_alt"}
    assert len(rows) == (8 + 1) * 4


def test_never_provisional(facts):
    # latest data month is 2023-12, so 2023H2 would be provisional for a register measure
    assert [r for r in facts.where(indicator="REKRUT") if r["provisional"]] == []


def test_threshold_is_a_setting(folder):
    facts = compute(folder, 2023, threshold=1)
    assert_figure(rar(facts, "Hovedstaden", "2023H1"), 20, 40)
