"""Comparisons a municipality asks for, computed from the facts table and the framework
conditions (pandas in, frozen dataclasses out; no Django, no files).

- `areas`: the municipality beside its job centre, RAR area, region and the country
  (`compare_areas`), and a pooled figure over a group that never reveals a suppressed member
  (`pooled`).
- `history`: the same period a year earlier, the change in percentage points, and the rolling
  12-month trend of a monthly measure.
- `peers`: the k municipalities nearest in standardised framework conditions, with reasons.
- `expected`: the expected level from a weighted least squares fit on the framework
  conditions, its 90 % prediction interval and the gap; `effect_recovery` checks gaps against
  a known effect.
- `forecast`: a municipality's year-end value of a monthly share as of a month, with a 90 %
  interval and the probability of reaching a target.
- `ranking`: the 98 ranked on level, change or gap, and the places around one municipality.

Every missing or suppressed number is None, never 0.
"""

from jobmaal.analysis.areas import AreaFigure, compare_areas, figure, pooled, pooled_series
from jobmaal.analysis.expected import Expected, ExpectedLevels, effect_recovery, expected_levels
from jobmaal.analysis.forecast import Forecast, forecast_text_da, forecast_year, target_call_da
from jobmaal.analysis.history import (
    NotMonthlyError,
    PeriodFigure,
    Trend,
    TrendPoint,
    change_pp,
    changes_pp,
    period_figure,
    same_period_last_year,
    trend_12m,
)
from jobmaal.analysis.lookup import (
    AnalysisError,
    FactsColumnsError,
    UnknownIndicatorError,
)
from jobmaal.analysis.peers import (
    FrameworkError,
    Peer,
    Reason,
    nearest_peers,
    variable_labels,
)
from jobmaal.analysis.ranking import Ranked, around, rank_municipalities

__all__ = [
    "AnalysisError",
    "AreaFigure",
    "Expected",
    "ExpectedLevels",
    "FactsColumnsError",
    "Forecast",
    "FrameworkError",
    "NotMonthlyError",
    "Peer",
    "PeriodFigure",
    "Ranked",
    "Reason",
    "Trend",
    "TrendPoint",
    "UnknownIndicatorError",
    "around",
    "change_pp",
    "changes_pp",
    "compare_areas",
    "effect_recovery",
    "expected_levels",
    "figure",
    "forecast_text_da",
    "forecast_year",
    "nearest_peers",
    "period_figure",
    "pooled",
    "pooled_series",
    "rank_municipalities",
    "same_period_last_year",
    "target_call_da",
    "trend_12m",
    "variable_labels",
]
