"""Seasonal adjustment (STL) on a hand-made series: a straight trend 50 + 0.1·t plus a fixed
monthly pattern that sums to 0 over the year (January +6 … July −4). Adjusting must take the
pattern out and give back the trend; hidden months are never filled in or read as 0."""

from __future__ import annotations

import pytest

from jobmaal.analysis.seasonal import MIN_MONTHS, seasonally_adjust
from jobmaal.periods import Period

SEASON = [6, 3, 0, -2, -3, -4, -4, -2, 0, 1, 2, 3]  # Jan..Dec, sum 0


def _series(months: int, start: str = "2021M01") -> list[tuple[str, float | None]]:
    first = Period.parse(start)
    points = []
    for t in range(months):
        p = first.shift(t)
        points.append((p.code, 50 + 0.1 * t + SEASON[p.index - 1]))
    return points


def test_the_adjusted_line_is_the_trend_without_the_season():
    result = seasonally_adjust(_series(36))
    assert result.adjusted and result.reason is None
    assert len(result.values) == 36
    for t, (code, _raw) in enumerate(_series(36)):
        assert result.values[code] == pytest.approx(50 + 0.1 * t, abs=0.3), code
    # The January jump of the raw series (+6 over December's +3 → a rise of 3.1) is gone.
    assert result.values["2022M01"] - result.values["2021M12"] == pytest.approx(0.1, abs=0.3)


def test_a_flat_series_stays_flat():
    points = [(Period.parse("2021M01").shift(t).code, 40.0) for t in range(24)]
    result = seasonally_adjust(points)
    assert all(v == pytest.approx(40.0, abs=1e-6) for v in result.values.values())


def test_less_than_two_full_years_gives_no_line_and_says_why():
    result = seasonally_adjust(_series(MIN_MONTHS - 1))
    assert not result.adjusted and result.values == {}
    assert "mindst 24 måneder i træk" in result.reason and "er 23 måneder" in result.reason


def test_a_hidden_month_cuts_the_series_and_only_the_newest_full_stretch_is_adjusted():
    points = _series(30)
    points[4] = (points[4][0], None)  # 2021M05 hidden: 25 shown months follow it
    result = seasonally_adjust(points)
    assert result.adjusted
    assert sorted(result.values) == [code for code, _ in points[5:]]
    assert "2021M05" not in result.values and "2021M01" not in result.values
    assert all(v > 45 for v in result.values.values())  # nothing read as 0


def test_a_hidden_month_late_leaves_too_short_a_stretch():
    points = _series(36)
    points[30] = (points[30][0], None)  # the newest stretch is then 5 months
    result = seasonally_adjust(points)
    assert not result.adjusted and "er 5 måneder" in result.reason


def test_a_missing_month_breaks_the_stretch_like_a_hidden_one():
    points = _series(36)
    del points[20]
    result = seasonally_adjust(points)
    assert not result.adjusted and "er 15 måneder" in result.reason


def test_only_monthly_series_are_adjusted():
    result = seasonally_adjust([("2023Q1", 1.0), ("2023Q2", 2.0)])
    assert not result.adjusted and "kun for månedstal" in result.reason
