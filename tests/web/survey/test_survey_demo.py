"""The demo survey: shipped questionnaires, 98 generated answers per round, labelled, the same
every time, and the goal-1 block on the public pages."""

from __future__ import annotations

import pytest
from django.urls import reverse
from django.utils import timezone
from tests.web.survey.conftest import OWN

from jobmaal.web.survey import demo, rules
from jobmaal.web.survey.models import Answer, Round, State


def test_demo_survey_is_idempotent_with_98_submitted_answers_in_the_closed_rounds(db):
    made = demo.ensure_demo_survey()
    assert [r.questionnaire.year for r in made] == [2022, 2023, 2024]
    assert demo.ensure_demo_survey() == []
    today = timezone.localdate()
    for r in Round.objects.filter(questionnaire__year__in=[2022, 2023]):
        assert r.demo and r.status(today) == "closed"
        assert r.answers.filter(state=State.SUBMITTED, demo=True).count() == 98
    open_round = Round.objects.get(questionnaire__year=2024)
    assert open_round.status(today) == "open"
    states = dict(open_round.answers.values_list("municipality_code", "state"))
    assert all(states[code] == State.INVITED for code in demo.KEEP_UNANSWERED)
    assert 50 < sum(s == State.SUBMITTED for s in states.values()) < 90
    v1 = open_round.questionnaire.questions.get(code="v1")
    assert v1.same_as.questionnaire.year == 2023  # the copy compares with 2023


def test_demo_answers_are_deterministic_and_follow_the_rules(db):
    demo.ensure_demo_survey()
    r = Round.objects.get(questionnaire__year=2023)
    questions = r.questionnaire.ordered_questions()
    for a in Answer.objects.filter(round=r):
        assert a.values == demo.demo_values(questions, a.municipality_code, 2023)
        assert rules.missing_required(questions, a.values) == []
        assert rules.keep_visible(questions, a.values) == a.values
        for q in questions:
            if q.code in a.values:
                assert rules.clean_value(q, a.values[q.code]) == a.values[q.code]


def test_demo_results_page_says_the_answers_are_generated(client, users):
    demo.ensure_demo_survey()
    client.force_login(users["editor"])
    r = Round.objects.get(questionnaire__year=2023)
    html = client.get(reverse("survey:results", args=[r.pk])).content.decode()
    assert "Genererede demo-svar" in html
    assert html.count('class="chart"') >= 10


@pytest.mark.django_db
def test_municipality_page_shows_goal1_key_figures_with_own_answer_only_for_own_users(
    client, users, loaded_release
):
    demo.ensure_demo_survey()
    public = client.get(reverse("municipality", args=[OWN])).content.decode()
    assert "KL's rundspørge" in public.replace("&#x27;", "'")
    assert "Måler de lediges tilfredshed" in public and "Genererede demo-svar" in public
    assert "Kommunens egne svar vises for kommunens brugere" in public
    client.force_login(users["editor"])
    own = client.get(reverse("municipality", args=[OWN]))
    assert own.context["survey_goal1"]["own_shown"] is True
    assert '<th scope="col">København</th>' in own.content.decode()
    overview = client.get(reverse("overview")).content.decode()
    assert "Har et lokalt mål for værdighed" in overview


def test_goal1_figures_change_on_cached_pages_after_an_answer(client, users, loaded_release):
    from jobmaal.web import pagecache

    demo.ensure_demo_survey()
    before = pagecache.survey_stamp()
    Answer.objects.filter(municipality_code=OWN, round__questionnaire__year=2023).update(values={})
    from jobmaal.web.survey import services

    services.reopen_answer(
        users["kl"], Answer.objects.get(municipality_code=OWN, round__questionnaire__year=2023)
    )
    assert pagecache.survey_stamp() != before
