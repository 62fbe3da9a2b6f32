"""A small bar chart of one area's breakdowns (køn, alder, ydelsesgruppe, …) of an indicator.

One bar per group, grouped by breakdown; a hidden (suppressed) group gets no bar and the word
"Diskretioneret" where its value would stand, never a bar of 0.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Any, Literal

import altair as alt

from jobmaal.charts import theme
from jobmaal.charts.errors import ChartInputError
from jobmaal.formats import decimal as format_number

BAR_STEP = 18


@dataclass(frozen=True)
class BreakdownBar:
    breakdown: str  # the breakdown's Danish name: "Køn"
    group: str  # the group's label: "Kvinder"
    value: float | None
    suppressed: bool = False


def breakdown_chart(bars: list[BreakdownBar], title: str, unit: Literal["pct", "antal"] = "pct",
                    *, description: str | None = None) -> dict[str, Any]:
    """A Vega-Lite spec: horizontal bars, one row per group, the breakdown's name before it."""
    if not bars:
        raise ChartInputError("breakdown_chart needs at least one group")
    decimals = 1 if unit == "pct" else 0
    rows = []
    for i, bar in enumerate(bars):
        value = None if bar.suppressed or bar.value is None or math.isnan(bar.value) else float(bar.value)
        status = (theme.SUPPRESSED_LABEL if bar.suppressed
                  else theme.MISSING_LABEL if value is None else "")
        text = status or format_number(value, decimals) + theme.UNIT_SUFFIX[unit]
        rows.append({"order": i, "label": f"{bar.breakdown}: {bar.group}", "value": value,
                     "shown": value or 0.0, "text": text})
    y = alt.Y("label:N", sort=alt.SortField("order"), title=None,
              axis=alt.Axis(labelLimit=260))
    tooltip = [alt.Tooltip("label:N", title="Gruppe"),
               alt.Tooltip("text:N", title=theme.UNIT_AXIS_TITLE[unit])]
    base = alt.Chart(alt.Data(values=rows))
    bars_layer = base.transform_filter("datum.value != null").mark_bar(color=theme.BAR).encode(
        x=alt.X("value:Q", title=theme.UNIT_AXIS_TITLE[unit],
                axis=alt.Axis(format=theme.UNIT_FORMAT[unit]), scale=alt.Scale(zero=True)),
        y=y, tooltip=tooltip)
    labels = base.mark_text(align="left", dx=4, color=theme.TEXT).encode(
        x=alt.X("shown:Q"), y=y, text="text:N", tooltip=tooltip)
    chart = alt.layer(bars_layer, labels).properties(
        title=title, width=theme.WIDTH // 2, height=alt.Step(BAR_STEP),
        description=description or _describe(title, rows),
    ).configure(**theme.config())
    return chart.to_dict(validate=False)


def _describe(title: str, rows: list[dict]) -> str:
    parts = [f"{r['label']} {r['text']}" for r in rows]
    return f"Søjlediagram: {title}. " + "; ".join(parts) + "."
