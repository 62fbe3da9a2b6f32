"""compare_areas and pooled on hand-made facts.

Fanø (563) belongs to job centre Esbjerg–Fanø (561), RAR Sydjylland, Region Syddanmark (083).
"""

from __future__ import annotations

import pytest

from jobmaal.analysis import compare_areas, pooled, pooled_series
from jobmaal.geography import load_geography

from .factrows import frame, row

GEO = load_geography()


@pytest.fixture
def facts():
    return frame([
        row("MM13", "2023", "kommune", 563, 30, 60),            # 30/60 = 50 %
        row("MM13", "2023", "jobcenter", 561, 330, 600),        # 330/600 = 55 %
        row("MM13", "2023", "rar", "Sydjylland", 600, 1000),    # 60 %
        row("MM13", "2023", "region", "083", 900, 2000),        # 45 %
        row("MM13", "2023", "land", "DK", 5000, 10000),         # 50 %
        row("MM13", "2022", "kommune", 563, 10, 100),           # another period: not picked
        row("MM13", "2023", "kommune", 561, 300, 540),          # Esbjerg the municipality
        row("MM13", "2023", "kommune", 563, 12, 25, breakdown=("koen", "k")),  # 48 %
        row("REKRUT", "2023H1", "rar", "Sydjylland", 20, 100),  # 20 %
        row("REKRUT", "2023H1", "land", "DK", 30, 200),         # 15 %
    ])


def test_municipality_stands_beside_its_job_centre_rar_region_and_country(facts):
    figures = compare_areas(facts, "MM13", "2023", 563, GEO)
    assert [(f.level, f.code) for f in figures] == [
        ("kommune", "563"), ("jobcenter", "561"), ("rar", "Sydjylland"), ("region", "083"),
        ("land", "DK")]
    assert [f.value for f in figures] == pytest.approx([50.0, 55.0, 60.0, 45.0, 50.0])
    assert [f.name for f in figures] == [
        "Fanø", "Jobcenter Esbjerg-Fanø", "RAR Sydjylland", "Region Syddanmark", "Hele landet"]
    assert (figures[1].numerator, figures[1].denominator) == (330, 600)


def test_rekrut_compares_the_municipalitys_rar_area_with_the_country(facts):
    figures = compare_areas(facts, "REKRUT", "2023H1", 563, GEO)
    assert [(f.level, f.code, f.value) for f in figures] == [
        ("rar", "Sydjylland", pytest.approx(20.0)), ("land", "DK", pytest.approx(15.0))]


def test_breakdown_value_is_looked_up_and_absent_levels_are_marked_missing(facts):
    figures = compare_areas(facts, "MM13", "2023", 563, GEO, breakdown=("koen", "k"))
    assert figures[0].value == pytest.approx(48.0)  # 12/25
    assert [f.missing for f in figures] == [False, True, True, True, True]
    assert all(f.value is None for f in figures[1:])


def test_suppressed_area_shows_no_number_even_if_the_row_carries_one():
    facts = frame([row("MM13", "2023", "jobcenter", 561, 3, 50)])
    facts.loc[0, "suppressed"] = True  # numbers left in on purpose
    jobcentre = compare_areas(facts, "MM13", "2023", 563, GEO)[1]
    assert jobcentre.suppressed
    assert (jobcentre.numerator, jobcentre.denominator, jobcentre.value) == (None, None, None)


@pytest.fixture
def members():
    return frame([
        row("MM17", "2023M07", "kommune", 101, 10, 40, provisional=True),
        row("MM17", "2023M07", "kommune", 147, 20, 60),
        row("MM17", "2023M07", "kommune", 151, None, None, suppressed=True),
        row("MM17", "2023M07", "kommune", 153, 0, 0),           # den 0: value None, shown
        row("MM17", "2023M07", "kommune", 155, 500, 1000),      # not in the group
    ])


def test_pool_is_sum_of_shown_members_and_counts_the_suppressed_left_out(members):
    # 101 + 147 + 153 = (10 + 20 + 0) / (40 + 60 + 0) = 30/100 = 30 %; 151 left out
    p = pooled(members, "MM17", "2023M07", [101, 147, 151, 153])
    assert (p.numerator, p.denominator) == (30, 100)
    assert p.value == pytest.approx(30.0)
    assert (p.members, p.left_out) == (3, 1)
    assert not p.suppressed
    assert p.provisional  # 101 is provisional
    assert p.code == "101,147,151,153"


def test_pool_without_provisional_members_is_not_provisional(members):
    # 147 + 155 = 520/1060 = 49.0566 %
    p = pooled(members, "MM17", "2023M07", [147, 155])
    assert p.value == pytest.approx(100 * 520 / 1060)
    assert not p.provisional


def test_pool_with_counts_1_to_4_is_suppressed():
    facts = frame([row("MM17", "2023M07", "kommune", 101, 2, 10),   # facts made with
                   row("MM17", "2023M07", "kommune", 147, 1, 10)])  # threshold 1
    p = pooled(facts, "MM17", "2023M07", [101, 147])  # Σnum = 3: within 1..4
    assert p.suppressed
    assert (p.numerator, p.denominator, p.value) == (None, None, None)
    assert not pooled(facts, "MM17", "2023M07", [101, 147], threshold=3).suppressed  # 3 ≥ 3


def test_pool_of_zero_successes_shows_zero_not_suppressed():
    facts = frame([row("MM17", "2023M07", "kommune", 101, 0, 10),
                   row("MM17", "2023M07", "kommune", 147, 0, 10)])
    p = pooled(facts, "MM17", "2023M07", [101, 147])
    assert not p.suppressed
    assert p.value == 0.0


def test_pool_of_only_suppressed_members_has_no_value(members):
    p = pooled(members, "MM17", "2023M07", [151])
    assert (p.members, p.left_out, p.value, p.suppressed) == (0, 1, None, False)


def test_pooled_series_gives_each_period_what_pooled_gives():
    facts = frame([
        row("MM17", "2023M07", "kommune", 101, 10, 40, provisional=True),
        row("MM17", "2023M07", "kommune", 147, 20, 60),
        row("MM17", "2023M08", "kommune", 101, 1, 2),            # pool 1/2: suppressed
        row("MM17", "2023M08", "kommune", 147, None, None, suppressed=True),
        row("MM17", "2023M09", "kommune", 155, 500, 1000),       # not a member
    ])
    series = pooled_series(facts, "MM17", ["2023M07", "2023M08", "2023M09"], [101, 147])
    for period in ("2023M07", "2023M08", "2023M09"):
        assert series[period] == pooled(facts, "MM17", period, [101, 147])
    # by hand: July (10 + 20) / (40 + 60) = 30 %; August 1/2 suppressed; September no members
    assert series["2023M07"].value == pytest.approx(30.0)
    assert series["2023M08"].suppressed and series["2023M08"].left_out == 1
    assert (series["2023M09"].value, series["2023M09"].denominator) == (None, 0.0)
