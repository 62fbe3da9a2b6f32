"""`jobmaal import jobindsats` end to end against the fake Jobindsats (tests/sources/fakes.py):
real-shaped tables (real-style ids, group-prefixed measures, `/…/` value ids) become a release
folder in the facts schema over API v3 and v2; a mismatch or failure stores nothing.

Hand-worked figures (fakes.counts): a municipality's numerator is 20 + len(area name) +
len(breakdown label or "I alt"), its denominator 1000 + 7·len(area name); the 190-hour group
halves the numerator (rounded down). "København Kommune" has 17 letters: total 42 / 1119.
"""

from __future__ import annotations

import json

import pyarrow.parquet as pq
import pytest

from jobmaal.cli import main
from jobmaal.facts import FACTS_SCHEMA

from .fakes import KEY, TABLES, FakeHierarchy, FakeJobindsats


@pytest.fixture
def env(monkeypatch, httpserver):
    monkeypatch.setenv("JOBINDSATS_API_KEY", KEY)
    monkeypatch.setenv("JOBINDSATS_BASE_URL", httpserver.url_for(""))
    waits: list[float] = []
    monkeypatch.setattr("jobmaal.sources.http.time.sleep", waits.append)
    return waits


def run_import(tmp_path, capsys, *extra, year="2023"):
    out = tmp_path / f"jobindsats-{year}"
    code = main(["import", "jobindsats", "--year", year, "--out", str(out), *extra])
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


def total(indicator="MM17", period="2023M01", level="kommune", code="101"):
    return dict(indicator=indicator, period=period, area_level=level, area_code=code,
                breakdown="i_alt", breakdown_value="i_alt")


@pytest.fixture
def imported(env, httpserver, tmp_path, capsys):
    fake = FakeJobindsats().install(httpserver)
    code, out, printed = run_import(tmp_path, capsys)
    assert code == 0, printed
    return fake, out, printed


# -- v3: the protocol ----------------------------------------------------------------------------

def test_v3_is_the_default_and_turns_real_shaped_tables_into_a_release(imported):
    _fake, out, printed = imported
    assert KEY not in printed
    assert pq.read_table(out / "facts.parquet").schema.names == FACTS_SCHEMA.names
    manifest = json.loads((out / "manifest.json").read_text(encoding="utf-8"))
    assert manifest["kind"] == "jobindsats" and manifest["source"]["api_version"] == 3
    assert manifest["source"]["tables"] == {"MM17": "y30r21", "MM13": "y25i01",
                                            "MM13_190": "y25i01", "MM10": "y60a02",
                                            "REKRUT": "y60c07"}
    # the Ukraine measures are only a report in Jobindsats' report bank, not an API table
    assert set(manifest["source"]["not_published"]) == {
        "MM13_SELV", "UKR_BESK", "UKR_RAADIG", "LOK_FLEXJOB", "LOK_LEDYD_FLEX", "LOK_LEDYD"}
    assert manifest["source"]["skipped_areas"]["Uoplyst kommune"] > 0
    assert "2021M12" not in manifest["periods"]  # outside 2022-2023
    assert {"2022M12", "2023M01", "2023Q1", "2022", "2023"} <= set(manifest["periods"])
    assert KEY not in (out / "manifest.json").read_text(encoding="utf-8")


