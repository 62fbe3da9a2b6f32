"""The Jobindsats client against a local fake server (pytest-httpserver): the documented calls
of API versions 2 and 3, and every failure a public API can give, each with a clear message."""

from __future__ import annotations

import json
import time

import pytest
from werkzeug import Response

from jobmaal.catalogue import load_catalogue
from jobmaal.sources.http import HttpSettings
from jobmaal.sources.jobindsats import (
    JobindsatsClient,
    JobindsatsError,
    JobindsatsKeyError,
    key_from_env,
)
from jobmaal.sources.jobindsats_import import period_code, resolve_measures

from .fakes import KEY, TABLES, fixture, v3_subjects, v3_table

FAST = HttpSettings(timeout=2.0, retries=2, backoff=0.01, max_wait=0.05)


@pytest.fixture
def waits() -> list[float]:
    return []


@pytest.fixture
def client(httpserver, waits):
    with JobindsatsClient(KEY, version=2, base_url=httpserver.url_for(""), settings=FAST,
                          sleep=waits.append) as c:
        yield c


@pytest.fixture
def client_v3(httpserver, waits):
    with JobindsatsClient(KEY, version=3, base_url=httpserver.url_for(""), settings=FAST,
                          sleep=waits.append) as c:
        yield c


# -- the documented calls ---------------------------------------------------------------------

def test_v2_sends_the_key_bare_in_the_authorization_header(httpserver, client):
    httpserver.expect_request("/v2/subjects", method="GET", headers={"Authorization": KEY}
                              ).respond_with_json(fixture("jobindsats_v2_subjects.json"))
    subjects = client.subjects()
    assert [s["SubjectName"] for s in subjects] == ["Ydelser", "Ministerens mål"]


def test_v2_table_info_gives_periods_dimensions_and_measures(httpserver, client):
    httpserver.expect_request("/v2/tables/mm17/json").respond_with_json(
        fixture("jobindsats_v2_table_mm17.json"))
    info = client.table("mm17")
    assert info.periods == ("2022M11", "2022M12", "2023M01", "2023M02", "2023M03")
    assert info.dimensions["_kon"] == ("I alt", "Kvinder", "Mænd")
    assert "Personer på ydelse" in info.measures


def test_v2_data_posts_the_documented_body_and_reads_variables_and_rows(httpserver, client):
    body = {"area": "*", "period": ["2023M01"], "_kon": ["Kvinder", "Mænd"]}
    httpserver.expect_request("/v2/data/mm17/json", method="POST", json=body).respond_with_json(
        fixture("jobindsats_v2_data_mm17.json"))
    answer = client.data("mm17", ["2023M01"], {"_kon": ["Kvinder", "Mænd"]})
    assert answer.labels[:3] == ("Område", "Periode", "Køn")
    assert answer.column("_kon") == 2
    assert answer.column("Personer på ydelse") == 5
    assert answer.rows[1] == ("Københavns Kommune", "2023M01", "Kvinder", "3,0", "120", "4.000")


def test_v3_data_sends_bearer_format_measure_group_period_type_and_hierarchies(httpserver,
                                                                              client_v3):
    answer = {"columns": ["Periode", "Område", "Køn", "Gruppe: Andel (pct.)", "Gruppe: Personer"],
              "rows": [["2023M01", "Hele landet", "Køn i alt", "56,9", 1234],
                       ["2023M01", "Læsø Kommune", "Køn i alt", "-", ".."]]}
    httpserver.expect_request(
        "/v3/data/y30r21", method="GET", headers={"Authorization": f"Bearer {KEY}"},
        query_string={"format": "json", "mgroup.*": "*", "period.M": "2023M01,2023M02",
                      "hierarchy._kon": "/", "hierarchy._nykom": "*"},
    ).respond_with_json(answer)
    got = client_v3.data("y30r21", ["2023M01", "2023M02"], {"_kon": ["/"], "_nykom": "*"},
                          period_type="M")
    assert got.labels == ("Periode", "Område", "Køn", "Gruppe: Andel (pct.)", "Gruppe: Personer")
    assert got.rows == (("2023M01", "Hele landet", "Køn i alt", "56,9", 1234),
                        ("2023M01", "Læsø Kommune", "Køn i alt", "-", ".."))


def test_v3_follows_the_next_page_until_the_last(httpserver, client_v3):
    first = {"columns": ["Periode", "Område", "Mål"], "rows": [["2023", "Hele landet", 1]],
             "next": "/v3/data/y60a02?format=json&page=2"}
    httpserver.expect_ordered_request("/v3/data/y60a02", query_string={
        "format": "json", "mgroup.*": "*", "period.Å": "2023"}).respond_with_json(first)
    httpserver.expect_ordered_request("/v3/data/y60a02", query_string={
        "format": "json", "page": "2"}).respond_with_json(
        {"columns": ["Periode", "Område", "Mål"], "rows": [["2023", "Aarhus Kommune", 2]]})
    got = client_v3.data("y60a02", ["2023"], period_type="Å")
    assert [r[2] for r in got.rows] == [1, 2]


