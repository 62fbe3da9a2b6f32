"""The open API (jobmaal.web.api) against one small synthetic release loaded once per module.

The API is mounted by this module's own `urlpatterns` (pytest.mark.urls), so the tests hold
whether or not the site's urls.py includes it yet.
"""

from __future__ import annotations

import math
from datetime import UTC, datetime, timedelta
from typing import get_args

import pandas as pd
import pyarrow.parquet as pq
import pytest
from django.urls import path

from jobmaal.geography import AREA_LEVELS, load_geography
from jobmaal.periods import PERIOD_KINDS, Period
from jobmaal.web.api import api
from jobmaal.web.api_schemas import AreaLevel, PeriodKind
from jobmaal.web.models import ExpectedLevel, Fact, PeerLink, Release

urlpatterns = [path("api/", api.urls)]

pytestmark = [pytest.mark.django_db, pytest.mark.urls(__name__)]

CPH = "101"


@pytest.fixture(scope="module")
def facts_table(computed_release_dir) -> pd.DataFrame:
    """The facts file the release was loaded from, to hand-check the API's answers."""
    return pq.read_table(computed_release_dir / "facts.parquet").to_pandas()


@pytest.fixture
def release(loaded_release) -> Release:
    return Release.objects.get(pk=loaded_release.pk)


def get(client, url: str, status: int = 200, **params):
    response = client.get(url, params)
    assert response.status_code == status, response.content
    return response.json()


def rows_of(facts: pd.DataFrame, **where) -> pd.DataFrame:
    mask = pd.Series(True, index=facts.index)
    for column, value in where.items():
        mask &= facts[column].isin(value) if isinstance(value, list) else facts[column] == value
    return facts[mask]


def num(x) -> float | None:
    return None if x is None or (isinstance(x, float) and math.isnan(x)) else float(x)


# -- catalogue and areas ---------------------------------------------------------------------

def test_catalogue_gives_the_years_goals_and_indicators(client):
    body = get(client, "/api/catalogue/2023")
    assert body["year"] == 2023
    assert [g["number"] for g in body["goals"]] == [1, 2, 3, 4, 5]
    ids = [i["id"] for i in body["indicators"]]
    assert {"MM17", "MM13", "MM13_190", "MM13_SELV", "REKRUT", "MM10"} <= set(ids)
    mm17 = next(i for i in body["indicators"] if i["id"] == "MM17")
    assert mm17["periodicity"] == "month" and mm17["direction"] == "up"
    assert [b["id"] for b in mm17["breakdowns"]] == ["ydelsesgruppe", "koen", "alder"]


def test_catalogue_of_an_unknown_year_is_404_naming_the_year(client):
    body = get(client, "/api/catalogue/1999", 404)
    assert body["parameter"] == "year"
    assert "1999" in body["detail"] and "2023" in body["detail"]


def test_catalogue_year_that_is_no_number_is_422(client):
    body = get(client, "/api/catalogue/abc", 422)
    assert body["detail"][0]["loc"][-1] == "year"


@pytest.mark.parametrize(("level", "count"), [
    ("kommune", 98), ("jobcenter", 95), ("rar", 8), ("region", 5), ("land", 1)])
def test_areas_of_a_level_are_all_areas_of_that_level(client, level, count):
    body = get(client, "/api/areas", level=level)
    assert len(body) == count
    assert {a["level"] for a in body} == {level}


def test_areas_without_level_are_every_level(client):
    assert len(get(client, "/api/areas")) == 98 + 95 + 8 + 5 + 1


def test_municipalities_carry_their_jobcenter_rar_and_region(client):
    body = {a["code"]: a for a in get(client, "/api/areas", level="kommune")}
    assert body[CPH] == {"level": "kommune", "code": CPH, "name": "København",
                         "jobcenter_code": "101", "rar_code": "Hovedstaden", "region_code": "084"}
    assert body["563"]["jobcenter_code"] == "561"  # Fanø is served by Esbjerg's job centre
    region = get(client, "/api/areas", level="region")[0]
    assert region["jobcenter_code"] is None and region["rar_code"] is None


def test_areas_of_an_unknown_level_is_422_naming_level(client):
    body = get(client, "/api/areas", 422, level="sogn")
    assert body["detail"][0]["loc"] == ["query", "level"]


