"""Ranking the 98 municipalities on an indicator's level, its change or its gap to expected.

Rank 1 is best given the indicator's desired direction (the catalogue's `direction`: 'up' =
higher is better). Municipalities without a number to rank on (suppressed, denominator 0,
no row, no gap) come last, unranked (`rank` None), in code order; they are never read as 0.
Equal scores share the lower (better) rank number and the next rank skips (1, 2, 2, 4); scores
are compared rounded to 9 decimals so that float noise does not split a tie.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Literal

import pandas as pd

from jobmaal.analysis.history import changes_pp
from jobmaal.analysis.lookup import AnalysisError, indicator_info, number, select
from jobmaal.facts import TOTAL_BREAKDOWN
from jobmaal.geography import Geography, UnknownAreaError, load_geography

RankBy = Literal["level", "change", "gap"]
Direction = Literal["up", "down"]
_TIE_DECIMALS = 9


@dataclass(frozen=True)
class Ranked:
    """A municipality's place; `score` is what it is ranked on (value, change in pp or gap)."""

    rank: int | None
    code: int
    name: str
    score: float | None
    value: float | None
    suppressed: bool


def rank_municipalities(facts: pd.DataFrame, indicator: str, period: str, by: RankBy = "level",
                        direction: Direction | None = None,
                        gaps: Mapping[int, float | None] | None = None,
                        breakdown: tuple[str, str] = TOTAL_BREAKDOWN,
                        geography: Geography | None = None) -> list[Ranked]:
    """All municipalities, best first, then the unranked. `direction` defaults to the
    catalogue's; `gaps` (code → actual − expected) is needed for by='gap'."""
    info = indicator_info(indicator, period)
    if "kommune" not in info.area_levels:
        raise AnalysisError(f"{indicator} has no municipal figures to rank "
                            f"(levels: {', '.join(info.area_levels)})")
    direction = direction or info.direction
    if direction not in ("up", "down"):
        raise AnalysisError(f"direction must be 'up' or 'down', not {direction!r}")
    geography = geography or load_geography()

    rows = select(facts, indicator, period=period, area_level="kommune", breakdown=breakdown)
    suppressed = {c: bool(s) for c, s in zip(rows["area_code"], rows["suppressed"], strict=True)}
    values = {c: (None if suppressed[c] else number(v))
              for c, v in zip(rows["area_code"], rows["value"], strict=True)}
    match by:
        case "level":
            scores = values
        case "change":
            scores = changes_pp(facts, indicator, period, "kommune", breakdown)
        case "gap":
            if gaps is None:
                raise AnalysisError("ranking by gap needs the gaps (see expected_levels)")
            scores = {str(c): number(g) for c, g in gaps.items()}
        case _:
            raise AnalysisError(f"cannot rank by {by!r} (level, change or gap)")

    entries = []
    for m in geography.municipalities:
        key = str(m.code)
        entries.append((m.code, m.name, scores.get(key), values.get(key),
                        suppressed.get(key, False)))
    sign = -1.0 if direction == "up" else 1.0
    scored = sorted((e for e in entries if e[2] is not None),
                    key=lambda e: (sign * round(e[2], _TIE_DECIMALS), e[0]))
    unscored = sorted((e for e in entries if e[2] is None), key=lambda e: e[0])

    out: list[Ranked] = []
    previous: float | None = None
    rank = 0
    for position, (code, name, score, value, supp) in enumerate(scored, start=1):
        rounded = round(score, _TIE_DECIMALS)
        if rounded != previous:
            rank, previous = position, rounded
        out.append(Ranked(rank, code, name, score, value, supp))
    out.extend(Ranked(None, code, name, None, value, supp)
               for code, name, _, value, supp in unscored)
    return out


def around(ranked: list[Ranked], code: int, n: int = 5) -> list[Ranked]:
    """The municipality with up to n places above and n below it in the ranked list (fewer at
    either end of the list)."""
    for i, r in enumerate(ranked):
        if r.code == int(code):
            return ranked[max(0, i - n): i + n + 1]
    raise UnknownAreaError("kommune", code)
