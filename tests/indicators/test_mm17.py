"""MM17 (goal 2): share of people on the four goal-2 benefits who start an upskilling course.

One hand-made register folder, computed once for 2023 with suppression off (threshold 1), so
every small count below is visible. Each rule lives in its own municipality where possible, so
a number tests one rule. All of it in March 2023 (last day 2023-03-31) unless said otherwise.

  Aalborg 851 (baseline, breakdowns, numerator rules):
    P1  k  born 1993-03-31  adagpenge 31d Jan and Mar; ordinaer_uddannelse starts 2023-03-10
    P2  m  born 1993-04-01  adagpenge Feb and Mar; jobrettet starts 2023-02-15 and 2023-03-01
    P5  k  born 1980-06-15  adagpenge 10d + kontanthjaelp 20d; kort_kursus starts 2023-03-05
    P6  m  born 1980-06-15  uddannelseshjaelp 15d + ledighedsydelse 15d; danskuddannelse 03-05
    P8  m  born 1970-01-01  adagpenge 31d; ordinaer 2023-03-02 AND jobrettet 2023-03-20
    P9  k  born 1980-06-15  adagpenge 31d; ordinaer 2023-02-28 and 2023-04-01 (not March)
    P10 k  born 1980-06-15  ledighedsydelse 31d
    P12 m  born 1980-06-15  sygedagpenge 31d + adagpenge 5d
  Mover P3 k: kontanthjaelp 147 12d + 151 18d, sygedagpenge 147 31d; voksenlaerling 2023-03-31
      (education row says 147)                                                  → 151
  Tie  P4 m: adagpenge 157 15d + 159 15d                                         → 157
  Sum  P15 k: 165 adagpenge 10d + kontanthjaelp 8d (18d) vs 167 adagpenge 15d    → 165
  P7 k: only sygedagpenge in 173, ordinaer start in March                        → nowhere
  Shared job centre: P13 k adagpenge in Fanø 563; P14 k adagpenge in Esbjerg 561 + ordinaer.
  Previous year: P11 m adagpenge 147 in 2022-06 and ordinaer start 2022-06-30.
"""

from __future__ import annotations

from datetime import date

import pytest
from builders import RegisterFolder
from factlookup import Facts, assert_figure, compute

from jobmaal.geography import load_geography
from jobmaal.periods import all_periods_of_year

MAR = "2023-03"
OTHER = date(1980, 6, 15)