def test_the_apis_literal_types_match_the_domain_lists():
    assert get_args(AreaLevel) == AREA_LEVELS
    assert get_args(PeriodKind) == PERIOD_KINDS


# -- releases -------------------------------------------------------------------------------

def test_releases_list_every_release_with_its_provenance(client, release):
    body = get(client, "/api/releases")
    assert body[0]["id"] == release.pk  # newest first
    item = body[0]
    assert item["year"] == 2023 and item["catalogue_year"] == 2023
    assert item["kind"] == "computed" and item["synthetic"] is True and item["is_active"] is True
    assert item["row_count"] == Fact.objects.filter(release=release).count()
    assert item["facts_sha256"] == release.manifest["facts_sha256"]
    assert item["periods"] == release.manifest["periods"]
    assert "source_folder" not in item  # a server path
    assert datetime.fromisoformat(item["created"]) == release.created
    loaded_at = datetime.fromisoformat(item["loaded_at"])  # JSON keeps milliseconds
    assert abs(loaded_at - release.loaded_at) < timedelta(milliseconds=1)


def test_release_detail_includes_its_manifest_without_server_paths(client, release):
    body = get(client, f"/api/releases/{release.pk}")
    expected = {**release.manifest, "source": {k: v for k, v in release.manifest["source"].items()
                                               if k != "folder"}}
    assert release.manifest["source"]["folder"] and body["manifest"] == expected
    assert "source_folder" not in body
    assert body["name"] == release.name


def test_unknown_release_is_404_naming_release(client, release):
    body = get(client, f"/api/releases/{release.pk + 1000}", 404)
    assert body["parameter"] == "release_id" and str(release.pk + 1000) in body["detail"]


# -- facts ----------------------------------------------------------------------------------

def test_facts_default_to_the_active_release_first_page(client, release, facts_table):
    body = get(client, "/api/facts")
    assert body["count"] == len(facts_table) == release.row_count
    assert (body["limit"], body["offset"]) == (1000, 0)
    assert body["release"] == {"id": release.pk, "name": release.name, "synthetic": True}
    assert len(body["items"]) == 1000
    # + each figure's source and a survey round's posting window
    assert set(body["items"][0]) == {*facts_table.columns, "source", "period_window"}
    assert body["items"][0]["source"] == "computed"


def test_mm17_of_one_municipality_in_totals_has_38_periods(client):
    body = get(client, "/api/facts", indicator="MM17", area_level="kommune", area_code=CPH,
               breakdown="i_alt")
    assert body["count"] == 38  # 2 years × (12 months + 4 quarters + 2 halves + 1 year)
    assert {i["area_code"] for i in body["items"]} == {CPH}
    assert {i["breakdown"] for i in body["items"]} == {"i_alt"}


def test_a_month_range_gives_months_only(client):
    body = get(client, "/api/facts", indicator="MM17", area_level="kommune", area_code=CPH,
               breakdown="i_alt", period_from="2023M01", period_to="2023M12")
    assert body["count"] == 12
    assert sorted(i["period"] for i in body["items"]) == [f"2023M{m:02d}" for m in range(1, 13)]
    body = get(client, "/api/facts", indicator="MM17", area_level="kommune", area_code=CPH,
               breakdown="i_alt", period_from="2023M01", period_to="2023M06")
    assert sorted(i["period"] for i in body["items"]) == [f"2023M{m:02d}" for m in range(1, 7)]


def test_an_open_range_runs_to_the_end_of_the_release(client):
    body = get(client, "/api/facts", indicator="MM17", area_level="land", breakdown="i_alt",
               period_from="2022Q3")
    assert [i["period"] for i in sorted(body["items"], key=lambda i: i["period"])] == [
        "2022Q3", "2022Q4", "2023Q1", "2023Q2", "2023Q3", "2023Q4"]
    body = get(client, "/api/facts", indicator="MM17", area_level="land", breakdown="i_alt",
               period_to="2022H2")
    assert sorted(i["period"] for i in body["items"]) == ["2022H1", "2022H2"]


@pytest.mark.parametrize(("kind", "count"), [("month", 24), ("quarter", 8), ("half_year", 4),
                                             ("year", 2)])
