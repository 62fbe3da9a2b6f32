"""What each question kind accepts, and which questions a condition shows (no database)."""

from __future__ import annotations

import pytest

from jobmaal.web.survey import rules
from jobmaal.web.survey.models import Kind, Question


def q(code: str, kind: str, pk: int, **kw) -> Question:
    question = Question(code=code, kind=kind, text=code, **kw)
    question.pk = question.id = pk
    return question


YES_NO = [["ja", "Ja"], ["delvist", "Delvist"], ["nej", "Nej"]]


def test_single_choice_takes_value_or_label_in_any_case():
    single = q("v1", Kind.SINGLE, 1, options=YES_NO)
    assert rules.clean_value(single, "ja") == "ja"
    assert rules.clean_value(single, " DELVIST ") == "delvist"
    assert rules.clean_value(single, "") is None


def test_single_choice_refuses_unknown_answer_naming_the_options():
    single = q("v1", Kind.SINGLE, 1, options=YES_NO)
    with pytest.raises(
        rules.InvalidValue, match="«måske» er ikke en af svarmulighederne.*«Ja», «Delvist», «Nej»"
    ):
        rules.clean_value(single, "måske")


def test_multiple_choice_takes_list_or_semicolon_text_in_option_order_without_duplicates():
    multi = q("v2", Kind.MULTI, 2, options=[["a", "Alfa"], ["b", "Beta"], ["c", "Gamma"]])
    assert rules.clean_value(multi, ["c", "a", "a"]) == ["a", "c"]
    assert rules.clean_value(multi, "Gamma; beta") == ["b", "c"]
    assert rules.clean_value(multi, []) is None
    with pytest.raises(rules.InvalidValue):
        rules.clean_value(multi, ["a", "x"])


@pytest.mark.parametrize("raw, expected", [("1", 1), (5, 5), (4.0, 4), ("3", 3), ("helt enig", 5)])
def test_scale_takes_whole_numbers_one_to_five(raw, expected):
    assert rules.clean_value(q("e1", Kind.SCALE, 3), raw) == expected


@pytest.mark.parametrize("raw", ["0", "6", "2,5", "enig"])
def test_scale_refuses_anything_else(raw):
    with pytest.raises(rules.InvalidValue, match="1 til 5"):
        rules.clean_value(q("e1", Kind.SCALE, 3), raw)


def test_number_respects_min_max_decimal_comma_and_whole_numbers():
    pct = q("t3", Kind.NUMBER, 4, min_value=0, max_value=100, whole_number=False)
    assert rules.clean_value(pct, "81,5") == 81.5
    assert rules.clean_value(pct, 12.5) == 12.5
    with pytest.raises(rules.InvalidValue, match="mellem 0 og 100"):
        rules.clean_value(pct, "100,1")
    with pytest.raises(rules.InvalidValue, match="ikke et tal"):
        rules.clean_value(pct, "mange")
    count = q("k2", Kind.NUMBER, 5, min_value=0, max_value=None, whole_number=True)
    assert rules.clean_value(count, "1.234,0") == 1234
    with pytest.raises(rules.InvalidValue, match="helt tal"):
        rules.clean_value(count, "2,5")
    with pytest.raises(rules.InvalidValue, match="mindst 0"):
        rules.clean_value(count, "-1")


def test_free_text_is_stripped_and_limited():
    text = q("e4", Kind.TEXT, 6)
    assert rules.clean_value(text, "  hej  ") == "hej"
    with pytest.raises(rules.InvalidValue, match="højst"):
        rules.clean_value(text, "x" * (rules.MAX_TEXT + 1))


def _chain():
    v1 = q("v1", Kind.SINGLE, 1, options=YES_NO, required=True)
    v2 = q(
        "v2",
        Kind.MULTI,
        2,
        options=[["a", "A"], ["b", "B"]],
        condition_question=v1,
        condition_values=["ja", "delvist"],
        required=True,
    )
    v3 = q("v3", Kind.TEXT, 3, condition_question=v2, condition_values=["b"], required=True)
    return [v1, v2, v3]


def test_condition_shows_question_only_for_the_given_answers():
    questions = _chain()
    assert rules.visible_codes(questions, {}) == {"v1"}
    assert rules.visible_codes(questions, {"v1": "nej"}) == {"v1"}
    assert rules.visible_codes(questions, {"v1": "delvist"}) == {"v1", "v2"}
    assert rules.visible_codes(questions, {"v1": "ja", "v2": ["a", "b"]}) == {"v1", "v2", "v3"}


def test_question_depending_on_a_hidden_question_is_hidden_too():
    questions = _chain()
    values = {"v1": "nej", "v2": ["b"], "v3": "tekst"}
    assert rules.visible_codes(questions, values) == {"v1"}
    assert rules.keep_visible(questions, values) == {"v1": "nej"}


def test_missing_required_counts_only_shown_questions():
    questions = _chain()
    assert [x.code for x in rules.missing_required(questions, {})] == ["v1"]
    assert rules.missing_required(questions, {"v1": "nej"}) == []
    assert [x.code for x in rules.missing_required(questions, {"v1": "ja"})] == ["v2"]
