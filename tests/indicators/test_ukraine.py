"""UKR_BESK and UKR_RAADIG (goal 3, supplementary): people displaced from Ukraine aged 18–66.

One folder, computed once for 2023 with suppression off (threshold 1). June 2023 (d =
2023-06-30) unless said otherwise. Everybody has basis ukraine_saerlov and lives in København
101 from the date given, open, unless said otherwise. Hours are unsubsidised unless named.

 id  sex born        basis_date  lives from   Apr  May            Jun
 U1  k   1985-01-01  2022-04-10  2022-03-20        80 h           100 h
 U2  k   1990-03-01  2023-06-20  2023-06-12                       overgangsydelse 11 days (arrives mid-month)
 U3  m   2005-06-15  2022-03-25  2022-03-16        30 h (17: out) 40 h (turns 18 on 06-15)
 U4  k   1975-05-05  2022-05-02  2022-04-28        selv           selv 14 d in 101, 60 h; moves 101→147 06-15
 U5  m   1970-02-02  2022-08-15  2022-08-01                       120 h loentilskud only
 U6  k   1980-01-01  2022-09-01  2022-08-20                       overgangsydelse
 U7  k   1960-01-01  2022-04-01  2022-03-15                       kontanthjaelp (not available)
 U8  m   1956-06-30  2022-05-01  2022-04-20        100 h          100 h (67 on 06-30: out; 66 in May)
 U9  a refugee (flygtning) working 100 h in June: MM13's, never the Ukraine measures'
 U10 k   1985-01-01  2022-06-01  2022-05-20        selv           selv; lives in 101 until 2023-06-20 only
 U11 k   2013-01-01  2022-04-01  2022-03-20   (a child: never counted)
 U12 k   1985-01-01  2023-07-03  2023-06-25                       100 h (no permit by 06-30: out)
 U13 k   1995-01-01  2023-03-31  2023-03-20                       0 h + selv

101 in June: U1 U2 U3 U5 U6 U7 U13 = 7; working unsubsidised: U1 U3 = 2.
Available in June: U1 U3 (work), U5 (loentilskud), U2 U6 (overgangsydelse), U13 (selv) = 6.
"""

from __future__ import annotations

from datetime import date

import pytest
from builders import RegisterFolder
from factlookup import Facts, assert_figure, compute

JUN, MAY, APR = "2023-06", "2023-05", "2023-04"


def _folder(root) -> RegisterFolder:
    r = RegisterFolder(root)
    r.displaced(1, date(1985, 1, 1), "k", date(2022, 4, 10)).lives(1, 101, date(2022, 3, 20))
    r.job(1, MAY, 80).job(1, JUN, 100)
    r.displaced(2, date(1990, 3, 1), "k", date(2023, 6, 20), cpr_date=date(2023, 6, 12))
    r.lives(2, 101, date(2023, 6, 12)).benefit(2, JUN, "overgangsydelse", 101, days=11)
    r.displaced(3, date(2005, 6, 15), "m", date(2022, 3, 25)).lives(3, 101, date(2022, 3, 16))
    r.job(3, MAY, 30).job(3, JUN, 40)
    r.displaced(4, date(1975, 5, 5), "k", date(2022, 5, 2))
    r.lives(4, 101, date(2022, 4, 28), date(2023, 6, 14)).lives(4, 147, date(2023, 6, 15))
    r.benefit(4, MAY, "selvforsoergelsesydelse", 101)
    r.benefit(4, JUN, "selvforsoergelsesydelse", 101, days=14).job(4, JUN, 60)
    r.displaced(5, date(1970, 2, 2), "m", date(2022, 8, 15)).lives(5, 101, date(2022, 8, 1))
    r.job(5, JUN, 120, subsidy="loentilskud")
    r.displaced(6, date(1980, 1, 1), "k", date(2022, 9, 1)).lives(6, 101, date(2022, 8, 20))
    r.benefit(6, JUN, "overgangsydelse", 101)
    r.displaced(7, date(1960, 1, 1), "k", date(2022, 4, 1)).lives(7, 101, date(2022, 3, 15))
    r.benefit(7, JUN, "kontanthjaelp", 101)
    r.displaced(8, date(1956, 6, 30), "m", date(2022, 5, 1)).lives(8, 101, date(2022, 4, 20))
    r.job(8, MAY, 100).job(8, JUN, 100)
    r.refugee(9).lives(9, 101).job(9, JUN, 100)
    r.displaced(10, date(1985, 1, 1), "k", date(2022, 6, 1))
    r.lives(10, 101, date(2022, 5, 20), date(2023, 6, 20))
    r.benefit(10, MAY, "selvforsoergelsesydelse", 101)
    r.benefit(10, JUN, "selvforsoergelsesydelse", 101, days=20)
    r.displaced(11, date(2013, 1, 1), "k", date(2022, 4, 1)).lives(11, 101, date(2022, 3, 20))
    r.displaced(12, date(1985, 1, 1), "k", date(2023, 7, 3)).lives(12, 101, date(2023, 6, 25))
    r.job(12, JUN, 100)
    r.displaced(13, date(1995, 1, 1), "k", date(2023, 3, 31)).lives(13, 101, date(2023, 3, 20))
    r.job(13, JUN, 0).benefit(13, JUN, "selvforsoergelsesydelse", 101)
    return r


