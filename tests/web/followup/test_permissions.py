"""Who may change and who may see a municipality's plan, endpoint by endpoint and role by role.

Refused: anonymous users are sent to the login page by the views that need a login, logged-in
users who may not change a plan get 403, and reading what one may not see answers 404 (the
plan's existence is not revealed). A refused request changes nothing: no plan version, no row,
no audit entry. Only the municipality's own editor changes it."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from types import SimpleNamespace

import pytest

from jobmaal.web.followup import documents, services
from jobmaal.web.followup.models import AuditEntry, GoalText, LocalIndicator, LocalValue, Plan, State, Target

from .helpers import (
    OTHER,
    OWN,
    YEAR,
    add_local,
    add_target,
    add_value,
    approved,
    db_state,
    fill_texts,
    fresh,
    published,
    submitted,
)

ROLES = ["anonymous", "norole", "reader", "other_editor", "kl", "ministry", "editor"]
BASE = f"/opfoelgning/{OWN}/{YEAR}/"
LOGIN = "/konto/log-ind/"


@pytest.fixture
def world(users, plan):
    """OWN's draft with a text, a target, a local indicator with a value; OTHER's draft with a
    local indicator and a value of its own."""
    editor, other = users["editor"], users["other_editor"]
    add_target(editor, plan, "MM13")
    own_local = add_local(editor, plan)
    own_value = add_value(editor, plan, own_local)
    other_plan = services.create_plan(other, OTHER, YEAR)
    other_local = add_local(other, other_plan, name="Frederiksbergs indikator")
    other_value = add_value(other, other_plan, other_local, value=12.0)
    return SimpleNamespace(users=users, plan=plan, own_local=own_local, own_value=own_value,
                           other_plan=other_plan, other_local=other_local, other_value=other_value)


@pytest.fixture
def fake_renderer(monkeypatch):
    """The documents' renderers (reports/) stand in for a stub: these tests are about who gets
    a document, not how it looks. The reports passed are kept for inspection."""
    rendered = []

    def renderer(module, function):
        def render(report):
            rendered.append((function, report))
            return b"%stub " + function.encode()
        return render

    monkeypatch.setattr(documents, "renderer", renderer)
    return rendered


def login(client, users, role):
    if role != "anonymous":
        client.force_login(users[role])


def version(w) -> int:
    return fresh(w.plan).version


# --- writes ----------------------------------------------------------------------------------

@dataclass(frozen=True)
class Write:
    name: str
    path: Callable  # world → path below the plan's URL (or a whole path starting with /)
    data: Callable  # world → POST data (read after `prepare`)
    prepare: Callable  # world → None: brings the plan into the state the write needs
    done: Callable  # world → None: asserts the write happened (for the OWN editor)

    def url(self, w) -> str:
        path = self.path(w)
        return path if path.startswith("/") else BASE + path


def nothing(w):
    pass


def gone(rows):
    assert not rows.exists()


def _state_is(state: str, **fields):
    def check(w):
        plan = services.newest_plan(OWN, YEAR)
        assert plan.state == state
        for name, value in fields.items():
            assert getattr(plan, name) == value
    return check


LOCAL_DATA = {"goal_number": 1, "name": "Ny indikator", "definition": "Hvad vi måler.", "unit": "antal",
              "direction": "down", "baseline_value": "3", "baseline_period": "2022", "target_value": "1",
              "target_period": "2023"}

WRITES = [
    Write("opret plan", lambda w: f"/opfoelgning/{OWN}/{YEAR + 1}/opret/", lambda w: {}, nothing,
          lambda w: Plan.objects.get(municipality_code=OWN, year=YEAR + 1)),
    Write("tekst til mål", lambda w: "maal/2/",
          lambda w: {"version": version(w), "focus": "Nyt fokus", "efforts": "Nye indsatser"}, nothing,
          lambda w: GoalText.objects.get(plan=w.plan, goal_number=2, focus="Nyt fokus")),
    Write("måltal", lambda w: "maaltal/MM17/",
          lambda w: {"version": version(w), "target_value": "30", "target_period": "2023"}, nothing,
          lambda w: Target.objects.get(plan=w.plan, indicator_id="MM17", target_value=30.0)),
    Write("slet måltal", lambda w: "maaltal/MM13/slet/", lambda w: {"version": version(w)}, nothing,
          lambda w: gone(Target.objects.filter(plan=w.plan, indicator_id="MM13"))),
    Write("ny lokal indikator", lambda w: "lokal/ny/", lambda w: {"version": version(w), **LOCAL_DATA},
          nothing, lambda w: LocalIndicator.objects.get(plan=w.plan, name="Ny indikator")),
    Write("ret lokal indikator", lambda w: f"lokal/{w.own_local.pk}/",
          lambda w: {"version": version(w), **LOCAL_DATA}, nothing,
          lambda w: LocalIndicator.objects.get(pk=w.own_local.pk, name="Ny indikator", unit="antal")),
    Write("slet lokal indikator", lambda w: f"lokal/{w.own_local.pk}/slet/",
          lambda w: {"version": version(w)}, nothing,
          lambda w: gone(LocalIndicator.objects.filter(pk=w.own_local.pk))),
    Write("lokal værdi", lambda w: f"lokal/{w.own_local.pk}/vaerdi/",
          lambda w: {"version": version(w), "period": "2023H2", "value": "72,5", "comment": ""}, nothing,
          lambda w: LocalValue.objects.get(indicator=w.own_local, period="2023H2", value=72.5)),
    Write("slet lokal værdi", lambda w: f"vaerdi/{w.own_value.pk}/slet/", lambda w: {"version": version(w)},
          nothing, lambda w: gone(LocalValue.objects.filter(pk=w.own_value.pk))),
    Write("indsend", lambda w: "status/indsend/", lambda w: {"version": version(w)},
          lambda w: fill_texts(w.users["editor"], w.plan), _state_is(State.SUBMITTED)),
    Write("træk tilbage", lambda w: "status/tilbagetraek/", lambda w: {"version": version(w)},
          lambda w: submitted(w.users["editor"], w.plan), _state_is(State.DRAFT)),
    Write("godkend", lambda w: "status/godkend/",
          lambda w: {"version": version(w), "meeting_date": "2022-12-14"},
          lambda w: submitted(w.users["editor"], w.plan), _state_is(State.APPROVED)),
    Write("revidér", lambda w: "status/revider/", lambda w: {"version": version(w)},
          lambda w: approved(w.users["editor"], w.plan), _state_is(State.DRAFT, revision=2)),
    Write("offentliggør", lambda w: "status/offentliggoer/", lambda w: {"version": version(w)},
          lambda w: approved(w.users["editor"], w.plan), _state_is(State.APPROVED, published=True)),
    Write("skjul", lambda w: "status/skjul/", lambda w: {"version": version(w)},
          lambda w: published(w.users["editor"], w.plan), _state_is(State.APPROVED, published=False)),
]


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("write", WRITES, ids=lambda w: w.name)
def test_only_the_municipalitys_editor_may_change_its_plan(client, world, write, role):
    write.prepare(world)
    login(client, world.users, role)
    url, data = write.url(world), write.data(world)
    before = db_state()
    response = client.post(url, data)
    if role == "editor":
        assert response.status_code == 302, response.content.decode()[:2000]
        assert response["Location"] == (BASE if "opret" not in url else url.removesuffix("opret/"))
        write.done(world)
        assert AuditEntry.objects.count() > before["counts"]["AuditEntry"]
        return
    expected = 302 if role == "anonymous" else 403
    assert response.status_code == expected
    if role == "anonymous":
        assert response["Location"].startswith(f"{LOGIN}?next=")
    assert db_state() == before


@pytest.mark.parametrize("write", [w for w in WRITES if w.name != "opret plan"], ids=lambda w: w.name)
def test_an_editor_cannot_change_another_municipalitys_plan_through_its_urls(client, world, write):
    """The OWN editor posting to OTHER's URLs (the same paths with OTHER's code) is refused."""
    client.force_login(world.users["editor"])
    url = write.url(world).replace(f"/{OWN}/", f"/{OTHER}/")
    data = {**write.data(world), "version": fresh(world.other_plan).version}
    before = db_state()
    assert client.post(url, data).status_code == 403
    assert db_state() == before


FOREIGN_IDS = [
    ("ret lokal indikator", lambda w: f"lokal/{w.other_local.pk}/",
     lambda w: {"version": version(w), **LOCAL_DATA}),
    ("slet lokal indikator", lambda w: f"lokal/{w.other_local.pk}/slet/", lambda w: {"version": version(w)}),
    ("lokal værdi", lambda w: f"lokal/{w.other_local.pk}/vaerdi/",
     lambda w: {"version": version(w), "period": "2023H2", "value": "50", "comment": ""}),
    ("slet lokal værdi", lambda w: f"vaerdi/{w.other_value.pk}/slet/", lambda w: {"version": version(w)}),
]


@pytest.mark.parametrize(("name", "path", "data"), FOREIGN_IDS, ids=[f[0] for f in FOREIGN_IDS])
def test_ids_of_another_municipalitys_plan_are_not_found_through_ones_own_url(client, world, name, path,
                                                                               data):
    client.force_login(world.users["editor"])
    before = db_state()
    assert client.post(BASE + path(world), data(world)).status_code == 404
    assert db_state() == before


def test_ids_of_an_earlier_revision_are_not_found_through_the_plan_url(client, world):
    """After a revision, the local indicator of revision 1 cannot be changed through the plan."""
    editor = world.users["editor"]
    plan = approved(editor, world.plan)
    services.revise(editor, plan, plan.version)
    client.force_login(editor)
    before = db_state()
    response = client.post(BASE + f"vaerdi/{world.own_value.pk}/slet/", {"version": version(world)})
    assert response.status_code == 404
    assert db_state() == before


def test_the_services_refuse_a_non_editor_even_without_the_views(world):
    """services.py enforces the rules again: a call that bypasses the views changes nothing."""
    before = db_state()
    plan = fresh(world.plan)
    for role in ("reader", "kl", "ministry", "other_editor", "norole"):
        user = world.users[role]
        calls = [
            lambda u: services.save_goal_text(u, plan, 1, plan.version, focus="x", efforts="y"),
            lambda u: services.save_target(u, plan, "MM17", plan.version,
                                           {"target_value": 1.0, "target_period": "2023"}),
            lambda u: services.delete_target(u, plan, "MM13", plan.version),
            lambda u: services.delete_local_indicator(u, plan, world.own_local, plan.version),
            lambda u: services.save_local_value(u, plan, world.own_local, plan.version, period="2023",
                                                value=1.0, comment=""),
            lambda u: services.delete_local_value(u, plan, world.own_value, plan.version),
            lambda u: services.submit(u, plan, plan.version),
            lambda u: services.withdraw(u, plan, plan.version),
            lambda u: services.approve(u, plan, plan.version, plan.created_at.date()),
            lambda u: services.publish(u, plan, plan.version),
            lambda u: services.unpublish(u, plan, plan.version),
            lambda u: services.revise(u, plan, plan.version),
            lambda u: services.create_plan(u, OWN, YEAR + 1),
            lambda u: services.start_from_last_year(u, OWN, YEAR + 1),
        ]
        for call in calls:
            with pytest.raises(services.PermissionDenied):
                call(user)
    assert db_state() == before


# --- reads ---------------------------------------------------------------------------------

# role → status for a page of OWN's unpublished plan.
PLAN_PAGE = {"anonymous": 404, "norole": 404, "other_editor": 404, "reader": 200, "kl": 200,
             "ministry": 200, "editor": 200}
HISTORY = {**PLAN_PAGE, "anonymous": 302}
EDIT_FORM = {"anonymous": 302, "norole": 403, "other_editor": 403, "reader": 403, "kl": 403,
             "ministry": 403, "editor": 200}

READS = [
    ("planen", lambda w: "", PLAN_PAGE),
    ("historik", lambda w: "historik/", HISTORY),
    ("plan.pdf", lambda w: "plan.pdf", PLAN_PAGE),
    ("plan.docx", lambda w: "plan.docx", PLAN_PAGE),
    ("plan.xlsx", lambda w: "plan.xlsx", PLAN_PAGE),
    ("form: tekst", lambda w: "maal/1/", EDIT_FORM),
    ("form: måltal", lambda w: "maaltal/MM13/", EDIT_FORM),
    ("form: ny lokal", lambda w: "lokal/ny/", EDIT_FORM),
    ("form: ret lokal", lambda w: f"lokal/{w.own_local.pk}/", EDIT_FORM),
    ("form: værdi", lambda w: f"lokal/{w.own_local.pk}/vaerdi/", EDIT_FORM),
]


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize(("page", "path", "expected"), READS, ids=[r[0] for r in READS])
def test_who_sees_an_unpublished_plan(client, world, fake_renderer, page, path, expected, role):
    login(client, world.users, role)
    before = db_state()
    response = client.get(BASE + path(world))
    assert response.status_code == expected[role]
    if expected[role] == 302:
        assert response["Location"].startswith(f"{LOGIN}?next=")
    if expected[role] == 200 and page.startswith("plan."):
        assert response.content == b"%stub render_plan_" + page.split(".")[1].encode()
        name = f"beskaeftigelsesplan-{YEAR}-{OWN}-rev1.{page.split('.')[1]}"
        assert name in response["Content-Disposition"]
        assert fake_renderer[-1][1].municipality_code == OWN
    if expected[role] != 200:
        assert "Tilfredshed med sagsbehandlingen" not in response.content.decode()
        assert fake_renderer == []
    assert db_state() == before


def test_the_plan_page_shows_edit_controls_only_to_the_editor(client, world):
    for role in ("reader", "kl", "ministry", "editor"):
        client.force_login(world.users[role])
        html = client.get(BASE).content.decode()
        assert "Tilfredshed med sagsbehandlingen" in html
        assert ("Indsend til byrådet" in html) == (role == "editor"), role
        assert (f'href="{BASE}maal/1/"' in html) == (role == "editor"), role
        assert (f'href="{BASE}historik/"' in html), role


@pytest.mark.parametrize("role", ROLES)
def test_a_published_plan_is_readable_by_everybody_but_its_history_is_not(client, world, fake_renderer,
                                                                         role):
    published(world.users["editor"], world.plan)
    login(client, world.users, role)
    response = client.get(BASE)
    assert response.status_code == 200
    assert "Tilfredshed med sagsbehandlingen" in response.content.decode()
    assert client.get(BASE + "plan.pdf").status_code == 200
    assert client.get(BASE + "historik/").status_code == HISTORY[role]


def test_the_public_sees_the_published_revision_not_the_draft_after_it(client, world, fake_renderer):
    editor = world.users["editor"]
    plan = published(editor, world.plan)
    services.revise(editor, plan, plan.version)
    draft = services.newest_plan(OWN, YEAR)
    services.save_goal_text(editor, draft, 1, draft.version, focus="Hemmeligt udkast", efforts="")

    html = client.get(BASE).content.decode()
    assert "Fokus for mål 1" in html and "Hemmeligt udkast" not in html
    assert client.get(BASE + "?revision=2").status_code == 404
    assert client.get(BASE + "plan.pdf?revision=2").status_code == 404
    assert client.get(BASE + "plan.pdf").status_code == 200
    assert fake_renderer[-1][1].revision == 1

    client.force_login(world.users["reader"])
    assert "Hemmeligt udkast" in client.get(BASE).content.decode()


def test_an_unknown_municipality_or_plan_is_not_found(client, world):
    client.force_login(world.users["ministry"])
    assert client.get("/opfoelgning/999/2023/").status_code == 404
    assert client.get(f"/opfoelgning/{OWN}/2024/").status_code == 404
    assert client.get(f"/opfoelgning/{OWN}/2024/historik/").status_code == 404


def test_the_plan_list_shows_unpublished_plans_only_to_those_who_may_read_them(client, world):
    url = f"/opfoelgning/?aar={YEAR}"
    html = client.get(url).content.decode()
    assert f'href="/opfoelgning/{OWN}/{YEAR}/"' not in html
    for role, sees_other in (("ministry", True), ("kl", True), ("reader", False), ("editor", False)):
        client.force_login(world.users[role])
        html = client.get(url).content.decode()
        assert f'href="/opfoelgning/{OWN}/{YEAR}/"' in html, role
        assert (f'href="/opfoelgning/{OTHER}/{YEAR}/"' in html) == sees_other, role


def test_the_national_pdf_counts_only_published_plans_for_the_public(client, world, fake_renderer):
    """OWN: revision 1 published, revision 2 a draft; OTHER: approved, not published."""
    editor, other = world.users["editor"], world.users["other_editor"]
    plan = published(editor, world.plan)
    services.revise(editor, plan, plan.version)
    approved(other, world.other_plan)
    url = f"/opfoelgning/national-{YEAR}.pdf"

    response = client.get(url)
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    public = {"Kladde": 0, "Indsendt til byrådet": 0, "Godkendt af byrådet": 1, "Ingen plan": 97}
    assert fake_renderer[-1][1].plans_by_state == public
    assert fake_renderer[-1][1].scope_note == "Kun planer, kommunerne har offentliggjort."

    for role in ("norole", "reader", "other_editor", "editor"):
        client.force_login(world.users[role])
        client.get(url)
        assert fake_renderer[-1][1].plans_by_state == public, role

    for role in ("ministry", "kl"):
        client.force_login(world.users[role])
        client.get(url)
        assert fake_renderer[-1][1].plans_by_state == {
            "Kladde": 1, "Indsendt til byrådet": 0, "Godkendt af byrådet": 1, "Ingen plan": 96}, role

    assert client.get("/opfoelgning/national-1999.pdf").status_code == 404
