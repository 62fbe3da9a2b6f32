"""MM13, MM13_190 and MM13_SELV (goal 3): refugees and family-reunified to refugees aged 18–66.

One folder, computed once for 2023 with suppression off (threshold 1). June 2023 (d =
2023-06-30) unless said otherwise. Everybody lives in København 101 from 2000-01-01, open,
unless said otherwise. Hours are unsubsidised unless a subsidy is named.

 id  basis        sex born        basis_date  cpr_date    Apr  May   Jun             benefit
 R1  flygtning    k   1985-01-01  2022-07-01  2003-01-01  50   40    100             -
 R2  fam_flygtn.  k   1990-05-10  2022-06-30  2008-05-09  100  89.5  160 loentilskud kh Jun
 R3  fam_oevrig   k   1985-01-01  2015-01-01  2014-06-01             100  (never counted)
 R4  flygtning    m   1985-01-01  2021-06-30  2014-06-01             0               syg Jun
 R5  flygtning    m   2005-06-30  2020-06-30  2020-07-01                             udd Jun
 R6  flygtning    k   2005-07-01  2020-06-30  2020-07-01   (17 on 2023-06-30: out)
 R7  flygtning    k   1956-07-01  2018-07-01  2018-07-01                             fp Jun
 R8  flygtning    m   1956-06-30  2015-01-01  2014-06-01   (67 on 2023-06-30: out; 66 in May)
 R9  flygtning    k   1985-01-01  2015-01-01  2014-06-01             10  moves 101→147 06-15
 R10 flygtning    m   1985-01-01  2015-01-01  2014-06-01   lives in 101 until 2023-06-20 only
 R11 flygtning    k   1985-01-01  2003-12-31  2014-06-01   (basis before 2004: out)
 R12 flygtning    k   1985-01-01  2023-06-30  null
 R13 flygtning    m   1970-01-01  2004-01-01  2003-06-01                             kh May
 R14 dansk (no basis) works 100 h in June                   (never counted)
 R15 flygtning    m   1985-01-01  2018-06-30  2018-01-01  60   60    70 (+50 fleksjob)
 R16 flygtning    k   1995-01-01  2013-06-30  2005-01-01             0.5 + 0         selv Jun
 R17 flygtning    k   1985-01-01  2010-01-01  2014-06-01  lives in 851; 100 h 2021-11, 90 h 2021-12
 R18 flygtning    k   1985-01-01  2013-07-01  2014-06-01
 R19 flygtning without a residence_basis_date, lives in 147, works 100 h in June (never counted)

101 in June: R1 R2 R4 R5 R7 R12 R13 R15 R16 R18 = 10 (R3 R14 wrong basis, R6 17, R8 67,
R9 moved, R10 emigrated, R11 basis 2003).
"""

from __future__ import annotations

from datetime import date

import pytest
from builders import RegisterFolder
from factlookup import Facts, assert_figure, compute

JUN, MAY, APR = "2023-06", "2023-05", "2023-04"
FAM = "familiesammenfoert_flygtning"


