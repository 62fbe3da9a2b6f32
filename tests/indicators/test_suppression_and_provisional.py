"""Suppression (counts 1–4 are never shown) and the provisional flag (the last 3 months of data).

Suppression scenario, default threshold 5, MM17 in September 2023, everyone on adagpenge 31 d,
born 1980-06-15:
  Aalborg 851   5 people, 4 start ordinaer_uddannelse in September → 4/5: suppressed (num 4)
  København 101 5 people (3 k, 2 m), all 5 start                  → 5/5: shown, 100 %
  Frederiksberg 147  4 people, nobody starts                       → 0/4: suppressed (den 4)
  Odense 461    5 people, nobody starts                            → 0/5: shown, value 0
  Aarhus 751    nobody                                             → 0/0: shown, no value
  RAR Hovedstaden = 101 + 147 = 5/9 shown; country = 9/19 shown.
The folder is pinned at latest month L = 2023-12 (builder default).
"""

from __future__ import annotations

from datetime import date

import pytest
from builders import RegisterFolder
from factlookup import Facts, assert_figure, assert_suppressed, compute

from jobmaal.periods import Period

SEP = "2023-09"
BORN = date(1980, 6, 15)


def _suppression_folder(root):
    r = RegisterFolder(root)
    pid = 0

    def people(municipality, n, starters, sexes=None):
        nonlocal pid
        for i in range(n):
            pid += 1
            r.person(pid, birth=BORN, sex=(sexes[i] if sexes else "k"))
            r.benefit(pid, SEP, "adagpenge", municipality, days=30)
            if i < starters:
                r.education(pid, date(2023, 9, 10), "ordinaer_uddannelse", municipality)

    people(851, 5, 4)
    people(101, 5, 5, sexes=["k", "k", "k", "m", "m"])
    people(147, 4, 0)
    people(461, 5, 0)
    # refugees for MM13 (provisional checks of the goal-3 measures)
    for k in range(3):
        r.refugee(1000 + k).lives(1000 + k, 101).job(1000 + k, "2023-11", 37)
    # firms for MM10 and survey answers for REKRUT (provisional checks)
    r.firm(1, 2022, 101).firm(1, 2023, 101).collaboration(1, "2023-02", 101)
    for fid in range(1, 6):
        r.recruitment(fid, "Hovedstaden", "2023H2", 10, 2)
    return r.write()


@pytest.fixture(scope="module")
def folder(tmp_path_factory):
    return _suppression_folder(tmp_path_factory.mktemp("suppression"))


@pytest.fixture(scope="module")
def facts(folder) -> Facts:
    return compute(folder, 2023)


def mm17(facts, code, level="kommune", period="2023M09", **kw):
    return facts.get("MM17", period, code, level=level, **kw)


# -- suppression ---------------------------------------------------------------------------------
def test_numerator_of_four_is_suppressed(facts):
    assert_suppressed(mm17(facts, "851"))


def test_numerator_of_five_is_shown(facts):
    assert_figure(mm17(facts, "101"), 5, 5)


def test_denominator_of_four_is_suppressed_even_with_numerator_zero(facts):
    assert_suppressed(mm17(facts, "147"))


def test_numerator_zero_with_denominator_five_is_shown_as_zero(facts):
    row = mm17(facts, "461")
    assert_figure(row, 0, 5)
    assert row["value"] == 0.0


def test_empty_total_row_is_not_suppressed(facts):
    row = mm17(facts, "751")
    assert (row["numerator"], row["denominator"], row["value"], row["suppressed"]) == (
        0.0, 0.0, None, False)


def test_bigger_area_containing_a_suppressed_municipality_is_shown(facts):
    # Hovedstaden: 101 5/5 + 147 0/4 = 5/9; region 084 the same
    assert_figure(mm17(facts, "Hovedstaden", "rar"), 5, 9)
    assert_figure(mm17(facts, "084", "region"), 5, 9)
    # country: 851 4/5 + 101 5/5 + 147 0/4 + 461 0/5 = 9/19
    assert_figure(mm17(facts, "DK", "land"), 9, 19)


def test_areas_equal_to_a_suppressed_municipality_are_suppressed(facts):
    # Nordjylland holds only 851's 4/5 here
    assert_suppressed(mm17(facts, "851", "jobcenter"))
    assert_suppressed(mm17(facts, "Nordjylland", "rar"))
    assert_suppressed(mm17(facts, "081", "region"))
    assert_suppressed(mm17(facts, "147", "jobcenter"))
    # the quarter of 851 holds only September → still 4/5
    assert_suppressed(mm17(facts, "851", period="2023Q3"))


def test_breakdown_rows_are_suppressed_on_their_own_counts(facts):
    # 101: k 3/3, m 2/2 → both suppressed; adagpenge 5/5 and 30-49 5/5 shown
    assert_suppressed(mm17(facts, "101", breakdown="koen", value="k"))
    assert_suppressed(mm17(facts, "101", breakdown="koen", value="m"))
    assert_figure(mm17(facts, "101", breakdown="ydelsesgruppe", value="adagpenge"), 5, 5)
    assert_figure(mm17(facts, "101", breakdown="alder", value="30-49"), 5, 5)
    # Hovedstaden k: 101 3/3 + 147 4/4 → 3/7 → num 3 suppressed; m: 2/2 suppressed
    assert_suppressed(mm17(facts, "Hovedstaden", "rar", breakdown="koen", value="k"))


