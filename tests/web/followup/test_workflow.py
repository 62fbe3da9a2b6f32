"""A plan's life: draft → submitted → approved by the city council → published, revisions of an
approved plan, and next year's plan started from this year's."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone

from jobmaal.web.followup import services
from jobmaal.web.followup.models import GoalText, LocalIndicator, LocalValue, Plan, State, Target

from .helpers import (
    MEETING,
    OWN,
    YEAR,
    add_local,
    add_target,
    add_value,
    approved,
    db_state,
    fill_texts,
    fresh,
    submitted,
)

BASE = f"/opfoelgning/{OWN}/{YEAR}/"


@pytest.fixture
def editor(users):
    return users["editor"]


@pytest.fixture
def full_plan(editor, plan):
    """Every goal's text, a target and a local indicator with two values."""
    plan = fill_texts(editor, plan)
    add_target(editor, plan, "MM13", comment="Bemærkning")
    local = add_local(editor, plan)
    add_value(editor, plan, local, "2023H1", 62.0, "første måling")
    add_value(editor, plan, local, "2023H2", 66.0)
    return fresh(plan)


def messages_of(response) -> list[str]:
    return [str(m) for m in response.context["messages"]]


def test_a_new_plan_is_an_empty_draft_with_one_text_per_goal(editor, plan):
    assert plan.state == State.DRAFT and plan.revision == 1 and not plan.published
    assert list(plan.goal_texts.values_list("goal_number", flat=True)) == [1, 2, 3, 4, 5]
    assert plan.created_by == editor


def test_submitting_is_refused_while_a_goals_focus_is_empty(editor, plan):
    plan = fill_texts(editor, plan)
    services.save_goal_text(editor, plan, 3, plan.version, focus="   \n", efforts="Indsatser")
    services.save_goal_text(editor, plan, 5, fresh(plan).version, focus="", efforts="")
    before = db_state()
    with pytest.raises(services.FollowupError,
                       match=r"^Skriv det lokale fokus for mål 3, 5, før planen indsendes\.$"):
        services.submit(editor, plan, fresh(plan).version)
    assert db_state() == before


def test_submitting_through_the_page_shows_the_danish_message(client, editor, plan):
    client.force_login(editor)
    before = db_state()
    response = client.post(BASE + "status/indsend/", {"version": plan.version}, follow=True)
    assert "Skriv det lokale fokus for mål 1, 2, 3, 4, 5, før planen indsendes." in messages_of(response)
    assert "Skriv det lokale fokus for mål 1, 2, 3, 4, 5" in response.content.decode()
    assert db_state() == before


def test_a_draft_with_every_focus_is_submitted_and_can_be_withdrawn(editor, plan):
    plan = fill_texts(editor, plan)
    plan = services.submit(editor, plan, plan.version)
    assert fresh(plan).state == State.SUBMITTED and fresh(plan).submitted_at is not None
    assert not fresh(plan).editable
    plan = services.withdraw(editor, plan, plan.version)
    assert fresh(plan).state == State.DRAFT and fresh(plan).submitted_at is None


def test_a_submitted_plan_cannot_be_changed(editor, plan):
    plan = submitted(editor, plan)
    with pytest.raises(services.NotEditable, match="Planen er indsendt til byrådet og kan ikke ændres"):
        services.save_goal_text(editor, plan, 1, plan.version, focus="x", efforts="")


@pytest.mark.parametrize(("transition", "state"), [
    (lambda e, p: services.withdraw(e, p, p.version), "kladde; den kan ikke trækkes tilbage"),
    (lambda e, p: services.approve(e, p, p.version, MEETING), "kladde; den kan ikke godkendes"),
    (lambda e, p: services.publish(e, p, p.version), "Kun en plan, byrådet har godkendt"),
    (lambda e, p: services.unpublish(e, p, p.version), "Planen er ikke offentliggjort"),
    (lambda e, p: services.revise(e, p, p.version), "Kun den nyeste godkendte plan kan revideres"),
], ids=["withdraw", "approve", "publish", "unpublish", "revise"])
def test_a_draft_refuses_the_transitions_of_other_states(editor, plan, transition, state):
    plan = fill_texts(editor, plan)
    before = db_state()
    with pytest.raises(services.FollowupError, match=state):
        transition(editor, plan)
    assert db_state() == before


def test_the_council_approves_a_submitted_plan_at_a_meeting(editor, plan):
    plan = submitted(editor, plan)
    plan = services.approve(editor, plan, plan.version, dt.date(2022, 1, 1))
    plan = fresh(plan)
    assert plan.state == State.APPROVED
    assert plan.council_meeting_date == dt.date(2022, 1, 1)  # the year before the plan is allowed
    assert plan.approved_at is not None