@pytest.fixture(scope="module")
def facts(tmp_path_factory) -> Facts:
    r = RegisterFolder(tmp_path_factory.mktemp("mm17"))
    # Aalborg baseline
    r.person(1, birth=date(1993, 3, 31), sex="k")
    r.benefit(1, "2023-01", "adagpenge", 851).benefit(1, MAR, "adagpenge", 851)
    r.education(1, date(2023, 3, 10), "ordinaer_uddannelse", 851)
    r.person(2, birth=date(1993, 4, 1), sex="m")
    r.benefit(2, "2023-02", "adagpenge", 851, days=28).benefit(2, MAR, "adagpenge", 851)
    r.education(2, date(2023, 2, 15), "jobrettet_uddannelse", 851)
    r.education(2, date(2023, 3, 1), "jobrettet_uddannelse", 851)
    r.person(5, birth=OTHER, sex="k")
    r.benefit(5, MAR, "adagpenge", 851, days=10).benefit(5, MAR, "kontanthjaelp", 851, days=20)
    r.education(5, date(2023, 3, 5), "kort_kursus", 851)
    r.person(6, birth=OTHER, sex="m")
    r.benefit(6, MAR, "uddannelseshjaelp", 851, days=15)
    r.benefit(6, MAR, "ledighedsydelse", 851, days=15)
    r.education(6, date(2023, 3, 5), "danskuddannelse", 851)
    r.person(8, birth=date(1970, 1, 1), sex="m")
    r.benefit(8, MAR, "adagpenge", 851)
    r.education(8, date(2023, 3, 2), "ordinaer_uddannelse", 851)
    r.education(8, date(2023, 3, 20), "jobrettet_uddannelse", 851)
    r.person(9, birth=OTHER, sex="k")
    r.benefit(9, MAR, "adagpenge", 851)
    r.education(9, date(2023, 2, 28), "ordinaer_uddannelse", 851)
    r.education(9, date(2023, 4, 1), "ordinaer_uddannelse", 851)
    r.person(10, birth=OTHER, sex="k").benefit(10, MAR, "ledighedsydelse", 851)
    r.person(12, birth=OTHER, sex="m")
    r.benefit(12, MAR, "sygedagpenge", 851).benefit(12, MAR, "adagpenge", 851, days=5)
    # one rule per municipality
    r.person(3, birth=date(1985, 6, 15), sex="k")
    r.benefit(3, MAR, "kontanthjaelp", 147, days=12).benefit(3, MAR, "kontanthjaelp", 151, days=18)
    r.benefit(3, MAR, "sygedagpenge", 147, days=31)
    r.education(3, date(2023, 3, 31), "voksenlaerling", 147)
    r.person(4, birth=date(1985, 6, 15), sex="m")
    r.benefit(4, MAR, "adagpenge", 157, days=15).benefit(4, MAR, "adagpenge", 159, days=15)
    r.person(15, birth=OTHER, sex="k")
    r.benefit(15, MAR, "adagpenge", 165, days=10).benefit(15, MAR, "kontanthjaelp", 165, days=8)
    r.benefit(15, MAR, "adagpenge", 167, days=15)
    r.person(7, birth=OTHER, sex="k").benefit(7, MAR, "sygedagpenge", 173)
    r.education(7, date(2023, 3, 5), "ordinaer_uddannelse", 173)
    # Esbjerg–Fanø job centre
    r.person(13, birth=OTHER, sex="k").benefit(13, MAR, "adagpenge", 563)
    r.person(14, birth=OTHER, sex="k").benefit(14, MAR, "adagpenge", 561)
    r.education(14, date(2023, 3, 15), "ordinaer_uddannelse", 561)
    # previous year
    r.person(11, birth=OTHER, sex="m").benefit(11, "2022-06", "adagpenge", 147, days=30)
    r.education(11, date(2022, 6, 30), "ordinaer_uddannelse", 147)
    return compute(r.write(), 2023, threshold=1)


def test_denominator_is_people_on_goal2_benefits_numerator_their_qualifying_starts(facts):
    # 851 March: P1 P2 P5 P6 P8 P9 P10 P12 = 8 on a goal-2 benefit;
    # starts: P1 ordinaer, P2 jobrettet, P8 (two starts, once) = 3; P5 kort_kursus, P6
    # danskuddannelse, P9 starts in Feb/Apr do not count → 3/8 = 37.5 %
    assert_figure(facts.get("MM17", "2023M03", "851"), 3, 8)


def test_mover_counts_in_municipality_with_most_qualifying_days(facts):
    # P3: 151 has 18 qualifying days, 147 has 12 (+31 sygedagpenge, ignored) → 151.
    # Numerator follows the person, not the education row's municipality (147) → 1/1.
    assert_figure(facts.get("MM17", "2023M03", "151"), 1, 1)
    assert_figure(facts.get("MM17", "2023M03", "147"), 0, 0)


def test_municipality_tie_goes_to_lowest_code(facts):
    # P4: 15 days in 157 and 15 in 159 → 157
    assert_figure(facts.get("MM17", "2023M03", "157"), 0, 1)
    assert_figure(facts.get("MM17", "2023M03", "159"), 0, 0)


def test_days_of_different_qualifying_benefits_add_up_per_municipality(facts):
    # P15: 165 has 10 + 8 = 18 days, 167 has 15 → 165; group adagpenge (most days either way)
    assert_figure(facts.get("MM17", "2023M03", "165"), 0, 1)
    assert_figure(facts.get("MM17", "2023M03", "167"), 0, 0)
    assert_figure(facts.get("MM17", "2023M03", "165", breakdown="ydelsesgruppe",
                            value="adagpenge"), 0, 1)