def test_v3_requests_carry_bearer_format_measure_group_period_type_and_hierarchies(imported):
    fake, _out, _printed = imported
    assert all(r.headers["Authorization"] == f"Bearer {KEY}" for r in fake.requests)
    assert all(r.args["format"] == "json" for r in fake.requests)
    assert [r.path for r in fake.requests[:4]] == ["/v3/table/y30r21", "/v3/table/y25i01",
                                                   "/v3/table/y60c07", "/v3/table/y60a02"]  # once each
    mm17 = [r.args for r in fake.data_requests() if r.path == "/v3/data/y30r21"
            and "page" not in r.args]
    assert len(mm17) == 4  # the total and three breakdowns, one chunk of months
    for args in mm17:
        assert args["mgroup.*"] == "*" and args["hierarchy._nykom"] == "*"
        assert args["period.M"] == "2022M12,2023M01,2023M02,2023M03"
        assert args["hierarchy._herkomst"] == "/"  # required, not mapped: its total
    by_group = next(a for a in mm17 if a["hierarchy._ygrp_y30r21"] != "/")
    assert by_group["hierarchy._ygrp_y30r21"] == "/1/,/2/,/3/,/4/"  # not Sygedagpenge /5/
    assert by_group["hierarchy._kon"] == "/" and by_group["hierarchy._alder"] == "/"
    mm10 = [r.args for r in fake.data_requests() if r.path == "/v3/data/y60a02"]
    assert {a["period.Å"] for a in mm10} == {"2022,2023"}


def test_a_large_answer_is_read_page_by_page(imported):
    fake, out, _printed = imported
    pages = [r for r in fake.data_requests() if r.args.get("page") == "2"]
    assert pages  # 4 months × 103 areas = 412 rows, 400 a page
    # Vallensbæk's job centre is near the end of the area list, so on the second page
    row = one(facts_of(out), **total(period="2023M03", level="jobcenter", code="187"))
    assert (row.numerator, row.denominator) == (45, 1140)


# -- v3: the figures ------------------------------------------------------------------------------

def test_mm17_keeps_the_published_numbers_and_its_benefit_group_breakdown(imported):
    _fake, out, _printed = imported
    facts = facts_of(out)
    cph = one(facts, **total())
    assert (cph.numerator, cph.denominator, cph.value) == (42, 1119, 3.8)  # "3,8" as published
    kh = one(facts, indicator="MM17", period="2023M01", area_level="kommune", area_code="101",
             breakdown="ydelsesgruppe", breakdown_value="kontanthjaelp")
    assert (kh.numerator, kh.denominator, kh.value) == (20 + 17 + 12, 1119, 4.4)
    groups = facts[(facts.indicator == "MM17") & (facts.breakdown == "ydelsesgruppe")
                   & (facts.area_level == "kommune") & (facts.area_code == "101")
                   & (facts.period == "2023M01")]
    assert sorted(groups.breakdown_value) == ["adagpenge", "kontanthjaelp", "ledighedsydelse",
                                              "uddannelseshjaelp"]
    women = one(facts, indicator="MM17", period="2023M01", area_level="kommune", area_code="101",
                breakdown="koen", breakdown_value="k")
    assert women.numerator == 20 + 17 + len("Kvinder")
    land = one(facts, **total(level="land", code="DK"))
    assert (land.numerator, land.denominator, land.value) == (5000, 100000, 5.0)


def test_mm13_and_mm13_190_come_from_the_two_measure_groups_of_one_table(imported):
    _fake, out, _printed = imported
    facts = facts_of(out)
    mm13 = one(facts, **total("MM13"))
    assert (mm13.numerator, mm13.denominator, mm13.value) == (42, 1119, 3.8)
    mm190 = one(facts, **total("MM13_190"))
    assert (mm190.numerator, mm190.denominator, mm190.value) == (21, 1119, 1.9)
    men = one(facts, indicator="MM13_190", period="2023M01", area_level="kommune", area_code="101",
              breakdown="koen", breakdown_value="m")
    assert men.numerator == (20 + 17 + len("Mænd")) // 2
    settled = one(facts, indicator="MM13", period="2023M01", area_level="kommune", area_code="101",
                  breakdown="opholdstid", breakdown_value="10+")
    assert settled.numerator == 20 + 17 + len("10 år og derover")


