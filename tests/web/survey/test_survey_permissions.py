"""Every role against every write endpoint (403, nothing changed) and every private read (404).

KL builds questionnaires and runs rounds; only a municipality's own editors answer for it; the
ministry reads everything and changes nothing; another municipality's ids are tried too."""

from __future__ import annotations

import pytest
from django.urls import reverse
from tests.web.survey.conftest import COMPLETE, OTHER, OWN, post_answer

from jobmaal.web.survey import services
from jobmaal.web.survey.models import Answer, AuditEntry, Question, Questionnaire, Round, State

ROLES = ["ministry", "kl", "editor", "reader", "other_editor", "shared", "norole", None]


@pytest.fixture
def world(users, questionnaires, open_round):
    """An unlocked questionnaire (a copy of 2023 into 2024) beside the locked one with its round."""
    draft = services.copy_questionnaire(users["kl"], questionnaires[2023], 2024)
    section = draft.sections.first()
    question = draft.questions.get(code="e4")
    return {"draft": draft, "section": section, "question": question, "round": open_round}


def kl_endpoints(w) -> list[tuple[str, list, dict]]:
    d, r = w["draft"], w["round"]
    question_data = {"section": w["section"].pk, "order": 1, "code": "ny", "text": "Nyt?", "kind": "text"}
    return [
        ("survey:questionnaire_new", [], {"year": 2030, "title": "Nyt skema"}),
        ("survey:questionnaire_edit", [d.pk], {"title": "Ændret", "intro": ""}),
        ("survey:section_new", [d.pk], {"title": "Nyt afsnit", "order": 9}),
        ("survey:section_edit", [d.pk, w["section"].pk], {"title": "Ændret afsnit", "order": 1}),
        ("survey:section_delete", [d.pk, w["section"].pk], {}),
        ("survey:question_new", [d.pk], question_data),
        ("survey:question_edit", [d.pk, w["question"].pk], {**question_data, "code": "e4"}),
        ("survey:question_delete", [d.pk, w["question"].pk], {}),
        ("survey:questionnaire_copy", [d.pk], {"year": 2025}),
        ("survey:round_new", [d.pk], {"name": "Runde", "opens_on": "2024-09-01", "closes_on": "2024-10-01"}),
        (
            "survey:round_import",
            [d.pk],
            {"name": "Runde", "opens_on": "2024-09-01", "closes_on": "2024-10-01"},
        ),
        ("survey:round_dates", [r.pk], {"opens_on": "2020-01-01", "closes_on": "2020-01-02"}),
        ("survey:round_close", [r.pk], {}),
        ("survey:answer_reopen", [r.pk, OWN], {}),
        ("survey:answer_reopen", [r.pk, OTHER], {}),
    ]


def _snapshot():
    return (
        Questionnaire.objects.count(),
        Question.objects.count(),
        Round.objects.count(),
        sorted(Answer.objects.values_list("municipality_code", "state", "values", "reopened", "version")),
        sorted(Round.objects.values_list("opens_on", "closes_on", "closed_early_at")),
        sorted(Questionnaire.objects.values_list("title", flat=True)),
    )


@pytest.mark.parametrize("role", [r for r in ROLES if r != "kl"])
def test_only_kl_may_use_kl_endpoints(client, users, world, role):
    # Submitted answers so that reopening would change something.
    for code, editor in ((OWN, "editor"), (OTHER, "other_editor")):
        client.force_login(users[editor])
        post_answer(client, world["round"], code, COMPLETE, action="indsend")
    client.logout()
    if role:
        client.force_login(users[role])
    before = _snapshot()
    for name, args, data in kl_endpoints(world):
        url = reverse(name, args=args)
        response = client.post(url, data)
        if role is None:
            assert response.status_code == 302 and "/konto/log-ind/" in response["Location"], url
        else:
            assert response.status_code == 403, (role, url, response.status_code)
    assert _snapshot() == before


def test_kl_may_use_every_kl_endpoint(client, users, world):
    client.force_login(users["kl"])
    for name, args, data in kl_endpoints(world):
        response = client.post(reverse(name, args=args), data)
        assert response.status_code in (200, 302, 400), (name, response.status_code)
    assert Questionnaire.objects.filter(title="Nyt skema").exists()


@pytest.mark.parametrize(
    "role, code, allowed",
    [
        ("editor", OWN, True),
        ("editor", OTHER, False),
        ("other_editor", OTHER, True),
        ("other_editor", OWN, False),
        ("shared", OWN, True),
        ("shared", OTHER, True),
        ("reader", OWN, False),
        ("kl", OWN, False),
        ("ministry", OWN, False),
        ("norole", OWN, False),
    ],
)
def test_only_the_municipalitys_own_editors_may_answer(client, users, open_round, role, code, allowed):
    client.force_login(users[role])
    response = post_answer(client, open_round, code, {"q_v1": "ja"})
    answer = Answer.objects.get(round=open_round, municipality_code=code)
    if allowed:
        assert response.status_code == 302
        assert answer.values == {"v1": "ja"}
    else:
        assert response.status_code == 403
        assert answer.values == {} and answer.state == State.INVITED