def test_person_on_non_goal2_benefit_only_is_not_counted(facts):
    # P7 has only sygedagpenge (in 173) and a course start: neither denominator nor numerator
    row = facts.get("MM17", "2023M03", "173")
    assert_figure(row, 0, 0)
    assert row["value"] is None
    assert facts.where(indicator="MM17", period="2023M03", area_level="kommune",
                       area_code="173", breakdown="koen") == []


def test_benefit_group_is_qualifying_benefit_with_most_days(facts):
    # P5: kontanthjaelp 20 d > adagpenge 10 d → kontanthjaelp (kort_kursus: not numerator)
    assert_figure(facts.get("MM17", "2023M03", "851", breakdown="ydelsesgruppe",
                            value="kontanthjaelp"), 0, 1)


def test_benefit_group_tie_follows_listed_order(facts):
    # P6: uddannelseshjaelp 15 d = ledighedsydelse 15 d → uddannelseshjaelp;
    # ledighedsydelse only P10 → 1 (would be 2 if the tie went the other way)
    assert_figure(facts.get("MM17", "2023M03", "851", breakdown="ydelsesgruppe",
                            value="uddannelseshjaelp"), 0, 1)
    assert_figure(facts.get("MM17", "2023M03", "851", breakdown="ydelsesgruppe",
                            value="ledighedsydelse"), 0, 1)


def test_non_goal2_days_do_not_decide_benefit_group(facts):
    # adagpenge: P1 P2 P8 P9 P12 (sygedagpenge 31 d ignored, adagpenge 5 d) = 5; starts P1 P2 P8
    assert_figure(facts.get("MM17", "2023M03", "851", breakdown="ydelsesgruppe",
                            value="adagpenge"), 3, 5)


def test_sex_breakdown(facts):
    # k: P1 P5 P9 P10 = 4, starts P1 = 1;  m: P2 P6 P8 P12 = 4, starts P2 P8 = 2
    assert_figure(facts.get("MM17", "2023M03", "851", breakdown="koen", value="k"), 1, 4)
    assert_figure(facts.get("MM17", "2023M03", "851", breakdown="koen", value="m"), 2, 4)


def test_age_band_is_completed_years_on_last_day_of_month(facts):
    # 2023-03-31: P1 (born 1993-03-31) is 30 → 30-49; P2 (born 1993-04-01) is 29 → 16-29;
    # P8 is 53 → 50+; P5 P6 P9 P10 P12 are 42 → 30-49.
    assert_figure(facts.get("MM17", "2023M03", "851", breakdown="alder", value="16-29"), 1, 1)
    assert_figure(facts.get("MM17", "2023M03", "851", breakdown="alder", value="30-49"), 1, 6)
    assert_figure(facts.get("MM17", "2023M03", "851", breakdown="alder", value="50+"), 1, 1)
    # 2023-01-31: P1 is still 29 → 16-29, and there is no 30-49 row that month
    assert_figure(facts.get("MM17", "2023M01", "851", breakdown="alder", value="16-29"), 0, 1)
    assert not facts.has("MM17", "2023M01", "851", breakdown="alder", value="30-49")


def test_breakdown_rows_exist_only_where_denominator_is_positive(facts):
    # 151 March holds only P3 (k, kontanthjaelp, 37 years)
    assert facts.has("MM17", "2023M03", "151", breakdown="ydelsesgruppe", value="kontanthjaelp")
    assert not facts.has("MM17", "2023M03", "151", breakdown="ydelsesgruppe", value="adagpenge")
    assert not facts.has("MM17", "2023M03", "151", breakdown="koen", value="m")
    assert not facts.has("MM17", "2023M03", "151", breakdown="alder", value="50+")
    # 851 has nobody in Q2: the total row exists (0/0, no value, not suppressed), nothing else
    row = facts.get("MM17", "2023Q2", "851")
    assert (row["numerator"], row["denominator"], row["value"], row["suppressed"]) == (
        0.0, 0.0, None, False)
    assert [r["breakdown"] for r in facts.where(indicator="MM17", period="2023Q2",
                                                  area_level="kommune", area_code="851")] == ["i_alt"]


