"""Danish text for period codes and values, as a reader of the charts sees it."""

from __future__ import annotations

from jobmaal import formats
from jobmaal.charts.theme import TIME_LOCALE
from jobmaal.periods import Period, survey_window_da

_KIND_LETTER_DA = {"quarter": "K", "half_year": "H"}


def period_label(code: str, survey_round: bool = False) -> str:
    """'2023M01' → 'jan. 2023', '2023Q1' → '2023 K1', '2023H1' → '2023 H1', '2023' → '2023';
    with `survey_round` a half-year is its posting window, '2023H1' → 'dec. 2022–maj 2023'."""
    period = Period.parse(code)
    if survey_round and period.kind == "half_year":
        return survey_window_da(period)
    if period.kind == "month":
        return f"{TIME_LOCALE['shortMonths'][period.index - 1]} {period.year}"
    if period.kind == "year":
        return str(period.year)
    return f"{period.year} {_KIND_LETTER_DA[period.kind]}{period.index}"


def period_sort_key(code: str) -> tuple[int, int]:
    """Chronological order of codes of one kind (by first month)."""
    period = Period.parse(code)
    return (period.year, period.first_month)


def format_number(value: float, decimals: int = 1) -> str:
    """12345.67 → '12.345,7' (Danish grouping and decimal comma; see jobmaal.formats)."""
    return formats.decimal(value, decimals)