@pytest.fixture(scope="module")
def facts(tmp_path_factory) -> Facts:
    r = RegisterFolder(tmp_path_factory.mktemp("mm13"))
    r.refugee(1, sex="k", basis_date=date(2022, 7, 1), cpr_date=date(2003, 1, 1)).lives(1, 101)
    r.job(1, APR, 50).job(1, MAY, 40).job(1, JUN, 100)
    r.refugee(2, sex="k", birth=date(1990, 5, 10), basis=FAM, basis_date=date(2022, 6, 30),
              cpr_date=date(2008, 5, 9)).lives(2, 101)
    r.job(2, APR, 100).job(2, MAY, 89.5).job(2, JUN, 160, subsidy="loentilskud")
    r.benefit(2, JUN, "kontanthjaelp", 101)
    r.refugee(3, basis="familiesammenfoert_oevrig").lives(3, 101).job(3, JUN, 100)
    r.refugee(4, sex="m", basis_date=date(2021, 6, 30)).lives(4, 101)
    r.job(4, JUN, 0).benefit(4, JUN, "sygedagpenge", 101)
    r.refugee(5, sex="m", birth=date(2005, 6, 30), basis_date=date(2020, 6, 30),
              cpr_date=date(2020, 7, 1)).lives(5, 101)
    r.benefit(5, JUN, "uddannelseshjaelp", 101)
    r.refugee(6, sex="k", birth=date(2005, 7, 1), basis_date=date(2020, 6, 30),
              cpr_date=date(2020, 7, 1)).lives(6, 101)
    r.refugee(7, sex="k", birth=date(1956, 7, 1), basis_date=date(2018, 7, 1),
              cpr_date=date(2018, 7, 1)).lives(7, 101)
    r.benefit(7, JUN, "foertidspension", 101)
    r.refugee(8, sex="m", birth=date(1956, 6, 30)).lives(8, 101)
    r.refugee(9, sex="k").lives(9, 101, date(2000, 1, 1), date(2023, 6, 14))
    r.lives(9, 147, date(2023, 6, 15)).job(9, JUN, 10)
    r.refugee(10, sex="m").lives(10, 101, date(2000, 1, 1), date(2023, 6, 20))
    r.refugee(11, sex="k", basis_date=date(2003, 12, 31)).lives(11, 101)
    r.refugee(12, sex="k", basis_date=date(2023, 6, 30), cpr_date=None).lives(12, 101)
    r.refugee(13, sex="m", birth=date(1970, 1, 1), basis_date=date(2004, 1, 1),
              cpr_date=date(2003, 6, 1)).lives(13, 101)
    r.benefit(13, MAY, "kontanthjaelp", 101)
    r.person(14, sex="m").lives(14, 101).job(14, JUN, 100)
    r.refugee(15, sex="m", basis_date=date(2018, 6, 30), cpr_date=date(2018, 1, 1)).lives(15, 101)
    r.job(15, APR, 60).job(15, MAY, 60).job(15, JUN, 70).job(15, JUN, 50, 2, "fleksjob")
    r.refugee(16, sex="k", birth=date(1995, 1, 1), basis_date=date(2013, 6, 30),
              cpr_date=date(2005, 1, 1)).lives(16, 101)
    r.job(16, JUN, 0.5, employer=1).job(16, JUN, 0, employer=2)
    r.benefit(16, JUN, "selvforsoergelsesydelse", 101)
    r.refugee(17, sex="k", basis_date=date(2010, 1, 1)).lives(17, 851)
    r.job(17, "2021-11", 100).job(17, "2021-12", 90)
    r.refugee(18, sex="k", basis_date=date(2013, 7, 1)).lives(18, 101)
    r.person(19, basis="flygtning", basis_date=None).lives(19, 147).job(19, JUN, 100)
    return compute(r.write(), 2023, threshold=1)


def get(facts, indicator, period="2023M06", code="101", breakdown="i_alt", value="i_alt",
        level="kommune"):
    return facts.get(indicator, period, code, level=level, breakdown=breakdown, value=value)


def test_mm13_counts_refugees_with_positive_unsubsidised_hours(facts):
    # 10 in the denominator; R1 100 h, R15 70 h, R16 0.5 h (+0 h at a second employer) = 3.
    # R2 has only loentilskud hours, R4 a row with 0 hours.
    assert_figure(get(facts, "MM13"), 3, 10)


def test_subsidised_hours_and_zero_hours_do_not_count_for_mm13(facts):
    # opholdstid 1-2 is R2 alone (loentilskud only), 2-3 is R4 alone (0 hours)
    assert_figure(get(facts, "MM13", breakdown="opholdstid", value="1-2"), 0, 1)
    assert_figure(get(facts, "MM13", breakdown="opholdstid", value="2-3"), 0, 1)
    # 10+ is R13 (no job) and R16 (0.5 h) → 1/2
    assert_figure(get(facts, "MM13", breakdown="opholdstid", value="10+"), 1, 2)


def test_age_18_and_66_included_17_and_67_not(facts):
    # opholdstid 3-5 in June: R5 (exactly 18, 3 years) and R7 (66, 4 years) → 2;
    # R6 (17, 3 years) would make it 3.  5-10: R15 (5 years) and R18 (9 years) → 2;
    # R8 (67, 8 years) would make it 3.
    assert_figure(get(facts, "MM13", breakdown="opholdstid", value="3-5"), 0, 2)
    assert_figure(get(facts, "MM13", breakdown="opholdstid", value="5-10"), 1, 2)
    # May (d = 2023-05-31): R8 is 66 → in, R5 is 17 → out. Bands on 2023-05-31:
    # 5-10 = R8 R9 R10 (8 years) R16 R18 (9) = 5; R5 would be 2 years → no 2-3 row at all
    assert_figure(get(facts, "MM13", "2023M05", breakdown="opholdstid", value="5-10"), 0, 5)
    assert not facts.has("MM13", "2023M05", "101", breakdown="opholdstid", value="2-3")


