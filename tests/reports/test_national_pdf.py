"""The national report for the minister: statuses per goal, plans by state, maps with credit."""

from __future__ import annotations

from jobmaal import formats
from jobmaal.reports.national_pdf import render_national_pdf
from jobmaal.web.followup.models import NO_PLAN_DA

from .pdftext import pdf_text


def test_national_pdf_has_goals_counts_country_figures_and_credit(national_report):
    text = " ".join(pdf_text(render_national_pdf(national_report)).split())
    assert "Beskæftigelsespolitiske mål 2023" in text
    assert "Syntetiske data – ikke rigtige tal" in text
    for goal in national_report.goals:
        assert f"Mål {goal.number}: {goal.title}" in text
    for label, n in national_report.plans_by_state.items():
        assert f"{label} {n}" in text
    for indicator in (i for g in national_report.goals for i in g.indicators):
        assert f"{formats.decimal(indicator.country_value)} %" in text
    maps = sum(len(g.indicators) for g in national_report.goals)
    assert text.count("Indeholder data fra DAGI (Geodatastyrelsen)") == maps
    assert "Bevæger sig væk fra målet" in text


def test_national_pdf_lists_the_municipalities_per_status_not_only_counts(national_report):
    text = " ".join(pdf_text(render_national_pdf(national_report)).split())
    mm13 = next(i for g in national_report.goals for i in g.indicators if i.indicator_id == "MM13")
    with_plan = 98 - national_report.plans_by_state[NO_PLAN_DA]  # as the app: no plan, no status
    assert 0 < with_plan < 98
    assert sum(len(names) for names in mm13.status_municipalities.values()) == with_plan
    for status, names in mm13.status_municipalities.items():
        assert len(names) == mm13.status_counts[status]
    moving_away = ", ".join(mm13.status_municipalities["moving_away"])
    assert f"Bevæger sig væk fra målet: {moving_away}" in text


def test_national_pdf_shows_rekrut_by_its_posting_window(national_report):
    text = " ".join(pdf_text(render_national_pdf(national_report)).split())
    rekrut = next(i for g in national_report.goals for i in g.indicators if i.indicator_id == "REKRUT")
    assert rekrut.period == "2023H2"
    assert f"Hele landet, jun.–nov. 2023: {formats.decimal(rekrut.country_value)} %" in text
    assert "2. halvår 2023" not in text


def test_national_pdf_prints_each_indicators_written_summary(national_report):
    import dataclasses

    summary = "Hele landet ligger på 41,3 pct. i 2023, 0,4 pct.-point lavere end året før."
    goals = [dataclasses.replace(g, indicators=[dataclasses.replace(i, summary=summary)
                                                for i in g.indicators])
             for g in national_report.goals]
    text = " ".join(pdf_text(render_national_pdf(dataclasses.replace(national_report, goals=goals))).split())
    assert text.count(summary) == sum(len(g.indicators) for g in goals)
