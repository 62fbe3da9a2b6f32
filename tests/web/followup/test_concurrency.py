"""Two editors on the same plan: each save carries the version the editor's page showed. The
first save wins; a save from an older page is refused (409) with nothing written, keeps what the
second editor typed, and shows what the first one changed. Saving again is then deliberate and
goes through."""

from __future__ import annotations

import pytest

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
    transaction: exactly one change lands and the other is refused. On PostgreSQL the loser gets
    ConcurrentEdit (the conditional UPDATE re-checks the version after the winner commits).
    SQLite's shared in-memory test database may instead tell one or both that it is busy; what
    must hold there too is that never both land and the plan agrees with what was said."""
    import threading

    from django.db import OperationalError, connection

    from jobmaal.web.accounts.models import Role

    editors = [make_user(f"samtidig{k}", Role.EDITOR, (OWN,)) for k in range(2)]
    plan = services.create_plan(editors[0], OWN, YEAR)
    start = threading.Barrier(2)
    outcomes: list[str] = []

    def save(k: int) -> None:
        try:
            start.wait()
            services.save_goal_text(editors[k], plan, 1, plan.version, focus=f"Redaktør {k}", efforts="")
            outcomes.append("saved")
        except services.ConcurrentEdit:
            outcomes.append("refused")
        except OperationalError:  # SQLite: "database is locked"
            outcomes.append("busy")
        except Exception as exc:  # noqa: BLE001  (shown by the assertion below)
            outcomes.append(repr(exc))
        finally:
            connection.close()

    threads = [threading.Thread(target=save, args=(k,)) for k in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    assert set(outcomes) <= {"saved", "refused", "busy"} and len(outcomes) == 2, outcomes
    saved = outcomes.count("saved")
    assert saved <= 1, outcomes
    if connection.vendor == "postgresql":
        assert sorted(outcomes) == ["refused", "saved"]
    landed = GoalText.objects.get(plan=plan, goal_number=1).focus
    assert (landed in ("Redaktør 0", "Redaktør 1")) if saved else landed == ""
    assert fresh(plan).version == plan.version + saved
    assert plan.audit.filter(object_type="goal_text").count() == saved