def test_residence_basis_date_from_2004_up_to_the_last_day_of_the_month(facts):
    # 10+ in June: R13 (2004-01-01) and R16 (2013-06-30); R11 (2003-12-31) is out
    assert get(facts, "MM13", breakdown="opholdstid", value="10+")["denominator"] == 2
    # R12 (2023-06-30) counts in June (0 years → 0-1 with R1) but not in May
    # (0-1 on 2023-05-31 = R1 and R2, both with hours in May → 2/2; with R12 it would be 2/3)
    assert_figure(get(facts, "MM13", breakdown="opholdstid", value="0-1"), 1, 2)
    assert_figure(get(facts, "MM13", "2023M05", breakdown="opholdstid", value="0-1"), 2, 2)


def test_mover_counts_in_the_municipality_of_the_last_day(facts):
    # R9 moves 101 → 147 on 2023-06-15 and works 10 h in June: 147 June 1/1, 101 May includes R9
    # (R19 in 147 has no residence_basis_date: not counted)
    assert_figure(get(facts, "MM13", code="147"), 1, 1)
    assert_figure(get(facts, "MM13", "2023M05", code="147"), 0, 0)
    # May 101: R1 R2 R4 R7 R8 R9 R10 R13 R15 R16 R18 = 11; hours in May: R1 R2 R15 = 3
    assert_figure(get(facts, "MM13", "2023M05"), 3, 11)


def test_emigrant_before_last_day_is_out(facts):
    # R10 lives in 101 until 2023-06-20 and nowhere after: not in June anywhere.
    # Country June: 101 3/10 + 147 1/1 + 851 R17 0/1 = 4/12
    assert_figure(get(facts, "MM13", code="DK", level="land"), 4, 12)


def test_mm13_190_needs_190_unsubsidised_hours_over_three_months(facts):
    # June = Apr+May+Jun: R1 50+40+100 = 190 (exactly: counts), R15 60+60+70 = 190 (fleksjob 50
    # not added), R2 100+89.5 = 189.5 (+160 loentilskud not added): no → 2/10
    assert_figure(get(facts, "MM13_190"), 2, 10)
    assert_figure(get(facts, "MM13_190", breakdown="opholdstid", value="1-2"), 0, 1)


def test_mm13_190_numerator_zero_is_a_figure_not_a_gap(facts):
    # May = Mar+Apr+May: R1 90, R2 189.5, R15 120 → nobody, 0/11, value 0
    row = get(facts, "MM13_190", "2023M05")
    assert_figure(row, 0, 11)
    assert row["value"] == 0.0


def test_mm13_190_reaches_into_months_before_the_computed_years(facts):
    # R17 in 851: 2022M01 = 2021-11 100 + 2021-12 90 + 2022-01 0 = 190 → 1/1;
    # 2022M02 = 90 + 0 + 0 → 0/1; MM13 2022M01: no hours in January → 0/1
    assert_figure(get(facts, "MM13_190", "2022M01", code="851"), 1, 1)
    assert_figure(get(facts, "MM13_190", "2022M02", code="851"), 0, 1)
    assert_figure(get(facts, "MM13", "2022M01", code="851"), 0, 1)


def test_selv_counts_those_with_no_benefit_of_any_kind_in_the_month(facts):
    # June: R2 kh, R4 sygedagpenge, R5 udd, R7 foertidspension, R16 selvforsoergelsesydelse
    # have a benefit; R1 R12 R13 (benefit in May only) R15 R18 have none → 5/10
    assert_figure(get(facts, "MM13_SELV"), 5, 10)
    # May: only R13 has a benefit → 10/11
    assert_figure(get(facts, "MM13_SELV", "2023M05"), 10, 11)


