"""Alerts on two hand-made releases and a published plan for København (MM13, year target 28 %):
release A has København at 30 % (achieved, forecast reaches the target), release B at 20 %
(moving away, forecast does not). Each event reaches each subscriber exactly once (locmem mail)."""

from __future__ import annotations

import re
from datetime import UTC, datetime

import pytest
from django.contrib.auth import get_user_model
from django.core import mail

from jobmaal.web.followup.alerts import send_alerts, unsubscribe_token
from jobmaal.web.followup.models import AlertSent, Plan, State, Subscription, Target
from jobmaal.web.models import Fact, Publication, Release

pytestmark = pytest.mark.django_db

MONTHS = [f"{y}M{m:02d}" for y in (2022, 2023) for m in range(1, 13) if f"{y}M{m:02d}" <= "2023M06"]


def _release(name: str, share_2023: float, replaced: Release | None) -> Release:
    """Country 40 % of 100 000 a month; København 25 % in 2022, `share_2023` in 2023 (of 1 000
    a month); published in place of `replaced`."""
    Release.objects.update(is_active=False)
    made = Release.objects.create(
        name=name, year=2023, catalogue_year=2023, manifest={"periods": MONTHS},
        facts_sha256="0" * 64, row_count=0, created=datetime(2023, 7, 5, tzinfo=UTC), is_active=True)

    def fact(period, level, code, share, den):
        return Fact(release=made, indicator="MM13", period=period, area_level=level, area_code=code,
                    breakdown="i_alt", breakdown_value="i_alt", numerator=share * den,
                    denominator=den, value=100 * share, suppressed=False)

    rows = []
    for p in MONTHS:
        rows.append(fact(p, "land", "DK", 0.40, 100_000))
        rows.append(fact(p, "kommune", "101", 0.25 if p < "2023" else share_2023, 1000))
    rows += [fact("2022", "kommune", "101", 0.25, 12_000), fact("2023", "kommune", "101", share_2023, 6000),
             fact("2022", "land", "DK", 0.40, 1_200_000), fact("2023", "land", "DK", 0.40, 600_000)]
    Fact.objects.bulk_create(rows)
    Publication.objects.create(release=made, replaced=replaced, year=2023, action="publish", actor="test")
    return made


@pytest.fixture
def subscribers(settings):
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    users = get_user_model().objects
    made = {}
    for name, scope, kw in (("kbh", "kommune", {"municipality_code": 101}),
                            ("goal3", "maal", {"goal_number": 3}),
                            ("land", "land", {}),
                            ("frb", "kommune", {"municipality_code": 147}),
                            ("goal1", "maal", {"goal_number": 1})):
        user = users.create_user(name, email=f"{name}@example.dk", password="x")
        made[name] = Subscription.objects.create(user=user, scope=scope, **kw)
    plan = Plan.objects.create(municipality_code=101, year=2023, state=State.APPROVED, published=True)
    Target.objects.create(plan=plan, indicator_id="MM13", target_value=28.0, target_period="2023",
                          baseline_value=25.0, baseline_period="2022")
    return made


def _mails() -> dict[str, str]:
    return {m.to[0].split("@")[0]: m.body for m in mail.outbox}


def test_each_event_is_sent_once_to_each_subscriber(subscribers):
    a = _release("Udgivelse A", 0.30, None)
    assert send_alerts("https://jobmaal.example") == 5
    first = _mails()
    assert set(first) == {"kbh", "goal3", "land", "frb", "goal1"}
    assert all("Ny udgivelse: Udgivelse A" in body for body in first.values())
    assert not any("status" in body or "prognosen" in body for body in first.values())
    assert send_alerts() == 0  # nothing new: nothing sent again

    mail.outbox.clear()
    _release("Udgivelse B", 0.20, a)
    assert send_alerts("https://jobmaal.example") == 5
    second = _mails()
    status = ("København: status for Flygtninge og familiesammenførte i ustøttet beskæftigelse "
              "(2023) er ændret fra «Målet er nået» til «Bevæger sig væk fra målet»")
    forecast = "København: prognosen for "
    for who in ("kbh", "goal3", "land"):  # København, its target's goal, the country
        body = second[who]
        assert "Ny udgivelse: Udgivelse B" in body and "Udgivelse A" not in body
        assert body.count(status) == 1 and body.count(forecast) == 1, body
        assert "målet 28,0 ikke nås" in body
        assert "https://jobmaal.example/kommune/101/" in body
    for who in ("frb", "goal1"):
        assert "Ny udgivelse: Udgivelse B" in second[who] and "København" not in second[who]
    assert send_alerts() == 0
    kbh = subscribers["kbh"]
    assert AlertSent.objects.filter(subscription=kbh).count() == 4  # A, B, status, forecast


def test_the_mail_links_unsubscribe_with_a_signed_token(client, subscribers):
    _release("Udgivelse A", 0.30, None)
    send_alerts("https://jobmaal.example")
    body = _mails()["kbh"]
    token = unsubscribe_token(subscribers["kbh"])
    link = f"/opfoelgning/varsler/afmeld/{token}/"
    assert f"https://jobmaal.example{link}" in body
    page = client.get(link)
    assert page.status_code == 200 and "København Kommune" in page.content.decode()
    assert Subscription.objects.filter(pk=subscribers["kbh"].pk).exists()  # a GET removes nothing
    assert client.post(link).status_code == 200
    assert not Subscription.objects.filter(pk=subscribers["kbh"].pk).exists()
    forged = re.sub(r":[^:]+$", ":forfalsket", token)
    assert client.get(f"/opfoelgning/varsler/afmeld/{forged}/").status_code == 404


def test_the_subscriptions_page_lists_adds_and_removes_only_ones_own(client, subscribers):
    assert client.get("/opfoelgning/varsler/").status_code == 302  # log in first
    client.force_login(subscribers["kbh"].user)
    html = client.get("/opfoelgning/varsler/").content.decode()
    assert "<td>København Kommune</td>" in html and "<td>Mål 3</td>" not in html
    assert client.post("/opfoelgning/varsler/", {"scope": "maal", "maal": "3"}).status_code == 302
    assert client.post("/opfoelgning/varsler/", {"scope": "kommune", "kommune": "999"}).status_code == 400
    assert "<td>Mål 3</td>" in client.get("/opfoelgning/varsler/").content.decode()
    other = subscribers["land"].pk
    assert client.post("/opfoelgning/varsler/", {"slet": other}).status_code == 404
    assert Subscription.objects.filter(pk=other).exists()