def test_v3_table_list_reads_subjects_groups_and_tables(httpserver, client_v3):
    httpserver.expect_request("/v3/tables", query_string={"format": "json"}).respond_with_json(
        v3_subjects())
    tables = client_v3.tables()
    assert [(t.id, t.group) for t in tables] == [("y30r21", "Ministerens mål"),
                                                 ("y25i01", "Integration"), ("y60a02", "Virksomheder"),
                                                 ("y60c07", "Virksomheder")]
    assert tables[0].subject == "Beskæftigelsesindsats"


def test_v3_table_metadata_gives_period_types_hierarchies_totals_and_required(httpserver, client_v3):
    httpserver.expect_request("/v3/table/y30r21", query_string={"format": "json"}).respond_with_json(
        v3_table(TABLES["y30r21"]))
    info = client_v3.table("y30r21")
    assert info.periods[:2] == ("2021M12", "2022M12") and info.period_type("2023M01") == "M"
    groups = next(h for h in info.hierarchies if h.id == "_ygrp_y30r21")
    assert groups.total.name == "Ydelsesgrupper i alt" and groups.total.id == "/"
    assert "ydelsesgrupper" in groups.names()
    assert groups.values[1].id == "/1/" and groups.values[1].name == "A-dagpenge"
    assert [h.id for h in info.hierarchies if h.required] == ["_herkomst"]
    area = info.hierarchies[0]
    assert area.id == "_nykom" and area.total.name == "Hele landet"


# -- a wrong key ----------------------------------------------------------------------------------

@pytest.mark.parametrize("status", [200, 401, 403])
def test_a_wrong_key_says_plainly_that_the_key_is_wrong_or_expired(httpserver, client, status):
    httpserver.expect_request("/v2/tables").respond_with_json(fixture("jobindsats_wrong_key.json"),
                                                             status=status)
    with pytest.raises(JobindsatsKeyError) as caught:
        client.tables()
    message = str(caught.value)
    assert "forkert eller udløbet" in message and "JOBINDSATS_API_KEY" in message
    assert KEY not in message and KEY not in repr(client)
    assert len(httpserver.log) == 1  # a wrong key is not retried


def test_no_key_in_the_environment_is_a_clear_error(monkeypatch):
    monkeypatch.delenv("JOBINDSATS_API_KEY", raising=False)
    with pytest.raises(JobindsatsKeyError, match="JOBINDSATS_API_KEY"):
        key_from_env()


# -- server errors, rate limits, slow answers ---------------------------------------------------------

def test_a_500_is_retried_with_growing_waits_and_then_succeeds(httpserver, client, waits):
    httpserver.expect_ordered_request("/v2/tables").respond_with_data("fejl", status=500)
    httpserver.expect_ordered_request("/v2/tables").respond_with_data("fejl", status=502)
    httpserver.expect_ordered_request("/v2/tables").respond_with_json(fixture("jobindsats_v2_tables.json"))
    assert len(client.tables()) == 2
    assert waits == [0.01, 0.02]


def test_a_500_that_persists_gives_up_after_the_retries_with_a_clear_message(httpserver, client):
    httpserver.expect_request("/v2/tables").respond_with_data("fejl", status=500)
    with pytest.raises(JobindsatsError, match=r"HTTP 500.*opgivet efter 3 forsøg"):
        client.tables()
    assert len(httpserver.log) == 3


def test_429_waits_as_long_as_retry_after_says_within_the_limit(httpserver, client, waits):
    httpserver.expect_ordered_request("/v2/tables").respond_with_response(
        Response("for mange", status=429, headers={"Retry-After": "0.03"}))
    httpserver.expect_ordered_request("/v2/tables").respond_with_response(
        Response("for mange", status=429, headers={"Retry-After": "3600"}))
    httpserver.expect_ordered_request("/v2/tables").respond_with_json([])
    assert client.tables() == []
    assert waits == [0.03, 0.05]  # a server asking for an hour gets max_wait


def test_a_slow_answer_times_out_and_says_so(httpserver, waits):
    def slow(request):
        time.sleep(0.5)
        return Response("[]", content_type="application/json")

    httpserver.expect_request("/v2/tables").respond_with_handler(slow)
    settings = HttpSettings(timeout=0.1, retries=1, backoff=0.0)
    with JobindsatsClient(KEY, version=2, base_url=httpserver.url_for(""), settings=settings,
                          sleep=waits.append) as c, pytest.raises(
            JobindsatsError, match=r"svarede ikke inden for 0.1 sekunder.*opgivet efter 2 forsøg"):
        c.tables()


