"""Chart specs for the documents: a target's trend with the target drawn as a dashed rule.

The specs come from `jobmaal.charts` (the same look as the web pages) and are rendered offline
with vl-convert: SVG for PDF, PNG for Word.
"""

from __future__ import annotations

from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from typing import Any

from jobmaal.charts import ChartInputError, TrendPoint, TrendSeries, choropleth_map, theme, trend_chart
from jobmaal.reports.common import period_text, survey_round_indicators, value_text
from jobmaal.reports.model import NationalIndicatorRow, PlanReport, TargetRow

CHART_HEIGHT = 230  # CSS px; the web's 320 is too tall for a page with text around it
_CHART_THREADS = 4

TARGET_COLOUR = "#222222"


def target_chart(row: TargetRow, municipality_name: str) -> dict[str, Any] | None:
    """The target's series with a dashed rule at the target value; None without any value.

    The line is named after the area the figures are of (`row.area_name`: RAR Fyn for Odense's
    REKRUT), the title says it too when that is not the municipality. Hidden periods are gaps,
    and the subtitle says so. The subtitle says what the dashed line is; a label inside the
    plot would cover the line whenever the latest values are close to the target.
    """
    hidden = set(row.hidden_periods)
    points = [TrendPoint(period, value, period in hidden) for period, value in row.series]
    if not any(p.value is not None for p in points):
        return None
    unit = "pct" if row.unit == "pct" else "antal"
    area = row.area_name or municipality_name
    title = row.indicator_name if area == municipality_name else f"{row.indicator_name}, {area}"
    subtitle = [f"Stiplet linje: målet på {value_text(row.target_value, row.unit)} "
                f"i {period_text(row.target_period, row.indicator_id)}"]
    if hidden & {p.period for p in points}:
        why = (f"tællinger under {row.suppression_threshold}" if row.suppression_threshold
               else "for få personer til at vise tallet")
        subtitle.append(f"Huller i linjen: diskretionerede tal ({why})")
    try:
        spec = trend_chart([TrendSeries(area, "kommune", points)], title, unit=unit,
                           subtitle=tuple(subtitle) if len(subtitle) > 1 else subtitle[0],
                           survey_rounds=row.indicator_id in survey_round_indicators())
    except ChartInputError:
        return None
    rule = {
        "data": {"values": [{"maal": row.target_value}]},
        "mark": {"type": "rule", "color": TARGET_COLOUR, "strokeDash": [6, 4], "strokeWidth": 1.5},
        "encoding": {"y": {"field": "maal", "type": "quantitative"}},
    }
    spec["layer"] = [*spec["layer"], rule]
    return spec


def indicator_map(row: NationalIndicatorRow) -> dict[str, Any]:
    """The 98 municipalities coloured by the indicator's value; credit DAGI_CREDIT_DA beside it."""
    unit = "pct" if row.unit == "pct" else "antal"
    direction = "down" if row.direction == "down" else "up"
    spec = choropleth_map(row.map_values, row.name, direction, suppressed=set(row.suppressed), unit=unit,
                          subtitle=period_text(row.period, row.indicator_id))
    # The documents print the credit below the map instead of in the subtitle.
    title = spec.get("title")
    if isinstance(title, dict) and isinstance(title.get("subtitle"), list):
        title["subtitle"] = [s for s in title["subtitle"] if s != theme.DAGI_CREDIT]
    return spec


def rendered_target_charts(report: PlanReport, render: Callable[[dict], Any]) -> dict[tuple[int, int], Any]:
    """(goal, target index) → the target's chart rendered by `render` (vl-convert's SVG or PNG),
    for every target with values to draw; rendered in threads (vl-convert releases the GIL)."""
    specs = {}
    for goal in report.goals:
        for k, target in enumerate(goal.targets):
            spec = target_chart(target, report.municipality_name)
            if spec is not None:
                spec["height"] = CHART_HEIGHT
                specs[(goal.number, k)] = spec
    if not specs:
        return {}
    with ThreadPoolExecutor(max_workers=min(_CHART_THREADS, len(specs))) as pool:
        return dict(zip(specs, pool.map(render, specs.values()), strict=True))
