"""A municipality beside the areas above it, and pooled figures over a group of municipalities.

The facts already hold Σnumerator/Σdenominator for every level, so `compare_areas` only looks
them up. `pooled` builds a figure for a group that is no official area (the peers). It must
neither reveal a suppressed member nor be a biased subset: pooling only the shown members would
drop exactly those with small counts (Odense's peers on MM17 pooled to 0,0 % in 23 of 24
months). So a group with any hidden or missing member has no pooled figure ("Kan ikke
beregnes", with the reason); otherwise the figure is Σnumerator/Σdenominator over all members.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

import pandas as pd

from jobmaal.analysis.lookup import indicator_info, number, select
from jobmaal.facts import TOTAL_BREAKDOWN
from jobmaal.geography import AREA_LEVELS, Geography

GROUP_LEVEL = "gruppe"


@dataclass(frozen=True)
class AreaFigure:
    """One area's figure for one indicator, period and breakdown value.

    `value` is in percent; None where suppressed, where the denominator is 0, or where the
    facts have no row (`missing`). For a pooled group, `members` counts the municipalities of
    the group and `left_out` those hidden or missing; when any is, there is no figure and
    `reason` says why in Danish ("Kan ikke beregnes: …").
    """

    level: str
    code: str
    name: str
    numerator: float | None
    denominator: float | None
    value: float | None
    suppressed: bool
    provisional: bool
    missing: bool = False
    members: int = 1
    left_out: int = 0
    reason: str | None = None


def figure(facts: pd.DataFrame, indicator: str, period: str, level: str, code: str, name: str,
           breakdown: tuple[str, str] = TOTAL_BREAKDOWN) -> AreaFigure:
    """The facts row of one area as an AreaFigure (missing=True, no numbers, if there is none)."""
    rows = select(facts, indicator, period=period, area_level=level, area_code=str(code),
                  breakdown=breakdown)
    if rows.empty:
        return AreaFigure(level, str(code), name, None, None, None, False, False, missing=True)
    r = rows.iloc[0]
    suppressed = bool(r["suppressed"])
    return AreaFigure(
        level=level, code=str(code), name=name,
        numerator=None if suppressed else number(r["numerator"]),
        denominator=None if suppressed else number(r["denominator"]),
        value=None if suppressed else number(r["value"]),
        suppressed=suppressed, provisional=bool(r["provisional"]),
    )


def compare_areas(facts: pd.DataFrame, indicator: str, period: str, municipality_code: int,
                  geography: Geography, breakdown: tuple[str, str] = TOTAL_BREAKDOWN) -> list[AreaFigure]:
    """The municipality, its job centre, RAR area, region and the country, in that order.

    Levels at which the indicator does not exist (the catalogue's `area_levels`; REKRUT is
    only computed for RAR areas and the country) are left out, so for REKRUT a municipality
    sees its RAR area and the country.
    """
    levels = [lv for lv in AREA_LEVELS if lv in indicator_info(indicator, period).area_levels]
    out = []
    for level in levels:
        code = geography.parent_code(municipality_code, level)
        name = geography.area(level, code).name
        out.append(figure(facts, indicator, period, level, code, name, breakdown))
    return out


def pooled(facts: pd.DataFrame, indicator: str, period: str, codes: Iterable[int | str],
           breakdown: tuple[str, str] = TOTAL_BREAKDOWN, *, threshold: int,
           name: str = "Sammenlignelige kommuner") -> AreaFigure:
    """Σnumerator/Σdenominator over a group of municipalities: all of them, or no figure.

    - A member whose own figure is suppressed, or that has no row, makes the group's figure
      "Kan ikke beregnes": leaving it out would bias the pool towards the members shown, and
      pooling its hidden count would let a reader subtract the shown members and recover it.
    - The pool is suppressed when its Σnumerator or Σdenominator is 1 to threshold−1, with
      `threshold` the release's suppression threshold (from its manifest).
    - The pool is provisional when any member is.
    """
    wanted = _wanted(codes)
    rows = select(facts, indicator, period=period, area_level="kommune", breakdown=breakdown)
    rows = rows.loc[rows["area_code"].isin(wanted)]
    return _pool(rows.to_dict("records"), wanted, name, threshold)


def pooled_series(facts: pd.DataFrame, indicator: str, periods: Iterable[str],
                  codes: Iterable[int | str], breakdown: tuple[str, str] = TOTAL_BREAKDOWN, *,
                  threshold: int, name: str = "Sammenlignelige kommuner"
                  ) -> dict[str, AreaFigure]:
    """`pooled` for many periods in one pass over the rows (for trend charts)."""
    wanted = _wanted(codes)
    rows = select(facts, indicator, area_level="kommune", breakdown=breakdown)
    rows = rows.loc[rows["area_code"].isin(wanted)]
    by_period: dict[str, list[dict]] = {p: [] for p in periods}
    for row in rows.to_dict("records"):
        if row["period"] in by_period:
            by_period[row["period"]].append(row)
    return {p: _pool(members, wanted, name, threshold) for p, members in by_period.items()}


def _wanted(codes: Iterable[int | str]) -> list[str]:
    return sorted({str(c) for c in codes}, key=lambda c: (len(c), c))


def _pool(rows: list[dict], wanted: list[str], name: str, threshold: int) -> AreaFigure:
    """The pooling rule of `pooled`, on the member rows of one period."""
    code = ",".join(wanted)
    present = {str(r["area_code"]) for r in rows}
    hidden = sum(1 for r in rows if bool(r["suppressed"]))
    missing = sum(1 for c in wanted if c not in present)
    provisional = any(bool(r["provisional"]) for r in rows)
    if hidden or missing:
        return AreaFigure(GROUP_LEVEL, code, name, None, None, None, False, provisional,
                          members=len(wanted), left_out=hidden + missing,
                          reason=_reason(hidden, missing, len(wanted)))
    num = float(sum(number(r["numerator"]) or 0.0 for r in rows))
    den = float(sum(number(r["denominator"]) or 0.0 for r in rows))
    if 0 < num < threshold or 0 < den < threshold:
        return AreaFigure(GROUP_LEVEL, code, name, None, None, None, True, provisional,
                          members=len(wanted))
    value = 100.0 * num / den if den > 0 else None
    return AreaFigure(GROUP_LEVEL, code, name, num, den, value, False, provisional,
                      members=len(wanted))


def _reason(hidden: int, missing: int, size: int) -> str:
    """Why a group has no pooled figure, in Danish."""
    parts = []
    if hidden:
        parts.append(f"{hidden} af {size} kommuner er diskretioneret")
    if missing:
        parts.append(f"{missing} af {size} kommuner har ingen tal")
    return ("Kan ikke beregnes: " + " og ".join(parts)
            + ". Et samlet tal uden dem ville være skævt eller afsløre deres tal.")