def test_hidden_cells_are_suppressed_rows_without_numbers(imported):
    _fake, out, _printed = imported
    facts = facts_of(out)
    for code in ("825", "563"):  # Læsø "-", Fanø ".."
        hidden = one(facts, **total(code=code))
        assert hidden.suppressed
        assert all(hidden[c] != hidden[c] or hidden[c] is None
                   for c in ("numerator", "denominator", "value"))
    # Læsø hides Region Nordjylland's sum; Fanø hides Sydjylland's
    mm17 = facts[facts.indicator == "MM17"]
    assert mm17[(mm17.area_level == "region") & (mm17.area_code == "081")].empty
    assert mm17[(mm17.area_level == "rar") & (mm17.area_code == "Sydjylland")].empty


def test_published_jobcenter_vallensbaek_and_ishoj_rows_are_recognised(imported):
    _fake, out, _printed = imported
    facts = facts_of(out)
    vallensbaek = one(facts, **total(level="jobcenter", code="187"))
    assert (vallensbaek.numerator, vallensbaek.denominator) == (45, 1140)  # "Jobcenter Vallensbæk"
    ishoj = one(facts, **total(level="jobcenter", code="183"))
    assert (ishoj.numerator, ishoj.denominator) == (40, 1105)  # "Jobcenter Ishøj"


def test_a_2022_import_keeps_only_the_job_centres_of_2021_in_2021(env, httpserver, tmp_path, capsys):
    FakeJobindsats().install(httpserver)
    code, out, printed = run_import(tmp_path, capsys, "--indicator", "MM17", year="2022")
    assert code == 0, printed
    facts = facts_of(out)
    assert facts[(facts.period == "2021M12") & (facts.area_level == "jobcenter")
                 & (facts.area_code == "183")].empty  # Ishøj had no job centre of its own
    row = one(facts, **total(period="2021M12", level="jobcenter", code="187"))
    assert (row.numerator, row.denominator) == (45, 1140)
    assert one(facts, **total(period="2022M12", level="jobcenter", code="183")).numerator == 40
    manifest = json.loads((out / "manifest.json").read_text(encoding="utf-8"))
    assert manifest["source"]["skipped_areas"]["Jobcenter Ishøj (2021)"] == 1 + 4 + 2 + 3  # per request


# -- v2 ------------------------------------------------------------------------------------------

def test_the_same_import_over_v2_reads_group_prefixed_labels_and_table_named_dimensions(
        env, httpserver, tmp_path, capsys):
    fake = FakeJobindsats().install(httpserver)
    code, out, printed = run_import(tmp_path, capsys, "--api-version", "2")
    assert code == 0, printed
    assert all(r.path.startswith("/v2/") and r.headers["Authorization"] == KEY for r in fake.requests)
    by_group = next(r.get_json() for r in fake.data_requests()
                    if r.path == "/v2/data/y30r21/json"
                    and r.get_json()["_ygrp_y30r21"] != ["Ydelsesgrupper i alt"])
    assert by_group["_ygrp_y30r21"] == ["A-dagpenge", "Kontanthjælp", "Uddannelseshjælp",
                                        "Ledighedsydelse"]
    assert by_group["_kon"] == ["Køn i alt"] and by_group["area"] == "*"
    facts = facts_of(out)
    assert (one(facts, **total()).numerator, one(facts, **total()).value) == (42, 3.8)
    assert one(facts, **total("MM13_190")).numerator == 21
    kh = one(facts, indicator="MM17", period="2023M01", area_level="kommune", area_code="101",
             breakdown="ydelsesgruppe", breakdown_value="kontanthjaelp")
    assert kh.numerator == 49


# -- mismatches stop the import and list what the table offers ------------------------------------

