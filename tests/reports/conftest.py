"""Shared fixtures: the demo reports, and the demo plan's PDF text, made once per session."""

from __future__ import annotations

import pytest

from .demo_data import demo_national_report, demo_plan_report
from .pdftext import pdf_text


@pytest.fixture(scope="session")
def plan_report():
    return demo_plan_report(101)


@pytest.fixture(scope="session")
def national_report():
    return demo_national_report()


@pytest.fixture(scope="session")
def plan_pdf_text(plan_report):
    from jobmaal.reports.plan_pdf import render_plan_pdf

    pdf = render_plan_pdf(plan_report)
    assert pdf.startswith(b"%PDF")
    return pdf_text(pdf)
