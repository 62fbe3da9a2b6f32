"""Every change to the survey goes through here: role, lock, dates, optimistic lock, audit.

KL builds questionnaires and runs rounds; a municipality's editors answer for it. The ministry
reads everything and changes nothing. Views check the same rules to choose what to show, but
these functions refuse on their own (PermissionDenied), so no page can skip them.
"""

from __future__ import annotations

import datetime as dt

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.db.models import F, Max
from django.utils import timezone

from jobmaal import formats
from jobmaal.geography import load_geography
from jobmaal.web.accounts.roles import can_edit, is_kl
from jobmaal.web.survey import rules
from jobmaal.web.survey.models import Answer, AuditEntry, Kind, Question, Questionnaire, Round, Section, State

QUESTION_FIELDS = [
    "section_id",
    "order",
    "code",
    "text",
    "help_text",
    "kind",
    "required",
    "options",
    "min_value",
    "max_value",
    "whole_number",
    "condition_question_id",
    "condition_values",
    "same_as_id",
    "headline",
    "headline_value",
    "headline_label",
]
CODE_CHARS = set("abcdefghijklmnopqrstuvwxyz0123456789_")


class SurveyError(Exception):
    """A change that cannot be made; the message is Danish and shown to the user."""


class Locked(SurveyError):
    def __init__(self):
        super().__init__(
            "Spørgeskemaet er låst, fordi en runde er åbnet på det. "
            "Kopiér det til en ny version for at ændre det."
        )


class ConcurrentEdit(SurveyError):
    """Someone else saved the answer after this user loaded it."""

    def __init__(self, answer: Answer):
        self.answer = answer
        who = answer.updated_by or "en anden"
        when = formats.time_da(answer.updated_at) if answer.updated_at else ""
        super().__init__(
            f"Besvarelsen er gemt af {who} {('kl. ' + when) if when else ''}, efter du åbnede den. "
            "Dine ændringer er ikke gemt; de står stadig i formularen. Se den gemte besvarelse "
            "(genindlæs siden), eller gem igen for at overskrive den."
        )


class Incomplete(SurveyError):
    """Submitting with required questions unanswered; `errors` maps code → Danish message."""

    def __init__(self, errors: dict[str, str]):
        self.errors = errors
        super().__init__(
            f"{len(errors)} obligatoriske spørgsmål mangler svar. Besvarelsen er gemt, men ikke indsendt."
        )


def _username(user) -> str:
    return user.get_username() if user is not None and user.is_authenticated else "system"


def audit(
    user,
    action: str,
    label: str,
    *,
    questionnaire=None,
    round=None,
    answer=None,  # noqa: A002
    before=None,
    after=None,
) -> None:
    AuditEntry.objects.create(
        questionnaire=questionnaire,
        round=round,
        answer=answer,
        user=user if user is not None and user.is_authenticated else None,
        username=_username(user),
        action=action,
        label=label[:300],
        before=before,
        after=after,
    )


def require_kl(user) -> None:
    if not is_kl(user):
        raise PermissionDenied("Kun KL kan ændre spørgeskemaer og runder.")


def today() -> dt.date:
    return timezone.localdate()


# --- questionnaires --------------------------------------------------------------------------


def create_questionnaire(user, year: int, title: str, intro: str = "") -> Questionnaire:
    require_kl(user)
    with transaction.atomic():
        version = (Questionnaire.objects.filter(year=year).aggregate(v=Max("version"))["v"] or 0) + 1
        q = Questionnaire.objects.create(
            year=year, version=version, title=title, intro=intro, created_by=user
        )
        audit(user, "create", f"Spørgeskema {year} version {version} oprettet", questionnaire=q)
    return q


def _unlocked(questionnaire: Questionnaire) -> Questionnaire:
    current = Questionnaire.objects.select_for_update().get(pk=questionnaire.pk)
    if current.locked:
        raise Locked()
    return current


def update_questionnaire(user, questionnaire: Questionnaire, *, title: str, intro: str) -> Questionnaire:
    require_kl(user)
    with transaction.atomic():
        q = _unlocked(questionnaire)
        before = {"title": q.title, "intro": q.intro}
        q.title, q.intro = title, intro
        q.save()
        audit(
            user,
            "update",
            "Spørgeskemaets titel og indledning",
            questionnaire=q,
            before=before,
            after={"title": title, "intro": intro},
        )
    return q


