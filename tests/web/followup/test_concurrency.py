"""Two editors on the same plan: each save carries the version the editor's page showed. The
first save wins; a save from an older page is refused (409) with nothing written, keeps what the
second editor typed, and shows what the first one changed. Saving again is then deliberate and
goes through."""

from __future__ import annotations

import pytest
from tests.web.concurrent import at_once

from jobmaal.web.followup import services
from jobmaal.web.followup.models import GoalText, State

from .helpers import OWN, YEAR, add_local, add_target, approved, db_state, fill_texts, fresh, submitted

BASE = f"/opfoelgning/{OWN}/{YEAR}/"


@pytest.fixture
def two(client, users):
    from django.test import Client

    first, second = client, Client()
    first.force_login(users["editor"])
    second.force_login(users["editor2"])
    return first, second


def shown_version(response) -> int:
    return int(response.context["form"]["version"].value())


def test_the_second_save_from_an_old_page_is_refused_and_shows_the_first(two, plan):
    first, second = two
    url = BASE + "maal/1/"
    v1 = shown_version(first.get(url))
    v2 = shown_version(second.get(url))
    assert v1 == v2 == plan.version

    saved = first.post(url, {"version": v1, "focus": "Første redaktørs fokus", "efforts": ""})
    assert saved.status_code == 302
    before = db_state()
    response = second.post(url, {"version": v2, "focus": "Anden redaktørs fokus",
                                 "efforts": "Mine indsatser"})

    assert response.status_code == 409
    assert db_state() == before
    assert GoalText.objects.get(plan=plan, goal_number=1).focus == "Første redaktørs fokus"
    html = response.content.decode()
    # the second editor's input is kept, with the current version for a deliberate new save
    form = response.context["form"]
    assert form["focus"].value() == "Anden redaktørs fokus" and form["efforts"].value() == "Mine indsatser"
    assert "\nAnden redaktørs fokus</textarea>" in html
    assert shown_version(response) == fresh(plan).version
    assert f'name="version" value="{fresh(plan).version}"' in html
    # the first editor's change: who, what, before → after
    assert "Planen er ændret af redaktoer, siden du åbnede den." in html
    conflict = html[html.index('class="conflict"'):]
    assert "<td>redaktoer</td>" in conflict and "Mål 1: tekst" in conflict
    assert "<dt>Lokalt fokus</dt><dd>–</dd>" in conflict
    assert "<dt>Lokalt fokus</dt><dd>Første redaktørs fokus</dd>" in conflict

    again = second.post(url, {"version": shown_version(response), "focus": "Anden redaktørs fokus",
                              "efforts": "Mine indsatser"})
    assert again.status_code == 302
    assert GoalText.objects.get(plan=plan, goal_number=1).focus == "Anden redaktørs fokus"


def test_a_conflict_on_another_form_of_the_same_plan_is_refused_too(two, users, plan):
    """The version is the plan's: a target saved from a page loaded before a text change waits."""
    first, second = two
    version = shown_version(second.get(BASE + "maaltal/MM17/"))
    first.post(BASE + "maal/2/", {"version": plan.version, "focus": "Nyt", "efforts": ""})
    before = db_state()
    response = second.post(BASE + "maaltal/MM17/", {"version": version, "target_value": "33,3",
                                                   "target_period": "2023"})
    assert response.status_code == 409
    assert db_state() == before
    assert response.context["form"]["target_value"].value() == "33,3"
    assert "Mål 2: tekst" in response.content.decode()


def test_a_conflicting_local_value_keeps_its_unit_and_input(two, users, plan):
    first, second = two
    local = add_local(users["editor"], plan, unit="antal", baseline_value=3.0, target_value=5.0)
    url = BASE + f"lokal/{local.pk}/vaerdi/"
    version = shown_version(second.get(url))
    first.post(url, {"version": version, "period": "2023H1", "value": "4", "comment": ""})
    before = db_state()
    response = second.post(url, {"version": version, "period": "2023H1", "value": "6", "comment": "min"})
    assert response.status_code == 409
    assert db_state() == before
    assert response.context["form"].unit == "antal"
    assert response.context["form"]["value"].value() == "6"


def test_a_service_call_with_a_stale_version_raises_with_the_other_changes(users, plan):
    editor, editor2 = users["editor"], users["editor2"]
    shown = plan.version
    services.save_goal_text(editor, plan, 1, shown, focus="A", efforts="")
    before = db_state()
    with pytest.raises(services.ConcurrentEdit) as caught:
        services.save_goal_text(editor2, plan, 1, shown, focus="B", efforts="")
    assert db_state() == before
    assert [(c.username, c.after) for c in caught.value.changes] == [("redaktoer", {"focus": "A"})]
    assert caught.value.plan.version == shown + 1


