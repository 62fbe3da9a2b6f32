"""A municipality's plan as an Excel workbook (openpyxl), for analysts who work on the figures.

Sheets: "Om planen" (what the file is), "Mål" (one row per national target), "Lokale
indikatorer" (one row per value) and "Tekst" (focus and efforts as plain text). Numbers are
numbers with a number format, never text; a missing or suppressed value is an empty cell.
"""

from __future__ import annotations

from openpyxl import Workbook
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter

from jobmaal.filetext import append_row, set_cell, workbook_bytes, xml_safe_record
from jobmaal.reports import richtext
from jobmaal.reports.common import DIRECTION_DA, UNIT_DA, date_text, number_format, period_text, status_label
from jobmaal.reports.model import PlanReport
from jobmaal.reports.typst_doc import SYNTHETIC_BANNER_DA

_HEADER_FONT = Font(bold=True)
_HEADER_FILL = PatternFill("solid", fgColor="E8E8E8")
_WARNING_FONT = Font(bold=True, color="B3261E", size=13)


def render_plan_xlsx(report: PlanReport) -> bytes:
    """The plan as .xlsx bytes."""
    report = xml_safe_record(report)  # Excel's XML cannot hold control characters such as \x01
    wb = Workbook()
    about = wb.active
    about.title = "Om planen"
    row = 1
    if report.synthetic:
        set_cell(about, row, 1, SYNTHETIC_BANNER_DA).font = _WARNING_FONT
        row += 2
    for key, value in (
        ("Kommune", report.municipality_name), ("Kommunekode", report.municipality_code),
        ("Planår", report.year), ("Revision", report.revision),
        ("Status", report.state_label or report.state),
        ("Behandlet i kommunalbestyrelsen", date_text(report.council_meeting_date)),
        ("Indsendt", date_text(report.submitted_at)), ("Godkendt", date_text(report.approved_at)),
        ("Datagrundlag", report.release_name or ""), ("Dannet", date_text(report.generated_at)),
    ):
        set_cell(about, row, 1, key).font = _HEADER_FONT
        set_cell(about, row, 2, value)
        row += 1
    _widths(about, [34, 48])

    targets = wb.create_sheet("Mål")
    _header(targets, ["Mål", "Målets titel", "Indikator-id", "Indikator", "Enhed", "Retning", "Udgangspunkt",
                      "Udgangsperiode", "Måltal", "Målperiode", "Seneste værdi", "Seneste periode", "Status",
                      "Forklaring"])
    for goal in report.goals:
        for t in goal.targets:
            append_row(targets, [goal.number, goal.title, t.indicator_id, t.indicator_name,
                            UNIT_DA.get(t.unit, t.unit), DIRECTION_DA.get(t.direction, t.direction),
                            t.baseline_value, period_text(t.baseline_period, t.indicator_id), t.target_value,
                            period_text(t.target_period, t.indicator_id), t.latest_value,
                            period_text(t.latest_period, t.indicator_id),
                            status_label(t.status, t.status_label), t.explanation])
            _number_formats(targets, (7, 9, 11), number_format(t.unit))
    _widths(targets, [6, 40, 12, 44, 9, 16, 13, 16, 10, 16, 13, 16, 24, 60])

    local = wb.create_sheet("Lokale indikatorer")
    _header(local, ["Mål", "Indikator", "Definition", "Enhed", "Retning", "Udgangspunkt", "Udgangsperiode",
                    "Måltal", "Målperiode", "Status", "Periode", "Værdi", "Bemærkning"])
    for goal in report.goals:
        for li in goal.local_indicators:
            fixed = [goal.number, li.name, li.definition, UNIT_DA.get(li.unit, li.unit),
                     DIRECTION_DA.get(li.direction, li.direction), li.baseline_value,
                     period_text(li.baseline_period), li.target_value, period_text(li.target_period),
                     status_label(li.status, li.status_label)]
            for v in li.values or [None]:
                value = [period_text(v.period), v.value, v.comment] if v else [None, None, None]
                append_row(local, fixed + value)
                _number_formats(local, (6, 8, 12), number_format(li.unit))
    _widths(local, [6, 40, 60, 9, 16, 13, 16, 10, 16, 24, 14, 10, 30])

    text = wb.create_sheet("Tekst")
    _header(text, ["Mål", "Målets titel", "Fokus", "Indsatser"])
    for goal in report.goals:
        append_row(text, [goal.number, goal.title, richtext.to_plain(richtext.parse(goal.focus)),
                     richtext.to_plain(richtext.parse(goal.efforts))])
        for cell in text[text.max_row]:
            cell.alignment = Alignment(wrap_text=True, vertical="top")
    _widths(text, [6, 40, 70, 70])

    return workbook_bytes(wb)


def _header(ws, names: list[str]) -> None:
    append_row(ws, names)
    for cell in ws[1]:
        cell.font, cell.fill = _HEADER_FONT, _HEADER_FILL
    ws.freeze_panes = "A2"


def _number_formats(ws, columns: tuple[int, ...], fmt: str) -> None:
    for col in columns:
        ws.cell(ws.max_row, col).number_format = fmt


def _widths(ws, widths: list[int]) -> None:
    for i, width in enumerate(widths, start=1):
        ws.column_dimensions[get_column_letter(i)].width = width
