"""Choropleth maps of the 98 municipalities, from the package's DAGI boundaries.

The boundaries are inlined into the spec by default (about 296 kB, 68 kB gzipped), so the
browser and vl-convert fetch nothing; pass `topojson_url` (a URL of the app itself, serving
`boundaries()` as JSON — not the raw file, see `_topojson_text`) to make the spec 12 kB.
Municipalities are joined on their code: KOMKODE '0101' → 101. 0411 Christiansø is no
municipality and is left out.
"""

from __future__ import annotations

import json
import math
from collections.abc import Collection
from functools import cache
from importlib import resources
from typing import Any, Literal

import altair as alt

from jobmaal import formats
from jobmaal.charts import theme
from jobmaal.charts.errors import ChartInputError
from jobmaal.geography import load_geography

TOPOJSON_OBJECT = "stdin"
NOT_A_MUNICIPALITY = 411  # Christiansø
BORNHOLM = 400
BORNHOLM_SHIFT = (-2.55, 2.2)  # degrees lon, lat: into the empty Kattegat, north-east of Zealand
# The inset's frame, lon/lat; a closed line (not a polygon, whose winding would matter).
INSET_FRAME = [[11.98, 57.12], [12.76, 57.12], [12.76, 57.56], [11.98, 57.56], [11.98, 57.12]]
_OK = "ok"
_SHAPES = "kommunegraenser"
_ROWS = "kommuner"


def choropleth_map(
    values: dict[int, float | None],
    title: str,
    direction: Literal["up", "down"] = "up",
    highlight: int | None = None,
    suppressed: set[int] | frozenset[int] = frozenset(),
    *,
    unit: Literal["pct", "antal"] = "pct",
    subtitle: str | None = None,
    description: str | None = None,
    topojson_url: str | None = None,
    members: Collection[int] | None = None,
) -> dict[str, Any]:
    """A Vega-Lite spec: each municipality coloured by its value.

    Municipalities in `suppressed` are drawn grey as "Diskretioneret", those without a value
    light grey as "Ingen data" — never as zero. `direction` says whether higher is better
    ("up"): the better end of the scale is always the darker one. With `members` only those
    municipalities are drawn, and the map zooms to them (an area page's members).
    """
    geo = load_geography()
    known = set(geo.municipality_codes)
    unknown = sorted((set(values) | set(suppressed) | ({highlight} - {None})
                      | set(members or ())) - known)
    if unknown:
        raise ChartInputError(f"not municipality codes: {unknown}")
    rows = [
        _row(m.code, m.name, m.name, values.get(m.code), m.code in suppressed, unit)
        for m in geo.municipalities if members is None or m.code in members
    ]
    return _map(rows, title, direction, highlight, unit, subtitle, topojson_url,
                area_title="Kommune", only=None if members is None else sorted(members),
                description=description or _describe(title, rows, direction, highlight))


def rar_map(
    values: dict[str, float | None],
    title: str,
    direction: Literal["up", "down"] = "up",
    highlight: int | None = None,
    suppressed: set[str] | frozenset[str] = frozenset(),
    *,
    unit: Literal["pct", "antal"] = "pct",
    subtitle: str | None = None,
    description: str | None = None,
    topojson_url: str | None = None,
) -> dict[str, Any]:
    """A Vega-Lite spec: each municipality coloured by the value of its RAR area (goal 5a).

    `values` and `suppressed` are keyed by RAR code as in geography ('Hovedstaden');
    `highlight` outlines one municipality.
    """
    geo = load_geography()
    known = {a.code for a in geo.areas("rar")}
    unknown = sorted((set(values) | set(suppressed)) - known)
    if unknown:
        raise ChartInputError(f"not RAR areas: {unknown} (known: {sorted(known)})")
    if highlight is not None and highlight not in geo.municipality_codes:
        raise ChartInputError(f"not a municipality code: {highlight}")
    rows = [
        _row(m.code, m.name, geo.area("rar", m.rar).name, values.get(m.rar), m.rar in suppressed, unit)
        for m in geo.municipalities
    ]
    areas = {r["area"]: r for r in rows}
    return _map(rows, title, direction, highlight, unit, subtitle, topojson_url,
                area_title="RAR-område",
                description=description or _describe(title, list(areas.values()), direction, None,
                                                     level="RAR-områder"))