def test_a_dimension_the_table_lacks_lists_the_tables_dimensions(env, httpserver, tmp_path, capsys,
                                                                 monkeypatch):
    table = TABLES["y30r21"]
    renamed = FakeHierarchy("_ytype", "Ydelsestyper", "Ydelsestyper i alt", ("A-dagpenge",))
    monkeypatch.setitem(TABLES, "y30r21", table.__class__(
        **{**table.__dict__, "hierarchies": (renamed, *table.hierarchies[1:])}))
    FakeJobindsats().install(httpserver)
    code, out, printed = run_import(tmp_path, capsys)
    assert code == 2 and not out.exists()
    assert "har ikke dimensionen «Ydelsesgrupper»" in printed
    assert "«Ydelsestyper» (_ytype)" in printed and "«Køn» (_kon)" in printed


def test_a_breakdown_value_the_table_lacks_lists_its_values(env, httpserver, tmp_path, capsys,
                                                            monkeypatch):
    table = TABLES["y60a02"]
    other = FakeHierarchy("_samarbejde", "Samarbejde", "Samarbejde i alt", ("Eget", "Andre"))
    monkeypatch.setitem(TABLES, "y60a02", table.__class__(**{**table.__dict__,
                                                              "hierarchies": (other,)}))
    FakeJobindsats().install(httpserver)
    code, _out, printed = run_import(tmp_path, capsys, "--indicator", "MM10")
    assert code == 2
    assert "har ikke «Med eget jobcenter», «Med andre jobcentre»" in printed
    assert "«Samarbejde i alt», «Eget», «Andre»" in printed


def test_a_measure_the_table_lacks_lists_the_measures(env, httpserver, tmp_path, capsys, monkeypatch):
    table = TABLES["y60a02"]
    measures = (("Virksomheder", "Andel (pct.)"), *table.measures[1:])
    monkeypatch.setitem(TABLES, "y60a02", table.__class__(**{**table.__dict__, "measures": measures}))
    FakeJobindsats().install(httpserver)
    code, _out, printed = run_import(tmp_path, capsys, "--indicator", "MM10")
    assert code == 2
    assert "har ikke målet «Samarbejdsgrad (pct.)»" in printed
    assert "«Virksomheder: Andel (pct.)»" in printed


# -- failures -------------------------------------------------------------------------------------

def test_429_waits_as_retry_after_says_and_the_import_goes_on(env, httpserver, tmp_path, capsys):
    fake = FakeJobindsats(fail="429").install(httpserver)
    code, out, printed = run_import(tmp_path, capsys)
    assert code == 0, printed
    assert env == [7.0]
    assert one(facts_of(out), **total()).numerator == 42
    assert len(fake.data_requests()) > 1


@pytest.mark.parametrize(("fail", "message"), [
    ("html", "HTML-side («503 Service Unavailable»)"),
    ("cutoff", "ikke er gyldig JSON"),
])
def test_an_html_page_or_a_cut_off_body_stores_nothing(env, httpserver, tmp_path, capsys, fail,
                                                        message):
    FakeJobindsats(fail=fail).install(httpserver)
    code, out, printed = run_import(tmp_path, capsys)
    assert code == 2
    assert message in printed and not out.exists()


def test_a_server_error_midway_stores_nothing_and_keeps_the_old_folder(env, httpserver, tmp_path,
                                                                       capsys):
    out = tmp_path / "jobindsats-2023"
    out.mkdir()
    (out / "manifest.json").write_text('{"old": true}', encoding="utf-8")
    FakeJobindsats(failing_table="y25i01").install(httpserver)
    code, _, printed = run_import(tmp_path, capsys)
    assert code == 2
    assert "HTTP 500" in printed and "opgivet efter 5 forsøg" in printed
    assert json.loads((out / "manifest.json").read_text(encoding="utf-8")) == {"old": True}
    assert not any(p.name.startswith(".jobindsats-2023.tmp") for p in tmp_path.iterdir())


def test_a_wrong_key_stops_the_import_with_a_plain_message(env, httpserver, tmp_path, capsys,
                                                          monkeypatch):
    monkeypatch.setenv("JOBINDSATS_API_KEY", "expired-key-0042")
    FakeJobindsats().install(httpserver)
    code, out, printed = run_import(tmp_path, capsys)
    assert code == 2
    assert "nøglen er forkert eller udløbet" in printed
    assert "expired-key-0042" not in printed
    assert not out.exists()


