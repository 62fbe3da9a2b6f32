"""Bars of a survey question's answers: the share choosing each option, this year beside last year."""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Any

import altair as alt

from jobmaal import formats
from jobmaal.charts import theme
from jobmaal.charts.errors import ChartInputError

# Colours of the rounds: the newest in the municipality blue, the year before in grey.
SERIES_COLOURS = (theme.BAR, "#8C8C8C", "#009E73")


@dataclass(frozen=True)
class ShareBar:
    option: str  # the answer option's label
    series: str  # the round, e.g. "2023"
    share: float | None  # percent of respondents, None when there is no figure


def distribution_chart(
    bars: list[ShareBar], title: str = "", *, subtitle: str | None = None, description: str | None = None
) -> dict[str, Any]:
    """A Vega-Lite spec: one horizontal bar per option and round, options in the given order.

    A bar without a figure is left out and its row says "Ingen data" — never a zero bar.
    """
    if not bars:
        raise ChartInputError("distribution_chart needs at least one bar")
    options = list(dict.fromkeys(b.option for b in bars))
    series = list(dict.fromkeys(b.series for b in bars))
    data = []
    for b in bars:
        has = b.share is not None and not math.isnan(b.share)
        data.append(
            {
                "option": b.option,
                "series": b.series,
                "share": b.share if has else None,
                "text": (formats.decimal(b.share, 0) + " %") if has else theme.MISSING_LABEL,
            }
        )
    y = alt.Y("option:N", sort=options, title=None, axis=alt.Axis(labelLimit=320))
    colour = alt.Color(
        "series:N",
        sort=series,
        title=None,
        scale=alt.Scale(domain=series, range=list(SERIES_COLOURS[: len(series)])),
        legend=alt.Legend(orient="bottom") if len(series) > 1 else None,
    )
    base = alt.Chart(alt.Data(values=data)).encode(
        y=y,
        yOffset=alt.YOffset("series:N", sort=series),
        color=colour,
        tooltip=[
            alt.Tooltip("option:N", title="Svar"),
            alt.Tooltip("series:N", title="Runde"),
            alt.Tooltip("text:N", title="Andel"),
        ],
    )
    bars_layer = base.mark_bar(height={"band": 0.9}).encode(
        x=alt.X(
            "share:Q",
            title="Andel af kommunerne, der har svaret (%)",
            scale=alt.Scale(domain=[0, 100]),
            axis=alt.Axis(format=",.0f"),
        )
    )
    labels = base.mark_text(align="left", dx=4, color=theme.TEXT).encode(
        x=alt.X("share:Q", scale=alt.Scale(domain=[0, 100])), text="text:N"
    )
    chart = alt.layer(bars_layer, labels).properties(
        width=440,
        height=alt.Step(16 * len(series) + 10),
        title=alt.Title(title, subtitle=subtitle) if subtitle else title,
    )
    spec = chart.to_dict()
    spec["config"] = theme.config()
    if description:
        spec["description"] = description
    return spec