def test_quarter_half_year_and_year_sum_person_months(facts):
    # 851: Jan P1 0/1, Feb P2 1/1, Mar 3/8 → Q1 = H1 = 2023 = 4/10 (P1, P2 counted per month)
    for period in ("2023Q1", "2023H1", "2023"):
        assert_figure(facts.get("MM17", period, "851"), 4, 10)
    # sex k in Q1: Jan P1 0/1 + Mar 1/4 = 1/5
    assert_figure(facts.get("MM17", "2023Q1", "851", breakdown="koen", value="k"), 1, 5)


def test_shared_job_centre_sums_its_municipalities(facts):
    # Esbjerg 561: P14 1/1; Fanø 563: P13 0/1 → job centre 561 = 1/2
    assert_figure(facts.get("MM17", "2023M03", "561"), 1, 1)
    assert_figure(facts.get("MM17", "2023M03", "563"), 0, 1)
    assert_figure(facts.get("MM17", "2023M03", "561", level="jobcenter"), 1, 2)
    assert not facts.has("MM17", "2023M03", "563", level="jobcenter")
    # job centre Aalborg = kommune Aalborg
    assert_figure(facts.get("MM17", "2023M03", "851", level="jobcenter"), 3, 8)


def test_rar_region_and_country_sum_their_municipalities(facts):
    # Hovedstaden: 151 1/1 + 157 0/1 + 165 0/1 = 1/3.
    # Country: 851 3/8 + 151 1/1 + 157 0/1 + 165 0/1 + 561 1/1 + 563 0/1 = 5/13 = 38.46 %
    # (the mean of the six ratios would be 39.58 %)
    assert_figure(facts.get("MM17", "2023M03", "Hovedstaden", level="rar"), 1, 3)
    assert_figure(facts.get("MM17", "2023M03", "084", level="region"), 1, 3)
    assert_figure(facts.get("MM17", "2023M03", "Nordjylland", level="rar"), 3, 8)
    assert_figure(facts.get("MM17", "2023M03", "081", level="region"), 3, 8)
    assert_figure(facts.get("MM17", "2023M03", "Sydjylland", level="rar"), 1, 2)
    assert_figure(facts.get("MM17", "2023M03", "083", level="region"), 1, 2)
    assert_figure(facts.get("MM17", "2023M03", "DK", level="land"), 5, 13)
    # Q1 country: Jan 0/1 + Feb 1/1 + Mar 5/13 = 6/15
    assert_figure(facts.get("MM17", "2023Q1", "DK", level="land"), 6, 15)


def test_previous_year_is_computed_too(facts):
    # P11: 147, June 2022, start 2022-06-30 → 1/1 in every period containing 2022-06
    for period in ("2022M06", "2022Q2", "2022H1", "2022"):
        assert_figure(facts.get("MM17", period, "147"), 1, 1)
    assert_figure(facts.get("MM17", "2022", "DK", level="land"), 1, 1)
    assert_figure(facts.get("MM17", "2022H2", "147"), 0, 0)


def test_periods_are_exactly_those_of_the_year_and_the_year_before(facts):
    expected = {p.code for y in (2022, 2023) for p in all_periods_of_year(y)}
    assert len(expected) == 38
    assert {r["period"] for r in facts.where(indicator="MM17")} == expected


def test_every_area_and_period_has_a_total_row(facts):
    areas = {(a.level, a.code) for a in load_geography().all_areas()}
    assert len(areas) == 98 + 95 + 8 + 5 + 1
    for period in ("2023M05", "2022Q3", "2023"):
        rows = facts.where(indicator="MM17", period=period, breakdown="i_alt")
        assert {(r["area_level"], r["area_code"]) for r in rows} == areas
        assert len(rows) == len(areas)


def test_one_row_per_key_and_exact_columns(facts):
    assert facts.duplicates == []
    assert facts.table.column_names == [
        "indicator", "period", "area_level", "area_code", "breakdown", "breakdown_value",
        "numerator", "denominator", "value", "suppressed", "provisional", "suppression",
    ]
    types = {f.name: str(f.type) for f in facts.table.schema}
    assert types["numerator"] == types["denominator"] == types["value"] == "double"
    assert types["suppressed"] == types["provisional"] == "bool"
    assert types["area_code"] == "string"
