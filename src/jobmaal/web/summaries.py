"""Written summaries for pages and documents, from the very figures the pages show.

The municipality page's blocks (`dashboards.municipality`, the dict its template renders) give
the level, change, rank, expected level and forecast; the breakdown groups are the release's
breakdown rows of the same area and period (those of the breakdown table); the target is the
plan's year target the reader may see. `analysis.summary` turns them into sentences.
"""

from __future__ import annotations

from dataclasses import replace

from jobmaal.analysis.forecast import target_probability
from jobmaal.analysis.summary import GroupFigure, SummaryFigures, summary_text_da
from jobmaal.catalogue import Indicator
from jobmaal.geography import COUNTRY_CODE, load_geography
from jobmaal.periods import Period
from jobmaal.web.dashboards import area_name, period_text
from jobmaal.web.models import Release
from jobmaal.web.queries import facts_frame


def breakdown_groups(release: Release, ind: Indicator, period: str, level: str,
                     code: str) -> list[GroupFigure]:
    """The shown breakdown groups of an area and period (hidden and empty groups left out)."""
    rows = facts_frame(release, indicators=[ind.id], periods=[period], areas=[(level, str(code))],
                       total_only=False)
    names = {b.id: b for b in ind.breakdowns}
    out = []
    for r in rows.itertuples():
        b = names.get(r.breakdown)
        if b is None or bool(r.suppressed) or r.value is None or r.value != r.value:
            continue
        out.append(GroupFigure(b.name_da, b.label(r.breakdown_value), float(r.value)))
    return out


def block_figures(release: Release, block: dict, area: str, code: str, *,
                  target: float | None = None) -> SummaryFigures:
    """The figures of one municipality-page block (see `dashboards._municipality_block`) of the
    area `code` at the block's level (the municipality, or its RAR area)."""
    ind: Indicator = block["indicator"]
    own = block["own"]
    expected = block.get("expected")
    forecast = block.get("forecast")
    if forecast is not None and forecast.computable and target is not None \
            and forecast.year == Period.parse(block["period"]).year:
        forecast = replace(forecast, target=target, p_target=target_probability(
            forecast.forecast, forecast.sd, target, ind.direction))
    value = None if own.suppressed or own.missing or own.value is None else own.value
    return SummaryFigures(
        area_name=area, indicator_name=ind.name_da, period_text=period_text(ind, block["period"]),
        unit=ind.unit, direction=ind.direction, value=value, suppressed=bool(own.suppressed),
        missing=bool(own.missing),
        change=block.get("change"), rank=block.get("rank"),
        ranked_count=block.get("ranked_count") or 0,
        expected=expected.expected if expected is not None else None,
        gap=expected.gap if expected is not None else None, forecast=forecast,
        groups=breakdown_groups(release, ind, block["period"], block["own_level"], code)
        if value is not None else [])


def municipality_summaries(release: Release, data: dict,
                           targets: dict[str, float] | None = None) -> dict[str, str]:
    """Indicator id → the Danish summary of each block of a municipality page's data;
    `targets` are the year targets (indicator id → value) of the plan the reader may see."""
    muni = data["municipality"]
    out = {}
    for goal in data["goals"]:
        for block in goal["blocks"]:
            ind = block["indicator"]
            level = block["own_level"]
            code = load_geography(Period.parse(block["period"]).year).parent_code(muni.code, level)
            area = muni.name if level == "kommune" else f"RAR {code}"
            figures = block_figures(release, block, area, str(code),
                                    target=(targets or {}).get(ind.id))
            out[ind.id] = summary_text_da(figures)
    return out


def goal_summaries(release: Release, data: dict,
                   targets: dict[str, float] | None = None) -> dict[int, str]:
    """Goal number → one paragraph: the summaries of the goal's indicators."""
    texts = municipality_summaries(release, data, targets)
    return {g["goal"].number: " ".join(texts[b["indicator"].id] for b in g["blocks"])
            for g in data["goals"] if g["blocks"]}


def year_targets(plan, year: int | None = None) -> dict[str, float]:
    """A plan's targets for its year's value (indicator id → value); none when the plan is of
    another year than `year` (the page's period)."""
    if plan is None or (year is not None and plan.year != year):
        return {}
    return {t.indicator_id: t.target_value
            for t in plan.targets.filter(target_period=str(plan.year))}


def country_summary(release: Release, ind: Indicator, period: str, value: float | None,
                    change: float | None, suppressed: bool = False) -> str:
    """The country's level, change and strongest and weakest group (no rank, expected level or
    forecast: those are the municipalities')."""
    figures = SummaryFigures(
        area_name=area_name(load_geography(Period.parse(period).year), "land", COUNTRY_CODE),
        indicator_name=ind.name_da, period_text=period_text(ind, period), unit=ind.unit,
        direction=ind.direction, value=value, suppressed=suppressed, change=change,
        groups=breakdown_groups(release, ind, period, "land", COUNTRY_CODE) if value is not None else [])
    return summary_text_da(figures)
