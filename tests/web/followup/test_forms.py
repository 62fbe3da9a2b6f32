"""Validation of the plan forms: numbers with a decimal comma, the range of each unit, periods
inside the plan year, baselines before targets, values and periods given together. Messages are
Danish and name the field and what was written."""

from __future__ import annotations

import pytest

from jobmaal.web.followup import forms
from jobmaal.web.followup.models import Plan

from .helpers import OWN, YEAR, add_local, db_state

PLAN = Plan(municipality_code=OWN, year=YEAR, version=7)


def target_form(**data):
    return forms.TargetForm({"version": "7", "target_period": "2023", "target_value": "50", **data},
                            plan=PLAN)


def local_form(**data):
    base = {"version": "7", "goal_number": "1", "name": "Tilfredshed", "definition": "Andel tilfredse",
            "unit": "pct", "direction": "up", "baseline_value": "", "baseline_period": "", "target_value": "",
            "target_period": ""}
    return forms.LocalIndicatorForm({**base, **data}, plan=PLAN)


def value_form(unit: str, value: str, period: str = "2023Q3"):
    return forms.LocalValueForm({"version": "7", "period": period, "value": value, "comment": ""}, plan=PLAN,
                                unit=unit)


def errors(form) -> dict[str, list[str]]:
    assert not form.is_valid()
    return {k: list(v) for k, v in form.errors.items()}


@pytest.mark.parametrize(("typed", "number"), [("56,5", 56.5), ("56.5", 56.5), (" 7,25 ", 7.25), ("0", 0.0),
                                               ("100", 100.0)])
def test_a_decimal_comma_or_point_is_accepted(typed, number):
    form = target_form(target_value=typed)
    assert form.is_valid(), form.errors
    assert form.cleaned_data["target_value"] == number
    assert form.cleaned_data["version"] == 7


@pytest.mark.parametrize(("unit", "typed", "number"), [
    ("pct", "0", 0.0), ("pct", "99,9", 99.9), ("pct", "100", 100.0),
    ("antal", "0", 0.0), ("antal", "1200", 1200.0),
    ("score", "1", 1.0), ("score", "4,5", 4.5), ("score", "5", 5.0),
    ("dage", "0", 0.0), ("dage", "12,5", 12.5),
])
def test_values_inside_the_units_range_are_accepted(unit, typed, number):
    form = value_form(unit, typed)
    assert form.is_valid(), form.errors
    assert form.cleaned_data["value"] == number


@pytest.mark.parametrize(("unit", "typed", "message"), [
    ("pct", "100,5", "Værdien skal være mellem 0 og 100; du skrev 100,5."),
    ("pct", "-1", "Værdien skal være mellem 0 og 100; du skrev -1."),
    ("antal", "2,5", "Værdien skal være et helt tal; du skrev 2,5."),
    ("antal", "-1", "Værdien skal være mindst 0; du skrev -1."),
    ("score", "0", "Værdien skal være mellem 1 og 5; du skrev 0."),
    ("score", "5,5", "Værdien skal være mellem 1 og 5; du skrev 5,5."),
    ("dage", "-0,5", "Værdien skal være mindst 0; du skrev -0,5."),
])
def test_a_value_outside_the_units_range_is_refused_naming_field_and_value(unit, typed, message):
    assert errors(value_form(unit, typed)) == {"value": [message]}


@pytest.mark.parametrize("typed", ["nan", "NaN", "inf", "-inf", "Infinity", "1e400"])
def test_nan_and_infinity_are_not_numbers(typed):
    assert errors(value_form("dage", typed)) == {"value": ["Skriv et tal."]}
    assert errors(target_form(target_value=typed)) == {"target_value": ["Skriv et tal."]}


@pytest.mark.parametrize("typed", ["abc", "1.234,5", "5 %"])
def test_text_that_is_not_a_number_is_refused(typed):
    assert list(errors(value_form("pct", typed))) == ["value"]


def test_a_national_target_is_a_percentage():
    assert errors(target_form(target_value="101")) == {
        "target_value": ["Målet skal være mellem 0 og 100; du skrev 101."]}
    assert errors(target_form(baseline_value="-3", baseline_period="2022")) == {
        "baseline_value": ["Udgangspunktet skal være mellem 0 og 100; du skrev -3."]}


@pytest.mark.parametrize(("unit", "field", "typed", "message"), [
    ("score", "target_value", "7", "Målet skal være mellem 1 og 5; du skrev 7."),
    ("antal", "baseline_value", "3,5", "Udgangspunktet skal være et helt tal; du skrev 3,5."),
    ("pct", "baseline_value", "150", "Udgangspunktet skal være mellem 0 og 100; du skrev 150."),
])
def test_a_local_indicators_values_follow_its_unit(unit, field, typed, message):
    period = {"target_value": ("target_period", "2023"), "baseline_value": ("baseline_period", "2022")}[field]
    form = local_form(unit=unit, **{field: typed, period[0]: period[1]})
    # only the value is wrong: its period is given and is not blamed
    assert errors(form) == {field: [message]}


@pytest.mark.parametrize(("period", "message"), [
    ("2023M13", "Målets periode: «2023M13» er ikke en periode."),
    ("23", "Målets periode: «23» er ikke en periode."),
    ("2024", "Målets periode skal ligge i planens år 2023."),
    ("2022H2", "Målets periode skal ligge i planens år 2023."),
])
def test_a_target_period_must_parse_and_lie_in_the_plan_year(period, message):
    errs = errors(target_form(target_period=period))
    assert list(errs) == ["target_period"] and errs["target_period"][0].startswith(message)