@pytest.mark.parametrize(("action", "prepare", "data"), [
    ("indsend", fill_texts, {}),
    ("tilbagetraek", submitted, {}),
    ("godkend", submitted, {"meeting_date": "2022-12-14"}),
    ("revider", approved, {}),
    ("offentliggoer", approved, {}),
])
def test_a_button_on_an_old_page_is_refused_with_a_message(two, users, plan, action, prepare, data):
    first, second = two
    editor = users["editor"]
    plan = prepare(editor, plan)
    stale = plan.version
    # the first editor changes the plan meanwhile, leaving it in the same state
    if plan.state == State.DRAFT:
        plan = add_target(editor, plan)
    elif plan.state == State.SUBMITTED:
        plan = services.withdraw(editor, plan, plan.version)
        plan = services.submit(editor, plan, plan.version)
    else:
        plan = services.publish(editor, plan, plan.version)
        plan = services.unpublish(editor, plan, plan.version)
    state = db_state()
    response = second.post(BASE + f"status/{action}/", {"version": stale, **data}, follow=True)
    assert response.status_code == 200
    text = " ".join(str(m) for m in response.context["messages"])
    assert "Planen er ændret af redaktoer, siden du åbnede den." in text
    assert db_state() == state


def test_a_button_without_a_version_is_refused(two, users, plan):
    first, _ = two
    plan = fill_texts(users["editor"], plan)
    before = db_state()
    response = first.post(BASE + "status/indsend/", {}, follow=True)
    assert "Siden mangler planens version" in " ".join(str(m) for m in response.context["messages"])
    assert db_state() == before


@pytest.mark.django_db(transaction=True)
def test_two_saves_at_the_same_moment_never_both_land(make_user):
    """Two threads save the same plan version at once, each in its own database connection and
    transaction: exactly one change lands and the other is refused with ConcurrentEdit, on SQLite
    (IMMEDIATE transactions wait on the busy timeout) as on PostgreSQL (the conditional UPDATE
    re-checks the version after the winner commits)."""
    from jobmaal.web.accounts.models import Role

    editors = [make_user(f"samtidig{k}", Role.EDITOR, (OWN,)) for k in range(2)]
    plan = services.create_plan(editors[0], OWN, YEAR)

    def save(k: int) -> str:
        try:
            services.save_goal_text(editors[k], plan, 1, plan.version, focus=f"Redaktør {k}", efforts="")
            return "saved"
        except services.ConcurrentEdit:
            return "refused"

    outcomes = at_once(2, save)

    assert sorted(outcomes) == ["refused", "saved"], outcomes
    assert GoalText.objects.get(plan=plan, goal_number=1).focus in ("Redaktør 0", "Redaktør 1")
    assert fresh(plan).version == plan.version + 1
    assert plan.audit.filter(object_type="goal_text").count() == 1


@pytest.mark.django_db(transaction=True)
def test_twelve_editors_saving_one_plan_at_once_get_one_success_and_eleven_409(make_user):
    """The same over HTTP: twelve browsers post the goal text from the same page version at once.
    One is saved (302), the other eleven are told the plan changed (409); never a 500."""
    from django.test import Client

    from jobmaal.web.accounts.models import Role

    editors = [make_user(f"travl{k}", Role.EDITOR, (OWN,)) for k in range(12)]
    plan = services.create_plan(editors[0], OWN, YEAR)
    clients = []
    for editor in editors:
        browser = Client()
        browser.force_login(editor)
        clients.append(browser)

    def post(k: int) -> str:
        response = clients[k].post(BASE + "maal/1/", {"version": plan.version, "focus": f"Tekst {k}",
                                                      "efforts": ""})
        return str(response.status_code)

    outcomes = at_once(12, post)

    assert sorted(outcomes) == ["302"] + ["409"] * 11, outcomes
    assert fresh(plan).version == plan.version + 1
    assert plan.audit.filter(object_type="goal_text").count() == 1


@pytest.mark.django_db(transaction=True)
def test_a_plan_save_during_a_release_load_lands_between_two_chunks(make_user, computed_release_dir):
    """A load stores its release in short transactions; a plan save made while it runs waits
    for the chunk being stored (SQLite's busy timeout), then lands, while the load goes on."""
    import threading

    from django.db import connection

    from jobmaal.web.accounts.models import Role
    from jobmaal.web.models import Release
    from jobmaal.web.releases import load_release

    editor = make_user("under_load", Role.EDITOR, (OWN,))
    plan = services.create_plan(editor, OWN, YEAR)
    started = threading.Event()
    chunks: list[tuple[str, int]] = []
    results: list[object] = []

    def stored(step: str, done: int, total: int) -> None:
        chunks.append((step, done))
        started.set()

    def load() -> None:
        try:
            results.append(load_release(computed_release_dir, activate=True, chunk_rows=2000,
                                        progress=stored))
        except Exception as exc:  # noqa: BLE001
            results.append(exc)
        finally:
            connection.close()

    loader = threading.Thread(target=load)
    loader.start()
    assert started.wait(120)
    saved = services.save_goal_text(editor, plan, 1, plan.version, focus="Under indlæsning", efforts="")
    chunks_when_saved = len(chunks)
    still_loading = Release.all_objects.filter(loading=True).exists()
    loader.join()

    assert saved.version == plan.version + 1
    assert GoalText.objects.get(plan=plan, goal_number=1).focus == "Under indlæsning"
    assert still_loading, "the save waited for the whole load"
    assert chunks_when_saved < len(chunks), (chunks_when_saved, len(chunks))
    assert len(results) == 1 and results[0].__class__.__name__ == "Release", results
    assert results[0].is_active and not Release.all_objects.filter(loading=True).exists()

