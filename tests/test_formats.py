import math

import pytest

from jobmaal import formats


@pytest.mark.parametrize(("value", "digits", "text"), [
    (12.345, 1, "12,3"), (12345.67, 1, "12.345,7"), (0.0, 1, "0,0"), (-1.25, 2, "-1,25"),
    (1234567, 0, "1.234.567"), (None, 1, "–"), (math.nan, 1, "–"),
])
def test_decimal_uses_comma_and_thousands_point(value, digits, text):
    assert formats.decimal(value, digits) == text


def test_pct_says_suppressed_and_missing_in_words_never_zero():
    assert formats.pct(54.321) == "54,3 pct."
    assert formats.pct(None, suppressed=True) == "Diskretioneret"
    assert formats.pct(None) == "Ingen data"
    assert formats.pct(0.0) == "0,0 pct."


def test_change_in_percentage_points_carries_its_sign():
    assert formats.change_pp(1.24) == "+1,2 pct.-point"
    assert formats.change_pp(-0.04) == "0,0 pct.-point"
    assert formats.change_pp(-2.0) == "-2,0 pct.-point"
    assert formats.change_pp(None) == "–"


def test_period_labels_are_danish_and_unknown_codes_pass_through():
    assert formats.period_label("2023M03") == "marts 2023"
    assert formats.period_label("2023Q2") == "2. kvt. 2023"
    assert formats.period_label("nonsense") == "nonsense"


@pytest.mark.parametrize("value", ["", "12", True, object()])
def test_anything_that_is_not_a_number_is_shown_as_no_number(value):
    assert formats.decimal(value) == "–"
    assert formats.pct(value) == "Ingen data"