def test_approval_through_the_page_records_the_meeting_date(client, editor, plan):
    plan = submitted(editor, plan)
    client.force_login(editor)
    response = client.post(BASE + "status/godkend/", {"version": plan.version, "meeting_date": "2022-12-14"},
                           follow=True)
    assert "Byrådets godkendelse er registreret." in messages_of(response)
    assert fresh(plan).council_meeting_date == dt.date(2022, 12, 14)
    assert "14. december 2022" in response.content.decode()


@pytest.mark.parametrize(("meeting", "message"), [
    (timezone.localdate() + dt.timedelta(days=1), "Byrådsmødets dato kan ikke ligge i fremtiden."),
    (dt.date(YEAR - 2, 12, 31), f"Byrådsmødet skal ligge i {YEAR - 1} eller senere."),
], ids=["future", "before-last-year"])
def test_an_impossible_meeting_date_is_refused(client, editor, plan, meeting, message):
    plan = submitted(editor, plan)
    before = db_state()
    with pytest.raises(services.FollowupError, match=message):
        services.approve(editor, plan, plan.version, meeting)
    client.force_login(editor)
    response = client.post(BASE + "status/godkend/",
                           {"version": plan.version, "meeting_date": meeting.isoformat()}, follow=True)
    assert message in messages_of(response)
    assert db_state() == before


def test_approval_without_a_meeting_date_is_refused(client, editor, plan):
    plan = submitted(editor, plan)
    client.force_login(editor)
    before = db_state()
    response = client.post(BASE + "status/godkend/", {"version": plan.version, "meeting_date": "i går"},
                           follow=True)
    assert any("Angiv byrådsmødets dato" in m for m in messages_of(response))
    assert db_state() == before


def test_an_approved_plan_is_read_only_but_takes_values(editor, full_plan):
    plan = approved(editor, full_plan)
    local = LocalIndicator.objects.get(plan=plan)
    value = LocalValue.objects.get(indicator=local, period="2023H2")
    before = db_state()
    changes = [
        lambda v: services.save_goal_text(editor, plan, 1, v, focus="Ændret", efforts=""),
        lambda v: services.save_target(editor, plan, "MM17", v,
                                       {"target_value": 1.0, "target_period": "2023"}),
        lambda v: services.save_target(editor, plan, "MM13", v, {"target_value": 99.0}),
        lambda v: services.delete_target(editor, plan, "MM13", v),
        lambda v: services.save_local_indicator(editor, plan, None, v, {
            "goal_number": 4, "name": "n", "definition": "d", "unit": "pct", "direction": "up",
            "baseline_value": None, "baseline_period": "", "target_value": None, "target_period": ""}),
        lambda v: services.save_local_indicator(editor, plan, local, v, {
            "goal_number": 1, "name": "Omdøbt", "definition": "d", "unit": "pct", "direction": "up",
            "baseline_value": None, "baseline_period": "", "target_value": None, "target_period": ""}),
        lambda v: services.delete_local_indicator(editor, plan, local, v),
    ]
    for change in changes:
        with pytest.raises(services.NotEditable, match="Planen er godkendt af byrådet og kan ikke ændres"):
            change(plan.version)
    assert db_state() == before

    services.save_local_value(editor, plan, local, plan.version, period="2023M09", value=70.0, comment="")
    assert LocalValue.objects.get(indicator=local, period="2023M09").value == 70.0
    services.delete_local_value(editor, plan, value, fresh(plan).version)
    assert not LocalValue.objects.filter(pk=value.pk).exists()
    assert fresh(plan).state == State.APPROVED


def test_the_edit_form_of_an_approved_plan_refuses_with_the_reason(client, editor, full_plan):
    plan = approved(editor, full_plan)
    client.force_login(editor)
    before = db_state()
    response = client.post(BASE + "maal/1/", {"version": plan.version, "focus": "Ændret", "efforts": ""})
    assert response.status_code == 400
    assert "kan ikke ændres. Start en ny revision for at ændre den." in response.content.decode()
    assert db_state() == before
    html = client.get(BASE).content.decode()
    assert f'href="{BASE}maal/1/"' not in html
    assert "Indtast værdi" in html


