import socket

import pytest

from jobmaal.charts import (
    RankRow,
    TrendPoint,
    TrendSeries,
    bar_ranking,
    choropleth_map,
    render_png,
    render_svg,
    trend_chart,
)
from jobmaal.geography import load_geography


@pytest.fixture
def no_network(monkeypatch):
    """Python-level guard; vl-convert additionally gets allowed_base_urls=[]."""

    def refuse(*args, **kwargs):
        raise AssertionError("chart rendering tried to open a network connection")

    monkeypatch.setattr(socket.socket, "connect", refuse)


def test_render_svg_of_trend_contains_title_and_danish_numbers(no_network):
    series = [TrendSeries("Aarhus", "kommune", [TrendPoint("2023M01", 12.3), TrendPoint("2023M02", 12.5)])]
    svg = render_svg(trend_chart(series, "Ledige i opkvalificering"))
    assert svg.lstrip().startswith("<svg")
    assert "Ledige i opkvalificering" in svg
    assert "12,4" in svg or "12,3" in svg or "12,5" in svg
    assert "jan. 2023" in svg


def test_render_svg_of_map_works_offline_with_inline_boundaries(no_network):
    values = {m.code: float(m.code % 13) for m in load_geography().municipalities}
    svg = render_svg(choropleth_map(values, "Kort over kommunerne", highlight=101, suppressed={825}))
    assert "Kort over kommunerne" in svg
    assert "Indeholder data fra DAGI (Geodatastyrelsen)" in svg
    assert svg.count("<path") > 98


def test_map_with_a_boundary_url_is_refused_by_the_offline_renderer():
    spec = choropleth_map({101: 1.0}, "T", topojson_url="https://example.org/kommuner.json")
    with pytest.raises(Exception, match="(?i)url|access|allowed"):
        render_svg(spec)


def test_render_png_is_a_png_at_the_requested_scale(no_network):
    spec = bar_ranking([RankRow(101, "København", 8.0), RankRow(751, "Aarhus", 12.0)], 101, "Rangering")
    one, two = render_png(spec, scale=1), render_png(spec, scale=2)
    assert one[:8] == b"\x89PNG\r\n\x1a\n"
    width = lambda png: int.from_bytes(png[16:20], "big")  # noqa: E731
    assert width(two) == pytest.approx(2 * width(one), abs=2)
