"""Plan forms take periods as the pages write them as well as codes."""

import pytest

from jobmaal.periods import PeriodError, parse_period_da


@pytest.mark.parametrize(("text", "code"), [
    ("4. kvt. 2022", "2022Q4"), ("4.kvt.2022", "2022Q4"), ("1. kvartal 2023", "2023Q1"),
    ("2. halvår 2023", "2023H2"), ("2. Halvår  2023", "2023H2"), ("2023", "2023"),
    ("januar 2023", "2023M01"), ("jan. 2023", "2023M01"), ("Maj 2023", "2023M05"),
    ("september 2023", "2023M09"), ("2023K4", "2023Q4"), ("2023q4", "2023Q4"), ("2023H1", "2023H1"),
    ("2023M06", "2023M06"),
])
def test_periods_as_pages_show_them_and_codes(text, code):
    assert parse_period_da(text).code == code


@pytest.mark.parametrize("text", ["5. kvt. 2022", "3. halvår 2023", "smarts 2023", "", "2023M13"])
def test_unknown_periods_are_refused(text):
    with pytest.raises(PeriodError):
        parse_period_da(text)
