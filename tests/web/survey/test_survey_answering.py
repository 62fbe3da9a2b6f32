"""Answering: save and resume, submit with validation, conditions, dates, reopening, conflicts."""

from __future__ import annotations

import datetime as dt

import pytest
from django.urls import reverse
from django.utils import timezone
from tests.web.concurrent import at_once
from tests.web.survey.conftest import COMPLETE, OTHER, OWN, post_answer

from jobmaal.web.survey import services
from jobmaal.web.survey.models import Answer, State


def _answer(round_, code=OWN) -> Answer:
    return Answer.objects.get(round=round_, municipality_code=code)


def test_round_invites_all_98_municipalities_and_locks_the_questionnaire(open_round):
    assert open_round.answers.count() == 98
    assert set(open_round.answers.values_list("state", flat=True)) == {State.INVITED}
    assert open_round.questionnaire.locked


def test_saving_half_an_answer_keeps_it_for_later_and_the_form_shows_it_again(client, users, open_round):
    client.force_login(users["editor"])
    response = post_answer(client, open_round, OWN, {"q_v1": "delvist", "q_v2": ["moeder"], "q_t3": ""})
    assert response.status_code == 302
    answer = _answer(open_round)
    assert answer.state == State.DRAFT
    assert answer.values == {"v1": "delvist", "v2": ["moeder"]}
    page = client.get(reverse("survey:answer", args=[open_round.pk, OWN]))
    html = page.content.decode()
    assert page.status_code == 200
    assert 'value="delvist" id="id_q_v1_1" checked' in html
    assert page.context["form"].initial["q_v1"] == "delvist"
    assert page.context["editable"] is True


def test_submit_with_required_questions_missing_saves_but_does_not_submit(client, users, open_round):
    client.force_login(users["editor"])
    response = post_answer(client, open_round, OWN, {"q_v1": "ja"}, action="indsend")
    assert response.status_code == 400
    answer = _answer(open_round)
    assert answer.state == State.DRAFT
    assert answer.values == {"v1": "ja"}
    missing = response.context["incomplete"].errors
    # t2 and m3 are required but hidden (t1, m1 unanswered), so they are not asked for.
    assert {"v3", "b1", "t1", "m1", "k1", "e1"} == set(missing)
    assert "Spørgsmålet skal besvares." in response.content.decode()


def test_submit_complete_answer_drops_answers_to_hidden_questions(client, users, open_round):
    client.force_login(users["editor"])
    data = {**COMPLETE, "q_t1": "nej"}  # t2 and t3 are now hidden, their posted answers dropped
    response = post_answer(client, open_round, OWN, data, action="indsend")
    assert response.status_code == 302
    answer = _answer(open_round)
    assert answer.state == State.SUBMITTED
    assert answer.submitted_by == "redaktoer"
    assert "t2" not in answer.values and "t3" not in answer.values
    assert answer.values["v2"] == ["principper", "breve"]
    assert answer.values["v3"] == 4 and answer.values["k2"] == 40


def test_invalid_value_is_not_saved_and_named(client, users, open_round):
    client.force_login(users["editor"])
    response = post_answer(client, open_round, OWN, {**COMPLETE, "q_t3": "120"})
    assert response.status_code == 400
    assert "skal være mellem 0 og 100" in response.content.decode()
    assert _answer(open_round).values == {}


def test_submitted_answer_is_read_only_until_kl_reopens_it(client, users, open_round):
    client.force_login(users["editor"])
    post_answer(client, open_round, OWN, COMPLETE, action="indsend")
    response = post_answer(client, open_round, OWN, {**COMPLETE, "q_v1": "nej"})
    assert response.status_code == 400
    assert "indsendt" in response.content.decode()
    assert _answer(open_round).values["v1"] == "ja"
    services.reopen_answer(users["kl"], _answer(open_round))
    assert _answer(open_round).reopened
    response = post_answer(client, open_round, OWN, {**COMPLETE, "q_v1": "nej"}, action="indsend")
    assert response.status_code == 302
    answer = _answer(open_round)
    assert answer.values["v1"] == "nej" and "v2" not in answer.values
    assert answer.state == State.SUBMITTED and not answer.reopened


def test_after_the_closing_date_nobody_can_answer_unless_kl_reopened(client, users, open_round):
    client.force_login(users["editor"])
    post_answer(client, open_round, OWN, COMPLETE, action="indsend")
    today = timezone.localdate()
    services.change_dates(
        users["kl"],
        open_round,
        opens_on=today - dt.timedelta(days=20),
        closes_on=today - dt.timedelta(days=1),
    )
    response = post_answer(client, open_round, OTHER, {"q_v1": "ja"})
    assert response.status_code == 403  # not their municipality either; see the editor of OWN below
    response = post_answer(client, open_round, OWN, COMPLETE)
    assert response.status_code == 400
    services.reopen_answer(users["kl"], _answer(open_round))
    response = post_answer(client, open_round, OWN, {**COMPLETE, "q_e1": "5"}, action="indsend")
    assert response.status_code == 302
    assert _answer(open_round).values["e1"] == 5


