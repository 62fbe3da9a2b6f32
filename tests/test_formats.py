import math
from datetime import UTC, date, datetime

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


def test_plain_numbers_have_a_decimal_comma_and_no_grouping():
    assert formats.plain(1.5) == "1,5"
    assert formats.plain(47.0) == "47"
    assert formats.plain(2023) == "2023"
    assert formats.plain(None) == "–"


def test_years_never_get_a_thousands_separator():
    assert formats.year(2023) == "2023"
    assert formats.year("2024") == "2024"
    assert formats.year(None) == ""


def test_dates_are_danish_with_short_or_long_month():
    assert formats.date_da(date(2026, 12, 4)) == "4. dec. 2026"
    assert formats.date_da(date(2026, 5, 1)) == "1. maj 2026"
    assert formats.date_da(date(2026, 12, 4), long=True) == "4. december 2026"
    assert formats.date_da(None) == "–"


def test_times_are_copenhagen_local_time_in_summer_and_winter():
    winter = datetime(2026, 12, 4, 13, 48, 31, tzinfo=UTC)  # CET = UTC+1
    summer = datetime(2026, 6, 30, 22, 5, tzinfo=UTC)  # CEST = UTC+2, next day in Denmark
    assert formats.datetime_da(winter) == "4. dec. 2026 kl. 14.48"
    assert formats.datetime_da(winter, seconds=True) == "4. dec. 2026 kl. 14.48.31"
    assert formats.datetime_da(summer, long=True) == "1. juli 2026 kl. 00.05"
    assert formats.date_da(summer) == "1. jul. 2026"
    assert formats.time_da(winter) == "14.48"
    assert formats.datetime_da(None) == "–"


def test_short_period_labels_for_chart_axes():
    assert formats.period_label("2022H1", short=True) == "1. halvår 2022"
    assert formats.period_label("2022Q4", short=True) == "4. kvt. 2022"
    assert formats.period_label("2022M03", short=True) == "mar. 2022"
    assert formats.period_label("2022", short=True) == "2022"