def save_section(
    user, questionnaire: Questionnaire, section: Section | None, *, title: str, intro: str, order: int
) -> Section:
    require_kl(user)
    with transaction.atomic():
        q = _unlocked(questionnaire)
        if section is None:
            section = Section(questionnaire=q)
        elif section.questionnaire_id != q.pk:
            raise SurveyError("Afsnittet hører ikke til spørgeskemaet.")
        section.title, section.intro, section.order = title, intro, order
        section.save()
        audit(user, "section", f"Afsnit «{title}» gemt", questionnaire=q)
    return section


def delete_section(user, section: Section) -> None:
    require_kl(user)
    with transaction.atomic():
        q = _unlocked(section.questionnaire)
        if section.questions.exists():
            raise SurveyError("Afsnittet har spørgsmål. Flyt eller slet dem først.")
        section.delete()
        audit(user, "section", f"Afsnit «{section.title}» slettet", questionnaire=q)


def check_question(questionnaire: Questionnaire, question: Question) -> None:
    """Refuse a question that does not hang together; messages name the field."""
    code = question.code
    if not code or not set(code) <= CODE_CHARS or not code[0].isalpha():
        raise SurveyError(
            f"Koden «{code}» skal begynde med et bogstav og kun have små bogstaver a–z, tal og _."
        )
    if Question.objects.filter(questionnaire=questionnaire, code=code).exclude(pk=question.pk).exists():
        raise SurveyError(f"Koden «{code}» bruges allerede i spørgeskemaet.")
    if question.section.questionnaire_id != questionnaire.pk:
        raise SurveyError("Afsnittet hører ikke til spørgeskemaet.")
    if question.kind in (Kind.SINGLE, Kind.MULTI):
        values = [str(v) for v, _ in question.options]
        if len(values) < 2:
            raise SurveyError("Et spørgsmål med svarmuligheder skal have mindst to.")
        if len(set(values)) != len(values):
            raise SurveyError("To svarmuligheder har samme værdi.")
    elif question.options:
        question.options = []
    if question.kind == Kind.NUMBER:
        low, high = question.min_value, question.max_value
        if low is not None and high is not None and low > high:
            raise SurveyError("Mindste tal er større end største tal.")
    parent = question.condition_question
    if parent is not None:
        if parent.questionnaire_id != questionnaire.pk or parent.pk == question.pk:
            raise SurveyError("Betingelsen skal henvise til et andet spørgsmål i samme spørgeskema.")
        if parent.kind not in rules.CONDITION_KINDS:
            raise SurveyError(
                "Betingelsen kan kun henvise til et spørgsmål med svarmuligheder eller en skala."
            )
        if not _comes_before(parent, question):
            raise SurveyError(
                f"Betingelsen skal henvise til et spørgsmål før dette ({parent.code} kommer efter)."
            )
        allowed = parent.option_labels()
        wrong = [v for v in question.condition_values if str(v) not in allowed]
        if not question.condition_values or wrong:
            raise SurveyError(
                f"Vælg de svar på {parent.code}, der viser spørgsmålet (mulige: {', '.join(allowed)})."
            )
    elif question.condition_values:
        question.condition_values = []
    same = question.same_as
    if same is not None:
        if same.questionnaire.year >= questionnaire.year:
            raise SurveyError(
                "«Samme spørgsmål som» skal være et spørgsmål fra et tidligere års spørgeskema."
            )
        if same.kind != question.kind:
            raise SurveyError(f"«Samme spørgsmål som» skal have samme type ({same.get_kind_display()}).")
    if question.headline and question.kind in (Kind.SINGLE, Kind.MULTI):
        if question.headline_value not in question.option_labels():
            raise SurveyError("Vælg den svarmulighed, hvis andel vises som nøgletal.")
    if question.headline and question.kind == Kind.TEXT:
        raise SurveyError("Et fritekstspørgsmål kan ikke være nøgletal.")


def _comes_before(a: Question, b: Question) -> bool:
    key_a = (a.section.order, a.section.pk, a.order, a.pk)
    key_b = (b.section.order, b.section.pk, b.order, b.pk or 10**12)
    return key_a < key_b


def save_question(user, questionnaire: Questionnaire, question: Question | None, data: dict) -> Question:
    require_kl(user)
    with transaction.atomic():
        q = _unlocked(questionnaire)
        before = None
        if question is None:
            question = Question(questionnaire=q)
        else:
            question = Question.objects.get(pk=question.pk, questionnaire=q)
            before = {name: getattr(question, name) for name in QUESTION_FIELDS}
        for name in QUESTION_FIELDS:
            if name in data:
                setattr(question, name, data[name])
        check_question(q, question)
        question.save()
        audit(
            user,
            "question",
            f"Spørgsmål {question.code} gemt",
            questionnaire=q,
            before=before,
            after={name: getattr(question, name) for name in QUESTION_FIELDS},
        )
    return question