def test_revising_opens_revision_2_as_a_copy_and_keeps_revision_1(client, editor, full_plan):
    plan = approved(editor, full_plan)
    rev1 = {
        "texts": sorted(plan.goal_texts.values_list("goal_number", "focus", "efforts")),
        "targets": sorted(plan.targets.values_list("indicator_id", "baseline_value", "baseline_period",
                                                   "target_value", "target_period", "comment")),
        "locals": sorted(plan.local_indicators.values_list("goal_number", "name", "definition", "unit",
                                                           "direction", "baseline_value", "baseline_period",
                                                           "target_value", "target_period")),
        "values": sorted(LocalValue.objects.filter(indicator__plan=plan)
                         .values_list("indicator__name", "period", "value", "comment")),
    }
    ids1 = {"texts": set(plan.goal_texts.values_list("pk", flat=True)),
            "values": set(LocalValue.objects.filter(indicator__plan=plan).values_list("pk", flat=True))}

    new = services.revise(editor, plan, plan.version)

    assert (new.revision, new.state, new.based_on_id, new.published) == (2, State.DRAFT, plan.pk, False)
    for p in (plan, new):
        assert sorted(p.goal_texts.values_list("goal_number", "focus", "efforts")) == rev1["texts"]
        assert sorted(p.targets.values_list("indicator_id", "baseline_value", "baseline_period",
                                            "target_value", "target_period", "comment")) == rev1["targets"]
        assert sorted(p.local_indicators.values_list(
            "goal_number", "name", "definition", "unit", "direction", "baseline_value", "baseline_period",
            "target_value", "target_period")) == rev1["locals"]
        assert sorted(LocalValue.objects.filter(indicator__plan=p).values_list(
            "indicator__name", "period", "value", "comment")) == rev1["values"]
    # copies, not the same rows moved
    assert set(plan.goal_texts.values_list("pk", flat=True)) == ids1["texts"]
    assert set(LocalValue.objects.filter(indicator__plan=plan).values_list("pk", flat=True)) == ids1["values"]
    assert fresh(plan).state == State.APPROVED and fresh(plan).council_meeting_date == MEETING

    # revision 2 is editable; revision 1 stays as it was
    services.save_goal_text(editor, new, 1, fresh(new).version, focus="Revideret fokus", efforts="")
    assert GoalText.objects.get(plan=plan, goal_number=1).focus == "Fokus for mål 1"
    with pytest.raises(services.FollowupError):
        services.revise(editor, plan, fresh(plan).version)  # only the newest revision

    client.force_login(editor)
    html = client.get(BASE).content.decode()
    assert "Revideret fokus" in html and "Kladde" in html
    old = client.get(BASE + "?revision=1")
    assert old.status_code == 200
    old_html = old.content.decode()
    assert "Fokus for mål 1" in old_html and "Revideret fokus" not in old_html
    assert "en tidligere revision" in old_html
    assert "Ændr planen (ny revision)" not in old_html  # no actions on an old revision


def test_an_earlier_revision_cannot_be_changed_through_the_services(editor, full_plan):
    plan = approved(editor, full_plan)
    services.revise(editor, plan, plan.version)
    plan = fresh(plan)
    local = LocalIndicator.objects.get(plan=plan)
    before = db_state()
    with pytest.raises(services.NotEditable, match="tidligere revision"):
        services.save_local_value(editor, plan, local, plan.version, period="2023", value=1.0, comment="")
    with pytest.raises(services.FollowupError):
        services.unpublish(editor, plan, plan.version)
    assert db_state() == before


def test_only_an_approved_plan_is_published_and_it_can_be_unpublished(client, editor, plan):
    plan = submitted(editor, plan)
    with pytest.raises(services.FollowupError, match="Kun en plan, byrådet har godkendt, kan offentliggøres"):
        services.publish(editor, plan, plan.version)
    plan = services.approve(editor, plan, plan.version, MEETING)
    assert client.get(BASE).status_code == 404

    plan = services.publish(editor, plan, plan.version)
    assert fresh(plan).published and fresh(plan).published_at is not None
    assert client.get(BASE).status_code == 200
    with pytest.raises(services.FollowupError, match="allerede offentliggjort"):
        services.publish(editor, plan, plan.version)

    plan = services.unpublish(editor, plan, plan.version)
    assert not fresh(plan).published and fresh(plan).published_at is None
    assert fresh(plan).state == State.APPROVED
    assert client.get(BASE).status_code == 404


def test_the_page_buttons_publish_and_unpublish(client, editor, plan):
    plan = approved(editor, plan)
    client.force_login(editor)
    response = client.post(BASE + "status/offentliggoer/", {"version": plan.version}, follow=True)
    assert "Planen er offentliggjort." in messages_of(response)
    assert fresh(plan).published
    response = client.post(BASE + "status/skjul/", {"version": fresh(plan).version}, follow=True)
    assert "Planen er ikke længere offentlig." in messages_of(response)
    assert not fresh(plan).published