def test_period_kind_keeps_periods_of_that_kind(client, kind, count):
    body = get(client, "/api/facts", indicator="MM13", area_level="land", breakdown="i_alt",
               period_kind=kind)
    assert body["count"] == count
    assert {Period.parse(i["period"]).kind for i in body["items"]} == {kind}


@pytest.mark.parametrize("params", [
    {"indicator": "MM13"},
    {"indicator": ["MM13", "MM17"], "area_level": "kommune", "area_code": [CPH, "147"],
     "breakdown": "i_alt", "period_from": "2023", "period_to": "2023"},
    {"indicator": "MM17", "breakdown": "koen", "area_level": "region"},
    {"indicator": "MM10", "breakdown": "samarbejde"},
    {"area_level": "rar", "period_kind": "half_year"},
    {"area_code": "Hovedstaden"},
    {"indicator": "REKRUT"},
])
def test_facts_counts_equal_the_facts_file(client, facts_table, params):
    body = get(client, "/api/facts", **params)
    where = {k: v for k, v in params.items() if k in facts_table.columns}
    expected = rows_of(facts_table, **where)
    if "period_kind" in params:
        expected = expected[[Period.parse(p).kind == params["period_kind"]
                             for p in expected["period"]]]
    if "period_from" in params:
        expected = expected[expected["period"] == params["period_from"]]
    assert body["count"] == len(expected) > 0


def test_repeated_indicator_and_area_code_are_all_served(client):
    body = get(client, "/api/facts", indicator=["MM13", "MM17"], area_level="kommune",
               area_code=[CPH, "147"], breakdown="i_alt", period_from="2023", period_to="2023")
    assert body["count"] == 4
    assert {(i["indicator"], i["area_code"]) for i in body["items"]} == {
        ("MM13", CPH), ("MM13", "147"), ("MM17", CPH), ("MM17", "147")}


def test_pages_follow_each_other_without_gaps(client):
    params = {"indicator": "MM17", "area_level": "kommune", "breakdown": "i_alt",
              "period_kind": "month"}
    whole = get(client, "/api/facts", limit=25, **params)
    first = get(client, "/api/facts", limit=10, offset=0, **params)
    second = get(client, "/api/facts", limit=15, offset=10, **params)
    assert whole["count"] == first["count"] == second["count"] == 98 * 24
    assert first["items"] + second["items"] == whole["items"]
    assert (second["limit"], second["offset"]) == (15, 10)
    beyond = get(client, "/api/facts", offset=98 * 24, **params)
    assert beyond["items"] == [] and beyond["count"] == 98 * 24


def test_limit_up_to_the_maximum_is_served_and_above_it_is_400(client, settings):
    settings.JOBMAAL_API_MAX_ROWS = 50
    assert len(get(client, "/api/facts", limit=50)["items"]) == 50
    body = get(client, "/api/facts", 400, limit=51)
    assert body["parameter"] == "limit" and "50" in body["detail"]


@pytest.mark.parametrize(("params", "name"), [({"limit": 0}, "limit"), ({"offset": -1}, "offset"),
                                              ({"period_kind": "week"}, "period_kind"),
                                              ({"area_level": "sogn"}, "area_level"),
                                              ({"release": "x"}, "release")])
def test_values_outside_the_schema_are_422_naming_the_parameter(client, release, params, name):
    body = get(client, "/api/facts", 422, **params)
    assert body["detail"][0]["loc"] == ["query", name]


@pytest.mark.parametrize(("params", "name", "words"), [
    ({"indicator": "MM99"}, "indicator", "MM99"),
    ({"indicator": ["MM13", "mm17"]}, "indicator", "mm17"),
    ({"period_from": "2023M13"}, "period_from", "2023M13"),
    ({"period_to": "juni"}, "period_to", "juni"),
    ({"period_from": "2023M01", "period_to": "2023Q2"}, "period_to", "one kind"),
    ({"period_from": "2023M01", "period_kind": "year"}, "period_kind", "month"),
    ({"area_code": "999"}, "area_code", "999"),
    ({"area_level": "region", "area_code": CPH}, "area_code", "region"),
    ({"breakdown": "farve"}, "breakdown", "farve"),
    ({"indicator": "MM13", "breakdown": "ydelsesgruppe"}, "breakdown", "ydelsesgruppe"),
])
def test_bad_filters_are_400_naming_the_parameter(client, release, params, name, words):
    body = get(client, "/api/facts", 400, **params)
    assert body["parameter"] == name
    assert body["detail"].startswith(f"{name}: ") and words in body["detail"]