def test_services_refuse_on_their_own_whatever_the_view(users, open_round, questionnaires):
    from django.core.exceptions import PermissionDenied

    answer = Answer.objects.get(round=open_round, municipality_code=OWN)
    for role in ("kl", "ministry", "reader", "other_editor"):
        with pytest.raises(PermissionDenied):
            services.save_answer(users[role], answer, answer.version, {"v1": "ja"})
    for role in ("ministry", "editor", "reader"):
        with pytest.raises(PermissionDenied):
            services.copy_questionnaire(users[role], questionnaires[2023], 2024)
        with pytest.raises(PermissionDenied):
            services.close_now(users[role], open_round)


@pytest.mark.parametrize(
    "role, status",
    [
        ("editor", 200),
        ("reader", 200),
        ("shared", 200),
        ("kl", 200),
        ("ministry", 200),
        ("other_editor", 404),
        ("norole", 404),
    ],
)
def test_reading_an_answer_needs_access_to_that_municipality(client, users, open_round, role, status):
    client.force_login(users[role])
    response = client.get(reverse("survey:answer", args=[open_round.pk, OWN]))
    assert response.status_code == status


def test_reader_sees_own_answer_read_only(client, users, open_round):
    client.force_login(users["editor"])
    post_answer(client, open_round, OWN, COMPLETE)
    client.force_login(users["reader"])
    response = client.get(reverse("survey:answer", args=[open_round.pk, OWN]))
    html = response.content.decode()
    assert response.context["editable"] is False
    assert 'id="survey-form"' not in html
    assert "Svar inden for fem dage." in html


@pytest.mark.parametrize(
    "name, fmt",
    [
        ("survey:status", None),
        ("survey:status_download", "csv"),
        ("survey:status_download", "xlsx"),
        ("survey:answers_download", "csv"),
    ],
)
def test_status_and_raw_answers_are_for_kl_and_the_ministry_only(client, users, open_round, name, fmt):
    args = [open_round.pk] + ([fmt] if fmt else [])
    for role, status in (("kl", 200), ("ministry", 200), ("editor", 404), ("reader", 404), ("norole", 404)):
        client.force_login(users[role])
        assert client.get(reverse(name, args=args)).status_code == status, role


def test_free_text_answers_are_hidden_from_municipalities(client, users, open_round):
    client.force_login(users["other_editor"])
    post_answer(client, open_round, OTHER, COMPLETE, action="indsend")
    client.force_login(users["editor"])
    page = client.get(reverse("survey:results", args=[open_round.pk])).content.decode()
    assert "Hemmelig fritekst" not in page and "Svar inden for fem dage." not in page
    assert "Fritekstsvar vises kun for KL og Beskæftigelsesministeriet" in page
    book = client.get(reverse("survey:results_download", args=[open_round.pk, "xlsx"])).content
    assert b"Hemmelig" not in book
    for role in ("kl", "ministry"):
        client.force_login(users[role])
        page = client.get(reverse("survey:results", args=[open_round.pk])).content.decode()
        assert "Hemmelig fritekst" in page and "Frederiksberg" in page


def test_municipal_users_do_not_see_areas_with_fewer_than_three_answers(client, users, open_round):
    client.force_login(users["other_editor"])
    post_answer(client, open_round, OTHER, COMPLETE, action="indsend")
    # Two answers outside Region Hovedstaden, so that the open round shows a national result.
    Answer.objects.filter(round=open_round, municipality_code__in=[461, 751]).update(
        values={"v1": "nej"}, state=State.SUBMITTED)
    client.force_login(users["editor"])
    report = client.get(reverse("survey:results", args=[open_round.pk])).context["report"]
    v1 = next(q for q in report.questions if q.code == "v1")
    capital = next(row for row in v1.groups[0].rows if row[0] == "Region Hovedstaden")
    assert capital[2] == "1" and capital[3] == "færre end 3 svar"
    client.force_login(users["kl"])
    report = client.get(reverse("survey:results", args=[open_round.pk])).context["report"]
    v1 = next(q for q in report.questions if q.code == "v1")
    capital = next(row for row in v1.groups[0].rows if row[0] == "Region Hovedstaden")
    assert capital[3] == "100 %"


def test_anonymous_visitors_are_sent_to_log_in(client, open_round):
    for url in (
        reverse("survey:index"),
        reverse("survey:results", args=[open_round.pk]),
        reverse("survey:answer", args=[open_round.pk, OWN]),
    ):
        response = client.get(url)
        assert response.status_code == 302 and "/konto/log-ind/" in response["Location"]


def test_refused_changes_write_no_audit(client, users, open_round):
    count = AuditEntry.objects.count()
    client.force_login(users["other_editor"])
    post_answer(client, open_round, OWN, COMPLETE, action="indsend")
    assert AuditEntry.objects.count() == count
