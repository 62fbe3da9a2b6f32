"""The forecast endpoint of the open API on a hand-made release: a flat series, hidden months,
a target from the query or the published plan, and the refusals."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
from django.urls import path

from jobmaal.web.api import api
from jobmaal.web.models import Fact, Release

urlpatterns = [path("api/", api.urls)]
pytestmark = [pytest.mark.django_db, pytest.mark.urls(__name__)]

OWN, SPARSE = "101", "147"
MONTHS = [f"{y}M{m:02d}" for y in (2022, 2023) for m in range(1, 13) if f"{y}M{m:02d}" <= "2023M06"]


def fact(release, period, level, code, share, den, hidden=False) -> Fact:
    return Fact(release=release, indicator="MM13", period=period, area_level=level,
                area_code=code, breakdown="i_alt", breakdown_value="i_alt",
                numerator=None if hidden else share * den, denominator=None if hidden else den,
                value=None if hidden else 100 * share, suppressed=hidden)


@pytest.fixture
def release():
    """Country 40 % of 100 000 and København 30 % of 1 000 every month from 2022M01 to
    2023M06; Frederiksberg shown in 2022's first half, then hidden in every month but 2023M05."""
    made = Release.objects.create(
        name="Håndlavet", year=2023, catalogue_year=2023, manifest={"periods": MONTHS},
        facts_sha256="0" * 64, row_count=0, created=datetime(2023, 7, 5, tzinfo=UTC),
        is_active=True)
    rows = []
    for p in MONTHS:
        rows.append(fact(made, p, "land", "DK", 0.40, 100_000))
        rows.append(fact(made, p, "kommune", OWN, 0.30, 1000))
        rows.append(fact(made, p, "kommune", SPARSE, 0.20, 100,
                         hidden=p >= "2022M07" and p != "2023M05"))
    Fact.objects.bulk_create(rows)
    return made


def get(client, status=200, code=OWN, **params):
    response = client.get(f"/api/municipalities/{code}/forecast", params)
    assert response.status_code == status, response.content
    return response.json()


def test_flat_series_forecast_as_of_the_newest_month(client, release):
    body = get(client, indicator="MM13", year=2023)
    assert body["as_of"] == "2023M06" and body["shown_months"] == 6
    assert body["forecast"] == pytest.approx(30.0, abs=1e-6)
    assert body["lower"] < 30.0 < body["upper"]
    assert body["p_target"] is None and body["target"] is None and body["target_source"] is None
    assert body["reason"] is None and "binomial GLM" in body["method"]
    assert body["text_da"].startswith("Prognose for 2023: 30,0 pct. (")


def test_target_in_the_query_gives_the_probability_in_the_indicators_direction(client, release):
    above = get(client, indicator="MM13", year=2023, as_of="2023M06", target=35)
    below = get(client, indicator="MM13", year=2023, as_of="2023M06", target=25)
    assert above["p_target"] < 0.01 and below["p_target"] > 0.99  # MM13: higher is better
    assert above["target_source"] == "parameter"
    assert "målet 35,0 nås sandsynligvis ikke" in above["text_da"]


def test_an_earlier_as_of_reads_fewer_months(client, release):
    body = get(client, indicator="MM13", year=2023, as_of="2023M02")
    assert body["as_of"] == "2023M02" and body["shown_months"] == 2
    assert body["forecast"] == pytest.approx(30.0, abs=1e-6)


def test_published_plan_target_is_used_and_a_draft_is_not(client, release):
    from jobmaal.web.followup.models import Plan, Target

    draft = Plan.objects.create(municipality_code=int(OWN), year=2023)
    Target.objects.create(plan=draft, indicator_id="MM13", target_value=25.0, target_period="2023")
    assert get(client, indicator="MM13", year=2023)["p_target"] is None
    draft.published = True
    draft.save()
    body = get(client, indicator="MM13", year=2023)
    assert body["target"] == 25.0 and body["target_source"] == "plan"
    assert body["p_target"] > 0.99


def test_sparse_municipality_says_why_it_cannot_be_computed(client, release):
    body = get(client, code=SPARSE, indicator="MM13", year=2023, target=20)
    assert body["forecast"] is None and body["lower"] is None and body["p_target"] is None
    assert body["reason"] == ("Kan ikke beregnes: kun 1 viste måneder af de seneste 12 "
                              "(der skal mindst 6 til)")
    assert body["shown_months"] == 1
    assert body["text_da"] == f"Prognose for 2023: {body['reason']}"


def test_refusals_name_the_parameter(client, release):
    assert get(client, 400, indicator="MM13", year=2023, as_of="2022M05")["parameter"] == "as_of"
    assert get(client, 400, indicator="MM13", year=2023, as_of="2023Q1")["parameter"] == "as_of"
    assert get(client, 404, indicator="MM13", year=2023, as_of="2023M09")["parameter"] == "as_of"
    assert get(client, 404, indicator="MM13", year=2024)["parameter"] == "year"
    assert get(client, 404, code="999", indicator="MM13")["parameter"] == "code"
    assert get(client, 400, indicator="XX")["parameter"] == "indicator"