def test_suppressed_rows_stay_null_never_zero(client, facts_table):
    hidden = rows_of(facts_table, area_level="kommune", breakdown="i_alt", suppressed=True).iloc[0]
    body = get(client, "/api/facts", indicator=hidden["indicator"], area_level="kommune",
               area_code=hidden["area_code"], breakdown="i_alt", period_from=hidden["period"],
               period_to=hidden["period"])
    assert body["count"] == 1
    row = body["items"][0]
    assert row["suppressed"] is True
    assert row["numerator"] is None and row["denominator"] is None and row["value"] is None
    page = get(client, "/api/facts", indicator="MM17", area_level="kommune", limit=5000)
    assert any(i["suppressed"] for i in page["items"])
    for item in page["items"]:
        if item["suppressed"]:
            assert (item["numerator"], item["denominator"], item["value"]) == (None, None, None)


def test_a_shown_rows_numbers_equal_the_facts_file(client, facts_table):
    want = rows_of(facts_table, indicator="MM13", area_level="kommune", area_code=CPH,
                   breakdown="i_alt", period="2023M06").iloc[0]
    item = get(client, "/api/facts", indicator="MM13", area_level="kommune", area_code=CPH,
               breakdown="i_alt", period_from="2023M06", period_to="2023M06")["items"][0]
    assert item["numerator"] == want["numerator"] and item["denominator"] == want["denominator"]
    assert item["value"] == pytest.approx(want["value"])
    assert item["provisional"] == bool(want["provisional"])


def test_release_parameter_chooses_a_release_that_is_not_active(client, release):
    other = Release.objects.create(
        name="Gammel", year=2022, catalogue_year=2022, manifest={"periods": ["2022M01"]},
        facts_sha256="0" * 64, row_count=2, created=datetime(2023, 1, 5, tzinfo=UTC),
        published_at=datetime(2023, 1, 6, tzinfo=UTC))  # published before, not active now
    Fact.objects.bulk_create([
        Fact(release=other, indicator="MM17", period="2022M01", area_level="land",
             area_code="DK", breakdown="i_alt", breakdown_value="i_alt", numerator=3.0,
             denominator=30.0, value=10.0),
        Fact(release=other, indicator="MM17", period="2022M01", area_level="kommune",
             area_code=CPH, breakdown="i_alt", breakdown_value="i_alt", suppressed=True),
    ])
    body = get(client, "/api/facts", release=other.pk)
    assert body["count"] == 2
    assert body["release"] == {"id": other.pk, "name": "Gammel", "synthetic": False}
    assert [i["value"] for i in body["items"]] == [10.0, None]
    assert get(client, "/api/facts")["release"]["id"] == release.pk  # the active one still
    active = {r["id"]: r["is_active"] for r in get(client, "/api/releases")}
    assert (active[release.pk], active[other.pk]) == (True, False)


def test_an_unknown_release_in_facts_is_404_naming_release(client, release):
    body = get(client, "/api/facts", 404, release=release.pk + 1000)
    assert body["parameter"] == "release"


def test_without_a_release_the_api_says_none_is_loaded(client, release):
    Release.objects.update(is_active=False)  # rolled back after the test
    for url in ("/api/facts", f"/api/municipalities/{CPH}/comparison?indicator=MM13"):
        body = get(client, url, 404)
        assert "No release is loaded" in body["detail"]
    assert get(client, "/api/catalogue/2023")["year"] == 2023  # needs no release
    assert all(not r["is_active"] for r in get(client, "/api/releases"))


# -- a municipality's comparison --------------------------------------------------------------

def _fact(facts: pd.DataFrame, indicator: str, period: str, level: str, code: str) -> pd.Series:
    return rows_of(facts, indicator=indicator, period=period, area_level=level,
                   area_code=str(code), breakdown="i_alt").iloc[0]