def test_closed_round_refuses_a_draft_with_a_message(client, users, open_round):
    client.force_login(users["editor"])
    post_answer(client, open_round, OWN, {"q_v1": "ja"})
    services.close_now(users["kl"], open_round)
    response = post_answer(client, open_round, OWN, {"q_v1": "nej"})
    assert response.status_code == 400
    assert "Runden er lukket" in response.content.decode()
    assert _answer(open_round).values == {"v1": "ja"}


def test_round_not_yet_open_cannot_be_answered(client, users, open_round):
    today = timezone.localdate()
    services.change_dates(
        users["kl"],
        open_round,
        opens_on=today + dt.timedelta(days=3),
        closes_on=today + dt.timedelta(days=10),
    )
    client.force_login(users["editor"])
    response = post_answer(client, open_round, OWN, {"q_v1": "ja"})
    assert response.status_code == 400
    assert "Runden åbner" in response.content.decode()


def test_closing_date_is_the_last_day_to_answer(users, open_round):
    answer = _answer(open_round)
    assert services.may_answer(answer, open_round.closes_on)
    assert not services.may_answer(answer, open_round.closes_on + dt.timedelta(days=1))
    assert not services.may_answer(answer, open_round.opens_on - dt.timedelta(days=1))


def test_shared_centre_editor_answers_each_municipality_separately(client, users, open_round):
    client.force_login(users["shared"])
    assert post_answer(client, open_round, OWN, {"q_v1": "ja"}).status_code == 302
    assert post_answer(client, open_round, OTHER, {"q_v1": "nej"}).status_code == 302
    assert _answer(open_round, OWN).values == {"v1": "ja"}
    assert _answer(open_round, OTHER).values == {"v1": "nej"}


def test_stale_version_is_refused_with_409_and_input_kept(client, users, open_round):
    client.force_login(users["editor"])
    shown = _answer(open_round).version
    assert post_answer(client, open_round, OWN, {"q_v1": "ja"}, version=shown).status_code == 302
    response = post_answer(client, open_round, OWN, {"q_v1": "nej"}, version=shown)
    assert response.status_code == 409
    assert "gemt af redaktoer" in response.content.decode()
    assert response.context["form"].data["q_v1"] == "nej"
    assert _answer(open_round).values == {"v1": "ja"}


def test_background_save_answers_json_with_the_new_version(client, users, open_round):
    client.force_login(users["editor"])
    answer = _answer(open_round)
    response = client.post(
        reverse("survey:answer", args=[open_round.pk, OWN]),
        {"q_v1": "ja", "version": str(answer.version), "handling": "gem"},
        headers={"X-Requested-With": "fetch"},
    )
    assert response.status_code == 200
    body = response.json()
    assert body["saved"] is True and body["version"] == answer.version + 1
    assert body["message"].startswith("Gemt kl.")


def test_every_save_is_audited_with_the_changed_values(client, users, open_round):
    client.force_login(users["editor"])
    post_answer(client, open_round, OWN, {"q_v1": "ja"})
    post_answer(client, open_round, OWN, {"q_v1": "nej"})
    entry = _answer(open_round).audit.first()
    assert entry.username == "redaktoer"
    assert entry.before["values"] == {"v1": "ja"} and entry.after["values"] == {"v1": "nej"}


@pytest.mark.django_db(transaction=True)
def test_twelve_saves_of_one_answer_at_once_get_one_success_and_eleven_409(make_user, questionnaires):
    """Twelve editors of København post the answer from the same version at the same moment:
    one is saved, eleven are told someone else saved first (409); never a 500, also on SQLite."""
    from django.test import Client

    from jobmaal.web.accounts.models import Role

    kl = make_user("kl_samtidig", Role.KL)
    today = timezone.localdate()
    round_ = services.open_round(kl, questionnaires[2023], name="Samtidig",
                                 opens_on=today - dt.timedelta(days=1),
                                 closes_on=today + dt.timedelta(days=14))
    shown = _answer(round_).version
    clients = []
    for k in range(12):
        browser = Client()
        browser.force_login(make_user(f"svarer{k}", Role.EDITOR, (OWN,)))
        clients.append(browser)

    def post(k: int) -> str:
        return str(post_answer(clients[k], round_, OWN, {"q_v1": "ja", "q_v3": str(k % 5 + 1)},
                               version=shown).status_code)

    outcomes = at_once(12, post)

    assert sorted(outcomes) == ["302"] + ["409"] * 11, outcomes
    answer = _answer(round_)
    assert answer.version == shown + 1
    assert answer.values["v1"] == "ja" and answer.values["v3"] in {1, 2, 3, 4, 5}