def test_sex_breakdown_of_all_three_measures(facts):
    # k: R1 R2 R7 R12 R16 R18 = 6; m: R4 R5 R13 R15 = 4
    assert_figure(get(facts, "MM13", breakdown="koen", value="k"), 2, 6)  # R1 R16
    assert_figure(get(facts, "MM13", breakdown="koen", value="m"), 1, 4)  # R15
    assert_figure(get(facts, "MM13_190", breakdown="koen", value="k"), 1, 6)  # R1
    assert_figure(get(facts, "MM13_190", breakdown="koen", value="m"), 1, 4)  # R15
    assert_figure(get(facts, "MM13_SELV", breakdown="koen", value="k"), 3, 6)  # R1 R12 R18
    assert_figure(get(facts, "MM13_SELV", breakdown="koen", value="m"), 2, 4)  # R13 R15


def test_opholdstid_bands_are_completed_years_on_the_last_day(facts):
    # on 2023-06-30: R1 0 (2022-07-01), R12 0 → 0-1; R2 1 (2022-06-30) → 1-2;
    # R4 2 (2021-06-30) → 2-3; R5 3, R7 4 (2018-07-01) → 3-5; R15 5 (2018-06-30), R18 9
    # (2013-07-01) → 5-10; R16 10 (2013-06-30), R13 19 → 10+
    expected_den = {"0-1": 2, "1-2": 1, "2-3": 1, "3-5": 2, "5-10": 2, "10+": 2}
    expected_selv = {"0-1": 2, "1-2": 0, "2-3": 0, "3-5": 0, "5-10": 2, "10+": 1}
    expected_190 = {"0-1": 1, "1-2": 0, "2-3": 0, "3-5": 0, "5-10": 1, "10+": 0}
    for band, den in expected_den.items():
        assert_figure(get(facts, "MM13_SELV", breakdown="opholdstid", value=band),
                      expected_selv[band], den)
        assert_figure(get(facts, "MM13_190", breakdown="opholdstid", value=band),
                      expected_190[band], den)


def test_indrejst_is_age_on_cpr_date_below_18(facts):
    # voksen: R1 (exactly 18 on cpr_date) R4 R7 R13 R15 R18 = 6;
    # mindreaarig: R2 (17, the day before turning 18) R5 (15) R16 (10) = 3; ukendt: R12 = 1
    assert_figure(get(facts, "MM13", breakdown="indrejst", value="voksen"), 2, 6)  # R1 R15
    assert_figure(get(facts, "MM13", breakdown="indrejst", value="mindreaarig"), 1, 3)  # R16
    assert_figure(get(facts, "MM13", breakdown="indrejst", value="ukendt"), 0, 1)
    assert_figure(get(facts, "MM13_190", breakdown="indrejst", value="voksen"), 2, 6)
    assert_figure(get(facts, "MM13_SELV", breakdown="indrejst", value="voksen"), 4, 6)
    assert_figure(get(facts, "MM13_SELV", breakdown="indrejst", value="mindreaarig"), 0, 3)
    assert_figure(get(facts, "MM13_SELV", breakdown="indrejst", value="ukendt"), 1, 1)


def test_quarter_sums_person_months(facts):
    # 101: April 11 (as May) with hours R1 R2 R15 = 3; May 3/11; June 3/10 → Q2 9/32
    assert_figure(get(facts, "MM13", "2023Q2"), 9, 32)
    # MM13_190: April (Feb–Apr) 0, May 0, June 2 → 2/32
    assert_figure(get(facts, "MM13_190", "2023Q2"), 2, 32)


def test_areas_sum_their_municipalities(facts):
    # Hovedstaden June: 101 3/10 + 147 1/1 = 4/11; Nordjylland: 851 0/1
    assert_figure(get(facts, "MM13", code="Hovedstaden", level="rar"), 4, 11)
    assert_figure(get(facts, "MM13", code="084", level="region"), 4, 11)
    assert_figure(get(facts, "MM13", code="101", level="jobcenter"), 3, 10)
    assert_figure(get(facts, "MM13_SELV", code="Nordjylland", level="rar"), 1, 1)


def test_all_three_measures_cover_every_period(facts):
    for indicator in ("MM13", "MM13_190", "MM13_SELV"):
        periods = {r["period"] for r in facts.where(indicator=indicator)}
        assert len(periods) == 38 and "2022M01" in periods and "2023" in periods
