"""A short national summary of a facts table, for the terminal."""

from __future__ import annotations

from dataclasses import dataclass

import pyarrow as pa
import pyarrow.compute as pc

from jobmaal.catalogue import load_catalogue
from jobmaal.facts import TOTAL


@dataclass(frozen=True)
class SummaryRow:
    indicator: str
    goal: int
    name: str
    period: str
    value: float | None
    value_year_before: float | None
    numerator: float | None
    denominator: float | None
    areas_shown: int  # areas at the base level with a value
    areas_suppressed: int
    provisional: bool


def national_summary(facts: pa.Table, year: int) -> list[SummaryRow]:
    """Country figure for the whole year (or its last half-year) per indicator, with the year
    before, and how many base areas are shown or suppressed."""
    catalogue = load_catalogue(year)
    totals = facts.filter(pc.equal(facts["breakdown"], TOTAL))
    rows = []
    for ind in catalogue.indicators:
        mine = totals.filter(pc.equal(totals["indicator"], ind.id))
        if mine.num_rows == 0:
            continue
        period = f"{year}H2" if ind.periodicity == "half_year" else str(year)
        before = f"{year - 1}H2" if ind.periodicity == "half_year" else str(year - 1)
        now = _one(mine, period, "land")
        then = _one(mine, before, "land")
        base_level = ind.area_levels[0]
        base = mine.filter(pc.and_(pc.equal(mine["period"], period),
                                   pc.equal(mine["area_level"], base_level)))
        rows.append(SummaryRow(
            indicator=ind.id, goal=ind.goal, name=ind.name_da, period=period,
            value=now.get("value"), value_year_before=then.get("value"),
            numerator=now.get("numerator"), denominator=now.get("denominator"),
            areas_shown=pc.sum(pc.is_valid(base["value"])).as_py() or 0,
            areas_suppressed=pc.sum(base["suppressed"]).as_py() or 0,
            provisional=bool(now.get("provisional")),
        ))
    return rows


def _one(table: pa.Table, period: str, level: str) -> dict:
    hit = table.filter(pc.and_(pc.equal(table["period"], period),
                               pc.equal(table["area_level"], level)))
    return hit.to_pylist()[0] if hit.num_rows else {}