def delete_question(user, question: Question) -> None:
    require_kl(user)
    with transaction.atomic():
        q = _unlocked(question.questionnaire)
        dependants = list(question.dependants.values_list("code", flat=True))
        if dependants:
            raise SurveyError(
                f"{', '.join(dependants)} vises kun ud fra svaret på {question.code}. "
                "Fjern betingelsen først."
            )
        question.delete()
        audit(user, "question", f"Spørgsmål {question.code} slettet", questionnaire=q)


def copy_questionnaire(user, source: Questionnaire, year: int) -> Questionnaire:
    """A new, unlocked questionnaire for `year` (the next version when it is the same year) with
    the same sections and questions. Copied into a later year, each question is marked as the
    same question as the one it was copied from, so results can be compared across years."""
    require_kl(user)
    return copy_as_system(source, year, user)


def copy_as_system(source: Questionnaire, year: int, user=None) -> Questionnaire:
    """copy_questionnaire without the role check, for the demo set-up (no user)."""
    if year < source.year:
        raise SurveyError("Et spørgeskema kan ikke kopieres til et tidligere år.")
    with transaction.atomic():
        version = (Questionnaire.objects.filter(year=year).aggregate(v=Max("version"))["v"] or 0) + 1
        new = Questionnaire.objects.create(
            year=year,
            version=version,
            title=source.title.replace(str(source.year), str(year)),
            intro=source.intro,
            based_on=source,
            created_by=user,
        )
        sections = {}
        for s in source.sections.all():
            sections[s.pk] = Section.objects.create(
                questionnaire=new, order=s.order, title=s.title, intro=s.intro
            )
        copies: dict[int, Question] = {}
        old_questions = source.ordered_questions()
        for old in old_questions:
            copies[old.pk] = Question.objects.create(
                questionnaire=new,
                section=sections[old.section_id],
                order=old.order,
                code=old.code,
                text=old.text,
                help_text=old.help_text,
                kind=old.kind,
                required=old.required,
                options=old.options,
                min_value=old.min_value,
                max_value=old.max_value,
                whole_number=old.whole_number,
                condition_values=old.condition_values,
                headline=old.headline,
                headline_value=old.headline_value,
                headline_label=old.headline_label,
                same_as=old if year > source.year else old.same_as,
            )
        for old in old_questions:
            if old.condition_question_id:
                Question.objects.filter(pk=copies[old.pk].pk).update(
                    condition_question=copies[old.condition_question_id]
                )
        audit(
            user,
            "create",
            f"Spørgeskema {year} version {version} kopieret fra {source.year} version {source.version}",
            questionnaire=new,
        )
    return new


# --- rounds ----------------------------------------------------------------------------------


def _check_dates(opens_on: dt.date, closes_on: dt.date) -> None:
    if closes_on < opens_on:
        raise SurveyError("Runden skal lukke samme dag som eller efter den åbner.")


def open_round(
    user,
    questionnaire: Questionnaire,
    *,
    name: str,
    opens_on: dt.date,
    closes_on: dt.date,
    demo: bool = False,
    imported_from: str = "",
) -> Round:
    """A round on the questionnaire (which is locked from now on), inviting all 98 municipalities."""
    require_kl(user)
    _check_dates(opens_on, closes_on)
    with transaction.atomic():
        q = Questionnaire.objects.select_for_update().get(pk=questionnaire.pk)
        if not q.questions.exists():
            raise SurveyError("Spørgeskemaet har ingen spørgsmål.")
        if Round.objects.filter(questionnaire__year=q.year).exists():
            raise SurveyError(f"Der er allerede en runde for {q.year}.")
        r = Round.objects.create(
            questionnaire=q,
            name=name,
            opens_on=opens_on,
            closes_on=closes_on,
            demo=demo,
            imported_from=imported_from,
            created_by=user,
        )
        Answer.objects.bulk_create(
            [
                Answer(round=r, municipality_code=code, demo=demo)
                for code in load_geography().municipality_codes
            ]
        )
        audit(
            user,
            "round",
            f"Runden «{name}» oprettet ({formats.date_da(opens_on)}–{formats.date_da(closes_on)})",
            round=r,
            questionnaire=q,
        )
    return r