def test_a_key_with_letters_no_key_has_is_refused_before_any_request(env, httpserver, tmp_path,
                                                                     capsys, monkeypatch):
    monkeypatch.setenv("JOBINDSATS_API_KEY", "nøgle")
    FakeJobindsats().install(httpserver)
    code, out, printed = run_import(tmp_path, capsys)
    assert code == 2 and "kopiér den igen" in printed and "nøgle\n" not in printed
    assert httpserver.log == [] and not out.exists()


def test_one_indicator_can_be_imported_alone(env, httpserver, tmp_path, capsys):
    FakeJobindsats().install(httpserver)
    code, out, printed = run_import(tmp_path, capsys, "--indicator", "MM10")
    assert code == 0, printed
    assert set(facts_of(out).indicator) == {"MM10"}


# -- finding tables ------------------------------------------------------------------------------

def test_list_tables_shows_real_table_ids_and_names(env, httpserver, capsys):
    FakeJobindsats().install(httpserver)
    assert main(["import", "jobindsats", "--list-tables"]) == 0
    printed = capsys.readouterr().out
    assert "y30r21\tMinisterens mål: Opkvalificering af ledige" in printed
    assert "y25i01\tFlygtninge og familiesammenførte i beskæftigelse\t(Beskæftigelsesindsats / " \
           "Integration)" in printed


def test_find_searches_table_names_for_every_word(env, httpserver, capsys):
    FakeJobindsats().install(httpserver)
    assert main(["import", "jobindsats", "--find", "flygtninge", "BESKÆFTIGELSE"]) == 0
    printed = capsys.readouterr().out
    assert "y25i01" in printed and "y30r21" not in printed
    assert "1 tabeller med «flygtninge BESKÆFTIGELSE»" in printed


def test_survey_rounds_published_by_posting_window_land_on_half_year_codes(imported):
    fake, out, _printed = imported
    facts = facts_of(out)
    rounds = facts[(facts.indicator == "REKRUT") & (facts.area_level == "land")]
    assert sorted(rounds.period) == ["2022H1", "2022H2", "2023H1", "2023H2"]  # not 2021H2
    asked = [r.args["period.H"] for r in fake.data_requests() if r.path == "/v3/data/y60c07"]
    assert asked == ["2021M12-2022M05,2022M06-2022M11,2022M12-2023M05,2023M06-2023M11"]
    fyn = one(facts, **total("REKRUT", "2022H1", "rar", "Fyn"))  # "RAR Fyn": 7 letters
    assert (fyn.numerator, fyn.denominator) == (20 + 7 + 5, 1000 + 7 * 7)
    assert set(facts[facts.indicator == "REKRUT"].area_level) == {"rar", "land"}


def test_the_whole_import_with_statbank_adds_the_share_on_benefits_of_16_to_66(
        env, httpserver, tmp_path, capsys, monkeypatch):
    monkeypatch.setenv("STATBANK_BASE_URL", httpserver.url_for(""))
    FakeJobindsats().install(httpserver)
    code, out, printed = run_import(tmp_path, capsys, "--indicator", "MM10", "--statbank")
    assert code == 0, printed
    frame = pq.read_table(out / "framework.parquet").to_pandas()
    share = frame[(frame.variable == "andel_offentlig_forsoergelse") & (frame.municipality_code == 101)
                  & (frame.year == 2023)].value.item()
    assert share == pytest.approx(100 * 101.5 / (51 * 1010))  # "101,50" over 51 ages × 1010


def test_an_import_without_a_year_asks_for_one(env, httpserver, capsys):
    FakeJobindsats().install(httpserver)
    assert main(["import", "jobindsats"]) == 2
    assert "Angiv --year" in capsys.readouterr().err