def _shown_value(row: pd.Series) -> float | None:
    return None if row["suppressed"] else num(row["value"])


def test_comparison_shows_the_municipality_beside_its_areas_as_in_the_facts(client, release,
                                                                            facts_table):
    body = get(client, f"/api/municipalities/{CPH}/comparison", indicator="MM13", period="2023")
    assert body["municipality"] == {"code": 101, "name": "København"}
    assert body["release"]["id"] == release.pk
    assert (body["period"], body["previous_period"]) == ("2023", "2022")
    assert [(a["level"], a["code"]) for a in body["areas"]] == [
        ("kommune", CPH), ("jobcenter", "101"), ("rar", "Hovedstaden"), ("region", "084"),
        ("land", "DK")]
    for area in body["areas"]:
        now = _fact(facts_table, "MM13", "2023", area["level"], area["code"])
        before = _fact(facts_table, "MM13", "2022", area["level"], area["code"])
        assert area["value"] == pytest.approx(_shown_value(now))
        assert area["numerator"] == num(now["numerator"])
        assert area["denominator"] == num(now["denominator"])
        if _shown_value(now) is None or _shown_value(before) is None:
            assert area["change_pp"] is None  # a hidden year (primary or secondary) gives none
        else:
            assert area["change_pp"] == pytest.approx(_shown_value(now) - _shown_value(before))
    assert body["areas"][-1]["change_pp"] is not None, "the country total is never hidden"
    land = _fact(facts_table, "MM13", "2023", "land", "DK")
    assert body["areas"][-1]["value"] == pytest.approx(land["value"])


def test_comparison_ranks_among_the_98_on_level(client, facts_table):
    body = get(client, f"/api/municipalities/{CPH}/comparison", indicator="MM13", period="2023")
    municipal = rows_of(facts_table, indicator="MM13", period="2023", area_level="kommune",
                        breakdown="i_alt")
    values = [_shown_value(r) for _, r in municipal.iterrows()]
    ranked = [v for v in values if v is not None]
    own = _shown_value(_fact(facts_table, "MM13", "2023", "kommune", CPH))
    assert body["rank"] == {"by": "level", "rank": 1 + sum(v > own for v in ranked),
                            "ranked": len(ranked), "of": 98, "direction": "up"}


def test_comparison_gives_the_stored_expected_level_and_peers(client, release, facts_table):
    body = get(client, f"/api/municipalities/{CPH}/comparison", indicator="MM13", period="2023M06")
    stored = ExpectedLevel.objects.get(release=release, indicator="MM13", period="2023M06",
                                       municipality_code=101)
    assert body["expected"] == {"actual": stored.actual, "expected": stored.expected,
                                "lower": stored.lower, "upper": stored.upper, "gap": stored.gap,
                                "r_squared": stored.r_squared, "n": stored.n}
    links = list(PeerLink.objects.filter(release=release, year=2023, municipality_code=101))
    assert body["peers_year"] == 2023
    assert [(p["code"], p["rank"], p["distance"]) for p in body["peers"]] == [
        (link.peer_code, link.rank, link.distance) for link in links]
    geo = load_geography()
    assert [p["name"] for p in body["peers"]] == [geo.municipality(p["code"]).name
                                                 for p in body["peers"]]
    assert body["peers"][0]["reasons"] == links[0].reasons
    rows = [_fact(facts_table, "MM13", "2023M06", "kommune", link.peer_code) for link in links]
    assert [p["value"] for p in body["peers"]] == pytest.approx([_shown_value(r) for r in rows])
    hidden = [r for r in rows if r["suppressed"]]
    pooled = body["peers_pooled"]
    assert pooled["members"] == len(rows) and pooled["left_out"] == len(hidden)
    if hidden:  # never a pool of the shown peers only
        assert (pooled["numerator"], pooled["denominator"], pooled["value"]) == (None, None, None)
        assert pooled["reason"].startswith("Kan ikke beregnes")
    else:
        assert pooled["numerator"] == sum(r["numerator"] for r in rows)
        assert pooled["denominator"] == sum(r["denominator"] for r in rows)
        assert pooled["value"] == pytest.approx(100 * pooled["numerator"] / pooled["denominator"])
        assert pooled["reason"] is None


