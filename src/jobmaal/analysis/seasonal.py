"""Seasonally adjusted monthly series (STL, statsmodels), so that a January rise is not taken
for progress.

STL needs a complete series, and a hidden (suppressed) or missing month is never filled in
or read as 0. So only the newest contiguous stretch of shown months is adjusted, and only when
it covers at least two full years (24 months); otherwise there is no adjusted line and the
reason says why. The adjusted value of a month is the observed value less STL's seasonal
component (trend + remainder), with a robust fit so one odd month does not bend the season.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np
from statsmodels.tsa.seasonal import STL

from jobmaal.periods import Period

MIN_MONTHS = 24  # two full years: STL with a 12-month period needs at least two cycles
ADJUSTED_LABEL = "Sæsonkorrigeret"


@dataclass(frozen=True)
class SeasonalAdjustment:
    """Adjusted values by month code (only the adjusted stretch), or why there are none."""

    values: dict[str, float] = field(default_factory=dict)
    reason: str | None = None  # Danish, set when `values` is empty

    @property
    def adjusted(self) -> bool:
        return bool(self.values)


def seasonally_adjust(points: list[tuple[str, float | None]]) -> SeasonalAdjustment:
    """Adjust a monthly series given as (month code, value or None for hidden/missing)."""
    if not points or any(Period.parse(code).kind != "month" for code, _ in points):
        return SeasonalAdjustment(reason="Sæsonkorrigering findes kun for månedstal.")
    stretch = _newest_stretch(sorted(points, key=lambda p: Period.parse(p[0]).start))
    if len(stretch) < MIN_MONTHS:
        return SeasonalAdjustment(reason=(
            f"Ingen sæsonkorrigeret linje: den kræver mindst {MIN_MONTHS} måneder i træk med "
            f"viste tal (to hele år), og den nyeste sammenhængende strækning er "
            f"{len(stretch)} {'måned' if len(stretch) == 1 else 'måneder'}."))
    observed = np.array([value for _, value in stretch], dtype=float)
    fit = STL(observed, period=12, robust=True).fit()
    adjusted = observed - fit.seasonal
    return SeasonalAdjustment(values={code: float(v) for (code, _), v in zip(stretch, adjusted,
                                                                             strict=True)})


def _newest_stretch(points: list[tuple[str, float | None]]) -> list[tuple[str, float]]:
    """The newest run of consecutive months that all have a value."""
    run: list[tuple[str, float]] = []
    previous: Period | None = None
    for code, value in points:
        period = Period.parse(code)
        shown = value is not None and not np.isnan(value)
        if not shown or (previous is not None and previous.shift(1) != period):
            run = []
        if shown:
            run.append((code, float(value)))
        previous = period
    return run