@pytest.fixture(scope="module")
def folder(tmp_path_factory):
    return _folder(tmp_path_factory.mktemp("ukraine")).write()


@pytest.fixture(scope="module")
def facts(folder) -> Facts:
    return compute(folder, 2023, threshold=1)


def get(facts, indicator, period="2023M06", code="101", breakdown="i_alt", value="i_alt",
        level="kommune"):
    return facts.get(indicator, period, code, level=level, breakdown=breakdown, value=value)


def test_besk_counts_unsubsidised_work_among_all_aged_18_to_66(facts):
    # 7 in 101 in June; U1 100 h and U3 40 h. U5 has only loentilskud, U13 a 0-hour row.
    assert_figure(get(facts, "UKR_BESK"), 2, 7)


def test_raadig_counts_the_same_workers_among_those_available(facts):
    # Available: U1 U3 U5 (working), U2 U6 (overgangsydelse), U13 (selvforsørgelse) = 6;
    # U7 on kontanthjælp alone is not available.
    assert_figure(get(facts, "UKR_RAADIG"), 2, 6)


def test_subsidised_work_is_available_but_not_in_work(facts):
    # alder 50-66 in June: U5 (53, loentilskud) and U7 (63, kontanthjaelp)
    assert_figure(get(facts, "UKR_BESK", breakdown="alder", value="50-66"), 0, 2)
    assert_figure(get(facts, "UKR_RAADIG", breakdown="alder", value="50-66"), 0, 1)


def test_overgangsydelse_makes_available_without_counting_as_work(facts):
    # alder 30-49 in June: U1 (38, works), U2 (33, overgangsydelse), U6 (43, overgangsydelse)
    assert_figure(get(facts, "UKR_BESK", breakdown="alder", value="30-49"), 1, 3)
    assert_figure(get(facts, "UKR_RAADIG", breakdown="alder", value="30-49"), 1, 3)
    # opholdstid 6-11 months: U5 (10, loentilskud) and U6 (9, overgangsydelse), neither in work
    assert_figure(get(facts, "UKR_RAADIG", breakdown="opholdstid", value="6-11"), 0, 2)


def test_arrival_mid_month_counts_from_the_month_of_the_permit(facts):
    # U2 arrives 2023-06-12 with a permit of 2023-06-20: in June (0 months: '0-2'), not in May.
    assert_figure(get(facts, "UKR_BESK", breakdown="opholdstid", value="0-2"), 0, 1)
    assert_figure(get(facts, "UKR_RAADIG", breakdown="opholdstid", value="0-2"), 0, 1)
    # May 101: U1 U4 U5 U6 U7 U8 U10 U13 = 8, working U1 and U8; U2 would make 9.
    assert_figure(get(facts, "UKR_BESK", "2023M05"), 2, 8)