@cache
def _topojson_text() -> str:
    """The boundaries ready to draw, compact; cached as text so no caller can mutate it.

    Only KOMKODE is kept, Christiansø is dropped, and Bornholm is moved into an inset in the
    Kattegat (as Danish maps do) so the rest of the country can be drawn larger.
    """
    path = resources.files("jobmaal.geography") / "data" / "kommuner.topojson"
    topo = json.loads(path.read_text(encoding="utf-8"))
    collection = topo["objects"][TOPOJSON_OBJECT]
    collection["geometries"] = [
        {**g, "properties": {"KOMKODE": g["properties"]["KOMKODE"]}}
        for g in collection["geometries"]
        if int(g["properties"]["KOMKODE"]) != NOT_A_MUNICIPALITY
    ]
    _move_to_inset(topo, BORNHOLM)
    return json.dumps(topo, separators=(",", ":"))


def _move_to_inset(topo: dict[str, Any], code: int) -> None:
    """Shift the arcs of one municipality by BORNHOLM_SHIFT (degrees); they must be its own."""
    own: dict[str, set[int]] = {}
    for g in topo["objects"][TOPOJSON_OBJECT]["geometries"]:
        own.setdefault(g["properties"]["KOMKODE"], set()).update(_arc_ids(g["arcs"]))
    moving = own.pop(f"{code:04d}")
    shared = moving & set().union(*own.values())
    if shared:
        raise ChartInputError(f"municipality {code} shares boundary arcs {sorted(shared)}; cannot inset it")
    scale = topo["transform"]["scale"]
    dx, dy = (round(BORNHOLM_SHIFT[i] / scale[i]) for i in (0, 1))
    for i in moving:
        first = topo["arcs"][i][0]  # delta-encoded: moving the first point moves the arc
        topo["arcs"][i][0] = [first[0] + dx, first[1] + dy, *first[2:]]


def _arc_ids(arcs: Any) -> set[int]:
    if isinstance(arcs, int):
        return {arcs if arcs >= 0 else ~arcs}
    return set().union(*(_arc_ids(a) for a in arcs)) if arcs else set()


def boundaries() -> dict[str, Any]:
    """A fresh copy of the municipality boundaries (TopoJSON, object `stdin`)."""
    return json.loads(_topojson_text())


def _row(code: int, name: str, area: str, value: float | None, suppressed: bool, unit: str) -> dict:
    if value is not None and math.isnan(value):
        value = None
    status = theme.SUPPRESSED_LABEL if suppressed else (_OK if value is not None else theme.MISSING_LABEL)
    shown = None if status != _OK else float(value)
    decimals = 1 if unit == "pct" else 0
    text = status if shown is None else formats.decimal(shown, decimals) + theme.UNIT_SUFFIX[unit]
    return {"code": code, "name": name, "area": area, "value": shown, "status": status, "text": text}