def test_comparison_pool_with_a_hidden_peer_says_it_cannot_be_computed(client, release):
    """A peer whose figure is hidden makes the API's pooled figure empty, with the reason."""
    link = PeerLink.objects.filter(release=release, year=2023, municipality_code=101).first()
    Fact.objects.filter(release=release, indicator="MM13", period="2023M06", area_level="kommune",
                        area_code=str(link.peer_code), breakdown="i_alt").update(
        suppressed=True, numerator=None, denominator=None, value=None)
    body = get(client, f"/api/municipalities/{CPH}/comparison", indicator="MM13", period="2023M06")
    pooled = body["peers_pooled"]
    assert pooled["value"] is None and pooled["left_out"] >= 1
    assert pooled["reason"].startswith("Kan ikke beregnes")


def test_rekrut_comparison_gives_the_rar_area_and_country_only(client, facts_table):
    body = get(client, "/api/municipalities/147/comparison", indicator="REKRUT", period="2023H1")
    assert [(a["level"], a["code"]) for a in body["areas"]] == [("rar", "Hovedstaden"),
                                                                ("land", "DK")]
    for area in body["areas"]:
        assert area["value"] == pytest.approx(_shown_value(
            _fact(facts_table, "REKRUT", "2023H1", area["level"], area["code"])))
        assert area["change_pp"] is not None
    assert body["rank"] is None and body["expected"] is None
    assert body["peers"] == [] and body["peers_pooled"] is None
    assert body["indicator"]["area_levels"] == ["rar", "land"]


def test_comparison_period_defaults_to_the_release_year(client):
    assert get(client, f"/api/municipalities/{CPH}/comparison", indicator="MM10")["period"] == "2023"


@pytest.mark.parametrize(("url", "status", "name"), [
    ("/api/municipalities/999/comparison?indicator=MM13", 404, "code"),
    ("/api/municipalities/101/comparison?indicator=MM99", 400, "indicator"),
    ("/api/municipalities/101/comparison?indicator=MM13&period=2023X1", 400, "period"),
    ("/api/municipalities/101/comparison?indicator=MM10&period=2023M01", 404, "period"),
    ("/api/municipalities/101/comparison?indicator=MM13&release=99999", 404, "release"),
])
def test_comparison_refuses_unknown_input_naming_it(client, release, url, status, name):
    body = get(client, url, status)
    assert body["parameter"] == name and body["detail"].startswith(f"{name}: ")


def test_comparison_without_indicator_is_422(client, release):
    body = get(client, f"/api/municipalities/{CPH}/comparison", 422)
    assert body["detail"][0]["loc"] == ["query", "indicator"]


# -- documentation --------------------------------------------------------------------------

def test_openapi_lists_every_endpoint(client):
    schema = get(client, "/api/openapi.json")
    assert schema["info"]["title"] == "Jobmål API"
    assert set(schema["paths"]) == {
        "/api/catalogue/{year}", "/api/areas", "/api/releases", "/api/releases/{release_id}",
        "/api/facts", "/api/municipalities/{code}/comparison", "/api/municipalities/{code}/forecast",
        "/api/releases/{release_id}/revisions", "/api/plans/{year}", "/api/plans/{year}/{code}"}
    assert all(set(ops) == {"get"} for ops in schema["paths"].values())
    facts = {p["name"] for p in schema["paths"]["/api/facts"]["get"]["parameters"]}
    assert facts == {"release", "indicator", "period_from", "period_to", "period_kind",
                     "area_level", "area_code", "breakdown", "limit", "offset"}


def test_docs_page_is_served_without_a_cdn(client):
    response = client.get("/api/docs")
    assert response.status_code == 200
    assert b"openapi.json" in response.content
    assert b"cdn." not in response.content  # Swagger UI comes from ninja's static files


@pytest.mark.urls("jobmaal.web.urls")
def test_the_site_serves_the_api_under_api(client):
    assert set(get(client, "/api/openapi.json")["paths"]) >= {"/api/facts", "/api/areas"}


@pytest.mark.parametrize(("year", "jobcentres", "rar", "ishoj_centre"), [
    (2021, 94, 8, "187"), (2022, 95, 8, "183"), (2025, 95, 5, "183")])