def change_dates(user, round: Round, *, opens_on: dt.date, closes_on: dt.date) -> Round:  # noqa: A002
    """New dates; a closing date in the future reopens a round closed early."""
    require_kl(user)
    _check_dates(opens_on, closes_on)
    with transaction.atomic():
        r = Round.objects.select_for_update().get(pk=round.pk)
        before = {"opens_on": r.opens_on.isoformat(), "closes_on": r.closes_on.isoformat()}
        r.opens_on, r.closes_on = opens_on, closes_on
        if closes_on >= today():
            r.closed_early_at = None
        r.save()
        audit(
            user,
            "round",
            "Rundens datoer ændret",
            round=r,
            before=before,
            after={"opens_on": opens_on.isoformat(), "closes_on": closes_on.isoformat()},
        )
    return r


def close_now(user, round: Round) -> Round:  # noqa: A002
    require_kl(user)
    with transaction.atomic():
        r = Round.objects.select_for_update().get(pk=round.pk)
        if r.status(today()) == "closed":
            raise SurveyError("Runden er allerede lukket.")
        r.closed_early_at = timezone.now()
        r.save()
        audit(user, "round", "Runden lukket før tid", round=r)
    return r


def reopen_answer(user, answer: Answer) -> Answer:
    """KL lets a municipality change a submitted answer again, also after the round closed."""
    require_kl(user)
    with transaction.atomic():
        a = Answer.objects.select_for_update().get(pk=answer.pk)
        if a.state != State.SUBMITTED:
            raise SurveyError("Kun en indsendt besvarelse kan genåbnes.")
        a.state, a.reopened = State.DRAFT, True
        a.version = F("version") + 1
        a.save()
        a.refresh_from_db()
        audit(user, "reopen", f"Besvarelsen for {a.municipality_code} genåbnet", round=a.round, answer=a)
    return a


# --- answering -------------------------------------------------------------------------------


def may_answer(answer: Answer, on: dt.date | None = None) -> bool:
    """Whether the answer can be changed now (by its municipality's editors): while the round is
    open and it is not submitted, or when KL has reopened it."""
    if answer.state == State.SUBMITTED:
        return False
    return answer.reopened or answer.round.status(on or today()) == "open"


def why_not_answerable(answer: Answer, on: dt.date | None = None) -> str:
    status = answer.round.status(on or today())
    if answer.state == State.SUBMITTED:
        return "Besvarelsen er indsendt. Kontakt KL, hvis den skal ændres."
    if status == "planned":
        return f"Runden åbner {formats.date_da(answer.round.opens_on)}."
    if status == "closed":
        return "Runden er lukket. Kontakt KL, hvis besvarelsen skal genåbnes."
    return ""


def save_answer(user, answer: Answer, shown_version: int, values: dict, *, submit: bool = False) -> Answer:
    """Save the answer (values already cleaned per question); with `submit` check that every
    shown required question is answered first. Answers to hidden questions are dropped."""
    if not can_edit(user, answer.municipality_code):
        raise PermissionDenied("Kun kommunens redaktører kan besvare for kommunen.")
    with transaction.atomic():
        a = Answer.objects.select_for_update().select_related("round__questionnaire").get(pk=answer.pk)
        if a.version != shown_version:
            raise ConcurrentEdit(a)
        if not may_answer(a):
            raise SurveyError(why_not_answerable(a))
        questions = a.round.questionnaire.ordered_questions()
        kept = rules.keep_visible(questions, values)
        missing = rules.missing_required(questions, kept) if submit else []
        before = {"state": a.state, "values": a.values}
        a.values = kept
        a.updated_at, a.updated_by = timezone.now(), _username(user)
        a.version = a.version + 1
        if a.state == State.INVITED:
            a.state = State.DRAFT
        if submit and not missing:
            a.state, a.reopened = State.SUBMITTED, False
            a.submitted_at, a.submitted_by = timezone.now(), _username(user)
        a.save()
        changed = {k for k in set(before["values"]) | set(kept) if before["values"].get(k) != kept.get(k)}
        audit(
            user,
            "submit" if a.state == State.SUBMITTED else "save",
            "Besvarelsen indsendt" if a.state == State.SUBMITTED else "Besvarelsen gemt",
            round=a.round,
            answer=a,
            before={
                "state": before["state"],
                "values": {k: before["values"].get(k) for k in sorted(changed)},
            },
            after={"state": a.state, "values": {k: kept.get(k) for k in sorted(changed)}},
        )
    if missing:
        raise Incomplete({q.code: "Spørgsmålet skal besvares." for q in missing})
    return a
