"""KL's survey in a real browser: a municipality's editor logs in, fills in the open round's form
(conditional questions appear as earlier questions are answered, the form saves in the
background), is told what is missing, and submits. Then the results page draws its charts.

The app runs as `jobmaal serve` in a subprocess with its own SQLite database holding the demo
survey (no release is needed). The browser may ask no host but the app and log no console error.
"""

from __future__ import annotations

import subprocess
import sys
from collections.abc import Iterator

import pytest
from browsing import SCREENSHOTS, START_TIMEOUT, app_env, served
from playwright.sync_api import Page, expect

pytestmark = pytest.mark.browser

PASSWORD = "Browser-kode-2024"
SETUP = f"""
import django
from django.core.management import call_command
django.setup()
call_command("migrate", verbosity=0, interactive=False)
from django.contrib.auth.models import User
from jobmaal.web.accounts.models import MunicipalityGrant, Profile, Role
from jobmaal.web.survey.demo import ensure_demo_survey
user = User.objects.create_user("kbh", "kbh@example.dk", "{PASSWORD}")
Profile.objects.create(user=user, role=Role.EDITOR)
MunicipalityGrant.objects.create(user=user, municipality_code=101)
ensure_demo_survey()
"""


@pytest.fixture(scope="module")
def survey_app(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    folder = tmp_path_factory.mktemp("survey-app")
    env = app_env(folder)
    env_setup = {**env, "DJANGO_SETTINGS_MODULE": "jobmaal.web.settings"}
    done = subprocess.run([sys.executable, "-c", SETUP], env=env_setup, text=True, capture_output=True,
                          timeout=START_TIMEOUT)
    if done.returncode != 0:
        raise RuntimeError(f"set-up failed:\n{done.stdout}{done.stderr}")
    with served(env, folder) as origin:
        yield origin


def choose(page: Page, code: str, label: str) -> None:
    page.locator(f"#sp-{code}").get_by_label(label, exact=True).check()


def test_editor_fills_in_and_submits_the_survey(survey_app: str, page) -> None:
    page, traffic = page
    page.goto(survey_app + "/konto/log-ind/")
    page.fill("#id_username", "kbh")
    page.fill("#id_password", PASSWORD)
    page.get_by_role("button", name="Log ind").click()
    page.goto(survey_app + "/undersoegelse/")
    page.get_by_role("link", name="Besvar for København").click()
    expect(page.locator("h1")).to_contain_text("København Kommune")
    assert "Genererede demo-svar" not in page.locator("main").inner_text()  # the own answer is not generated

    v2 = page.locator("#sp-v2")
    expect(v2).to_be_hidden()  # shown only when v1 is «Ja» or «Delvist»
    choose(page, "v1", "Ja")
    expect(v2).to_be_visible()
    choose(page, "v2", "Færre og mere meningsfulde møder")
    choose(page, "v3", "Overvejende enig")
    choose(page, "b1", "Nej")
    expect(page.locator("#sp-b2")).to_be_hidden()
    choose(page, "t1", "Ja")
    choose(page, "t2", "Årlig tilfredshedsundersøgelse")
    page.fill("#id_q_t3", "81,5")
    choose(page, "m1", "Nej")
    expect(page.locator("#sp-m3")).to_be_hidden()
    choose(page, "k1", "Nej")
    expect(page.locator("#sp-k2")).to_be_hidden()
    expect(page.locator("#autosave-status")).to_contain_text("Gemt kl.", timeout=15_000)

    page.get_by_role("button", name="Indsend besvarelsen").click()  # e1 is still missing
    expect(page.locator(".error-list")).to_contain_text("e1: Spørgsmålet skal besvares.")
    expect(page.locator("#sp-t3 input")).to_have_value("81,5")  # what was typed is kept
    choose(page, "e1", "Helt enig")
    page.get_by_role("button", name="Indsend besvarelsen").click()
    expect(page.locator(".messages")).to_contain_text("Besvarelsen er indsendt. Tak!")
    expect(page.locator(".answer-state")).to_have_text("Indsendt")
    main = page.locator("main").inner_text()
    assert "81,5" in main and "4 – Overvejende enig" in main and "5 – Helt enig" in main
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SCREENSHOTS / "survey-answer.png"), full_page=True)
    # The refused submission answered 400 on purpose (the form with its errors); nothing else may fail.
    traffic.expect_error("status of 400", "/kommune/101/")
    traffic.assert_clean(survey_app)


def test_results_page_draws_every_chart_without_outside_requests(survey_app: str, page) -> None:
    page, traffic = page
    page.goto(survey_app + "/konto/log-ind/")
    page.fill("#id_username", "kbh")
    page.fill("#id_password", PASSWORD)
    page.get_by_role("button", name="Log ind").click()
    page.goto(survey_app + "/undersoegelse/")
    row = page.get_by_role("row", name="Rundspørge om værdighed 2023")
    row.get_by_role("link", name="Resultater").click()
    expect(page.locator(".banner-demo")).to_contain_text("Genererede demo-svar")
    page.wait_for_function("() => { const c = Array.from(document.querySelectorAll('.chart'));"
                           " return c.length > 5 && c.every(x => x.querySelector('svg')); }", timeout=30_000)
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SCREENSHOTS / "survey-results.png"), full_page=False)
    traffic.assert_clean(survey_app)
