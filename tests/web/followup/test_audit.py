"""Every change writes one audit entry: who, the plan version after the change, and the values
before and after of the fields that changed; the history page shows them with Danish labels."""

from __future__ import annotations

import re

from jobmaal import formats
from jobmaal.web.followup import services
from jobmaal.web.followup.models import AuditEntry

from .helpers import MEETING, OWN, YEAR, add_local, add_target, add_value, db_state, fill_texts, fresh

BASE = f"/opfoelgning/{OWN}/{YEAR}/"


def newest_entry() -> AuditEntry:
    return AuditEntry.objects.order_by("-id").first()


def one_change(before_count: int) -> AuditEntry:
    assert AuditEntry.objects.count() == before_count + 1
    return newest_entry()


def test_creating_a_plan_is_recorded(users, plan):
    entry = AuditEntry.objects.get(plan=plan)
    assert (entry.user, entry.username, entry.version, entry.action) == (users["editor"], "redaktoer", 1,
                                                                        "create")
    assert entry.before is None and entry.after == {"year": YEAR}


def test_a_text_change_records_only_the_changed_field(users, plan):
    editor = users["editor"]
    services.save_goal_text(editor, plan, 2, plan.version, focus="Fokus", efforts="Indsatser")
    n = AuditEntry.objects.count()
    services.save_goal_text(users["editor2"], plan, 2, fresh(plan).version, focus="Nyt fokus",
                            efforts="Indsatser")
    entry = one_change(n)
    assert entry.user == users["editor2"] and entry.username == "redaktoer2"
    assert entry.version == fresh(plan).version == 3
    assert (entry.action, entry.object_type, entry.object_label) == ("update", "goal_text", "Mål 2: tekst")
    assert entry.before == {"focus": "Fokus"} and entry.after == {"focus": "Nyt fokus"}
    assert entry.municipality_code == OWN


def test_target_create_update_delete_are_recorded(users, plan):
    editor = users["editor"]
    n = AuditEntry.objects.count()
    plan = add_target(editor, plan, "MM13", baseline_value=None, baseline_period="", target_value=50.0)
    entry = one_change(n)
    assert (entry.action, entry.before, entry.version) == ("create", None, plan.version)
    assert entry.after == {"baseline_value": None, "baseline_period": "", "target_value": 50.0,
                           "target_period": "2023", "comment": ""}

    plan = add_target(editor, plan, "MM13", baseline_value=None, baseline_period="", target_value=55.5)
    entry = one_change(n + 1)
    assert entry.action == "update"
    assert (entry.before, entry.after) == ({"target_value": 50.0}, {"target_value": 55.5})

    services.delete_target(editor, plan, "MM13", plan.version)
    entry = one_change(n + 2)
    assert entry.action == "delete" and entry.after is None
    assert entry.before["target_value"] == 55.5 and entry.object_label == "Måltal for MM13"


def test_local_indicator_and_value_changes_are_recorded(users, plan):
    editor = users["editor"]
    n = AuditEntry.objects.count()
    local = add_local(editor, plan)
    assert one_change(n).object_label == "Lokal indikator: Tilfredshed med sagsbehandlingen"
    value = add_value(editor, plan, local, "2023H1", 61.0)
    entry = one_change(n + 1)
    assert (entry.object_label, entry.before, entry.after) == (
        "Tilfredshed med sagsbehandlingen, 1. halvår 2023", None,
        {"period": "2023H1", "value": 61.0, "comment": ""})
    add_value(editor, plan, local, "2023H1", 63.0, "rettet")
    entry = one_change(n + 2)
    assert entry.before == {"value": 61.0, "comment": ""}
    assert entry.after == {"value": 63.0, "comment": "rettet"}
    services.delete_local_value(editor, plan, value, fresh(plan).version)
    assert one_change(n + 3).before == {"period": "2023H1", "value": 63.0, "comment": "rettet"}
    add_value(editor, plan, local, "2023H2", 64.0)
    services.delete_local_indicator(editor, plan, local, fresh(plan).version)
    entry = one_change(n + 5)
    assert entry.after is None
    assert entry.before["values"] == [{"period": "2023H2", "value": 64.0, "comment": ""}]


