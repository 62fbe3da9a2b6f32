"""A municipality's plan as a Word document (python-docx), for editing and circulating.

The same content as the PDF: front matter, the status legend, then per goal the focus and
efforts, the targets table, a chart per national target (PNG) and the local indicators.
"""

from __future__ import annotations

import io

from docx import Document
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Cm, Pt, RGBColor

from jobmaal.charts import render_png
from jobmaal.filetext import xml_safe_record
from jobmaal.reports import richtext
from jobmaal.reports.common import DIRECTION_DA, date_text, period_text, plan_facts, status_label, value_text
from jobmaal.reports.figures import rendered_target_charts
from jobmaal.reports.model import PlanReport, TargetRow
from jobmaal.reports.typst_doc import SYNTHETIC_BANNER_DA

_WARNING = RGBColor(0xB3, 0x26, 0x1E)


def render_plan_docx(report: PlanReport) -> bytes:
    """The plan as .docx bytes."""
    report = xml_safe_record(report)  # Word's XML cannot hold control characters such as \x01
    doc = Document()
    section = doc.sections[0]
    section.page_width, section.page_height = Cm(21.0), Cm(29.7)
    section.left_margin = section.right_margin = Cm(2.2)
    doc.core_properties.title = f"Beskæftigelsesplan {report.year} – {report.municipality_name}"
    doc.core_properties.language = "da-DK"
    doc.styles["Normal"].font.name = "Liberation Sans"
    doc.styles["Normal"].font.size = Pt(10)
    _header_footer(doc, report)

    if report.synthetic:
        banner = doc.add_paragraph()
        run = banner.add_run(SYNTHETIC_BANNER_DA)
        run.bold, run.font.color.rgb, run.font.size = True, _WARNING, Pt(13)
    doc.add_heading(f"{report.municipality_name}: Beskæftigelsesplan {report.year}", level=0)
    doc.add_paragraph("Opfølgning på de beskæftigelsespolitiske mål")
    _key_values(doc, plan_facts(report))
    doc.add_heading("Sådan læses status", level=2)
    doc.add_paragraph(
        "Status sammenligner udviklingen fra udgangspunktet til det seneste tal med den udvikling, der "
        "skal til for at nå målet i målperioden: På rette vej (mindst 95 % af den nødvendige hastighed), "
        "Nogen fremgang (50–95 %), Lille fremgang (0–50 %), Bevæger sig væk fra målet (den forkerte vej). "
        "Målet er nået, når det seneste tal opfylder målet; Kan ikke vurderes, når tal mangler.")

    charts = _chart_pngs(report)
    for goal in report.goals:
        doc.add_page_break()
        doc.add_heading(f"Mål {goal.number}: {goal.title}", level=1)
        if goal.summary:
            doc.add_heading("Kort fortalt", level=2)
            doc.add_paragraph(goal.summary)
        for heading, text in (("Fokus", goal.focus), ("Indsatser", goal.efforts)):
            blocks = richtext.parse(text)
            if blocks:
                doc.add_heading(heading, level=2)
                richtext.add_to_docx(doc, blocks)
        if goal.targets:
            doc.add_heading("Måltal", level=2)
            _table(doc, ["Indikator", "Udgangspunkt", "Mål", "Seneste", "Status"],
                   [_target_cells(t) for t in goal.targets], numeric={1, 2, 3})
            for k, target in enumerate(goal.targets):
                doc.add_heading(f"{target.indicator_name} ({target.indicator_id})", level=3)
                text = (f"{DIRECTION_DA.get(target.direction, '')}. "
                        f"Status: {status_label(target.status, target.status_label)}.")
                doc.add_paragraph(f"{text} {target.explanation}".strip())
                png = charts.get((goal.number, k))
                if png:
                    doc.add_picture(io.BytesIO(png), width=Cm(16.0))
        if goal.local_indicators:
            doc.add_heading("Lokale indikatorer", level=2)
            for li in goal.local_indicators:
                doc.add_heading(li.name, level=3)
                if li.definition:
                    doc.add_paragraph().add_run(li.definition).italic = True
                _table(doc, ["Udgangspunkt", "Mål", "Retning", "Status"], [[
                    _with_period(li.baseline_value, li.unit, li.baseline_period),
                    _with_period(li.target_value, li.unit, li.target_period),
                    DIRECTION_DA.get(li.direction, "–"), status_label(li.status, li.status_label),
                ]], numeric={0, 1})
                if li.values:
                    doc.add_paragraph()
                    _table(doc, ["Periode", "Værdi", "Bemærkning"],
                           [[period_text(v.period), value_text(v.value, li.unit), v.comment]
                            for v in li.values],
                           numeric={1})
    out = io.BytesIO()
    doc.save(out)
    return out.getvalue()


def _target_cells(t: TargetRow) -> list[str]:
    return [t.indicator_name, _with_period(t.baseline_value, t.unit, t.baseline_period, t.indicator_id),
            _with_period(t.target_value, t.unit, t.target_period, t.indicator_id),
            _with_period(t.latest_value, t.unit, t.latest_period, t.indicator_id),
            status_label(t.status, t.status_label)]


def _with_period(value: float | None, unit: str, period: str | None, indicator_id: str = "") -> str:
    text = value_text(value, unit)
    return f"{text} ({period_text(period, indicator_id)})" if period else text


def _table(doc, headers: list[str], rows: list[list[str]], numeric: set[int] = frozenset()) -> None:
    table = doc.add_table(rows=1, cols=len(headers))
    table.style = "Light Grid Accent 1"
    for cell, text in zip(table.rows[0].cells, headers, strict=True):
        cell.text = text
    for row in rows:
        cells = table.add_row().cells
        for i, (cell, text) in enumerate(zip(cells, row, strict=True)):
            cell.text = text or ""
            if i in numeric:
                cell.paragraphs[0].alignment = WD_ALIGN_PARAGRAPH.RIGHT


def _key_values(doc, pairs: list[tuple[str, str]]) -> None:
    table = doc.add_table(rows=0, cols=2)
    for key, value in pairs:
        cells = table.add_row().cells
        cells[0].text, cells[1].text = key, value
        cells[0].paragraphs[0].runs[0].bold = True
        cells[0].width, cells[1].width = Cm(6.0), Cm(10.6)


def _header_footer(doc, report: PlanReport) -> None:
    section = doc.sections[0]
    header = section.header.paragraphs[0]
    header.text = (f"{report.municipality_name} · Beskæftigelsesplan {report.year} · "
                   f"revision {report.revision}")
    if report.synthetic:
        run = header.add_run(f"\t\t{SYNTHETIC_BANNER_DA}")
        run.bold, run.font.color.rgb = True, _WARNING
    footer = section.footer.paragraphs[0]
    footer.text = f"Dannet {date_text(report.generated_at)}\t\tSide "
    _field(footer, "PAGE")
    footer.add_run(" af ")
    _field(footer, "NUMPAGES")


def _field(paragraph, code: str) -> None:
    """A Word field (PAGE, NUMPAGES) that Word fills in when it lays out the document."""
    run = paragraph.add_run()
    for kind, text in (("begin", None), (None, code), ("end", None)):
        if kind:
            element = OxmlElement("w:fldChar")
            element.set(qn("w:fldCharType"), kind)
        else:
            element = OxmlElement("w:instrText")
            element.set(qn("xml:space"), "preserve")
            element.text = f" {text} "
        run._r.append(element)


def _chart_pngs(report: PlanReport) -> dict[tuple[int, int], bytes]:
    return rendered_target_charts(report, render_png)
