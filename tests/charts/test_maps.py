import json

import pytest

from jobmaal.charts import ChartInputError, choropleth_map, rar_map
from jobmaal.charts.maps import boundaries
from jobmaal.geography import load_geography

from .helpers import assert_valid_vega_lite, inline_rows, spec_text

DAGI = "Indeholder data fra DAGI (Geodatastyrelsen)"


def _values():
    return {m.code: 5.0 + (m.code % 10) for m in load_geography().municipalities}


def _municipality_rows(spec):
    return {r["code"]: r for r in inline_rows(spec) if "status" in r and "code" in r}


def test_choropleth_is_valid_vega_lite_with_dagi_credit():
    spec = choropleth_map(_values(), "Ledige der starter opkvalificering", highlight=101)
    assert_valid_vega_lite(spec)
    assert DAGI in spec["title"]["subtitle"]
    assert DAGI in spec["description"]


def test_every_municipality_is_joined_by_its_code():
    spec = choropleth_map(_values(), "T")
    rows = _municipality_rows(spec)
    assert set(rows) == set(load_geography().municipality_codes)
    codes = {int(g["properties"]["KOMKODE"]) for g in boundaries()["objects"]["stdin"]["geometries"]}
    assert codes == set(load_geography().municipality_codes)


def test_christiansoe_is_left_out():
    assert 411 not in _municipality_rows(choropleth_map(_values(), "T"))
    geometries = boundaries()["objects"]["stdin"]["geometries"]
    assert all(g["properties"]["KOMKODE"] != "0411" for g in geometries)
    assert "datum.code !== 411" in spec_text(choropleth_map(_values(), "T"))


def test_suppressed_and_missing_municipalities_have_no_value_not_zero():
    values = _values()
    values[825] = 3.0  # suppressed wins over a value handed in by mistake
    values[741] = None
    del values[563]
    spec = choropleth_map(values, "T", suppressed={825})
    rows = _municipality_rows(spec)
    assert rows[825]["value"] is None and rows[825]["status"] == "Diskretioneret"
    assert rows[741]["value"] is None and rows[741]["status"] == "Ingen data"
    assert rows[563]["value"] is None and rows[563]["status"] == "Ingen data"
    assert rows[101]["value"] == 6.0
    assert "Diskretioneret" in spec_text(spec) and "Ingen data" in spec_text(spec)


def test_tooltip_text_is_danish_number():
    rows = _municipality_rows(choropleth_map({101: 12.345}, "T"))
    assert rows[101]["text"] == "12,3 %"


def test_highlighted_municipality_is_outlined():
    spec = choropleth_map(_values(), "T", highlight=751)
    outlines = [layer for layer in spec["layer"] if "datum.code === 751" in json.dumps(layer)]
    assert len(outlines) == 1 and outlines[0]["mark"]["filled"] is False


def test_direction_down_reverses_the_scale_so_darker_stays_better():
    up = spec_text(choropleth_map(_values(), "T", direction="up"))
    down = choropleth_map(_values(), "T", direction="down")
    assert '"reverse": true' not in up
    assert down["layer"][0]["encoding"]["color"]["scale"]["reverse"] is True


def test_boundaries_are_inline_once_and_the_spec_stays_small():
    spec = choropleth_map(_values(), "T")
    compact = json.dumps(spec, separators=(",", ":"))
    assert compact.count('"type":"Topology"') == 1
    assert len(compact) < 350_000
    assert '"url"' not in compact


def test_boundaries_can_come_from_the_app_instead():
    spec = choropleth_map(_values(), "T", topojson_url="/static/kommuner.json")
    assert len(json.dumps(spec)) < 60_000
    assert_valid_vega_lite(spec)


def test_unknown_codes_are_refused():
    with pytest.raises(ChartInputError, match="999"):
        choropleth_map({999: 1.0}, "T")


def test_rar_map_gives_each_municipality_its_rar_value():
    geo = load_geography()
    values = {a.code: float(i) for i, a in enumerate(geo.areas("rar"))}
    spec = rar_map(values, "Virksomheder der rekrutterer via jobcentret",
                   suppressed={"Bornholm"}, highlight=101)
    assert_valid_vega_lite(spec)
    assert DAGI in spec["title"]["subtitle"]
    rows = _municipality_rows(spec)
    for m in geo.municipalities:
        if m.rar == "Bornholm":
            assert rows[m.code]["value"] is None and rows[m.code]["status"] == "Diskretioneret"
        else:
            assert rows[m.code]["value"] == values[m.rar]
            assert rows[m.code]["area"] == f"RAR {m.rar}"


def test_rar_map_refuses_unknown_rar_area():
    with pytest.raises(ChartInputError, match="Jylland"):
        rar_map({"Jylland": 1.0}, "T")
