"""Questionnaires shipped as TOML data files (data/<year>.toml), loaded into the database.

A file holds `year`, `title`, `intro` and `[[sections]]` with `[[sections.questions]]`: `code`,
`text`, `help`, `kind` (single, multi, scale, number, text), `required`, `options` ([[value,
label], ...]), `min`/`max`, `show_if = {question, values}`, `same_as = "<year>:<code>"` (the same
question in an earlier year's questionnaire) and `headline` (the option whose share is the goal-1
key figure; any text for a scale or number question, whose mean is shown) with `headline_label`.
"""

from __future__ import annotations

import tomllib
from importlib import resources
from pathlib import Path

from django.db import transaction

from jobmaal.web.survey.models import Kind, Question, Questionnaire, Section
from jobmaal.web.survey.services import SurveyError, audit, check_question

FIELDS = {
    "code",
    "text",
    "help",
    "kind",
    "required",
    "options",
    "min",
    "max",
    "whole",
    "show_if",
    "same_as",
    "headline",
    "headline_label",
}


class DataFileError(SurveyError):
    pass


def shipped(year: int) -> Path:
    return Path(str(resources.files("jobmaal.web.survey") / "data" / f"{year}.toml"))


def read(path: Path) -> dict:
    try:
        return tomllib.loads(path.read_text(encoding="utf-8"))
    except (OSError, tomllib.TOMLDecodeError) as exc:
        raise DataFileError(f"{path.name}: {exc}") from exc


def load_questionnaire(path: Path, user=None) -> Questionnaire:
    """Create the questionnaire of a data file as the next version of its year (one transaction)."""
    data = read(path)
    where = path.name
    try:
        year, title = int(data["year"]), str(data["title"])
    except (KeyError, ValueError) as exc:
        raise DataFileError(f"{where}: year og title skal stå i filen.") from exc
    with transaction.atomic():
        version = (
            Questionnaire.objects.filter(year=year)
            .order_by("-version")
            .values_list("version", flat=True)
            .first()
            or 0
        ) + 1
        q = Questionnaire.objects.create(
            year=year, version=version, title=title, intro=data.get("intro", ""), created_by=user
        )
        by_code: dict[str, Question] = {}
        for s_no, s in enumerate(data.get("sections", []), start=1):
            section = Section.objects.create(
                questionnaire=q, order=s_no, title=s["title"], intro=s.get("intro", "")
            )
            for q_no, item in enumerate(s.get("questions", []), start=1):
                by_code[item.get("code", "")] = _question(
                    q, section, q_no, item, by_code, f"{where}, afsnit {s_no}"
                )
        audit(user, "create", f"Spørgeskema {year} version {version} indlæst fra {where}", questionnaire=q)
    return q


def _question(
    q: Questionnaire, section: Section, order: int, item: dict, earlier: dict[str, Question], where: str
) -> Question:
    unknown = set(item) - FIELDS
    code = item.get("code", "")
    if unknown:
        raise DataFileError(f"{where}, spørgsmål {code}: ukendte felter {sorted(unknown)}")
    if item.get("kind") not in Kind.values:
        raise DataFileError(f"{where}, spørgsmål {code}: ukendt type {item.get('kind')!r}")
    question = Question(
        questionnaire=q,
        section=section,
        order=order,
        code=code,
        text=item.get("text", ""),
        help_text=item.get("help", ""),
        kind=item["kind"],
        required=bool(item.get("required", False)),
        options=[list(map(str, o)) for o in item.get("options", [])],
        min_value=item.get("min"),
        max_value=item.get("max"),
        whole_number=bool(item.get("whole", True)),
        headline=bool(item.get("headline")),
        headline_value=str(item.get("headline", "") or ""),
        headline_label=item.get("headline_label", ""),
    )
    show_if = item.get("show_if")
    if show_if:
        parent = earlier.get(show_if.get("question", ""))
        if parent is None:
            raise DataFileError(
                f"{where}, spørgsmål {code}: show_if henviser til {show_if.get('question')!r}, "
                "som ikke står før spørgsmålet."
            )
        question.condition_question = parent
        question.condition_values = [str(v) for v in show_if.get("values", [])]
    if item.get("same_as"):
        question.same_as = _same_as(item["same_as"], where, code)
    try:
        check_question(q, question)
    except SurveyError as exc:
        raise DataFileError(f"{where}, spørgsmål {code}: {exc}") from exc
    question.save()
    return question


def _same_as(ref: str, where: str, code: str) -> Question:
    year, _, other = str(ref).partition(":")
    source = (
        Questionnaire.objects.filter(year=int(year) if year.isdigit() else -1).order_by("-version").first()
    )
    match = source.questions.filter(code=other).first() if source else None
    if match is None:
        raise DataFileError(f"{where}, spørgsmål {code}: same_as {ref!r} findes ikke (indlæs {year} først).")
    return match
