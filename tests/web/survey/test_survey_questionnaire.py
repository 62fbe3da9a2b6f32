"""KL's questionnaire editor: every question kind, conditions, the lock, copies and data files."""

from __future__ import annotations

import pytest
from django.urls import reverse

from jobmaal.web.survey import datafile, services
from jobmaal.web.survey.models import Kind, Question, Questionnaire


@pytest.fixture
def draft(users):
    q = services.create_questionnaire(users["kl"], 2030, "Prøveskema")
    services.save_section(users["kl"], q, None, title="Første afsnit", intro="", order=1)
    return q


def _post_question(client, q, **data):
    base = {"section": q.sections.first().pk, "order": 1, "text": "Spørgsmål?", "whole_number": "on"}
    return client.post(reverse("survey:question_new", args=[q.pk]), {**base, **data})


def test_kl_builds_a_question_of_every_kind_in_the_app(client, users, draft):
    client.force_login(users["kl"])
    assert (
        _post_question(
            client, draft, code="s1", kind="single", required="on", options="Ja\nNej", order=1
        ).status_code
        == 302
    )
    assert (
        _post_question(
            client,
            draft,
            code="m1",
            kind="multi",
            options="a | Alfa\nb | Beta",
            order=2,
            condition_question=Question.objects.get(code="s1").pk,
            condition_values="ja",
        ).status_code
        == 302
    )
    assert _post_question(client, draft, code="a1", kind="scale", order=3, headline="on").status_code == 302
    assert (
        _post_question(
            client, draft, code="n1", kind="number", min_value="0", max_value="10", order=4
        ).status_code
        == 302
    )
    assert _post_question(client, draft, code="f1", kind="text", help_text="Frit", order=5).status_code == 302
    questions = {q.code: q for q in draft.ordered_questions()}
    assert [q.code for q in draft.ordered_questions()] == ["s1", "m1", "a1", "n1", "f1"]
    assert questions["s1"].options == [["ja", "Ja"], ["nej", "Nej"]] and questions["s1"].required
    assert questions["m1"].condition_question == questions["s1"] and questions["m1"].condition_values == [
        "ja"
    ]
    assert questions["n1"].min_value == 0 and questions["n1"].max_value == 10
    page = client.get(reverse("survey:questionnaire", args=[draft.pk])).content.decode()
    assert "Besvares kun, hvis svaret på s1 er «Ja»." in page


@pytest.mark.parametrize(
    "data, message",
    [
        ({"code": "1x", "kind": "text"}, "skal begynde med et bogstav"),
        ({"code": "s1", "kind": "single", "options": "Kun én"}, "mindst to"),
        ({"code": "n2", "kind": "number", "min_value": "5", "max_value": "1"}, "Mindste tal er større"),
        ({"code": "f2", "kind": "text", "headline": "on"}, "kan ikke være nøgletal"),
    ],
)
def test_question_that_does_not_hang_together_is_refused_with_a_reason(client, users, draft, data, message):
    client.force_login(users["kl"])
    response = _post_question(client, draft, **data)
    assert response.status_code == 400
    assert message in response.content.decode()
    assert not draft.questions.exists()


def test_condition_must_point_to_an_earlier_choice_question_and_a_real_answer(users, draft):
    kl = users["kl"]
    section = draft.sections.first()
    first = services.save_question(
        kl,
        draft,
        None,
        {
            "section_id": section.pk,
            "order": 1,
            "code": "a",
            "text": "A",
            "kind": Kind.SINGLE,
            "options": [["ja", "Ja"], ["nej", "Nej"]],
        },
    )
    later = services.save_question(
        kl,
        draft,
        None,
        {
            "section_id": section.pk,
            "order": 5,
            "code": "b",
            "text": "B",
            "kind": Kind.SINGLE,
            "options": [["x", "X"], ["y", "Y"]],
        },
    )
    with pytest.raises(services.SurveyError, match="før dette"):
        services.save_question(
            kl, draft, first, {"condition_question_id": later.pk, "condition_values": ["x"]}
        )
    with pytest.raises(services.SurveyError, match="mulige: ja, nej"):
        services.save_question(
            kl, draft, later, {"condition_question_id": first.pk, "condition_values": ["måske"]}
        )
    services.save_question(kl, draft, later, {"condition_question_id": first.pk, "condition_values": ["ja"]})
    with pytest.raises(services.SurveyError, match="Fjern betingelsen først"):
        services.delete_question(kl, first)


