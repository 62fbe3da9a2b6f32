"""The year-end forecast on the municipality page and beside each target in the plan, on the
hand-made release of test_forecast_api (a flat 30 % series for København)."""

from __future__ import annotations

import pytest
from tests.web.test_forecast_api import OWN, SPARSE, release  # noqa: F401 (fixture)

pytestmark = pytest.mark.django_db


def published_plan(code: int, target: float, period: str = "2023"):
    from jobmaal.web.followup.models import Plan, State, Target

    plan = Plan.objects.create(municipality_code=code, year=2023, state=State.APPROVED,
                               published=True)
    Target.objects.create(plan=plan, indicator_id="MM13", target_value=target,
                          target_period=period)
    return plan


def test_municipality_page_shows_the_forecast_card(client, release):  # noqa: F811
    html = client.get(f"/kommune/{OWN}/").content.decode()
    assert "Prognose for 2023" in html
    assert "30,0 pct." in html
    assert "ud fra tal til og med juni 2023" in html


def test_municipality_page_says_why_a_sparse_series_has_no_forecast(client, release):  # noqa: F811
    html = client.get(f"/kommune/{SPARSE}/").content.decode()
    assert "Kan ikke beregnes: kun 1 viste måneder af de seneste 12" in html


def test_municipality_page_gives_the_target_call_in_the_plan_line(client, release):  # noqa: F811
    published_plan(int(OWN), 35.0)
    html = client.get(f"/kommune/{OWN}/").content.decode()
    assert "Prognose for 2023: 30,0 pct. (" in html
    assert "målet 35,0 nås sandsynligvis ikke (sandsynlighed 0 %)" in html


def test_plan_page_shows_the_forecast_next_to_the_year_target(client, release):  # noqa: F811
    published_plan(int(OWN), 25.0)
    html = client.get(f"/opfoelgning/{OWN}/2023/").content.decode()
    assert "målet 25,0 nås sandsynligvis (sandsynlighed 100 %)" in html


def test_a_target_for_a_month_gets_no_year_forecast(client, release):  # noqa: F811
    published_plan(int(OWN), 25.0, period="2023M12")
    html = client.get(f"/opfoelgning/{OWN}/2023/").content.decode()
    assert "nås sandsynligvis" not in html
