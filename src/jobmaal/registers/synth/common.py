"""Small helpers shared by the generator stages: seeded streams, day numbers, calibration."""

from __future__ import annotations

import calendar
from datetime import date

import numpy as np

GENERATOR_VERSION = "1.1"  # 1.1: people displaced from Ukraine

# One number per stage, so every stage (and every municipality or month in it) draws from its
# own SeedSequence child: results never depend on how the work is chunked or ordered.
_STAGES = {
    "municipal": 1,
    "jobcentre": 2,
    "persons": 3,
    "refugees": 4,
    "spells": 5,
    "firms": 6,
    "employers": 7,
    "months": 8,
    "collaborations": 9,
    "recruitment": 10,
    "ukraine": 11,
}

OPEN = 10**6  # day number meaning "still valid" (far beyond any real date)
EMPTY = 10**6 + 1  # valid_from of an unused spell slot (so it never covers a day)


def stream(seed: int, stage: str, *keys: int) -> np.random.Generator:
    """An independent random stream for one stage (and optionally one municipality/month)."""
    return np.random.default_rng(np.random.SeedSequence(seed, spawn_key=(_STAGES[stage], *keys)))


def day_number(d: date) -> int:
    """Days since 1970-01-01, the integer form numpy uses for datetime64[D]."""
    return int(np.datetime64(d, "D").astype(np.int64))


def to_dates(days: np.ndarray, missing: int | None = None) -> np.ndarray:
    """Day numbers → datetime64[D]; values >= `missing` become NaT (null in Parquet)."""
    out = np.asarray(days, dtype=np.int64).astype("datetime64[D]")
    if missing is not None:
        out[np.asarray(days) >= missing] = np.datetime64("NaT")
    return out


def month_starts(first: date, last: date) -> list[date]:
    months = []
    y, m = first.year, first.month
    while (y, m) <= (last.year, last.month):
        months.append(date(y, m, 1))
        y, m = (y + 1, 1) if m == 12 else (y, m + 1)
    return months


def month_end(d: date) -> date:
    return date(d.year, d.month, calendar.monthrange(d.year, d.month)[1])


def sigmoid(x: np.ndarray) -> np.ndarray:
    return 1.0 / (1.0 + np.exp(-x))


def logit(p: float) -> float:
    return float(np.log(p / (1 - p)))


def calibrate(lp: np.ndarray, target: float, weights: np.ndarray | None = None,
              cap: np.ndarray | float = 1.0) -> float:
    """The intercept a with mean(weights * min(sigmoid(lp + a), cap)) = target (bisection).

    Calibrating each month's intercept on the actual population makes national levels hit
    their targets whatever the composition, while persons and municipalities keep their
    relative differences.
    """
    if lp.size == 0:
        return logit(min(max(target, 1e-4), 1 - 1e-4))
    w = np.ones(lp.size) if weights is None else weights
    lo, hi = -20.0, 20.0
    for _ in range(40):
        mid = (lo + hi) / 2
        if (w * np.minimum(sigmoid(lp + mid), cap)).mean() < target:
            lo = mid
        else:
            hi = mid
    return (lo + hi) / 2


def zscore(x: np.ndarray) -> np.ndarray:
    sd = x.std()
    return (x - x.mean()) / sd if sd > 0 else x * 0.0


def categorical(rng: np.random.Generator, n: int, weights: list[float] | np.ndarray) -> np.ndarray:
    """n draws of category indices with the given (unnormalised) weights."""
    p = np.asarray(weights, dtype=float)
    return rng.choice(p.size, size=n, p=p / p.sum()).astype(np.int8)


def string_column(codes: tuple[str, ...], index: np.ndarray):
    """A pyarrow string array from category indices (-1 = null) without Python objects."""
    import pyarrow as pa

    index = np.asarray(index)
    mask = index < 0
    indices = pa.array(np.where(mask, 0, index).astype(np.int32), mask=mask)
    return pa.DictionaryArray.from_arrays(indices, pa.array(list(codes))).cast(pa.string())