def _map(
    rows: list[dict],
    title: str,
    direction: str,
    highlight: int | None,
    unit: str,
    subtitle: str | None,
    topojson_url: str | None,
    *,
    area_title: str,
    description: str,
    only: list[int] | None = None,
) -> dict[str, Any]:
    if direction not in ("up", "down"):
        raise ChartInputError(f"direction must be 'up' or 'down', not {direction!r}")
    fmt = alt.DataFormat(type="topojson", feature=TOPOJSON_OBJECT)
    # Each layer names the shared data instead of repeating it, so the boundaries sit in the
    # spec once; with a URL the browser fetches them from the app instead.
    datasets: dict[str, Any] = {_ROWS: rows}
    if topojson_url:
        shapes = alt.Data(url=topojson_url, format=fmt)
    else:
        datasets[_SHAPES] = []  # filled in after to_dict: Altair would walk the 300 kB of shapes
        shapes = alt.NamedData(name=_SHAPES, format=fmt)
    fields = ["name", "area", "value", "status", "text"]

    def base() -> alt.Chart:
        chart = (
            alt.Chart(shapes)
            .transform_calculate(code="toNumber(datum.properties.KOMKODE)")
            .transform_filter(f"datum.code !== {NOT_A_MUNICIPALITY}")
        )
        if only is not None:
            chart = chart.transform_filter(f"indexof({json.dumps(only)}, datum.code) >= 0")
        return chart.transform_lookup(lookup="code",
                                      from_=alt.LookupData(alt.NamedData(name=_ROWS), "code", fields))

    tooltip = [alt.Tooltip("name:N", title="Kommune")]
    if area_title != "Kommune":
        tooltip.append(alt.Tooltip("area:N", title=area_title))
    tooltip.append(alt.Tooltip("text:N", title=theme.UNIT_AXIS_TITLE[unit]))
    stroke = {"stroke": theme.MAP_BORDER, "strokeWidth": 0.5}

    better = "Mørkere er bedre" + (" (højere værdi)" if direction == "up" else " (lavere værdi)")
    layers = [
        base()
        .transform_filter(f"datum.status === '{_OK}'")
        .mark_geoshape(**stroke)
        .encode(
            color=alt.Color(
                "value:Q",
                scale=alt.Scale(
                    scheme=alt.SchemeParams(theme.MAP_SCHEME, extent=list(theme.MAP_SCHEME_EXTENT)),
                    reverse=direction == "down", zero=False, nice=False,
                ),
                legend=alt.Legend(title=[theme.UNIT_AXIS_TITLE[unit], better], format=theme.UNIT_FORMAT[unit],
                                  orient="bottom", direction="horizontal", gradientLength=220),
            ),
            tooltip=tooltip,
        )
    ]
    present = {r["status"] for r in rows}
    statuses = [s for s in (theme.SUPPRESSED_LABEL, theme.MISSING_LABEL) if s in present]
    if statuses:
        colours = {theme.SUPPRESSED_LABEL: theme.SUPPRESSED_FILL, theme.MISSING_LABEL: theme.MISSING_FILL}
        layers.append(
            base()
            .transform_filter(f"datum.status !== '{_OK}'")
            .mark_geoshape(**stroke)
            .encode(
                color=alt.Color("status:N",
                                scale=alt.Scale(domain=statuses, range=[colours[s] for s in statuses]),
                                legend=alt.Legend(title=None, orient="bottom", symbolType="square")),
                tooltip=tooltip,
            )
        )
    if highlight is not None:
        layers.append(
            base()
            .transform_filter(f"datum.code === {int(highlight)}")
            .mark_geoshape(filled=False, stroke=theme.MAP_HIGHLIGHT_STROKE, strokeWidth=1.6, aria=False)
            .encode(tooltip=tooltip)
        )
    frame = {"type": "Feature", "properties": {},
             "geometry": {"type": "LineString", "coordinates": INSET_FRAME}}
    if only is None or BORNHOLM in only:
        layers.append(
            alt.Chart(alt.Data(values=[frame]))
            .mark_geoshape(filled=False, stroke=theme.MUTED_TEXT, strokeWidth=0.8, aria=False)
        )
    subtitles = [s for s in (subtitle, theme.DAGI_CREDIT) if s]
    chart = (
        alt.layer(*layers)
        .resolve_scale(color="independent")
        .project(type="transverseMercator", rotate=[-10.5, 0, 0])
        .properties(title=alt.Title(title, subtitle=subtitles), description=description, datasets=datasets,
                    width=theme.MAP_WIDTH, height=theme.MAP_HEIGHT)
        .configure(**theme.config())
    )
    spec = chart.to_dict(validate=False)  # tests validate against the schema; pages must be fast
    if not topojson_url:
        spec["datasets"][_SHAPES] = boundaries()
    return spec


def _describe(title: str, rows: list[dict], direction: str, highlight: int | None,
              level: str = "kommuner") -> str:
    shown = sorted((r for r in rows if r["status"] == _OK), key=lambda r: r["value"])
    text = f"Danmarkskort: {title}. {len(shown)} {level} har en værdi"
    if shown:
        low, high = shown[0], shown[-1]
        text += f", fra {low['text']} ({low['area']}) til {high['text']} ({high['area']})"
    text += "."
    n_suppressed = sum(r["status"] == theme.SUPPRESSED_LABEL for r in rows)
    n_missing = sum(r["status"] == theme.MISSING_LABEL for r in rows)
    if n_suppressed:
        text += f" {n_suppressed} er diskretioneret."
    if n_missing:
        text += f" {n_missing} har ingen data."
    text += " Højere er bedre." if direction == "up" else " Lavere er bedre."
    if highlight is not None:
        row = next(r for r in rows if r["code"] == highlight)
        text += f" Fremhævet: {row['name']}, {row['text']}."
    return text + f" {theme.DAGI_CREDIT}."
