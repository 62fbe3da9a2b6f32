"""same_period_last_year, change_pp and trend_12m on hand-made facts.

The monthly series: København (101), MM17, 24 months 2022M01 … 2023M12 numbered j = 1 … 24,
numerator 10 + j, denominator 100. The 12 months ending in month j sum to
Σ(10 + i, i = j−11 … j) = 120 + 12j − 66 = 54 + 12j over 1200, so the rolling value is
(54 + 12j) / 12 = 4.5 + j percent: 16.5 in 2022M12 (j = 12), 28.5 in 2023M12 (j = 24).
"""

from __future__ import annotations

import pytest

from jobmaal.analysis import (
    NotMonthlyError,
    change_pp,
    changes_pp,
    same_period_last_year,
    trend_12m,
)
from jobmaal.periods import Period

from .factrows import frame, row

MONTHS = [Period.month(2022, 1).shift(j - 1).code for j in range(1, 25)]


def monthly(suppress=(), drop=(), provisional=()):
    return frame([
        row("MM17", code, "kommune", 101, 10 + j, 100, suppressed=code in suppress,
            provisional=code in provisional)
        for j, code in enumerate(MONTHS, start=1) if code not in drop
    ] + [row("MM17", "2023", "kommune", 101, 342, 1200),   # a year row: not a month
         row("MM17", "2023M12", "kommune", 147, 1, 1)])    # another municipality


def rolling(trend):
    return {p.period: p.rolling_value for p in trend.points}


def test_rolling_12_months_is_sum_over_the_12_months_ending_in_each_month():
    trend = trend_12m(monthly(), "MM17", "kommune", "101", "2023")
    assert [p.period for p in trend.points] == MONTHS
    values = rolling(trend)
    assert values["2022M12"] == pytest.approx(16.5)   # 198/1200
    assert values["2023M01"] == pytest.approx(17.5)   # 210/1200
    assert values["2023M12"] == pytest.approx(28.5)   # 342/1200
    last = trend.points[-1]
    assert (last.rolling_numerator, last.rolling_denominator) == (342, 1200)
    assert last.month.value == pytest.approx(34.0)    # 2023M12 alone: 34/100


def test_months_before_a_full_year_of_history_have_no_rolling_figure():
    values = rolling(trend_12m(monthly(), "MM17", "kommune", "101", "2023"))
    assert all(values[m] is None for m in MONTHS[:11])  # 2022M01 … 2022M11


def test_trend_ends_in_the_last_month_of_end_period():
    trend = trend_12m(monthly(), "MM17", "kommune", "101", "2023Q1")
    assert trend.points[-1].period == "2023M03"
    assert trend.points[-1].rolling_value == pytest.approx(19.5)  # j = 15: 4.5 + 15


def test_a_suppressed_month_blanks_every_window_containing_it():
    trend = trend_12m(monthly(suppress={"2023M03"}), "MM17", "kommune", "101", "2023")
    values = rolling(trend)
    assert values["2023M02"] == pytest.approx(18.5)  # j = 14, window ends before March
    assert all(values[m] is None for m in MONTHS[14:])  # 2023M03 … 2023M12
    march = trend.points[14].month
    assert march.suppressed and march.value is None


def test_a_month_without_a_row_blanks_every_window_containing_it():
    values = rolling(trend_12m(monthly(drop={"2022M06"}), "MM17", "kommune", "101", "2023"))
    assert "2022M06" not in values
    assert all(values[m] is None for m in ["2022M12", "2023M01", "2023M05"])
    assert values["2023M06"] == pytest.approx(22.5)  # j = 18: window 2022M07 … 2023M06


def test_rolling_figure_is_provisional_when_a_month_in_it_is():
    trend = trend_12m(monthly(provisional={"2023M10", "2023M11", "2023M12"}),
                      "MM17", "kommune", "101", "2023")
    flags = {p.period: p.rolling_provisional for p in trend.points}
    assert (flags["2023M09"], flags["2023M10"], flags["2023M12"]) == (False, True, True)


def test_trend_of_a_yearly_measure_is_refused():
    with pytest.raises(NotMonthlyError):
        trend_12m(monthly(), "MM10", "kommune", "101", "2023")


@pytest.fixture
def quarters():
    return frame([
        row("MM13", "2023Q2", "kommune", 101, 60, 120),   # 50 %
        row("MM13", "2022Q2", "kommune", 101, 45, 100),   # 45 %
        row("MM13", "2023Q3", "kommune", 101, 50, 100),
        row("MM13", "2022Q3", "kommune", 101, None, None, suppressed=True),
        row("MM13", "2023Q4", "kommune", 101, 50, 100),
        row("MM13", "2022Q4", "kommune", 101, 0, 0),      # denominator 0: no value
        row("MM13", "2023Q2", "kommune", 147, 30, 100),   # 30 %
        row("MM13", "2022Q2", "kommune", 147, 40, 100),   # 40 %
    ])


def test_same_period_last_year_is_the_period_one_year_earlier(quarters):
    before = same_period_last_year(quarters, "MM13", "2023Q2", "kommune", "101")
    assert before.period == "2022Q2"
    assert before.value == pytest.approx(45.0)


def test_change_is_in_percentage_points(quarters):
    # 60/120 = 50 % now, 45/100 = 45 % a year earlier: +5 pp (not +11.1 %)
    assert change_pp(quarters, "MM13", "2023Q2", "kommune", "101") == pytest.approx(5.0)


def test_change_is_none_when_a_year_earlier_is_suppressed_or_empty(quarters):
    assert change_pp(quarters, "MM13", "2023Q3", "kommune", "101") is None
    assert change_pp(quarters, "MM13", "2023Q4", "kommune", "101") is None
    assert change_pp(quarters, "MM13", "2023Q2", "kommune", "151") is None  # no rows


def test_changes_for_all_municipalities_match_one_by_one(quarters):
    # 101: 50 − 45 = +5; 147: 30 − 40 = −10
    assert changes_pp(quarters, "MM13", "2023Q2") == {"101": pytest.approx(5.0),
                                                      "147": pytest.approx(-10.0)}
