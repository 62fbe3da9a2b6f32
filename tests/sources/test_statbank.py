"""The StatBank client and the framework conditions it gives (FOLK1A, AUK01), against a local
fake server in the recorded shapes."""

from __future__ import annotations

import pytest

from jobmaal.geography import load_geography
from jobmaal.sources.http import HttpSettings
from jobmaal.sources.statbank import (
    StatbankClient,
    StatbankError,
    StatbankSource,
    parse_csv,
    parse_jsonstat,
    statbank_number,
)

from .fakes import fixture, statbank_handler

FAST = HttpSettings(timeout=2.0, retries=1, backoff=0.0)
CODES = load_geography().municipality_codes


def test_csv_answer_reads_codes_and_numbers():
    rows = parse_csv("FOLK1A", fixture("statbank_data_folk1a.csv"))
    assert rows[1] == {"OMRÅDE": "101", "CIVILSTAND": "TOT", "TID": "2022K1", "INDHOLD": "644431"}


def test_a_truncated_csv_answer_is_refused():
    with pytest.raises(StatbankError, match="afkortet"):
        parse_csv("FOLK1A", "OMRÅDE;TID;INDHOLD\n101;2022K1\n")


def test_jsonstat_answer_unrolls_in_dimension_order_and_keeps_missing_as_a_mark():
    rows = parse_jsonstat("FOLK1A", fixture("statbank_jsonstat_folk1a.json"))
    assert rows == [
        {"OMRÅDE": "101", "Tid": "2022K1", "INDHOLD": "644431"},
        {"OMRÅDE": "101", "Tid": "2023K1", "INDHOLD": "653664"},
        {"OMRÅDE": "147", "Tid": "2022K1", "INDHOLD": "104305"},
        {"OMRÅDE": "147", "Tid": "2023K1", "INDHOLD": ".."},
    ]


def test_a_truncated_jsonstat_answer_is_refused():
    body = fixture("statbank_jsonstat_folk1a.json")
    body["dataset"]["value"] = body["dataset"]["value"][:3]
    with pytest.raises(StatbankError, match="afkortet"):
        parse_jsonstat("FOLK1A", body)


def fake_statbank(httpserver, *, population_missing: int | None = None, html: bool = False):
    """The fake StatBank of fakes.py on its own server."""
    if html:
        httpserver.expect_request("/v1/tableinfo/FOLK1A").respond_with_data(
            "<html><head><title>Vedligeholdelse</title></head></html>", content_type="text/html")
        return
    httpserver.expect_request("/v1/tableinfo/FOLK1A").respond_with_handler(statbank_handler())
    httpserver.expect_request("/v1/tableinfo/AUK01").respond_with_handler(statbank_handler())
    handler = statbank_handler(population_missing=population_missing)
    httpserver.expect_request("/v1/data/FOLK1A/CSV").respond_with_handler(handler)
    httpserver.expect_request("/v1/data/AUK01/CSV").respond_with_handler(handler)


def framework(httpserver, year=2023):
    with StatbankClient(base_url=httpserver.url_for(""), settings=FAST) as client:
        return StatbankSource(client, year).framework().to_pandas()


def test_framework_has_population_on_1_january_and_the_share_on_benefits(httpserver):
    fake_statbank(httpserver)
    frame = framework(httpserver)
    assert set(frame.year) == {2022, 2023}
    pop = frame[frame.variable == "befolkning"].set_index(["municipality_code", "year"]).value
    share = frame[frame.variable == "andel_offentlig_forsoergelse"].set_index(
        ["municipality_code", "year"]).value
    assert len(pop) == 2 * len(CODES)
    assert pop[(101, 2023)] == 101_000
    # mean of K1, K2 ("101,50" each) over the 51 ages 16-66 (10 × 101 each), not all ages
    assert share[(101, 2023)] == pytest.approx(100 * 101.5 / (51 * 1010))
    assert share[(101, 2023)] == pytest.approx(0.19705, abs=1e-5)
    folk1a = [e for e in httpserver.log if "FOLK1A/CSV" in e[0].path]
    assert folk1a[0][0].args["Tid"] == "2022K1,2023K1"  # first quarter only: 1 January
    assert "ALDER" not in folk1a[0][0].args and "ALDER" in folk1a[1][0].args


@pytest.mark.parametrize(("cell", "number"), [("1072,20", 1072.2), ("644431", 644431.0),
                                              ("1072.2", 1072.2), ("0,5", 0.5), ("", None)])
def test_statbank_cells_read_the_danish_decimal_comma(cell, number):
    assert statbank_number(cell) == number


def test_a_year_statbank_has_not_published_is_a_clear_error(httpserver):
    fake_statbank(httpserver)
    with pytest.raises(StatbankError, match="ingen tal for 2024 i FOLK1A.*seneste periode: 2023K2"):
        framework(httpserver, 2024)


def test_a_missing_municipality_stores_nothing(httpserver):
    fake_statbank(httpserver, population_missing=825)
    with pytest.raises(StatbankError, match="mangler 1 kommuner i 2022.*825"):
        framework(httpserver)


def test_an_html_page_instead_of_data_is_named(httpserver):
    fake_statbank(httpserver, html=True)
    with pytest.raises(StatbankError, match="HTML-side.*Vedligeholdelse"):
        framework(httpserver)


def test_cli_adds_framework_conditions_to_a_release_folder(httpserver, tmp_path, monkeypatch,
                                                          computed_release_copy):
    import json

    import pyarrow.parquet as pq

    from jobmaal.cli import main
    from jobmaal.indicators.output import read_release

    fake_statbank(httpserver)
    monkeypatch.setenv("STATBANK_BASE_URL", httpserver.url_for(""))
    assert main(["import", "statbank", "--year", "2023", "--out", str(computed_release_copy)]) == 0
    facts, manifest = read_release(computed_release_copy)  # checksum still matches
    assert {v["name"] for v in manifest["framework_variables"]} == {
        "befolkning", "andel_offentlig_forsoergelse"}
    framework_ = pq.read_table(computed_release_copy / "framework.parquet").to_pandas()
    assert set(framework_.variable) == {"befolkning", "andel_offentlig_forsoergelse"}
    assert json.loads((computed_release_copy / "manifest.json").read_text())["framework_source"][
        "tables"] == ["FOLK1A", "AUK01"]
