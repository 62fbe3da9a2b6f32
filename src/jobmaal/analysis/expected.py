"""Expected level: what a municipality's figure would be given its framework conditions.

Model (this project's reading): across the municipalities with a shown value for the period,
a weighted least squares fit (statsmodels WLS, weight = the municipality's denominator) of
value (percent) on a constant and the chosen framework variables of the period's year. Per
municipality: actual, expected (the fitted/predicted value), a 90 % prediction interval for a
new observation at its conditions, and gap = actual − expected in percentage points. R² is
the weighted R² of the fit.

A municipality without a shown value (suppressed, denominator 0 or no row) still gets an
expected value, but no actual and no gap. The width of a prediction interval depends on the
weight; where the denominator is unknown (suppressed) or 0, the median weight of the fitted
municipalities is used. With fewer than (number of variables + 3) usable municipalities there
is no fit: the result is empty and says why.
"""

from __future__ import annotations

import math
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass

import numpy as np
import pandas as pd
import statsmodels.api as sm
from scipy.stats import spearmanr

from jobmaal.analysis.lookup import TOTAL, select
from jobmaal.analysis.peers import FrameworkError, framework_matrix
from jobmaal.periods import Period

INTERVAL = 0.90


@dataclass(frozen=True)
class Expected:
    code: int
    actual: float | None
    expected: float
    lower: float
    upper: float
    gap: float | None
    denominator: float | None
    r_squared: float
    n: int


@dataclass(frozen=True)
class ExpectedLevels:
    """The fit of one indicator and period; iterates over its rows like a list.

    `reason` says why `rows` is empty (too few municipalities, no framework for the year)."""

    indicator: str
    period: str
    variables: tuple[str, ...]
    rows: tuple[Expected, ...]
    r_squared: float | None
    n: int
    coefficients: Mapping[str, float]
    reason: str | None = None

    def __iter__(self) -> Iterator[Expected]:
        return iter(self.rows)

    def __len__(self) -> int:
        return len(self.rows)

    def __getitem__(self, i: int) -> Expected:
        return self.rows[i]

    def gaps(self) -> dict[int, float]:
        """Gap per municipality code, for municipalities with an actual value."""
        return {r.code: r.gap for r in self.rows if r.gap is not None}


def expected_levels(facts: pd.DataFrame, framework: pd.DataFrame, indicator: str, period: str,
                    variables: Sequence[str], breakdown: tuple[str, str] = TOTAL,
                    conditions: pd.DataFrame | None = None) -> ExpectedLevels:
    """Fit the model of the module docstring and return one row per municipality.

    `conditions` may pass the period year's `framework_matrix` when fitting many indicators
    and periods of one year, so it is built once."""
    variables = tuple(variables)
    year = Period.parse(period).year

    def empty(reason: str, n: int = 0) -> ExpectedLevels:
        return ExpectedLevels(indicator, period, variables, (), None, n, {}, reason)

    if conditions is None:
        try:
            conditions = framework_matrix(framework, year, variables)
        except FrameworkError as exc:
            return empty(str(exc))
    rows = select(facts, indicator, period=period, area_level="kommune", breakdown=breakdown)
    shown = rows.loc[~rows["suppressed"].astype(bool)]
    actual = pd.Series(shown["value"].to_numpy(dtype=float),
                       index=shown["area_code"].astype(int).to_numpy())
    weight = pd.Series(shown["denominator"].to_numpy(dtype=float), index=actual.index)
    usable = actual.index[actual.notna() & (weight > 0)].intersection(conditions.index)
    usable = usable.sort_values()
    needed = len(variables) + 3
    if len(usable) < needed:
        return empty(f"only {len(usable)} municipalities with a shown value; the model of "
                     f"{len(variables)} variables needs at least {needed}", len(usable))

    X = sm.add_constant(conditions.loc[usable].to_numpy(dtype=float), has_constant="add")
    fit = sm.WLS(actual.loc[usable].to_numpy(), X, weights=weight.loc[usable].to_numpy()).fit()
    with np.errstate(invalid="ignore", divide="ignore"):  # all values equal: R² is NaN, said as None
        r2 = float(fit.rsquared)
    n = int(fit.nobs)

    codes = conditions.index
    w_all = weight.reindex(codes)
    w_all = w_all.where(w_all > 0, float(np.median(weight.loc[usable])))
    X_all = sm.add_constant(conditions.to_numpy(dtype=float), has_constant="add")
    frame = fit.get_prediction(X_all, weights=w_all.to_numpy()).summary_frame(alpha=1 - INTERVAL)
    mean = frame["mean"].to_numpy()
    # Values are percentages: an interval reaching below 0 or above 100 is cut there.
    lower = np.clip(frame["obs_ci_lower"].to_numpy(), 0.0, 100.0)
    upper = np.clip(frame["obs_ci_upper"].to_numpy(), 0.0, 100.0)
    actuals = actual.to_dict()
    weights = weight.to_dict()
    out = []
    for i, code in enumerate(codes):
        own = actuals.get(code)
        own = None if own is None or math.isnan(own) else float(own)
        exp = float(mean[i])
        den = weights.get(code)
        out.append(Expected(
            code=int(code), actual=own, expected=exp,
            lower=float(lower[i]), upper=float(upper[i]),
            gap=None if own is None else own - exp,
            denominator=None if den is None or math.isnan(den) else float(den),
            r_squared=r2, n=n,
        ))
    names = ("const", *variables)
    coefficients = {name: float(b) for name, b in zip(names, fit.params, strict=True)}
    return ExpectedLevels(indicator, period, variables, tuple(out), r2, n, coefficients)


def effect_recovery(gaps: Mapping[int, float], truth: Mapping[int, float]) -> float:
    """Spearman rank correlation between gaps and a true effect over their common codes
    (NaN with fewer than 3 in common)."""
    common = sorted(set(gaps) & set(truth))
    if len(common) < 3:
        return math.nan
    rho = spearmanr([gaps[c] for c in common], [truth[c] for c in common]).statistic
    return float(rho)
