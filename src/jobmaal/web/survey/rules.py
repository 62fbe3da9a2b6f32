"""The rules of an answer, shared by the form, the services and the Excel import: what a value of
each question kind may be, which questions are shown (conditions), and which are missing.

Values are stored as JSON: single choice and free text a string, multiple choice a list of
strings, the agreement scale an int 1–5, a number a float (an int when whole numbers are asked).
"""

from __future__ import annotations

import math
from collections.abc import Iterable

from jobmaal import formats
from jobmaal.web.survey.models import Kind, Question

MAX_TEXT = 5000
# A question may depend on an earlier question of these kinds.
CONDITION_KINDS = (Kind.SINGLE, Kind.MULTI, Kind.SCALE)


class InvalidValue(ValueError):
    """A value a question does not take; the message is Danish and names what is allowed."""


def clean_value(question: Question, raw: object) -> object | None:
    """The stored form of `raw` for `question`, or None for no answer. Raises InvalidValue.

    Choice values may be given by value or by label (any case); several choices as a list or as
    text separated by «;». Numbers take a decimal comma.
    """
    if (
        raw is None
        or (isinstance(raw, str) and not raw.strip())
        or (isinstance(raw, (list, tuple)) and not raw)
    ):
        return None
    match question.kind:
        case Kind.SINGLE:
            return _choice(question, raw)
        case Kind.MULTI:
            items = raw if isinstance(raw, (list, tuple)) else str(raw).split(";")
            chosen = [_choice(question, item) for item in items if str(item).strip()]
            order = list(question.option_labels())
            return sorted(set(chosen), key=order.index) or None
        case Kind.SCALE:
            folded = str(raw).strip().casefold()
            for value, label in question.option_labels().items():
                if label.casefold() == folded:
                    return int(value)
            try:
                number = _parse_number(raw)
            except InvalidValue:
                number = 0.5
            if number != int(number) or not 1 <= number <= 5:
                raise InvalidValue(
                    f"«{raw}» er ikke et helt tal fra 1 til 5 (1 = helt uenig, 5 = helt enig)."
                )
            return int(number)
        case Kind.NUMBER:
            number = _parse_number(raw)
            if question.whole_number and number != int(number):
                raise InvalidValue(f"«{raw}» skal være et helt tal.")
            low, high = question.min_value, question.max_value
            if (low is not None and number < low) or (high is not None and number > high):
                span = (
                    f"mellem {formats.plain(low)} og {formats.plain(high)}"
                    if low is not None and high is not None
                    else f"mindst {formats.plain(low)}"
                    if low is not None
                    else f"højst {formats.plain(high)}"
                )
                raise InvalidValue(f"«{raw}» skal være {span}.")
            return int(number) if question.whole_number else number
        case Kind.TEXT:
            text = str(raw).strip()
            if len(text) > MAX_TEXT:
                raise InvalidValue(f"Teksten er {len(text)} tegn; højst {MAX_TEXT} tegn.")
            return text
    raise InvalidValue(f"ukendt spørgsmålstype {question.kind!r}")


def _choice(question: Question, raw: object) -> str:
    text = str(raw).strip()
    labels = question.option_labels()
    if text in labels:
        return text
    folded = text.casefold()
    for value, label in labels.items():
        if value.casefold() == folded or label.casefold() == folded:
            return value
    allowed = ", ".join(f"«{label}»" for label in labels.values())
    raise InvalidValue(f"«{text}» er ikke en af svarmulighederne ({allowed}).")


def _parse_number(raw: object) -> float:
    if isinstance(raw, bool):
        raise InvalidValue(f"«{raw}» er ikke et tal.")
    if isinstance(raw, (int, float)):
        number = float(raw)
    else:
        text = str(raw).strip().replace(" ", "").replace("\u00a0", "")
        if text.count(",") == 1 and "." in text:  # 1.234,5
            text = text.replace(".", "")
        try:
            number = float(text.replace(",", "."))
        except ValueError:
            raise InvalidValue(f"«{raw}» er ikke et tal.") from None
    if not math.isfinite(number):
        raise InvalidValue(f"«{raw}» er ikke et tal.")
    return number


def matches(value: object, wanted: Iterable[str]) -> bool:
    """Whether an answer is one of the values a condition waits for (any of them for a list)."""
    wanted = {str(w) for w in wanted}
    if value is None:
        return False
    if isinstance(value, list):
        return any(str(v) in wanted for v in value)
    return str(value) in wanted


def visible_codes(questions: list[Question], values: dict) -> set[str]:
    """The codes of the questions shown for these answers. A question with a condition is shown
    only when the question it depends on is shown and was answered with one of the values; the
    questions come in questionnaire order, so the one depended on is decided first."""
    shown: set[str] = set()
    by_pk = {q.pk: q for q in questions}
    for q in questions:
        parent = by_pk.get(q.condition_question_id) if q.condition_question_id else None
        if q.condition_question_id is None:
            shown.add(q.code)
        elif (
            parent is not None
            and parent.code in shown
            and matches(values.get(parent.code), q.condition_values)
        ):
            shown.add(q.code)
    return shown


def keep_visible(questions: list[Question], values: dict) -> dict:
    """`values` without answers to unknown or hidden questions (a changed earlier answer hides
    the questions that depended on it, and their answers are dropped)."""
    shown = visible_codes(questions, values)
    return {code: value for code, value in values.items() if code in shown and value is not None}


def missing_required(questions: list[Question], values: dict) -> list[Question]:
    """The required questions that are shown and not answered."""
    shown = visible_codes(questions, values)
    return [q for q in questions if q.required and q.code in shown and values.get(q.code) in (None, "", [])]


def condition_text(question: Question) -> str:
    """«Besvares, hvis du svarede «Ja» til v3.» for the page (also without JavaScript)."""
    parent = question.condition_question
    if parent is None:
        return ""
    labels = parent.option_labels()
    answers = " eller ".join(f"«{labels.get(str(v), v)}»" for v in question.condition_values)
    return f"Besvares kun, hvis svaret på {parent.code} er {answers}."
