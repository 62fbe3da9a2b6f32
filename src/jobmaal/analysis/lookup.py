"""Shared look-ups for the analysis layer: facts rows, missing values, the catalogue entry.

The facts table (`jobmaal.facts`; the analysis reads its CORE_COLUMNS) as a pandas
DataFrame. Suppressed rows have numerator, denominator and value null; a value is also null
where the denominator is 0. Here every such null becomes `None`, never 0.
"""

from __future__ import annotations

import math
from typing import Any

import pandas as pd

from jobmaal.catalogue import Indicator, available_years, load_catalogue
from jobmaal.facts import CORE_COLUMNS, TOTAL_BREAKDOWN
from jobmaal.periods import Period


class AnalysisError(ValueError):
    """An analysis cannot run on the input it was given; the message says what is wrong."""


class FactsColumnsError(AnalysisError):
    """The facts DataFrame lacks columns of the facts table."""

    def __init__(self, missing: list[str]):
        super().__init__(f"facts lack the columns {missing} (expected {list(CORE_COLUMNS)})")
        self.missing = missing


class UnknownIndicatorError(AnalysisError):
    """The catalogue has no indicator of that id."""

    def __init__(self, indicator: str, year: int):
        super().__init__(f"no indicator {indicator!r} in the catalogue of {year}")
        self.indicator = indicator
        self.year = year


def check_facts(facts: pd.DataFrame) -> None:
    missing = [c for c in CORE_COLUMNS if c not in facts.columns]
    if missing:
        raise FactsColumnsError(missing)


def select(facts: pd.DataFrame, indicator: str, *, period: str | None = None,
           area_level: str | None = None, area_code: str | None = None,
           breakdown: tuple[str, str] = TOTAL_BREAKDOWN) -> pd.DataFrame:
    """The facts rows of one indicator and breakdown value, optionally of one period and area."""
    check_facts(facts)
    mask = ((facts["indicator"] == indicator) & (facts["breakdown"] == breakdown[0])
            & (facts["breakdown_value"] == breakdown[1]))
    if period is not None:
        mask &= facts["period"] == period
    if area_level is not None:
        mask &= facts["area_level"] == area_level
    if area_code is not None:
        mask &= facts["area_code"] == str(area_code)
    return facts.loc[mask]


def number(x: Any) -> float | None:
    """A float, or None for null/NaN (a missing number is never read as 0)."""
    if x is None or x is pd.NA:
        return None
    x = float(x)
    return None if math.isnan(x) else x


def indicator_info(indicator: str, period: str) -> Indicator:
    """The catalogue entry of the indicator in the period's year (nearest catalogue year if
    that year has none)."""
    year = Period.parse(period).year
    years = available_years()
    nearest = min(years, key=lambda y: (abs(y - year), -y))
    try:
        return load_catalogue(nearest).indicator(indicator)
    except KeyError:
        raise UnknownIndicatorError(indicator, nearest) from None
