"""Downloads of a round: who has answered (status), the results per question, and the answers
themselves (one row per municipality, one column per question code — the import format).
CSV is UTF-8 with BOM (so Excel reads æøå) in the form Danish Excel opens by double-click
(';' between cells, decimal comma); Excel has bold headers."""

from __future__ import annotations

from openpyxl import Workbook
from openpyxl.styles import Font

from jobmaal.filetext import append_row, csv_bytes, workbook_bytes
from jobmaal.geography import load_geography
from jobmaal.reports.survey_pdf import SurveyReport, share_text
from jobmaal.web.survey.models import Answer, Kind, Round

CONTENT_TYPES = {
    "csv": "text/csv; charset=utf-8",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
}


def to_csv(header: list[str], rows: list[list]) -> bytes:
    return csv_bytes(header, rows, danish=True)


def to_xlsx(sheets: list[tuple[str, str, list[str], list[list]]]) -> bytes:
    """Sheets of (name, title, header, rows); the title row is left out when empty."""
    book = Workbook()
    book.remove(book.active)
    for name, title, header, rows in sheets:
        sheet = book.create_sheet(name[:31])
        if title:
            append_row(sheet, [title])
            sheet["A1"].font = Font(bold=True, size=13)
            sheet.append([])
        append_row(sheet, header)
        for cell in sheet[sheet.max_row]:
            cell.font = Font(bold=True)
        for row in rows:
            append_row(sheet, row)
        for i, label in enumerate(header, start=1):
            sheet.column_dimensions[sheet.cell(sheet.max_row, i).column_letter].width = max(
                12, min(60, len(label) + 2)
            )
    return workbook_bytes(book)


def status_rows(round_: Round) -> tuple[list[str], list[list]]:
    geo = load_geography()
    header = [
        "kommunekode",
        "kommune",
        "region",
        "status",
        "genåbnet",
        "sidst gemt",
        "gemt af",
        "indsendt",
        "indsendt af",
    ]
    rows = []
    for a in Answer.objects.filter(round=round_).order_by("municipality_code"):
        m = geo.municipality(a.municipality_code)
        rows.append(
            [
                m.code,
                m.name,
                m.region_name,
                a.get_state_display(),
                "ja" if a.reopened else "nej",
                _when(a.updated_at),
                a.updated_by,
                _when(a.submitted_at),
                a.submitted_by,
            ]
        )
    return header, rows


def _when(value) -> str:
    from django.utils import timezone

    return timezone.localtime(value).strftime("%Y-%m-%d %H:%M") if value else ""


def answer_rows(round_: Round) -> tuple[list[str], list[list]]:
    """The submitted answers in the import format: `kommune` and one column per question code."""
    questions = round_.questionnaire.ordered_questions()
    header = ["kommune", "kommunenavn", *(q.code for q in questions)]
    geo = load_geography()
    rows = []
    for a in Answer.objects.filter(round=round_, state="submitted").order_by("municipality_code"):
        row = [a.municipality_code, geo.municipality(a.municipality_code).name]
        for q in questions:
            value = a.values.get(q.code)
            row.append(";".join(value) if isinstance(value, list) else value)
        rows.append(row)
    return header, rows


def result_rows(report: SurveyReport) -> tuple[list[str], list[list]]:
    """Long format: one row per question and option with this and last year's share, and for
    scale and number questions rows with the mean (and median) in `vaerdi`."""
    header = [
        "kode",
        "spørgsmål",
        "svar",
        "antal",
        "andel_pct",
        "andel_sidste_aar_pct",
        "antal_svar",
        "vaerdi",
        "vaerdi_sidste_aar",
    ]
    rows = []
    for q in report.questions:
        for o in q.options:
            rows.append(
                [q.code, q.text, o.label, o.count, _round(o.share), _round(o.previous_share), q.n, None, None]
            )
        if q.kind in (Kind.SCALE, Kind.NUMBER):
            rows.append(
                [
                    q.code,
                    q.text,
                    "gennemsnit",
                    None,
                    None,
                    None,
                    q.n,
                    _round(q.mean, 2),
                    _round(q.previous_mean, 2),
                ]
            )
        if q.kind == Kind.NUMBER:
            rows.append([q.code, q.text, "median", None, None, None, q.n, _round(q.median, 2), None])
    return header, rows


def group_sheet_rows(report: SurveyReport) -> tuple[list[str], list[list]]:
    header = ["kode", "opdeling", "område", "kommuner", "svar", "mål", "værdi"]
    rows = []
    for q in report.questions:
        for g in q.groups:
            for r in g.rows:
                for label, value in zip(g.headers[3:], r[3:], strict=True):
                    rows.append([q.code, g.title, r[0], int(r[1]), int(r[2]), label, value])
    return header, rows


def text_rows(report: SurveyReport) -> tuple[list[str], list[list]]:
    header = ["kode", "spørgsmål", "kommune", "svar"]
    return header, [[q.code, q.text, m, t] for q in report.questions if q.texts for m, t in q.texts]


def _round(value: float | None, digits: int = 1) -> float | None:
    return None if value is None else round(value, digits)


__all__ = [
    "CONTENT_TYPES",
    "answer_rows",
    "group_sheet_rows",
    "result_rows",
    "share_text",
    "status_rows",
    "text_rows",
    "to_csv",
    "to_xlsx",
]
