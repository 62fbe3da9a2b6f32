"""Line chart of an indicator over periods: one line per area, gaps where there is no number."""

from __future__ import annotations

import functools
import json
import math
from typing import Any, Literal

import altair as alt

from jobmaal.charts import theme
from jobmaal.charts.errors import ChartInputError
from jobmaal.charts.labels import period_label, period_sort_key
from jobmaal.charts.models import TrendSeries
from jobmaal.periods import Period

_MONTH_STEPS = (1, 2, 3, 6, 12)
_MAX_AXIS_LABELS = 12


def trend_chart(
    series: list[TrendSeries],
    title: str,
    unit: Literal["pct", "antal"] = "pct",
    provisional_from: str | None = None,
    *,
    subtitle: str | tuple[str, ...] | None = None,
    description: str | None = None,
    survey_rounds: bool = False,
) -> dict[str, Any]:
    """A Vega-Lite spec: the series over their periods, Danish labels and numbers. With
    `survey_rounds`, half-years are labelled by the survey round's posting window.

    Missing or suppressed points break the line (they are never drawn as zero); periods from
    `provisional_from` on are shaded with the legend entry "Foreløbige tal" and their points
    drawn hollow.
    """
    _check_series(series)
    periods = sorted({p.period for s in series for p in s.points}, key=period_sort_key)
    if not periods:
        raise ChartInputError("trend_chart needs at least one period")
    index = {code: i for i, code in enumerate(periods)}
    first_provisional = _first_provisional(periods, provisional_from)
    rows = [
        {
            "serie": s.name,
            "rolle": s.role,
            "periode": p.period,
            "periodetekst": period_label(p.period, survey_rounds),
            "x": index[p.period],
            "value": None if p.suppressed or p.value is None or math.isnan(p.value) else float(p.value),
            "status": _status_text(p.value, p.suppressed, index[p.period], first_provisional),
            "provisional": first_provisional is not None and index[p.period] >= first_provisional,
        }
        for s in series
        for p in s.points
    ]
    labels = [period_label(code, survey_rounds) for code in periods]
    template = _template(tuple(s.role for s in series), tuple(periods), unit, first_provisional,
                         title, subtitle, survey_rounds)
    text = template
    for i, s in enumerate(series):
        text = text.replace(_placeholder(i), json.dumps(s.name, ensure_ascii=False)[1:-1])
    spec = json.loads(text)
    if "datasets" in spec:  # Altair may inline the rows or name them in `datasets`
        spec["datasets"][spec["data"]["name"]] = rows
    else:
        spec["data"]["values"] = rows
    spec["description"] = description or _describe(title, series, labels, first_provisional)
    return spec


def _placeholder(i: int) -> str:
    return f"__jobmaal_serie_{i}__"


