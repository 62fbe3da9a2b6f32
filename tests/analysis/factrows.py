"""Hand-made facts rows for the analysis tests (the engine's columns, as a pandas DataFrame)."""

from __future__ import annotations

import pandas as pd

from jobmaal.facts import CORE_COLUMNS, TOTAL_BREAKDOWN


def row(indicator: str, period: str, level: str, code: str | int, num: float | None,
        den: float | None, *, suppressed: bool = False, provisional: bool = False,
        breakdown: tuple[str, str] = TOTAL_BREAKDOWN, value: float | None = None) -> dict:
    """One facts row; value = 100·num/den unless given, None where den is 0 or suppressed."""
    if suppressed:
        num = den = value = None
    elif value is None and den:
        value = 100.0 * num / den
    return dict(indicator=indicator, period=period, area_level=level, area_code=str(code),
                breakdown=breakdown[0], breakdown_value=breakdown[1], numerator=num,
                denominator=den, value=value, suppressed=suppressed, provisional=provisional)


def frame(rows: list[dict]) -> pd.DataFrame:
    df = pd.DataFrame(rows, columns=list(CORE_COLUMNS))
    for c in ("numerator", "denominator", "value"):
        df[c] = df[c].astype(float)
    return df
