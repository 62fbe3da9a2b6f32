"""Year-end forecast of a monthly indicator for one municipality, with a 90 % interval and the
probability that a plan's target is reached.

A year's value is Σnumerator/Σdenominator over its twelve months (person-months), so the
forecast adds forecast numerators and denominators of the months not yet shown (those after
`as_of`, and hidden months before it, which are never read as 0) to the shown ones.

Model (chosen by backtest, bench/forecast.py; docs/forecast.md):

1. Country profile. A binomial GLM (statsmodels, logit link, denominators as trials,
   quasi-binomial dispersion) of the country's monthly shares up to `as_of` on a factor of
   calendar month and a factor of year: the pooled seasonal pattern of all earlier years and
   this year's level so far. Every calendar month must have been seen once, so the series
   needs a full earlier year.
2. Municipality gap. A binomial GLM of the municipality's shown monthly shares in the last
   `WINDOW_MONTHS` months up to `as_of` with a constant only and the country's logit share of
   each month as offset: the municipality's gap to the country on the logit scale. One
   pseudo-trial at the window's share per month keeps months of 0 finite.
3. Each missing month t of the year: share p_t = expit(gap + country logit_t), the country's
   own shown share where it exists and the profile's prediction otherwise; denominator d_t =
   the municipality's denominator of the same month a year earlier, scaled by this year's
   shown denominators against the same months last year (the mean shown denominator where
   last year's month is hidden).
4. Variance of the missing numerators Σn_t: quasi-binomial month noise Σφ·d·p(1−p), plus the
   gap's and the profile's uncertainty, (Σd·p(1−p))²·(Var gap + Var country level), the months
   moving together. The 90 % interval is normal on the year's share, cut at 0 and 100. The
   denominators are taken as known.

P(target reached) is the normal probability of ending at or beyond the target in the
indicator's direction (≥ for "up", ≤ for "down").
"""

from __future__ import annotations

import math
import warnings
from dataclasses import dataclass

import numpy as np
import pandas as pd
import statsmodels.api as sm
from scipy.special import expit, logit
from scipy.stats import norm
from statsmodels.tools.sm_exceptions import PerfectSeparationWarning

from jobmaal.analysis.lookup import indicator_info, number, select
from jobmaal.facts import TOTAL_BREAKDOWN
from jobmaal.formats import decimal, pct
from jobmaal.periods import Period

INTERVAL = 0.90
WINDOW_MONTHS = 12  # months whose gap to the country estimates the municipality's level
MIN_SHOWN = 6  # shown months in the window needed for a gap
PSEUDO_TRIALS = 1.0
METHOD = "binomial GLM: country seasonal profile + municipality gap (last 12 months)"
NOT_COMPUTABLE_DA = "Kan ikke beregnes"


@dataclass(frozen=True)
class Forecast:
    """A year-end forecast; numbers are None with `reason` (Danish) when not computable."""

    indicator: str
    municipality: int
    year: int
    as_of: str
    forecast: float | None
    lower: float | None
    upper: float | None
    sd: float | None
    shown_months: int
    method: str
    reason: str | None = None
    target: float | None = None
    p_target: float | None = None

    @property
    def computable(self) -> bool:
        return self.forecast is not None


@dataclass(frozen=True)
class _Month:
    num: float | None
    den: float | None

    @property
    def shown(self) -> bool:
        return self.num is not None and self.den is not None and self.den > 0


