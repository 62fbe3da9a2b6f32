from datetime import date

import pytest

from jobmaal.formats import period_label
from jobmaal.periods import (
    Period,
    PeriodError,
    all_periods_of_year,
    period_window_da,
    survey_window,
    survey_window_da,
)


@pytest.mark.parametrize("code", ["2023M01", "2023M12", "2023Q1", "2023Q4", "2023H1", "2023H2", "2023"])
def test_codes_round_trip(code):
    assert Period.parse(code).code == code


@pytest.mark.parametrize("code", ["2023M1", "2023M13", "2023Q5", "2023H3", "23", "2023-01", "", "2023M00"])
def test_bad_codes_are_refused(code):
    with pytest.raises(PeriodError):
        Period.parse(code)


def test_first_and_last_day():
    assert Period.parse("2024M02").end == date(2024, 2, 29)
    assert Period.parse("2023M02").end == date(2023, 2, 28)
    assert Period.parse("2023Q2").start == date(2023, 4, 1)
    assert Period.parse("2023Q2").end == date(2023, 6, 30)
    assert Period.parse("2023H2").start == date(2023, 7, 1)
    assert Period.parse("2023").end == date(2023, 12, 31)


def test_same_period_a_year_earlier():
    assert Period.parse("2023M03").year_earlier().code == "2022M03"
    assert Period.parse("2023Q4").year_earlier().code == "2022Q4"
    assert Period.parse("2023").year_earlier().code == "2022"


def test_three_months_ending_in_january_cross_the_year():
    codes = [p.code for p in Period.parse("2022M01").months_ending(3)]
    assert codes == ["2021M11", "2021M12", "2022M01"]
    assert [p.code for p in Period.parse("2023Q1").months_ending(3)] == ["2023M01", "2023M02", "2023M03"]


def test_shift_and_contains():
    assert Period.parse("2023M12").shift(1).code == "2024M01"
    assert Period.parse("2023Q1").shift(-1).code == "2022Q4"
    assert Period.parse("2023H1").contains(Period.parse("2023M06"))
    assert not Period.parse("2023H1").contains(Period.parse("2023M07"))
    assert [m.code for m in Period.parse("2023Q3").months()] == ["2023M07", "2023M08", "2023M09"]


def test_a_year_has_19_periods():
    assert len(all_periods_of_year(2023)) == 12 + 4 + 2 + 1


@pytest.mark.parametrize(("code", "label", "short"), [
    ("2023M01", "januar 2023", "jan. 2023"),
    ("2023M05", "maj 2023", "maj 2023"),
    ("2023Q3", "3. kvt. 2023", "3. kvt. 2023"),
    ("2023H2", "2. halvår 2023", "2. halvår 2023"),
    ("2023", "2023", "2023"),
])
def test_danish_labels(code, label, short):
    assert Period.parse(code).label_da() == label
    assert Period.parse(code).label_da(short=True) == short


@pytest.mark.parametrize(("code", "first", "last", "text"), [
    ("2022H1", "2021M12", "2022M05", "dec. 2021–maj 2022"),
    ("2022H2", "2022M06", "2022M11", "jun.–nov. 2022"),
    ("2021H2", "2021M06", "2021M11", "jun.–nov. 2021"),
])
def test_a_survey_round_is_coded_by_the_half_year_its_posting_window_ends_in(code, first, last, text):
    window = survey_window(Period.parse(code))
    assert (window[0].code, window[1].code) == (first, last)
    assert survey_window_da(Period.parse(code)) == text
    assert period_label(code, survey_round=True) == text
    assert period_label(code) == Period.parse(code).label_da()  # calendar half-year otherwise
    assert period_window_da(code) == text


@pytest.mark.parametrize("code", ["2022M05", "2022Q1", "2022", "i_alt", ""])
def test_a_code_that_is_no_half_year_has_no_survey_window(code):
    assert period_window_da(code) is None


def test_only_a_half_year_codes_a_survey_round():
    with pytest.raises(PeriodError):
        survey_window(Period.parse("2022Q1"))
    assert period_label("2022Q1", survey_round=True) == "1. kvt. 2022"
