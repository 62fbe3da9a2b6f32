import json

import pytest

from jobmaal.charts import ChartInputError, TrendPoint, TrendSeries, period_label, trend_chart

from .helpers import assert_valid_vega_lite, inline_rows, spec_text


def _series():
    months = [f"2023M{m:02d}" for m in range(1, 13)]
    own = TrendSeries("Aarhus", "kommune", [
        TrendPoint(p, None if p == "2023M04" else 10.0 + i / 10, suppressed=p == "2023M05" or False)
        for i, p in enumerate(months)
    ])
    country = TrendSeries("Hele landet", "land", [TrendPoint(p, 9.5) for p in months])
    expected = TrendSeries("Forventet niveau", "forventet", [TrendPoint(p, 10.4) for p in months])
    return [own, country, expected]


@pytest.mark.parametrize(("code", "label"), [
    ("2023M01", "jan. 2023"), ("2023M05", "maj 2023"), ("2024M12", "dec. 2024"),
    ("2023Q1", "1. kvt. 2023"), ("2023H2", "2. halvår 2023"), ("2023", "2023"),
])
def test_period_codes_read_as_danish_labels(code, label):
    assert period_label(code) == label


def test_trend_chart_is_valid_vega_lite_with_title_and_description():
    spec = trend_chart(_series(), "Ledige der starter opkvalificering", provisional_from="2023M11")
    assert_valid_vega_lite(spec)
    assert spec["title"] == "Ledige der starter opkvalificering"
    assert "Aarhus" in spec["description"] and "foreløbige" in spec["description"]


def test_trend_chart_sets_danish_number_locale():
    spec = trend_chart(_series(), "T")
    assert spec["config"]["locale"]["number"]["decimal"] == ","
    assert spec["config"]["locale"]["number"]["thousands"] == "."


def test_missing_and_suppressed_points_are_null_not_zero():
    rows = [r for r in inline_rows(trend_chart(_series(), "T")) if r.get("serie") == "Aarhus"]
    by_period = {r["periode"]: r for r in rows}
    assert by_period["2023M04"]["value"] is None
    assert by_period["2023M04"]["status"] == "Ingen data"
    assert by_period["2023M05"]["value"] is None
    assert by_period["2023M05"]["status"] == "Diskretioneret"
    assert by_period["2023M06"]["value"] == pytest.approx(10.5)


def test_lines_break_at_missing_points():
    spec = trend_chart(_series(), "T")
    line = next(layer for layer in spec["layer"] if layer["mark"]["type"] == "line")
    assert line["mark"]["invalid"].startswith("break-paths")


def test_axis_labels_are_danish_periods():
    text = spec_text(trend_chart(_series(), "T"))
    assert "jan. 2023" in text and "dec. 2023" in text
    assert "2023M01\"][datum" not in text


def test_provisional_periods_get_a_band_with_legend_entry():
    spec = trend_chart(_series(), "T", provisional_from="2023M11")
    rows = [r for r in inline_rows(spec) if r.get("serie") == "Aarhus"]
    assert [r["periode"] for r in rows if r["provisional"]] == ["2023M11", "2023M12"]
    band = spec["layer"][0]
    assert band["mark"]["type"] == "rect"
    assert band["encoding"]["fill"]["scale"]["domain"] == ["Foreløbige tal"]


def test_series_data_sits_in_the_spec_once():
    rows = [r for r in inline_rows(trend_chart(_series(), "T")) if "serie" in r]
    assert len(rows) == 36


def test_no_band_without_provisional_periods():
    spec = trend_chart(_series(), "T")
    assert all(layer["mark"]["type"] != "rect" for layer in spec["layer"])


def test_each_series_keeps_its_role_style_and_expected_level_is_dashed():
    spec = trend_chart(_series(), "T")
    line = next(layer for layer in spec["layer"] if layer["mark"]["type"] == "line")
    dash = line["encoding"]["strokeDash"]["scale"]
    assert dash["domain"] == ["Aarhus", "Hele landet", "Forventet niveau"]
    assert dash["range"][2] != [] and dash["range"][0] == []


def test_quarters_chart_uses_k_labels():
    series = [TrendSeries("Aarhus", "kommune", [TrendPoint("2023Q1", 1.0), TrendPoint("2023Q2", 2.0)])]
    assert "2. kvt. 2023" in spec_text(trend_chart(series, "T"))


def test_repeated_series_names_are_refused():
    s = TrendSeries("Aarhus", "kommune", [TrendPoint("2023M01", 1.0)])
    with pytest.raises(ChartInputError, match="Aarhus"):
        trend_chart([s, s], "T")


def test_mixed_period_kinds_are_refused():
    s = TrendSeries("Aarhus", "kommune", [TrendPoint("2023M01", 1.0), TrendPoint("2023Q1", 1.0)])
    with pytest.raises(ChartInputError, match="period kinds"):
        trend_chart([s], "T")


def test_same_shape_for_other_areas_reuses_the_template_without_leaking_placeholders():
    def chart(name: str, value: float) -> dict:
        points = tuple(TrendPoint(f"2023M0{m}", value + m) for m in range(1, 4))
        return trend_chart([TrendSeries(name, "kommune", points),
                            TrendSeries("Hele landet", "land", points)], "MM13")

    odense, aarhus = chart("Odense", 50.0), chart("Aarhus", 60.0)
    for spec, name, first in ((odense, "Odense", 51.0), (aarhus, "Aarhus", 61.0)):
        text = json.dumps(spec, ensure_ascii=False)
        assert "__jobmaal_serie_" not in text
        assert name in text and ("Aarhus" if name == "Odense" else "Odense") not in text
        rows = [r for r in inline_rows(spec) if r.get("serie") == name]
        assert [r["value"] for r in rows] == [first, first + 1, first + 2]
        assert_valid_vega_lite(spec)