def test_threshold_is_a_setting(folder):
    strict = compute(folder, 2023, threshold=10)
    assert_suppressed(mm17(strict, "101"))  # 5/5 is below 10
    assert_suppressed(mm17(strict, "DK", "land"))  # numerator 9 is below 10
    off = compute(folder, 2023, threshold=1)
    assert_figure(mm17(off, "851"), 4, 5)
    assert_figure(mm17(off, "147"), 0, 4)


def test_every_area_and_period_has_exactly_one_total_row_per_measure(facts):
    areas = 98 + 95 + 8 + 5 + 1
    expected = {"MM17": areas * 38, "MM13": areas * 38, "MM13_190": areas * 38,
                "MM13_SELV": areas * 38, "MM10": areas * 2, "REKRUT": (8 + 1) * 4}
    counts = {ind: len(facts.where(indicator=ind, breakdown="i_alt")) for ind in expected}
    assert counts == expected
    assert facts.duplicates == []


# -- provisional -----------------------------------------------------------------------------------
REGISTER_MEASURES = ("MM17", "MM13", "MM13_190", "MM13_SELV", "MM10")


def test_periods_ending_in_the_last_three_months_are_provisional(facts):
    # L = 2023-12 → periods ending on or after 2023-10-01 are provisional
    flags = {p: mm17(facts, "101", period=p)["provisional"] for p in (
        "2023M09", "2023M10", "2023M11", "2023M12", "2023Q3", "2023Q4", "2023H1", "2023H2",
        "2023", "2022", "2022M12", "2022Q4", "2022H2")}
    assert flags == {
        "2023M09": False, "2023M10": True, "2023M11": True, "2023M12": True,
        "2023Q3": False, "2023Q4": True, "2023H1": False, "2023H2": True, "2023": True,
        "2022": False, "2022M12": False, "2022Q4": False, "2022H2": False,
    }


def test_every_row_of_every_register_measure_carries_the_period_flag(facts):
    wrong = [
        (r["indicator"], r["period"], r["area_level"], r["area_code"], r["breakdown"])
        for r in facts.rows
        if r["indicator"] in REGISTER_MEASURES
        and r["provisional"] != (Period.parse(r["period"]).end >= date(2023, 10, 1))
    ]
    assert wrong == []
    assert {r["indicator"] for r in facts.rows} >= set(REGISTER_MEASURES)


def test_suppressed_and_empty_rows_carry_the_flag_too(facts):
    assert mm17(facts, "851", period="2023Q4")["provisional"] is True  # empty total row
    assert mm17(facts, "851")["provisional"] is False  # suppressed, September


def test_mm10_year_2023_is_provisional_2022_not(facts):
    assert facts.get("MM10", "2023", "101")["provisional"] is True
    assert facts.get("MM10", "2022", "101")["provisional"] is False


def test_survey_measure_is_never_provisional(facts):
    row = facts.get("REKRUT", "2023H2", "Hovedstaden", level="rar")
    assert_figure(row, 10, 50)
    assert row["provisional"] is False


def test_provisional_months_is_a_setting(folder):
    facts = compute(folder, 2023, provisional_months=1)
    # only periods ending in 2023-12: M12, Q4, H2, 2023
    assert mm17(facts, "101", period="2023M11")["provisional"] is False
    assert mm17(facts, "101", period="2023M12")["provisional"] is True
    assert mm17(facts, "101", period="2023Q4")["provisional"] is True
    assert mm17(facts, "101", period="2023")["provisional"] is True


def _flags(facts):
    return {p: mm17(facts, "101", period=p)["provisional"]
            for p in ("2023M04", "2023M05", "2023M06", "2023Q1", "2023Q2", "2023H1", "2023",
                      "2022")}


def test_latest_month_comes_from_employment_when_it_is_later(tmp_path):
    # benefits end 2023-05, employment runs to 2023-08 → L = 2023-08 → from 2023-06 provisional
    r = RegisterFolder(tmp_path, latest=None)
    r.benefit(1, "2023-05", "adagpenge", 101).job(2, "2023-08", 10)
    flags = _flags(compute(r.write(), 2023))
    assert flags == {"2023M04": False, "2023M05": False, "2023M06": True, "2023Q1": False,
                     "2023Q2": True, "2023H1": True, "2023": True, "2022": False}


def test_latest_month_comes_from_benefits_when_it_is_later(tmp_path):
    # employment ends 2023-03, benefits run to 2023-07 → L = 2023-07 → from 2023-05 provisional
    r = RegisterFolder(tmp_path, latest=None)
    r.benefit(1, "2023-07", "sygedagpenge", 101).job(2, "2023-03", 10)
    flags = _flags(compute(r.write(), 2023))
    assert flags == {"2023M04": False, "2023M05": True, "2023M06": True, "2023Q1": False,
                     "2023Q2": True, "2023H1": True, "2023": True, "2022": False}