def test_state_changes_are_recorded_with_the_meeting_date(users, plan):
    editor = users["editor"]
    plan = fill_texts(editor, plan)
    n = AuditEntry.objects.count()
    plan = services.submit(editor, plan, plan.version)
    entry = one_change(n)
    assert entry.before == {"state": "draft", "submitted_at": None}
    assert entry.after["state"] == "submitted" and entry.after["submitted_at"]
    plan = services.approve(editor, plan, plan.version, MEETING)
    entry = one_change(n + 1)
    assert entry.before["state"] == "submitted" and entry.after["council_meeting_date"] == "2022-12-14"
    assert entry.version == fresh(plan).version


def test_each_revision_start_is_recorded_on_both_revisions(users, plan):
    editor = users["editor"]
    plan = fill_texts(editor, plan)
    plan = services.submit(editor, plan, plan.version)
    plan = services.approve(editor, plan, plan.version, MEETING)
    n = AuditEntry.objects.count()
    new = services.revise(editor, plan, plan.version)
    assert AuditEntry.objects.count() == n + 2
    assert AuditEntry.objects.filter(plan=plan).first().after == {"revision": 2}
    assert AuditEntry.objects.get(plan=new).object_label == "Revision 2 startet ud fra revision 1"


def test_saving_without_a_change_writes_nothing_and_keeps_the_version(client, users, plan):
    """A form saved as it was is no change: no entry, and the version stays, so another editor's
    save is not refused because of it."""
    editor = users["editor"]
    plan = add_target(editor, plan, "MM13")
    before = db_state()
    services.save_goal_text(editor, plan, 1, plan.version, focus="", efforts="")
    services.save_target(editor, plan, "MM13", plan.version, {})
    assert db_state() == before

    client.force_login(editor)
    response = client.post(BASE + "maaltal/MM13/", {"version": plan.version, "baseline_value": "40",
                                                    "baseline_period": "2022", "target_value": "50,0",
                                                    "target_period": "2023", "comment": ""})
    assert response.status_code == 302
    assert db_state() == before


def test_the_history_page_shows_who_and_the_values_before_and_after_in_danish(client, users, plan):
    editor = users["editor"]
    plan = add_target(editor, plan, "MM13", target_value=50.0)
    plan = add_target(editor, plan, "MM13", target_value=56.5)
    services.save_goal_text(users["editor2"], plan, 1, plan.version, focus="Værdig **behandling**",
                            efforts="")
    client.force_login(users["reader"])
    html = client.get(BASE + "historik/").content.decode()
    rows = re.findall(r"<tr><td>.*?</tr>", html, flags=re.S)
    assert len(rows) == AuditEntry.objects.filter(plan=plan).count() == 4
    newest, change = rows[0], rows[1]
    assert "redaktoer2" in newest and "Mål 1: tekst" in newest and "<dt>Lokalt fokus</dt>" in newest
    assert "Værdig **behandling**" in newest  # the text as written, not rendered
    assert "redaktoer" in change and "Måltal for MM13" in change
    before, after = re.findall(r"<dl class=\"values\">(.*?)</dl>", change, flags=re.S)
    assert before == "<dt>Målværdi</dt><dd>50</dd>" and after == "<dt>Målværdi</dt><dd>56,5</dd>"
    assert "Plan 2023 oprettet" in rows[-1]


def test_the_history_shows_states_in_danish(client, users, plan):
    editor = users["editor"]
    plan = fill_texts(editor, plan)
    services.submit(editor, plan, plan.version)
    client.force_login(users["ministry"])
    html = client.get(BASE + "historik/").content.decode()
    assert "<dt>Status</dt><dd>Kladde</dd>" in html
    assert "<dt>Status</dt><dd>Indsendt til byrådet</dd>" in html
    assert "Planen er indsendt" in html


def test_the_history_shows_times_in_copenhagen_and_codes_in_danish(client, users, plan):
    editor = users["editor"]
    add_local(editor, plan, unit="antal", direction="up", baseline_value=3.0, target_value=5.0)
    plan = fill_texts(editor, fresh(plan))
    plan = services.submit(editor, plan, plan.version)
    submitted_at = fresh(plan).submitted_at
    client.force_login(users["ministry"])
    html = client.get(BASE + "historik/").content.decode()
    assert "<dt>Enhed</dt><dd>Antal (heltal ≥ 0)</dd>" in html
    assert "<dt>Retning</dt><dd>Højere er bedre</dd>" in html
    assert "+00:00" not in html and "T" + submitted_at.strftime("%H") not in html
    assert formats.datetime_da(submitted_at, seconds=True) in html  # Danish local time
    assert "2.023" not in html and "Historik for beskæftigelsesplan 2023" in html