def test_an_unknown_action_is_not_found(client, editor, plan):
    client.force_login(editor)
    before = db_state()
    assert client.post(BASE + "status/slet-alt/", {"version": plan.version}).status_code == 404
    assert db_state() == before


def test_next_years_plan_starts_from_this_years_with_periods_moved_and_no_values(client, editor, full_plan):
    add_target(editor, full_plan, "REKRUT", baseline_value=20.0, baseline_period="2022H2", target_value=15.0,
               target_period="2023H2")
    client.force_login(editor)
    response = client.post(f"/opfoelgning/{OWN}/{YEAR + 1}/opret/", {"fra": "sidste-aar"}, follow=True)
    assert f"Planen for {YEAR + 1} er oprettet ud fra planen for {YEAR}." in messages_of(response)

    new = Plan.objects.get(municipality_code=OWN, year=YEAR + 1)
    assert (new.state, new.revision, new.based_on_id) == (State.DRAFT, 1, full_plan.pk)
    assert sorted(new.goal_texts.values_list("goal_number", "focus")) == sorted(
        full_plan.goal_texts.values_list("goal_number", "focus"))
    # a typed national baseline belonged to last year's period: dropped, the release gives the new one
    assert sorted(new.targets.values_list("indicator_id", "baseline_value", "baseline_period", "target_value",
                                          "target_period", "comment")) == [
        ("MM13", None, "2023", 50.0, "2024", "Bemærkning"),
        ("REKRUT", None, "2023H2", 15.0, "2024H2", ""),
    ]
    # a local indicator starts from its last measured value (2023H2: 66)
    local = new.local_indicators.get()
    assert (local.name, local.baseline_value, local.baseline_period, local.target_period) == (
        "Tilfredshed med sagsbehandlingen", 66.0, "2023H2", "2024")
    assert not local.values.exists()
    assert LocalValue.objects.filter(indicator__plan=full_plan).count() == 2  # last year's kept
    assert Target.objects.filter(plan=full_plan, target_period="2023").count() == 1


def test_a_plan_is_created_only_once_per_year(client, editor, plan):
    services.create_plan(editor, OWN, YEAR - 1)  # so that starting from last year is possible
    before = db_state()
    with pytest.raises(services.FollowupError, match=f"Der findes allerede en plan for {YEAR}."):
        services.create_plan(editor, OWN, YEAR)
    client.force_login(editor)
    response = client.post(BASE + "opret/", follow=True)
    assert f"Der findes allerede en plan for {YEAR}." in messages_of(response)
    response = client.post(BASE + "opret/", {"fra": "sidste-aar"}, follow=True)
    assert f"Der findes allerede en plan for {YEAR}." in messages_of(response)
    assert db_state() == before


def test_no_plan_without_the_years_goals_or_last_years_plan(editor, db):
    before = db_state()
    with pytest.raises(services.FollowupError, match="Der er ingen mål for 2031 i kataloget."):
        services.create_plan(editor, OWN, 2031)
    with pytest.raises(services.FollowupError, match=f"Der er ingen plan for {YEAR - 1} at starte fra."):
        services.start_from_last_year(editor, OWN, YEAR)
    assert db_state() == before


def test_opening_an_edit_form_of_an_approved_plan_leads_back_to_the_plan(client, editor, full_plan):
    approved(editor, full_plan)
    client.force_login(editor)
    for path in ("maal/1/", "maaltal/MM13/", "lokal/ny/"):
        response = client.get(BASE + path, follow=True)
        assert response.redirect_chain == [(BASE, 302)], path
        assert any("kan ikke ændres" in m for m in messages_of(response))


def test_an_older_published_revision_can_be_taken_down_after_revising(client, editor, full_plan):
    plan = approved(editor, full_plan)
    plan = services.publish(editor, plan, plan.version)
    services.revise(editor, plan, fresh(plan).version)
    rev1 = fresh(plan)
    assert rev1.published
    client.force_login(editor)
    page = client.get(BASE + "?revision=1").content.decode()
    assert "Gør revision 1 ikke offentlig" in page
    response = client.post(BASE + "status/skjul/", {"version": rev1.version, "revision": 1}, follow=True)
    assert "Planen er ikke længere offentlig." in messages_of(response)
    assert not fresh(rev1).published
    assert Plan.objects.get(municipality_code=OWN, year=YEAR, revision=2).state == State.DRAFT
