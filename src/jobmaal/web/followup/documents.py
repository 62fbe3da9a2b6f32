"""The plan as PDF, Word and Excel, and the national PDF overview for the minister.

The same visibility rules as the plan page: a municipality's unpublished plan only for its own
users, the ministry and KL. The national PDF counts every plan for the ministry and KL and only
published plans for everybody else, and says which.
"""

from __future__ import annotations

import importlib

from django.http import Http404, HttpRequest, HttpResponse

from jobmaal.catalogue.models import available_years
from jobmaal.web import build
from jobmaal.web.accounts.roles import reads_everything
from jobmaal.web.fileserve import serve_file
from jobmaal.web.followup.report_data import plan_report
from jobmaal.web.followup.views import visible_plan
from jobmaal.web.queries import active_release

# format → (module in jobmaal.reports, function, content type); modules load on first use, so
# the Typst and Word libraries are not imported by processes that never render a document.
FORMATS = {
    "pdf": ("plan_pdf", "render_plan_pdf", "application/pdf"),
    "docx": ("plan_docx", "render_plan_docx",
             "application/vnd.openxmlformats-officedocument.wordprocessingml.document"),
    "xlsx": ("plan_xlsx", "render_plan_xlsx",
             "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"),
}


def renderer(module: str, function: str):
    return getattr(importlib.import_module(f"jobmaal.reports.{module}"), function)


def plan_document(request: HttpRequest, code: int, year: int, fmt: str) -> HttpResponse:
    if fmt not in FORMATS:
        raise Http404("Ukendt format")
    plan = visible_plan(request, code, year)
    module, function, content_type = FORMATS[fmt]
    body = renderer(module, function)(plan_report(plan, active_release(year) or active_release()))
    name = f"beskaeftigelsesplan-{year}-{code}-rev{plan.revision}.{fmt}"
    response = HttpResponse(body, content_type=content_type)
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    return response


def national_pdf(request: HttpRequest, year: int) -> HttpResponse:
    if year not in available_years():
        raise Http404("Ukendt år")
    everything = reads_everything(request.user)
    # Built once per release and plan state (web/build.py), then served as a file; caches must
    # ask again each time (a plan change makes a new one), and the full one is not for them.
    path = build.national_pdf_path(year, published_only=not everything)
    return serve_file(request, path, filename=f"landsoverblik-{year}.pdf", content_type="application/pdf",
                      cache_control="private, no-cache" if everything else "public, no-cache")