@functools.lru_cache(maxsize=512)
def _template(roles: tuple[str, ...], periods: tuple[str, ...], unit: str,
              first_provisional: int | None, title: str,
              subtitle: str | tuple[str, ...] | None, survey_rounds: bool = False) -> str:
    """The chart's spec as JSON with placeholder series names and no rows.

    Building a spec through Altair takes tens of milliseconds; pages draw the same chart shape
    for many areas, so the shape is built once and filled with names and rows per call.
    """
    fmt = theme.UNIT_FORMAT[unit]
    labels = [period_label(code, survey_rounds) for code in periods]
    x_scale = alt.Scale(domain=[-0.5, len(periods) - 0.5], nice=False, zero=False)
    x_axis = alt.Axis(
        title=None,
        values=_axis_ticks(periods),
        labelExpr=f"{json.dumps(labels, ensure_ascii=False)}[datum.value]",
        grid=False,
        labelAngle=0 if len(periods) <= 8 else -40,
        labelAlign="center" if len(periods) <= 8 else "right",
    )
    x = alt.X("x:Q", scale=x_scale, axis=x_axis)
    y = alt.Y(
        "value:Q",
        title=theme.UNIT_AXIS_TITLE[unit],
        axis=alt.Axis(format=fmt, tickCount=6),
        scale=alt.Scale(zero=True, nice=True),
    )
    names = [_placeholder(i) for i in range(len(roles))]
    styles = [theme.SERIES_STYLE[role] for role in roles]
    legend = alt.Legend(title=None, symbolType="stroke", orient="bottom", columns=4)
    color = alt.Color("serie:N", scale=alt.Scale(domain=names, range=[s["color"] for s in styles]),
                      legend=legend)
    dash = alt.StrokeDash("serie:N", scale=alt.Scale(domain=names, range=[s["dash"] for s in styles]),
                          legend=legend)
    width = alt.StrokeWidth("serie:N", scale=alt.Scale(domain=names, range=[s["width"] for s in styles]),
                            legend=legend)
    tooltip = [
        alt.Tooltip("serie:N", title="Område"),
        alt.Tooltip("periodetekst:N", title="Periode"),
        alt.Tooltip("value:Q", title=theme.UNIT_AXIS_TITLE[unit], format=fmt),
        alt.Tooltip("status:N", title="Bemærkning"),
    ]

    data = alt.Data(values=[{"serie": _placeholder(0)}])  # a row, so Altair names the dataset
    lines = (
        alt.Chart()
        .mark_line(invalid="break-paths-show-domains", interpolate="linear")
        .encode(x=x, y=y, color=color, strokeDash=dash, strokeWidth=width, detail="serie:N",
                order="x:Q")
    )
    final_points = (
        alt.Chart()
        .transform_filter("datum.value != null && !datum.provisional")
        .mark_point(filled=True, size=36, opacity=1, aria=False)
        .encode(x=x, y=y, color=alt.Color("serie:N", legend=None), tooltip=tooltip)
    )
    provisional_points = (
        alt.Chart()
        .transform_filter("datum.value != null && datum.provisional")
        .mark_point(filled=False, size=40, strokeWidth=1.8, fill=theme.BACKGROUND, opacity=1, aria=False)
        .encode(x=x, y=y, color=alt.Color("serie:N", legend=None), tooltip=tooltip)
    )
    layers: list[alt.Chart] = []
    if first_provisional is not None:
        band = alt.Chart(
            alt.Data(values=[{"x0": first_provisional - 0.5, "x1": len(periods) - 0.5,
                              "band": theme.PROVISIONAL_LABEL}])
        ).mark_rect(opacity=1).encode(
            x=alt.X("x0:Q", scale=x_scale, axis=x_axis),
            x2="x1:Q",
            fill=alt.Fill("band:N", scale=alt.Scale(domain=[theme.PROVISIONAL_LABEL],
                                                    range=[theme.PROVISIONAL_FILL]),
                          legend=alt.Legend(title=None, orient="bottom", symbolType="square")),
        )
        layers.append(band)
    layers += [lines, final_points, provisional_points]

    chart = alt.layer(*layers, data=data).properties(
        title=alt.Title(title, subtitle=list(subtitle) if isinstance(subtitle, tuple) else subtitle)
        if subtitle else title,
        description="",
        width=theme.WIDTH,
        height=theme.HEIGHT,
    ).configure(**theme.config())
    return json.dumps(chart.to_dict(validate=False), ensure_ascii=False)


def _check_series(series: list[TrendSeries]) -> None:
    if not series:
        raise ChartInputError("trend_chart needs at least one series")
    names = [s.name for s in series]
    dupes = sorted({n for n in names if names.count(n) > 1})
    if dupes:
        raise ChartInputError(f"series names must be unique; repeated: {dupes}")
    for s in series:
        if s.role not in theme.SERIES_STYLE:
            raise ChartInputError(f"series {s.name!r}: unknown role {s.role!r} "
                                  f"(known: {', '.join(theme.SERIES_ROLES)})")
        codes = [p.period for p in s.points]
        if len(set(codes)) != len(codes):
            raise ChartInputError(f"series {s.name!r} repeats a period")
    kinds = {Period.parse(p.period).kind for s in series for p in s.points}
    if len(kinds) > 1:
        raise ChartInputError(f"series mix period kinds {sorted(kinds)}; draw one kind per chart")


def _first_provisional(periods: list[str], provisional_from: str | None) -> int | None:
    if provisional_from is None:
        return None
    start = period_sort_key(provisional_from)
    later = [i for i, code in enumerate(periods) if period_sort_key(code) >= start]
    return later[0] if later else None


def _status_text(value: float | None, suppressed: bool, i: int, first_provisional: int | None) -> str:
    if suppressed:
        return theme.SUPPRESSED_LABEL
    if value is None or math.isnan(value):
        return theme.MISSING_LABEL
    if first_provisional is not None and i >= first_provisional:
        return "Foreløbigt tal"
    return ""


def _axis_ticks(periods: list[str]) -> list[int]:
    """Indexes to label: all when few; else every k-th, for months aligned to January."""
    n = len(periods)
    if n <= _MAX_AXIS_LABELS:
        return list(range(n))
    first = Period.parse(periods[0])
    if first.kind == "month":
        step = next((s for s in _MONTH_STEPS if n / s <= _MAX_AXIS_LABELS), 12)
        return [i for i, code in enumerate(periods) if (Period.parse(code).index - 1) % step == 0]
    step = math.ceil(n / _MAX_AXIS_LABELS)
    return list(range(0, n, step))


def _describe(title: str, series: list[TrendSeries], labels: list[str], first_provisional: int | None) -> str:
    text = (f"Linjediagram: {title}. Udviklingen fra {labels[0]} til {labels[-1]} for "
            f"{', '.join(s.name for s in series)}.")
    if first_provisional is not None:
        text += f" Tallene fra {labels[first_provisional]} er foreløbige."
    return text
