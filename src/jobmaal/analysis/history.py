"""An area's own past: the same period a year earlier, the change in percentage points, and
the 12-month trend of a monthly measure.

Rule of this module: a rolling 12-month figure is Σnumerator/Σdenominator over the 12 months
ending in the month, and exists only when all 12 months are in the facts and none of them is
suppressed; otherwise it is None. (Pooling the shown months only would hide a suppressed month
inside a sum that can then be compared with its neighbour and subtracted.) Since every shown
month has counts of 0 or at least the threshold, such a sum never needs suppressing itself.
"""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd

from jobmaal.analysis.lookup import AnalysisError, indicator_info, number, select
from jobmaal.facts import TOTAL_BREAKDOWN
from jobmaal.periods import Period

ROLLING_MONTHS = 12


class NotMonthlyError(AnalysisError):
    """A 12-month trend was asked for an indicator without monthly figures."""

    def __init__(self, indicator: str):
        super().__init__(f"{indicator} has no monthly figures, so no 12-month trend")
        self.indicator = indicator


@dataclass(frozen=True)
class PeriodFigure:
    """One area's figure in one period; numbers are None where suppressed or missing."""

    period: str
    numerator: float | None
    denominator: float | None
    value: float | None
    suppressed: bool
    provisional: bool
    missing: bool = False


@dataclass(frozen=True)
class TrendPoint:
    """A month: its own figure and the rolling 12 months ending in it (None: not computable)."""

    period: str
    month: PeriodFigure
    rolling_numerator: float | None
    rolling_denominator: float | None
    rolling_value: float | None
    rolling_provisional: bool


@dataclass(frozen=True)
class Trend:
    indicator: str
    area_level: str
    area_code: str
    points: tuple[TrendPoint, ...]


def period_figure(facts: pd.DataFrame, indicator: str, period: str, area_level: str,
                  area_code: str, breakdown: tuple[str, str] = TOTAL_BREAKDOWN) -> PeriodFigure:
    rows = select(facts, indicator, period=period, area_level=area_level,
                  area_code=str(area_code), breakdown=breakdown)
    if rows.empty:
        return PeriodFigure(period, None, None, None, False, False, missing=True)
    return _row_figure(rows.iloc[0])


def same_period_last_year(facts: pd.DataFrame, indicator: str, period: str, area_level: str,
                          area_code: str, breakdown: tuple[str, str] = TOTAL_BREAKDOWN) -> PeriodFigure:
    """The figure of the same period one year earlier (2023Q2 → 2022Q2)."""
    earlier = Period.parse(period).year_earlier().code
    return period_figure(facts, indicator, earlier, area_level, area_code, breakdown)


def change_pp(facts: pd.DataFrame, indicator: str, period: str, area_level: str,
              area_code: str, breakdown: tuple[str, str] = TOTAL_BREAKDOWN) -> float | None:
    """Value now − value a year earlier, in percentage points; None when either is missing,
    suppressed or has denominator 0."""
    now = period_figure(facts, indicator, period, area_level, area_code, breakdown)
    before = same_period_last_year(facts, indicator, period, area_level, area_code, breakdown)
    if now.value is None or before.value is None:
        return None
    return now.value - before.value


def changes_pp(facts: pd.DataFrame, indicator: str, period: str, area_level: str = "kommune",
               breakdown: tuple[str, str] = TOTAL_BREAKDOWN) -> dict[str, float | None]:
    """`change_pp` for every area of a level at once, keyed by area code."""
    earlier = Period.parse(period).year_earlier().code
    now = _values(select(facts, indicator, period=period, area_level=area_level,
                         breakdown=breakdown))
    before = _values(select(facts, indicator, period=earlier, area_level=area_level,
                            breakdown=breakdown))
    return {
        code: (v - before[code] if v is not None and before.get(code) is not None else None)
        for code, v in now.items()
    }


def trend_12m(facts: pd.DataFrame, indicator: str, area_level: str, area_code: str,
              end_period: str, breakdown: tuple[str, str] = TOTAL_BREAKDOWN) -> Trend:
    """Every month in the facts up to the last month of `end_period`, each with its rolling
    12-month figure (see the module's rule)."""
    if indicator_info(indicator, end_period).periodicity != "month":
        raise NotMonthlyError(indicator)
    end = Period.parse(end_period)
    end_month = Period.month(end.year, end.last_month)
    rows = select(facts, indicator, area_level=area_level, area_code=str(area_code),
                  breakdown=breakdown)
    by_month: dict[Period, PeriodFigure] = {}
    for _, r in rows.iterrows():
        p = Period.parse(r["period"])
        if p.kind == "month" and p <= end_month:
            by_month[p] = _row_figure(r)
    points = []
    for month in sorted(by_month):
        window = [by_month.get(month.shift(-k)) for k in range(ROLLING_MONTHS)]
        if all(f is not None and not f.suppressed and f.denominator is not None for f in window):
            num = sum(f.numerator or 0.0 for f in window)
            den = sum(f.denominator for f in window)
            value = 100.0 * num / den if den > 0 else None
            provisional = any(f.provisional for f in window)
            points.append(TrendPoint(month.code, by_month[month], num, den, value, provisional))
        else:
            points.append(TrendPoint(month.code, by_month[month], None, None, None, False))
    return Trend(indicator, area_level, str(area_code), tuple(points))


def _row_figure(r: pd.Series) -> PeriodFigure:
    suppressed = bool(r["suppressed"])
    if suppressed:
        return PeriodFigure(r["period"], None, None, None, True, bool(r["provisional"]))
    return PeriodFigure(r["period"], number(r["numerator"]), number(r["denominator"]),
                        number(r["value"]), False, bool(r["provisional"]))


def _values(rows: pd.DataFrame) -> dict[str, float | None]:
    return {
        code: (None if bool(s) else number(v))
        for code, v, s in zip(rows["area_code"], rows["value"], rows["suppressed"], strict=True)
    }
