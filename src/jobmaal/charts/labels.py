"""Danish text for period codes, as a reader of the charts sees it (see jobmaal.formats)."""

from __future__ import annotations

from jobmaal import formats
from jobmaal.periods import Period


def period_label(code: str, survey_round: bool = False) -> str:
    """'2023M01' → 'jan. 2023', '2023Q1' → '1. kvt. 2023', '2023H1' → '1. halvår 2023',
    '2023' → '2023'; with `survey_round` a half-year is its posting window, '2023H1' →
    'dec. 2022–maj 2023'."""
    Period.parse(code)  # a chart never gets an unknown code: fail loudly
    return formats.period_label(code, short=True, survey_round=survey_round)


def period_sort_key(code: str) -> tuple[int, int]:
    """Chronological order of codes of one kind (by first month)."""
    period = Period.parse(code)
    return (period.year, period.first_month)
