"""`jobmaal import jobindsats` end to end against a fake Jobindsats: the catalogue's tables
become a release folder in the facts schema, and a failure stores nothing."""

from __future__ import annotations

import json

import pyarrow.parquet as pq
import pytest
from werkzeug import Request, Response

from jobmaal.cli import main
from jobmaal.indicators.engine import FACTS_SCHEMA

from .fakes import KEY, data_answer, table_info

PERIODS = {"mm17": ["2022M12", "2023M01", "2023M02", "2023M03", "2021M12"],
           "mm13": ["2023M01"], "mm10": ["2022", "2023"]}
TABLE_INDICATOR = {"mm17": "MM17", "mm13": "MM13", "mm10": "MM10"}


def value_of(area: str, period: str, label: str):
    if area.startswith("Læsø"):
        return "-"
    if area.startswith("Fanø"):
        return ".."
    if area == "Hele landet":
        return (5000, 100000)
    return (20 + len(area) + len(label), 1000 + 7 * len(area))


def fake_jobindsats(httpserver, *, failing_table: str | None = None):
    def handler(request: Request) -> Response:
        if request.headers.get("Authorization") != KEY:
            return Response(json.dumps({"Forkert nøgle eller nøglen er udløbet.": ""}),
                            content_type="application/json")
        parts = request.path.strip("/").split("/")
        if parts[:2] == ["v2", "tables"] and len(parts) == 4:
            table = parts[2]
            return Response(json.dumps(table_info(TABLE_INDICATOR[table], PERIODS[table])),
                            content_type="application/json")
        if parts[:2] == ["v2", "data"]:
            table = parts[2]
            if table == failing_table:
                return Response("intern fejl", status=500)
            body = request.get_json()
            return Response(json.dumps(data_answer(TABLE_INDICATOR[table], body, value_of)),
                            content_type="application/json")
        return Response("", status=404)

    from pytest_httpserver.httpserver import URIPattern

    class Any(URIPattern):
        def match(self, uri: str) -> bool:
            return True

    httpserver.clear()
    httpserver.expect_request(Any()).respond_with_handler(handler)


@pytest.fixture
def env(monkeypatch, httpserver):
    monkeypatch.setenv("JOBINDSATS_API_KEY", KEY)
    monkeypatch.setenv("JOBINDSATS_BASE_URL", httpserver.url_for(""))
    monkeypatch.setattr("jobmaal.sources.http.time.sleep", lambda s: None)


def run_import(tmp_path, capsys, *extra):
    out = tmp_path / "jobindsats-2023"
    code = main(["import", "jobindsats", "--year", "2023", "--out", str(out), *extra])
    captured = capsys.readouterr()
    return code, out, captured.out + captured.err


def facts_of(out):
    return pq.read_table(out / "facts.parquet").to_pandas()


def one(frame, **where):
    mask = True
    for column, value in where.items():
        mask = mask & (frame[column] == value)
    rows = frame[mask]
    assert len(rows) == 1, (where, len(rows))
    return rows.iloc[0]


def test_one_command_turns_jobindsats_into_a_release_folder(env, httpserver, tmp_path, capsys):
    fake_jobindsats(httpserver)
    code, out, printed = run_import(tmp_path, capsys)
    assert code == 0, printed
    assert KEY not in printed
    table = pq.read_table(out / "facts.parquet")
    assert table.schema.names == FACTS_SCHEMA.names
    manifest = json.loads((out / "manifest.json").read_text(encoding="utf-8"))
    assert manifest["kind"] == "jobindsats" and manifest["year"] == 2023
    assert manifest["fetched"] and manifest["source"]["tables"] == {"MM17": "mm17", "MM13": "mm13",
                                                                    "MM10": "mm10"}
    assert manifest["source"]["skipped_areas"]["Uoplyst kommune"] > 0
    # the Ukraine measures are only a report in Jobindsats' report bank, not an API table
    assert set(manifest["source"]["not_published"]) == {"MM13_190", "MM13_SELV", "REKRUT",
                                                       "UKR_BESK", "UKR_RAADIG"}
    assert "2021M12" not in manifest["periods"]  # outside 2022-2023
    assert {"2022M12", "2023M01", "2023Q1", "2022", "2023"} <= set(manifest["periods"])
    assert KEY not in (out / "manifest.json").read_text(encoding="utf-8")


