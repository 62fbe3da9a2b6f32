import pytest

from jobmaal.charts import (
    BreakdownBar,
    ChartInputError,
    TrendPoint,
    TrendSeries,
    breakdown_chart,
    choropleth_map,
    trend_chart,
)
from jobmaal.charts.render import render_svg

from .helpers import assert_valid_vega_lite, inline_rows

BARS = [BreakdownBar("Køn", "Kvinder", 42.34), BreakdownBar("Køn", "Mænd", None, suppressed=True),
        BreakdownBar("Alder", "16-29 år", None)]


def test_breakdown_chart_is_valid_and_renders():
    spec = breakdown_chart(BARS, "Andel i job")
    assert_valid_vega_lite(spec)
    assert "<svg" in render_svg(spec)


def test_hidden_group_has_no_bar_and_says_diskretioneret_never_zero():
    rows = {r["label"]: r for r in inline_rows(breakdown_chart(BARS, "T")) if "label" in r}
    assert rows["Køn: Kvinder"] == {**rows["Køn: Kvinder"], "value": 42.34, "text": "42,3 %"}
    assert rows["Køn: Mænd"]["value"] is None and rows["Køn: Mænd"]["text"] == "Diskretioneret"
    assert rows["Alder: 16-29 år"]["value"] is None and rows["Alder: 16-29 år"]["text"] == "Ingen data"
    spec = breakdown_chart(BARS, "T")
    assert "Køn: Mænd Diskretioneret" in spec["description"]


def test_breakdown_chart_needs_a_group():
    with pytest.raises(ChartInputError):
        breakdown_chart([], "T")


def test_members_map_draws_only_the_members_and_no_inset_without_bornholm():
    spec = choropleth_map({461: 40.0, 479: None}, "T", suppressed={479}, members={461, 479, 480},
                          topojson_url="/kort/kommuner.topojson")
    assert_valid_vega_lite(spec)
    rows = spec["datasets"]["kommuner"]
    assert sorted(r["code"] for r in rows) == [461, 479, 480]
    assert {r["code"]: r["status"] for r in rows} == {461: "ok", 479: "Diskretioneret", 480: "Ingen data"}
    text = str(spec)
    assert "indexof([461, 479, 480], datum.code) >= 0" in text
    assert "57.12" not in text  # the Bornholm inset frame


def test_members_map_refuses_unknown_members():
    with pytest.raises(ChartInputError):
        choropleth_map({}, "T", members={9999})


def test_ten_chosen_municipalities_get_ten_distinct_line_styles():
    series = [TrendSeries(f"K{i}", f"valgt{i}", (TrendPoint("2023M01", float(i)),)) for i in range(1, 11)]
    spec = trend_chart(series, "T")
    assert_valid_vega_lite(spec)
    from jobmaal.charts import theme

    styles = {(theme.SERIES_STYLE[f"valgt{i}"]["color"], tuple(theme.SERIES_STYLE[f"valgt{i}"]["dash"]))
              for i in range(1, 11)}
    assert len(styles) == 10
