"""Horizontal bars ranking municipalities, the chosen one in a contrasting colour."""

from __future__ import annotations

import json
import math
from typing import Any, Literal

import altair as alt

from jobmaal import formats
from jobmaal.charts import theme
from jobmaal.charts.errors import ChartInputError
from jobmaal.charts.models import RankRow


def bar_ranking(
    rows: list[RankRow],
    highlight_code: int | None,
    title: str = "",
    *,
    unit: Literal["pct", "antal"] = "pct",
    direction: Literal["up", "down"] = "up",
    subtitle: str | None = None,
    description: str | None = None,
) -> dict[str, Any]:
    """A Vega-Lite spec: one bar per row, best first (`direction` says which end is best).

    Rows without a number come last and show the text "Diskretioneret" or "Ingen data" in
    place of a bar — never a zero bar.
    """
    if not rows:
        raise ChartInputError("bar_ranking needs at least one row")
    codes = [r.code for r in rows]
    if len(set(codes)) != len(codes):
        raise ChartInputError("bar_ranking rows repeat a municipality code")
    if highlight_code is not None and highlight_code not in codes:
        raise ChartInputError(f"highlight_code {highlight_code} is not among the rows")
    decimals = 1 if unit == "pct" else 0

    def has_value(r: RankRow) -> bool:
        return not r.suppressed and r.value is not None and not math.isnan(r.value)

    with_value = sorted((r for r in rows if has_value(r)), key=lambda r: r.value,
                        reverse=direction == "up")
    without = sorted((r for r in rows if not has_value(r)), key=lambda r: (not r.suppressed, r.name))
    ordered = with_value + without
    data = []
    for rank, r in enumerate(ordered, start=1):
        value = float(r.value) if has_value(r) else None
        status = ("" if value is not None
                  else theme.SUPPRESSED_LABEL if r.suppressed else theme.MISSING_LABEL)
        data.append({
            "code": r.code,
            "name": r.name,
            "value": value,
            "rank": rank if value is not None else None,
            "status": status,
            "text": status or formats.decimal(value, decimals) + theme.UNIT_SUFFIX[unit],
            "highlight": r.code == highlight_code,
        })

    names = [d["name"] for d in data]
    highlighted = next((d["name"] for d in data if d["highlight"]), None)
    y_axis = alt.Axis(
        title=None,
        labelLimit=180,
        labelFontWeight=alt.condition(f"datum.value === {json.dumps(highlighted)}",
                                      alt.value("bold"), alt.value("normal")),
        labelColor=alt.condition(f"datum.value === {json.dumps(highlighted)}",
                                 alt.value(theme.HIGHLIGHT), alt.value(theme.TEXT)),
    )
    y = alt.Y("name:N", sort=names, axis=y_axis)
    x = alt.X("value:Q", title=theme.UNIT_AXIS_TITLE[unit],
              axis=alt.Axis(format=theme.UNIT_FORMAT[unit], orient="top", tickCount=6),
              scale=alt.Scale(zero=True, nice=True))
    tooltip = [alt.Tooltip("name:N", title="Kommune"), alt.Tooltip("rank:Q", title="Placering"),
               alt.Tooltip("text:N", title=theme.UNIT_AXIS_TITLE[unit])]
    source = alt.Data(values=data)
    bars = (
        alt.Chart()
        .transform_filter("datum.value != null")
        .mark_bar(height={"band": 0.8})
        .encode(
            x=x, y=y, tooltip=tooltip,
            color=alt.condition("datum.highlight", alt.value(theme.HIGHLIGHT), alt.value(theme.BAR)),
        )
    )
    value_labels = (
        alt.Chart()
        .transform_filter("datum.value != null")
        .mark_text(align="left", dx=3, fontSize=11)
        .encode(
            x=x, y=y, text="text:N",
            color=alt.condition("datum.highlight", alt.value(theme.HIGHLIGHT), alt.value(theme.MUTED_TEXT)),
        )
    )
    no_value = (
        alt.Chart()
        .transform_filter("datum.value == null")
        .mark_text(align="left", dx=3, fontSize=11, fontStyle="italic", color=theme.MUTED_TEXT)
        .encode(x=alt.datum(0), y=y, text="status:N", tooltip=tooltip)
    )
    chart = (
        alt.layer(bars, value_labels, no_value, data=source)
        .properties(
            title=alt.Title(title, subtitle=subtitle) if subtitle else title,
            description=description or _describe(title, data, highlighted, direction),
            width=theme.MAP_WIDTH,
            height=alt.Step(theme.BAR_STEP),
        )
        .configure(**theme.config())
    )
    return chart.to_dict(validate=False)  # tests validate against the schema; pages must be fast


def _describe(title: str, data: list[dict], highlighted: str | None, direction: str) -> str:
    ranked = [d for d in data if d["value"] is not None]
    text = f"Søjlediagram: {title}. {len(ranked)} kommuner rangeret, "
    text += "højeste værdi øverst." if direction == "up" else "laveste værdi øverst."
    if ranked:
        first, last = ranked[0], ranked[-1]
        text += f" Først: {first['name']} ({first['text']}); sidst: {last['name']} ({last['text']})."
    if len(ranked) < len(data):
        text += f" {len(data) - len(ranked)} uden tal."
    if highlighted:
        d = next(d for d in data if d["name"] == highlighted)
        where = f"nr. {d['rank']} af {len(ranked)}" if d["rank"] else d["status"].lower()
        text += f" Fremhævet: {highlighted}, {d['text']}, {where}."
    return text
