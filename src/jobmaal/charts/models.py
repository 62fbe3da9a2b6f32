"""The plain records chart functions take: no Django, no pandas."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Literal

SeriesRole = Literal["kommune", "jobcenter", "rar", "region", "land", "sammenlignelige", "forventet",
                     "saesonkorrigeret",
                     "valgt1", "valgt2", "valgt3", "valgt4", "valgt5", "valgt6", "valgt7",
                     "valgt8", "valgt9", "valgt10"]  # valgtN: the comparison page's chosen


@dataclass(frozen=True)
class TrendPoint:
    """One period of a series. `value` None with `suppressed` False means no data."""

    period: str  # Jobindsats code: 2023M01, 2023Q1, 2023H1, 2023
    value: float | None
    suppressed: bool = False


@dataclass(frozen=True)
class TrendSeries:
    """One line: `name` is the legend text, `role` picks its colour and dash (see theme)."""

    name: str
    role: SeriesRole
    points: tuple[TrendPoint, ...] | list[TrendPoint] = field(default_factory=tuple)


@dataclass(frozen=True)
class RankRow:
    """One bar of a ranking."""

    code: int  # municipality code, e.g. 101
    name: str
    value: float | None
    suppressed: bool = False
