"""Danish number and period formats: the one place for analysis texts, charts, pages and files."""

from __future__ import annotations

import math

from jobmaal.periods import Period, PeriodError, survey_window_da

SUPPRESSED_DA = "Diskretioneret"
MISSING_DA = "Ingen data"


def _missing(value: float | None) -> bool:
    """No number: None, NaN, or anything that is not a number (a template's empty string)."""
    if isinstance(value, bool) or not isinstance(value, int | float):
        return True
    return isinstance(value, float) and math.isnan(value)


def decimal(value: float | None, digits: int = 1) -> str:
    """12.345 → '12,3'; thousands with '.': 12345.6 → '12.345,6'."""
    if _missing(value):
        return "–"
    text = f"{value:,.{digits}f}"
    return text.replace(",", "\u0000").replace(".", ",").replace("\u0000", ".")


def count(value: float | None) -> str:
    """12345 → '12.345'."""
    return decimal(value, 0)


def pct(value: float | None, *, suppressed: bool = False) -> str:
    """A percentage as Danish text: '12,3 pct.'; suppressed and missing said in words."""
    if suppressed:
        return SUPPRESSED_DA
    if _missing(value):
        return MISSING_DA
    return f"{decimal(value)} pct."


def change_pp(value: float | None) -> str:
    """A change in percentage points: '+1,2 pct.-point'."""
    if _missing(value):
        return "–"
    text = decimal(value)
    if text in ("0,0", "-0,0"):
        return "0,0 pct.-point"
    return f"{'+' if value > 0 else ''}{text} pct.-point"


def period_label(code: str, short: bool = False, survey_round: bool = False) -> str:
    """A period code in Danish; with `survey_round`, a half-year is shown as the recruitment
    survey's posting window it codes ("dec. 2021–maj 2022")."""
    try:
        period = Period.parse(code)
    except PeriodError:
        return code
    if survey_round and period.kind == "half_year":
        return survey_window_da(period)
    return period.label_da(short=short)