def test_questionnaire_is_locked_once_a_round_is_opened(client, users, questionnaires, open_round):
    q = questionnaires[2023]
    question = q.questions.get(code="v1")
    with pytest.raises(services.Locked):
        services.save_question(users["kl"], q, question, {"text": "Ændret"})
    client.force_login(users["kl"])
    response = client.post(reverse("survey:questionnaire_edit", args=[q.pk]), {"title": "Nyt navn"})
    assert response.status_code == 400
    assert "låst" in response.content.decode()
    assert Questionnaire.objects.get(pk=q.pk).title != "Nyt navn"


def test_copy_to_next_year_links_every_question_as_the_same_and_keeps_conditions(users, questionnaires):
    source = questionnaires[2023]
    copy = services.copy_questionnaire(users["kl"], source, 2024)
    assert (copy.year, copy.version, copy.locked) == (2024, 1, False)
    assert copy.title == "KL's rundspørge om værdig sagsbehandling 2024"
    by_code = {q.code: q for q in copy.ordered_questions()}
    assert by_code["v1"].same_as.questionnaire == source and by_code["v1"].same_as.code == "v1"
    assert by_code["v2"].condition_question == by_code["v1"]  # the copy's own v1, not 2023's
    again = services.copy_questionnaire(users["kl"], source, 2023)
    assert again.version == 2
    assert again.questions.get(code="v1").same_as.questionnaire.year == 2022


def test_same_as_must_be_an_earlier_year_and_the_same_kind(users, questionnaires):
    copy = services.copy_questionnaire(users["kl"], questionnaires[2023], 2024)
    e1_2022 = questionnaires[2022].questions.get(code="e1")  # a scale question
    with pytest.raises(services.SurveyError, match="samme type"):
        services.save_question(users["kl"], copy, copy.questions.get(code="v1"), {"same_as_id": e1_2022.pk})
    later = services.copy_questionnaire(users["kl"], copy, 2025)
    with pytest.raises(services.SurveyError, match="tidligere års"):
        services.save_question(
            users["kl"],
            copy,
            copy.questions.get(code="v1"),
            {"same_as_id": later.questions.get(code="v1").pk},
        )


def test_shipped_2023_questionnaire_maps_its_repeated_questions_to_2022(questionnaires):
    q = questionnaires[2023]
    mapped = {x.code: x.same_as.code for x in q.ordered_questions() if x.same_as}
    assert mapped == {"v1": "v1", "t1": "t1", "m1": "m1", "k1": "k1", "e1": "e1", "e4": "e4"}
    kinds = {x.kind for x in q.ordered_questions()}
    assert kinds == set(Kind.values)
    assert {x.code for x in q.ordered_questions() if x.headline} == {"t1", "m1", "e1"}


def test_data_file_with_unknown_condition_is_refused_naming_the_question(tmp_path, db):
    path = tmp_path / "2031.toml"
    path.write_text(
        'year = 2031\ntitle = "X"\n[[sections]]\ntitle = "A"\n[[sections.questions]]\n'
        'code = "b"\ntext = "B"\nkind = "text"\nshow_if = { question = "a", values = ["ja"] }\n',
        encoding="utf-8",
    )
    with pytest.raises(datafile.DataFileError, match="2031.toml, afsnit 1, spørgsmål b: show_if"):
        datafile.load_questionnaire(path)
    assert not Questionnaire.objects.filter(year=2031).exists()