def forecast_year(facts: pd.DataFrame, indicator: str, code: int, year: int, as_of: str, *,
                  target: float | None = None, window: int = WINDOW_MONTHS) -> Forecast:
    """Forecast the municipality's value of `indicator` in `year` as of the month `as_of`
    (see the module's model); `facts` needs the monthly rows of the municipality and the
    country for the earlier year(s) and `year`. Only months up to `as_of` are read."""
    end = Period.parse(as_of)
    info = indicator_info(indicator, f"{year}")

    def fail(reason: str, shown: int = 0) -> Forecast:
        return Forecast(indicator, int(code), year, end.code, None, None, None, None, shown,
                        METHOD, f"{NOT_COMPUTABLE_DA}: {reason}", target, None)

    if info.periodicity != "month" or info.unit != "pct":
        return fail(f"{indicator} er ikke en månedlig andel")
    if end.kind != "month" or end.year != year:
        return fail(f"prognosen gøres pr. måned i {year}, ikke pr. {end.code}")
    own = _series(facts, indicator, "kommune", str(code), end)
    country = _series(facts, indicator, "land", "DK", end)
    months = [Period.month(year, m) for m in range(1, 13)]
    shown_now = sum(own.get(p, _Month(None, None)).shown for p in months)

    profile = _country_profile(country, year)
    if profile is None:
        return fail("landets serie dækker ikke hver kalendermåned før "
                    f"{end.label_da()} (der skal mindst et helt tidligere år til)", shown_now)
    level, var_country, phi_c = profile
    window_months = [end.shift(-k) for k in range(window)]
    usable = [p for p in window_months if p in own and own[p].shown
              and p in country and country[p].shown]
    if len(usable) < MIN_SHOWN:
        return fail(f"kun {len(usable)} viste måneder af de seneste {window} "
                    f"(der skal mindst {MIN_SHOWN} til)", shown_now)
    gap, var_gap, phi = _gap(own, country, usable)

    missing = [p for p in months if not (p <= end and p in own and own[p].shown)]
    known_num = sum(own[p].num for p in months if p not in missing)
    known_den = sum(own[p].den for p in months if p not in missing)
    dens = _future_denominators(own, months, missing)
    var_noise = 0.0
    slope = 0.0
    future_num = 0.0
    for p, d in zip(missing, dens, strict=True):
        c = country.get(p)
        eta_c = logit(c.num / c.den) if c is not None and c.shown and p <= end and 0 < c.num < c.den \
            else level(p.index)
        share = float(expit(gap + eta_c))
        future_num += d * share
        spread = d * share * (1 - share)
        slope += spread
        var_noise += phi * spread
    total_den = known_den + sum(dens)
    if total_den <= 0:
        return fail("ingen personer i året", shown_now)
    value = 100 * (known_num + future_num) / total_den
    var_num = var_noise + slope ** 2 * (var_gap + var_country)
    sd = 100 * math.sqrt(var_num) / total_den
    z = norm.ppf(0.5 + INTERVAL / 2)
    lower, upper = max(0.0, value - z * sd), min(100.0, value + z * sd)
    p = target_probability(value, sd, target, info.direction)
    return Forecast(indicator, int(code), year, end.code, value, lower, upper, sd, shown_now,
                    METHOD, None, target, p)


def target_probability(value: float, sd: float, target: float | None,
                       direction: str) -> float | None:
    """P(year value reaches the target) under the normal forecast; None without a target."""
    if target is None:
        return None
    if sd <= 0:
        reached = value >= target if direction == "up" else value <= target
        return 1.0 if reached else 0.0
    below = float(norm.cdf((target - value) / sd))
    return 1.0 - below if direction == "up" else below


def _series(facts: pd.DataFrame, indicator: str, level: str, code: str,
            end: Period) -> dict[Period, _Month]:
    """The area's monthly counts up to `end`; a hidden month has None counts, never 0."""
    rows = select(facts, indicator, area_level=level, area_code=code, breakdown=TOTAL_BREAKDOWN)
    out: dict[Period, _Month] = {}
    for period, num, den, value, hidden in zip(rows["period"], rows["numerator"],
                                               rows["denominator"], rows["value"],
                                               rows["suppressed"], strict=True):
        p = Period.parse(period)
        if p.kind != "month" or p > end:
            continue
        if bool(hidden):
            out[p] = _Month(None, None)
            continue
        n, d, v = number(num), number(den), number(value)
        if n is None and v is not None and d is not None:
            n = v * d / 100  # an imported figure may carry value and denominator only
        out[p] = _Month(n, d)
    return out