def test_areas_follow_the_year_asked(client, year, jobcentres, rar, ishoj_centre):
    assert len(get(client, "/api/areas", level="jobcenter", year=year)) == jobcentres
    assert len(get(client, "/api/areas", level="rar", year=year)) == rar
    ishoj = next(a for a in get(client, "/api/areas", level="kommune", year=year) if a["code"] == "183")
    assert ishoj["jobcenter_code"] == ishoj_centre


# -- hostile parameters and what the public may not see ----------------------------------------

@pytest.mark.parametrize("offset", ["9223372036854775808", "9223372036854775807", "1000000001",
                                    "1" + "0" * 40])
def test_a_huge_offset_is_a_json_422_with_a_message(client, release, offset):
    for url in ("/api/facts", f"/api/releases/{release.pk}/revisions"):
        response = client.get(url, {"offset": offset})
        assert response.status_code == 422 and response["Content-Type"].startswith("application/json")
        detail = response.json()["detail"][0]
        assert detail["loc"] == ["query", "offset"] and detail["msg"]


def test_a_huge_limit_is_refused_not_a_500(client, release):
    for url in ("/api/facts", f"/api/releases/{release.pk}/revisions"):
        response = client.get(url, {"limit": "9223372036854775808"})
        assert response.status_code in (400, 422) and response.json()["detail"]


def test_the_uploader_of_a_file_is_shown_to_staff_only_and_server_paths_to_nobody(client, release,
                                                                                   make_user):
    upload = Release.objects.create(
        name="Fil", year=2023, catalogue_year=2023, kind="file", source_folder="/srv/jobmaal/uploads/x",
        manifest={"periods": ["2023M01"], "source": {"file": "tal.csv", "uploaded_by": "medarbejder",
                                                     "folder": "/srv/jobmaal/uploads/x"}},
        facts_sha256="0" * 64, row_count=0, created=datetime(2023, 1, 5, tzinfo=UTC),
        published_at=datetime(2023, 1, 6, tzinfo=UTC))  # an earlier publication: the public sees it
    public = get(client, f"/api/releases/{upload.pk}")
    assert public["manifest"]["source"] == {"file": "tal.csv"}
    listed = next(r for r in get(client, "/api/releases") if r["id"] == upload.pk)
    assert "/srv/" not in str(listed) and "/srv/" not in str(public)

    client.force_login(make_user("stab", is_staff=True))
    staff = get(client, f"/api/releases/{upload.pk}")
    assert staff["manifest"]["source"] == {"file": "tal.csv", "uploaded_by": "medarbejder"}
    client.logout()
    assert get(client, f"/api/releases/{upload.pk}")["manifest"]["source"] == {"file": "tal.csv"}


@pytest.mark.parametrize(("year", "jobcentres"), [(2021, 94), (2022, 95), (2023, 95)])
def test_areas_without_a_year_are_those_of_the_active_releases_year(client, release, year, jobcentres):
    Release.objects.filter(pk=release.pk).update(year=year)
    assert len(get(client, "/api/areas", level="jobcenter")) == jobcentres
    ishoj = next(a for a in get(client, "/api/areas", level="kommune") if a["code"] == "183")
    assert ishoj["jobcenter_code"] == ("187" if year == 2021 else "183")


def test_areas_without_a_year_or_a_release_are_2023s(client, release):
    Release.objects.update(is_active=False)
    assert len(get(client, "/api/areas", level="jobcenter")) == 95


def test_a_survey_round_carries_its_posting_window_and_other_facts_none(client, release):
    rounds = get(client, "/api/facts", indicator="REKRUT", area_level="land", breakdown="i_alt")["items"]
    windows = {r["period"]: r["period_window"] for r in rounds}
    assert windows["2023H1"] == "dec. 2022–maj 2023"
    assert windows["2023H2"] == "jun.–nov. 2023"
    assert windows["2022H2"] == "jun.–nov. 2022"
    others = get(client, "/api/facts", indicator=["MM17", "MM10"], area_code=CPH, limit=50)["items"]
    assert others and all(r["period_window"] is None for r in others)
    assert any(Period.parse(r["period"]).kind == "half_year" for r in get(
        client, "/api/facts", indicator="MM17", period_kind="half_year", area_code=CPH)["items"])