def test_an_unreachable_server_is_a_clear_error():
    settings = HttpSettings(timeout=0.5, retries=1, backoff=0.0)
    with JobindsatsClient(KEY, base_url="http://127.0.0.1:9", settings=settings,
                          sleep=lambda s: None) as c, pytest.raises(JobindsatsError, match="kunne ikke nås"):
        c.tables()


# -- answers that are not data --------------------------------------------------------------------

def test_an_html_error_page_is_named_as_such_with_its_title(httpserver, client):
    httpserver.expect_request("/v2/tables").respond_with_data(
        fixture("jobindsats_error_page.html"), status=200, content_type="text/html")
    with pytest.raises(JobindsatsError, match=r"HTML-side \(«503 Service Unavailable»\)"):
        client.tables()


def test_truncated_json_is_a_clear_error(httpserver, client):
    whole = json.dumps(fixture("jobindsats_v2_data_mm17.json"))
    httpserver.expect_request("/v2/data/mm17/json", method="POST").respond_with_data(
        whole[: len(whole) // 2], content_type="application/json")
    with pytest.raises(JobindsatsError, match="ikke er gyldig JSON.*afkortet"):
        client.data("mm17", ["2023M01"])


def test_rows_shorter_than_the_variables_are_refused(httpserver, client):
    answer = fixture("jobindsats_v2_data_mm17.json")
    answer[0]["Data"][2] = answer[0]["Data"][2][:4]
    httpserver.expect_request("/v2/data/mm17/json", method="POST").respond_with_json(answer)
    with pytest.raises(JobindsatsError, match="række 3 .* 4 felter, ventede 6"):
        client.data("mm17", ["2023M01"])


def test_an_unknown_table_is_a_404_with_a_hint(httpserver, client):
    httpserver.expect_request("/v2/tables/nope/json").respond_with_data("", status=404)
    with pytest.raises(JobindsatsError, match=r"kender ikke /v2/tables/nope/json \(HTTP 404\)"):
        client.table("nope")
    assert len(httpserver.log) == 1  # a 404 is not retried


# -- reading the catalogue's labels ---------------------------------------------------------------

def test_a_measure_matches_with_or_without_its_group_and_the_values_group_wins():
    ind = load_catalogue(2023).indicator("MM13_190")
    labels = ["Periode", "Område", "Ustøttet: Andel i ustøttet beskæftigelse (pct.)",
              "Ustøttet: Flygtninge og familiesammenførte",
              "Mindst 190 timer: Andel med mindst 190 ustøttede timer (pct.)",
              "Mindst 190 timer: Personer med mindst 190 ustøttede timer",
              "Mindst 190 timer: Flygtninge og familiesammenførte"]
    wanted = {"value": ind.jobindsats.value, "numerator": ind.jobindsats.numerator,
              "denominator": ind.jobindsats.denominator}
    assert resolve_measures(ind, wanted, labels, where="svaret") == {
        "value": 4, "numerator": 5, "denominator": 6}


def test_a_measure_in_several_groups_without_a_lead_is_ambiguous():
    ind = load_catalogue(2023).indicator("MM13")
    labels = ["A: Andel i ustøttet beskæftigelse (pct.)", "B: Andel i ustøttet beskæftigelse (pct.)"]
    with pytest.raises(JobindsatsError, match="findes i flere grupper.*skriv gruppen med"):
        resolve_measures(ind, {"value": ind.jobindsats.value}, labels, where="svaret")


@pytest.mark.parametrize(("published", "code"), [
    ("2023M01", "2023M01"), ("2023K2", "2023Q2"), ("2023Q2", "2023Q2"), ("2023", "2023"),
    ("2023H1", "2023H1"), ("2021M12-2022M05", "2022H1"), ("2022M06-2022M11", "2022H2"),
    ("2021M06 – 2021M11", "2021H2")])
def test_published_periods_and_survey_rounds_get_jobmaal_codes(published, code):
    assert period_code(published) == code


def test_a_next_page_on_another_host_is_not_followed_so_the_key_stays_home(httpserver, client_v3):
    httpserver.expect_request("/v3/data/y60a02").respond_with_json(
        {"columns": ["Periode", "Område", "Mål"], "rows": [["2023", "Hele landet", 1]],
         "next": "https://elsewhere.example/v3/data/y60a02?page=2"})
    with pytest.raises(JobindsatsError, match="anden server \\(elsewhere.example\\)"):
        client_v3.data("y60a02", ["2023"], period_type="Å")
    assert len(httpserver.log) == 1
