"""Import an earlier round's results from Excel: one row per municipality, one column per question.

The first row holds the headers: a column `kommune` (the municipality's code, e.g. 101, or its
Danish name, e.g. «København» or «Københavns Kommune») and one column per question code of the
questionnaire. Several choices go in one cell separated by «;»; choices may be written as their
value or their label. Every cell is checked first; errors name the file, row, column and value,
and nothing is saved unless the whole file is right (one transaction).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.db import transaction
from openpyxl.utils import get_column_letter

from jobmaal import xlsxread
from jobmaal.geography import UnknownAreaError, load_geography
from jobmaal.web.survey import rules, services
from jobmaal.web.survey.models import Answer, Questionnaire, Round, State

MUNICIPALITY_HEADERS = ("kommune", "kommunekode", "kommunenavn")
MAX_ERRORS = 50


@dataclass(frozen=True)
class CellError:
    file: str
    row: int
    column: str  # "C (v3)"
    value: object
    message: str

    def __str__(self) -> str:
        shown = "" if self.value is None else f" «{self.value}»"
        return f"{self.file}, række {self.row}, kolonne {self.column}{shown}: {self.message}"


class ImportFailed(services.SurveyError):
    """The file could not be imported; `errors` lists every problem found (up to MAX_ERRORS)."""

    def __init__(self, errors: list[CellError]):
        self.errors = errors
        more = " (og flere)" if len(errors) >= MAX_ERRORS else ""
        super().__init__(
            f"Filen er ikke indlæst: {len(errors)} fejl{more}. Intet er gemt.\n"
            + "\n".join(str(e) for e in errors)
        )


def read_rows(data: bytes, filename: str, questionnaire: Questionnaire) -> dict[int, dict]:
    """Municipality code → cleaned values; raises ImportFailed with every error found."""
    errors: list[CellError] = []

    def fail(row: int, col: int | None, header: str, value, message: str) -> None:
        column = f"{get_column_letter(col)} ({header})" if col else "–"
        if len(errors) < MAX_ERRORS:
            errors.append(CellError(filename, row, column, value, message))

    try:  # size limits first (zip bombs), then the first sheet within row and cell limits
        sheet_rows = xlsxread.read_rows(data, filename)
    except xlsxread.XlsxError as exc:
        raise ImportFailed([CellError(filename, 0, "–", None, exc.reason)]) from None
    rows = iter([values for _, values in sheet_rows])
    header = next(rows, None)
    if not header:
        raise ImportFailed([CellError(filename, 1, "–", None, "første række skal have kolonnenavne")])
    names = [str(h).strip().lower() if h is not None else "" for h in header]
    questions = {q.code: q for q in questionnaire.ordered_questions()}
    municipality_col = next((i for i, n in enumerate(names) if n in MUNICIPALITY_HEADERS), None)
    if municipality_col is None:
        fail(1, None, "", None, "der mangler en kolonne «kommune» med kommunens kode eller navn")
    columns: dict[int, str] = {}
    for i, name in enumerate(names):
        if i == municipality_col or not name:
            continue
        if name not in questions:
            fail(
                1,
                i + 1,
                name,
                name,
                f"ingen spørgsmålskode i spørgeskemaet {questionnaire.year} hedder sådan "
                f"(koderne er {', '.join(questions)})",
            )
        elif name in columns.values():
            fail(1, i + 1, name, name, "kolonnen står to gange")
        else:
            columns[i] = name
    if errors:
        raise ImportFailed(errors)
    geo = load_geography()
    result: dict[int, dict] = {}
    seen: dict[int, int] = {}
    ordered = list(questions.values())
    for row_no, row in enumerate(rows, start=2):
        if row is None or all(c is None or str(c).strip() == "" for c in row):
            continue
        raw_m = row[municipality_col] if municipality_col < len(row) else None
        code = _municipality(geo, raw_m)
        if code is None:
            fail(
                row_no,
                municipality_col + 1,
                names[municipality_col],
                raw_m,
                "ingen kommune har den kode eller det navn",
            )
            continue
        if code in seen:
            fail(
                row_no,
                municipality_col + 1,
                names[municipality_col],
                raw_m,
                f"kommunen står også i række {seen[code]}",
            )
            continue
        seen[code] = row_no
        values, raws = {}, {}
        for i, qcode in columns.items():
            raw = raws[qcode] = row[i] if i < len(row) else None
            try:
                value = rules.clean_value(questions[qcode], raw)
            except rules.InvalidValue as exc:
                fail(row_no, i + 1, qcode, raw, str(exc))
                continue
            if value is not None:
                values[qcode] = value
        hidden = set(values) - rules.visible_codes(ordered, values)
        for qcode in sorted(hidden):
            i = next(k for k, c in columns.items() if c == qcode)
            fail(
                row_no,
                i + 1,
                qcode,
                raws[qcode],
                f"spørgsmålet stilles ikke ud fra svaret på "
                f"{questions[qcode].condition_question.code}; lad cellen være tom",
            )
        result[code] = values
    if errors:
        raise ImportFailed(errors)
    if not result:
        raise ImportFailed([CellError(filename, 2, "–", None, "filen har ingen rækker med svar")])
    return result


def _municipality(geo, raw) -> int | None:
    if raw is None or str(raw).strip() == "":
        return None
    text = str(raw).strip()
    if isinstance(raw, float) and raw.is_integer():
        text = str(int(raw))
    try:
        if text.isdigit():
            return geo.municipality(int(text)).code
        area = geo.area_by_name(text, "kommune")
        return int(area.code)
    except UnknownAreaError:
        return None


def import_round(
    user,
    questionnaire: Questionnaire,
    data: bytes,
    filename: str,
    *,
    name: str,
    opens_on: dt.date,
    closes_on: dt.date,
) -> Round:
    """A closed round on `questionnaire` holding the file's answers (all 98 invited; the rows in the
    file submitted). All or nothing: any error leaves the database as it was."""
    services.require_kl(user)
    values = read_rows(data, filename, questionnaire)
    with transaction.atomic():
        r = services.open_round(
            user, questionnaire, name=name, opens_on=opens_on, closes_on=closes_on, imported_from=filename
        )
        at = services.timezone.now()
        for answer in Answer.objects.filter(round=r, municipality_code__in=list(values)):
            answer.values = values[answer.municipality_code]
            answer.state = State.SUBMITTED
            answer.submitted_at = answer.updated_at = at
            answer.submitted_by = answer.updated_by = f"import: {filename}"[:150]
            answer.save()
        services.audit(
            user,
            "import",
            f"{len(values)} besvarelser indlæst fra {filename}",
            round=r,
            questionnaire=questionnaire,
        )
    return r