def test_figures_keep_the_published_numbers_and_suppression(env, httpserver, tmp_path, capsys):
    fake_jobindsats(httpserver)
    code, out, printed = run_import(tmp_path, capsys)
    assert code == 0, printed
    facts = facts_of(out)
    total = dict(breakdown="i_alt", breakdown_value="i_alt", indicator="MM17", period="2023M01")
    cph = one(facts, area_level="kommune", area_code="101", **total)
    num, den = 20 + len("København Kommune") + len("I alt"), 1000 + 7 * len("København Kommune")
    assert (cph.numerator, cph.denominator) == (num, den)
    assert cph.value == round(100 * num / den, 1)  # the published, rounded share
    for code_ in ("825", "563"):  # Læsø "-", Fanø ".."
        hidden = one(facts, area_level="kommune", area_code=code_, **total)
        assert hidden.suppressed and hidden.value is None or pd_isna(hidden.value)
        assert pd_isna(hidden.numerator) and pd_isna(hidden.denominator)
    land = one(facts, area_level="land", area_code="DK", **total)
    assert (land.numerator, land.denominator, land.value) == (5000, 100000, 5.0)
    women = one(facts, area_level="kommune", area_code="101", indicator="MM17", period="2023M01",
                breakdown="koen", breakdown_value="k")
    assert women.numerator == 20 + len("København Kommune") + len("Kvinder")


def test_missing_areas_and_periods_are_summed_only_from_fully_shown_members(env, httpserver, tmp_path,
                                                                             capsys):
    fake_jobindsats(httpserver)
    code, out, printed = run_import(tmp_path, capsys)
    assert code == 0, printed
    facts = facts_of(out)
    total = dict(breakdown="i_alt", breakdown_value="i_alt", indicator="MM17")
    bornholm = one(facts, area_level="rar", area_code="Bornholm", period="2023M01", **total)
    num, den = 20 + len("Bornholm Kommune") + 5, 1000 + 7 * len("Bornholm Kommune")
    assert (bornholm.numerator, bornholm.denominator) == (num, den)
    assert bornholm.value == pytest.approx(100 * num / den)
    # Læsø is hidden, so Region Nordjylland has no honest sum; Fanø hides Sydjylland's
    assert facts[(facts.area_level == "region") & (facts.area_code == "081")].empty
    assert facts[(facts.area_level == "rar") & (facts.area_code == "Sydjylland")].empty
    quarter = one(facts, area_level="kommune", area_code="101", period="2023Q1", **total)
    assert quarter.numerator == 3 * (20 + len("København Kommune") + 5)
    assert quarter.provisional
    assert facts[(facts.period == "2022Q4")].empty  # only December of 2022 was published
    december = one(facts, area_level="kommune", area_code="101", period="2022M12", **total)
    assert not december.provisional


def test_a_server_error_midway_stores_nothing_and_keeps_the_old_folder(env, httpserver, tmp_path, capsys):
    out = tmp_path / "jobindsats-2023"
    out.mkdir()
    (out / "manifest.json").write_text('{"old": true}', encoding="utf-8")
    fake_jobindsats(httpserver, failing_table="mm13")
    code, _, printed = run_import(tmp_path, capsys)
    assert code == 2
    assert "HTTP 500" in printed and "opgivet efter 5 forsøg" in printed
    assert json.loads((out / "manifest.json").read_text(encoding="utf-8")) == {"old": True}
    assert not any(p.name.startswith(".jobindsats-2023.tmp") for p in tmp_path.iterdir())


def test_a_wrong_key_stops_the_import_with_a_plain_message(env, httpserver, tmp_path, capsys, monkeypatch):
    monkeypatch.setenv("JOBINDSATS_API_KEY", "expired-key-0042")
    fake_jobindsats(httpserver)
    code, out, printed = run_import(tmp_path, capsys)
    assert code == 2
    assert "nøglen er forkert eller udløbet" in printed
    assert "expired-key-0042" not in printed
    assert not out.exists()


def test_a_key_with_letters_no_key_has_is_refused_before_any_request(env, httpserver, tmp_path, capsys,
                                                                     monkeypatch):
    monkeypatch.setenv("JOBINDSATS_API_KEY", "nøgle")
    fake_jobindsats(httpserver)
    code, out, printed = run_import(tmp_path, capsys)
    assert code == 2 and "kopiér den igen" in printed and "nøgle\n" not in printed
    assert httpserver.log == [] and not out.exists()


def test_one_indicator_can_be_imported_alone(env, httpserver, tmp_path, capsys):
    fake_jobindsats(httpserver)
    code, out, printed = run_import(tmp_path, capsys, "--indicator", "MM10")
    assert code == 0, printed
    assert set(facts_of(out).indicator) == {"MM10"}


def pd_isna(value) -> bool:
    return value is None or value != value