def test_child_turning_18_counts_from_the_month_of_the_birthday(facts):
    # U3 turns 18 on 2023-06-15: alder 18-29 in June is U3 (works) and U13 (28, 0 h) → 1/2;
    # in May U3 is 17 and out although working: 18-29 in May is U13 alone.
    assert_figure(get(facts, "UKR_BESK", breakdown="alder", value="18-29"), 1, 2)
    assert_figure(get(facts, "UKR_BESK", "2023M05", breakdown="alder", value="18-29"), 0, 1)
    assert_figure(get(facts, "UKR_BESK", breakdown="koen", value="m"), 1, 2)  # U3, U5


def test_age_67_on_the_last_day_is_out(facts):
    # U8 is 66 on 2023-05-31 (in, works) and 67 on 2023-06-30 (out): May alder 50-66 is
    # U5 U7 U8 → 1/3; in June U8 is gone (see the 50-66 test above: 0/2).
    assert_figure(get(facts, "UKR_BESK", "2023M05", breakdown="alder", value="50-66"), 1, 3)


def test_mover_counts_in_the_municipality_of_the_last_day(facts):
    # U4 moves 101 → 147 on 2023-06-15, works 60 h in June and had selvforsørgelse from 101:
    # June in 147, May in 101 (available through selvforsørgelse, not working).
    assert_figure(get(facts, "UKR_BESK", code="147"), 1, 1)
    assert_figure(get(facts, "UKR_RAADIG", code="147"), 1, 1)
    # May 101 available: U1 U8 (work), U4 U10 (selvforsørgelse) → 2/4
    assert_figure(get(facts, "UKR_RAADIG", "2023M05"), 2, 4)


def test_emigrant_and_permit_after_the_month_are_out(facts):
    # Country June: 101 2/7 + 147 1/1 = 3/8 (U10 left on 06-20, U12's permit is of July,
    # U11 is a child, U9 a refugee).
    assert_figure(get(facts, "UKR_BESK", code="DK", level="land"), 3, 8)
    assert_figure(get(facts, "UKR_RAADIG", code="DK", level="land"), 3, 7)


def test_opholdstid_is_completed_months_since_the_permit(facts):
    # June: U1 (2022-04-10: 14), U3 (2022-03-25: 15), U7 (2022-04-01: 14) → 12-17, U1 U3 work.
    assert_figure(get(facts, "UKR_BESK", breakdown="opholdstid", value="12-17"), 2, 3)
    # U13's permit of 2023-03-31 has 3 months on 2023-06-30 ('3-5') and 2 on 2023-05-31 ('0-2')
    assert_figure(get(facts, "UKR_BESK", breakdown="opholdstid", value="3-5"), 0, 1)
    assert_figure(get(facts, "UKR_BESK", "2023M05", breakdown="opholdstid", value="0-2"), 0, 1)
    assert get(facts, "UKR_BESK", breakdown="koen", value="k")["denominator"] == 5


def test_quarter_sums_person_months(facts):
    # April 101: U1 U4 U5 U6 U7 U8 U10 U13 = 8, nobody working, nobody available.
    # Q2 BESK = (0+2+2)/(8+8+7); RAADIG = (0+2+2)/(0+4+6).
    assert_figure(get(facts, "UKR_BESK", "2023M04"), 0, 8)
    assert_figure(get(facts, "UKR_RAADIG", "2023M04"), 0, 0)
    assert_figure(get(facts, "UKR_BESK", "2023Q2"), 4, 23)
    assert_figure(get(facts, "UKR_RAADIG", "2023Q2"), 4, 10)


def test_displaced_people_are_not_refugees_for_mm13(facts):
    # Of everybody in 101 only the refugee U9 is in goal 3's population.
    assert_figure(get(facts, "MM13"), 1, 1)


def test_small_counts_are_suppressed_and_recent_months_provisional(folder):
    facts = compute(folder, 2023)  # the published threshold 5
    row = get(facts, "UKR_BESK")  # 2 of 7
    assert row["suppressed"] is True and row["value"] is None and row["numerator"] is None
    assert get(facts, "UKR_RAADIG", code="147")["suppressed"] is True
    # data end in 2023-12 (builders' filler): Oct-Dec provisional, June not
    assert get(facts, "UKR_BESK")["provisional"] is False
    assert get(facts, "UKR_BESK", "2023M10")["provisional"] is True