def _country_profile(country: dict[Period, _Month], year: int):
    """(logit level by calendar month for `year`, its variance, dispersion) from the country
    GLM of month and year factors; None when a calendar month was never shown."""
    shown = sorted(p for p, m in country.items() if m.shown and p.year <= year)
    if {p.index for p in shown} != set(range(1, 13)) or not any(p.year == year for p in shown):
        return None
    years = sorted({p.year for p in shown})
    share = np.array([country[p].num / country[p].den for p in shown])
    trials = np.array([country[p].den for p in shown])
    share = np.clip(share, 0.5 / trials, 1 - 0.5 / trials)
    X = np.column_stack(
        [np.ones(len(shown))]
        + [[1.0 if p.index == m else 0.0 for p in shown] for m in range(2, 13)]
        + [[1.0 if p.year == y else 0.0 for p in shown] for y in years[1:]]
    )
    fit = _fit(sm.GLM(share, X, family=sm.families.Binomial(), var_weights=trials))
    phi = max(1.0, float(fit.pearson_chi2) / max(float(fit.df_resid), 1.0))
    params = np.asarray(fit.params)
    cov = np.asarray(fit.cov_params()) * phi
    year_col = 12 + years.index(year) - 1 if year != years[0] else None

    def row(month: int) -> np.ndarray:
        x = np.zeros(len(params))
        x[0] = 1.0
        if month > 1:
            x[month - 1] = 1.0
        if year_col is not None:
            x[year_col] = 1.0
        return x

    def level(month: int) -> float:
        return float(row(month) @ params)

    # The year's level is what moves all missing months together; month 1 stands for them.
    x = row(1)
    return level, float(x @ cov @ x), phi


def _gap(own: dict[Period, _Month], country: dict[Period, _Month],
         usable: list[Period]) -> tuple[float, float, float]:
    """(gap, its variance, dispersion) on the logit scale from the constant-only GLM."""
    num = np.array([own[p].num for p in usable])
    den = np.array([own[p].den for p in usable])
    c_share = np.array([country[p].num / country[p].den for p in usable])
    c_trials = np.array([country[p].den for p in usable])
    c_share = np.clip(c_share, 0.5 / c_trials, 1 - 0.5 / c_trials)
    overall = float(num.sum() / den.sum())
    share = (num + PSEUDO_TRIALS * overall) / (den + PSEUDO_TRIALS)
    if overall in (0.0, 1.0):  # every month 0 (or 100 %): the pseudo-trial keeps it finite
        share = (num + 0.5) / (den + 1.0)
    fit = _fit(sm.GLM(share, np.ones((len(usable), 1)), family=sm.families.Binomial(),
                      offset=logit(c_share), var_weights=den + PSEUDO_TRIALS))
    phi = max(1.0, float(fit.pearson_chi2) / max(float(fit.df_resid), 1.0))
    return float(fit.params[0]), float(fit.cov_params()[0, 0]) * phi, phi


def _fit(model: sm.GLM):
    # A series the model fits exactly (a flat share) makes statsmodels warn of "perfect
    # prediction"; the shares are kept inside (0, 1), so the estimates are finite. A country
    # profile with as many months as parameters (as of January) has no residual degrees of
    # freedom; its dispersion is then taken as 1.
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", PerfectSeparationWarning)
        warnings.simplefilter("ignore", RuntimeWarning)
        return model.fit()


def _future_denominators(own: dict[Period, _Month], months: list[Period],
                         missing: list[Period]) -> list[float]:
    """Denominators of the missing months: last year's same month scaled by how this year's
    shown months compare with the same months last year."""
    pairs = [(own[p].den, own[p.year_earlier()].den) for p in months
             if p not in missing and p.year_earlier() in own and own[p.year_earlier()].shown]
    ratio = sum(a for a, _ in pairs) / sum(b for _, b in pairs) if pairs and \
        sum(b for _, b in pairs) > 0 else 1.0
    shown = [m.den for m in own.values() if m.shown]
    mean_den = float(np.mean(shown)) if shown else 0.0
    out = []
    for p in missing:
        before = own.get(p.year_earlier())
        out.append(before.den * ratio if before is not None and before.shown else mean_den * ratio)
    return out


def target_call_da(p_target: float | None) -> str:
    """The probability as a Danish call: likely, uncertain or unlikely."""
    if p_target is None:
        return ""
    if p_target >= 0.8:
        return "nås sandsynligvis"
    if p_target <= 0.2:
        return "nås sandsynligvis ikke"
    return "nås måske"


def forecast_text_da(result: Forecast) -> str:
    """'Prognose for 2023: 54,1 pct. (52,0–56,3) — målet 55,0 nås sandsynligvis ikke (12 %)';
    the reason where it cannot be computed."""
    if not result.computable:
        return f"Prognose for {result.year}: {result.reason}"
    text = (f"Prognose for {result.year}: {pct(result.forecast)} "
            f"({decimal(result.lower)}–{decimal(result.upper)})")
    if result.target is not None and result.p_target is not None:
        text += (f" — målet {decimal(result.target)} {target_call_da(result.p_target)} "
                 f"(sandsynlighed {decimal(100 * result.p_target, 0)} %)")
    return text