@pytest.mark.parametrize("period", ["2023", "2023H2", "2023Q4", "2023M12"])
def test_target_periods_of_every_kind_in_the_plan_year_are_accepted(period):
    form = target_form(target_period=period)
    assert form.is_valid(), form.errors


@pytest.mark.parametrize(("typed", "code"), [("4. kvt. 2023", "2023Q4"), ("2. halvår 2023", "2023H2"),
                                             ("2023", "2023"), ("december 2023", "2023M12")])
def test_periods_are_accepted_as_the_pages_write_them_and_stored_as_codes(typed, code):
    form = target_form(target_period=typed, baseline_period="4. kvt. 2022", baseline_value="40")
    assert form.is_valid(), form.errors
    assert (form.cleaned_data["target_period"], form.cleaned_data["baseline_period"]) == (code, "2022Q4")


def test_goal_and_target_value_have_different_labels():
    form = local_form()
    assert form.fields["goal_number"].label != form.fields["target_value"].label
    assert form.fields["target_value"].label == "Målværdi"
    assert target_form().fields["target_value"].label == "Målværdi (pct.)"


def test_a_baseline_may_lie_before_but_not_after_the_plan_year():
    assert target_form(baseline_value="40", baseline_period="2019").is_valid()
    assert errors(target_form(baseline_value="40", baseline_period="2024M01")) == {
        "baseline_period": ["Udgangspunktets periode kan ikke ligge efter planens år 2023."]}
    errs = errors(target_form(baseline_period="2022X1"))
    assert errs["baseline_period"][0].startswith("Udgangspunktets periode: «2022X1» er ikke en periode.")


@pytest.mark.parametrize(("baseline", "target"),
                         [("2023", "2023"), ("2023H2", "2023H1"), ("2023M12", "2023Q4")])
def test_the_baseline_must_lie_before_the_target_period(baseline, target):
    assert errors(target_form(baseline_value="40", baseline_period=baseline, target_period=target)) == {
        "baseline_period": ["Udgangspunktet skal ligge før målets periode."]}


def test_a_baseline_inside_the_plan_year_before_the_target_is_accepted():
    assert target_form(baseline_value="40", baseline_period="2023H1", target_period="2023").is_valid()


def test_a_national_baseline_period_without_a_value_is_taken_from_the_release():
    form = target_form(baseline_period="2022")
    assert form.is_valid(), form.errors
    assert form.cleaned_data["baseline_value"] is None
    assert errors(target_form(baseline_value="40")) == {
        "baseline_period": ["Angiv både udgangspunktets værdi og periode, eller ingen af dem."]}


@pytest.mark.parametrize(("data", "field", "message"), [
    ({"baseline_value": "3"}, "baseline_period",
     "Angiv både udgangspunktets værdi og periode, eller ingen af dem."),
    ({"baseline_period": "2022"}, "baseline_period",
     "Angiv både udgangspunktets værdi og periode, eller ingen af dem."),
    ({"target_value": "3"}, "target_period", "Angiv både målets værdi og periode, eller ingen af dem."),
    ({"target_period": "2023"}, "target_period", "Angiv både målets værdi og periode, eller ingen af dem."),
])
def test_a_local_indicators_value_and_period_go_together(data, field, message):
    assert errors(local_form(**data)) == {field: [message]}


def test_a_local_indicator_without_baseline_or_target_is_accepted():
    form = local_form(goal_number="4", unit="score", direction="down")
    assert form.is_valid(), form.errors
    assert form.cleaned_data["goal_number"] == 4 and form.cleaned_data["target_period"] == ""


def test_a_local_indicator_belongs_to_goal_1_or_4():
    assert list(errors(local_form(goal_number="2"))) == ["goal_number"]


def test_a_value_period_lies_in_the_plan_year():
    assert errors(value_form("pct", "50", period="2022Q4")) == {
        "period": ["Perioden skal ligge i planens år 2023."]}


def test_texts_have_a_maximum_length():
    form = forms.GoalTextForm({"version": "7", "focus": "x" * (forms.MAX_TEXT + 1), "efforts": ""}, plan=PLAN)
    assert list(errors(form)) == ["focus"]


def test_the_page_shows_the_message_and_changes_nothing(client, users, plan):
    local = add_local(users["editor"], plan, unit="score", baseline_value=2.0, target_value=4.0)
    client.force_login(users["editor"])
    before = db_state()
    response = client.post(f"/opfoelgning/{OWN}/{YEAR}/lokal/{local.pk}/vaerdi/",
                           {"version": plan.version + 1, "period": "2023H1", "value": "6", "comment": ""})
    assert response.status_code == 400
    assert "Værdien skal være mellem 1 og 5; du skrev 6." in response.content.decode()
    assert db_state() == before


@pytest.mark.parametrize(("data", "field", "message"), [
    ({"target_value": "3", "target_period": "2024"}, "target_period",
     "Målets periode skal ligge i planens år"),
    ({"baseline_value": "3", "baseline_period": "2030"}, "baseline_period",
     "Udgangspunktets periode kan ikke ligge efter planens år"),
])
def test_a_wrong_period_gets_one_message_not_a_second_about_the_pair(data, field, message):
    errs = errors(local_form(**data))
    assert list(errs) == [field] and len(errs[field]) == 1 and errs[field][0].startswith(message)
