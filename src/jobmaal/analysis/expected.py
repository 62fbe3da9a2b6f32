"""Expected level: what a municipality's figure would be given its framework conditions.

Model (this project's reading): across the municipalities with a shown value for the period, a
binomial GLM with logit link (statsmodels; the share numerator/denominator as the response,
the denominators as the number of trials, `var_weights`) of the share on a constant and the
chosen framework variables of the period's year. Each municipality gets one pseudo-trial at the
overall share Σnum/Σden (`PSEUDO_TRIALS`): (num + p̄)/(den + 1) on den + 1 trials, so that months
where many small municipalities count 0 still have a finite fit (without it the zero group's
coefficients run off to −∞ and Odense's MM17 got "0,0 %, interval 0,0–100,0"); on a
municipality of 80 persons it moves the share by at most 1/81 of the distance to p̄.
A share must stay a share: a straight line in
percent predicted −0,4 % for Odense's MM17 in 2023M04 with an interval cut at 0,0–2,6.

Per municipality: actual, expected = 100·expit(η̂), a 90 % prediction interval for a new
observation at its conditions, and gap = actual − expected in percentage points.

The interval is computed on the link scale and transformed back, so 0 < lower ≤ expected ≤
upper < 100 always holds and nothing is clipped:

    η̂ ± t(0.95, n − k) · sqrt(x'Σx + φ / (m·p̂·(1 − p̂)))

with Σ the coefficients' covariance, p̂ = expit(η̂), m the municipality's denominator + 1 (the
median of the fitted ones + 1 where it is unknown or 0) and φ the Pearson dispersion
(quasi-binomial, never below 1: municipalities differ more than coin flips do). The second term
is the delta-method variance of a new logit share of m trials. R² is the weighted R² of the
fitted shares (weights = denominators).

A municipality without a shown value (suppressed, denominator 0 or no row) still gets an
expected value, but no actual and no gap. With fewer than (number of variables + 3) usable
municipalities, or fewer than that many above 0 % (or below 100 %), there is no fit: the result
is empty and says why. A month where the shown municipalities are nearly all at 0 (the ones
with 1–4 are hidden) has nothing to fit a share on: in Odense's MM17 2023M04 only 2 of 63 were
above 0, and a fit through them put Odense at 0,0 % with an interval of 0–100 %.
"""

from __future__ import annotations

import math
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass

import numpy as np
import pandas as pd
import statsmodels.api as sm
from scipy.special import expit
from scipy.stats import spearmanr
from scipy.stats import t as student_t

from jobmaal.analysis.lookup import select
from jobmaal.analysis.peers import FrameworkError, framework_matrix
from jobmaal.facts import TOTAL_BREAKDOWN
from jobmaal.periods import Period

INTERVAL = 0.90
PSEUDO_TRIALS = 1.0  # added to each municipality's denominator, at the overall share


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
                    variables: Sequence[str], breakdown: tuple[str, str] = TOTAL_BREAKDOWN,
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
    index = shown["area_code"].astype(int).to_numpy()
    trials = pd.Series(shown["denominator"].to_numpy(dtype=float), index=index)
    successes = pd.Series(shown["numerator"].to_numpy(dtype=float), index=index)
    # An imported figure may carry value and denominator only: its numerator follows from them.
    from_value = pd.Series(shown["value"].to_numpy(dtype=float), index=index) * trials / 100
    successes = successes.fillna(from_value)
    usable = trials.index[successes.notna() & (trials > 0)].intersection(conditions.index)
    usable = usable.sort_values()
    needed = len(variables) + 3
    if len(usable) < needed:
        return empty(f"only {len(usable)} municipalities with a shown value; the model of "
                     f"{len(variables)} variables needs at least {needed}", len(usable))
    share = (successes.loc[usable] / trials.loc[usable]).to_numpy()
    m = trials.loc[usable].to_numpy()
    events, non_events = int((share > 0).sum()), int((share < 1).sum())
    if min(events, non_events) < needed:
        which = "above 0 %" if events < non_events else "below 100 %"
        return empty(f"only {min(events, non_events)} of the {len(usable)} municipalities with a "
                     f"shown value are {which}; the model of {len(variables)} variables needs at "
                     f"least {needed}", len(usable))

    # One pseudo-trial at the overall share per municipality keeps every share strictly inside
    # (0, 1), so the likelihood has a finite maximum even when many months are 0 (a zero-count
    # group would otherwise drive its coefficients to −∞ and its expected level to exactly 0).
    overall = float(successes.loc[usable].sum() / trials.loc[usable].sum())
    smoothed = (share * m + PSEUDO_TRIALS * overall) / (m + PSEUDO_TRIALS)
    X = sm.add_constant(conditions.loc[usable].to_numpy(dtype=float), has_constant="add")
    fit = sm.GLM(smoothed, X, family=sm.families.Binomial(), var_weights=m + PSEUDO_TRIALS).fit()
    df_resid = max(float(fit.df_resid), 1.0)
    dispersion = max(1.0, float(fit.pearson_chi2) / df_resid)
    r2 = _weighted_r2(share, fit.fittedvalues, m)
    n = len(usable)

    codes = conditions.index
    m_all = trials.reindex(codes)
    m_all = m_all.where(m_all > 0, float(np.median(m))).to_numpy() + PSEUDO_TRIALS
    X_all = sm.add_constant(conditions.to_numpy(dtype=float), has_constant="add")
    eta = X_all @ fit.params
    cov = fit.cov_params() * dispersion  # fit's own scale is 1 (binomial)
    var_eta = np.einsum("ij,jk,ik->i", X_all, cov, X_all)
    p_hat = expit(eta)
    with np.errstate(divide="ignore"):  # p̂ of 0 or 1 in float: an unbounded interval, 0–100
        var_new = dispersion / (m_all * p_hat * (1.0 - p_hat))
    half = student_t.ppf(0.5 + INTERVAL / 2, df_resid) * np.sqrt(var_eta + var_new)
    mean, lower, upper = 100 * p_hat, 100 * expit(eta - half), 100 * expit(eta + half)
    actuals = (100 * successes / trials.where(trials > 0)).to_dict()
    weights = trials.to_dict()
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


def _weighted_r2(share: np.ndarray, fitted: np.ndarray, weights: np.ndarray) -> float:
    """1 − Σw(y − ŷ)² / Σw(y − ȳw)²; NaN when all shares are equal."""
    mean = np.average(share, weights=weights)
    total = float(np.sum(weights * (share - mean) ** 2))
    if total == 0:
        return math.nan
    return 1.0 - float(np.sum(weights * (share - fitted) ** 2)) / total


def effect_recovery(gaps: Mapping[int, float], truth: Mapping[int, float]) -> float:
    """Spearman rank correlation between gaps and a true effect over their common codes
    (NaN with fewer than 3 in common)."""
    common = sorted(set(gaps) & set(truth))
    if len(common) < 3:
        return math.nan
    rho = spearmanr([gaps[c] for c in common], [truth[c] for c in common]).statistic
    return float(rho)
