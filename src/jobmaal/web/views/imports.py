"""Vintages and imports in the app: what a release revised (/udgivelser/<id>/revisioner/) and
the file upload for staff (/import/): preview with every row's errors, then confirm.

The upload keeps the file in DATA_DIR/uploads between preview and confirm, named by a random
token held in the session (web/uploads.py); confirm claims the file once, parses it again (never
a form field), writes an OUT folder and loads it as a draft in one transaction, so a failed
import stores nothing and the public site is unchanged until the draft is published.
"""

from __future__ import annotations

import secrets

from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_GET, require_http_methods

from jobmaal.catalogue import available_years, load_catalogue
from jobmaal.geography import load_geography
from jobmaal.sources.common import SourceError
from jobmaal.sources.files import FileImportError, ParsedFile, parse_file
from jobmaal.sources.release import complete_facts, facts_table, write_release
from jobmaal.web.models import Release, Revision
from jobmaal.web.publishing import visible_releases
from jobmaal.web.releases import ReleaseLoadError, load_release
from jobmaal.web.uploads import claim_upload, cleanup_uploads, remove, stored_upload, upload_dir
from jobmaal.web.vintages import revision_summary, source_label

MAX_UPLOAD = 10 * 1024 * 1024  # bytes; larger files go through `jobmaal import file`
PREVIEW_ROWS = 200
REVISIONS_SHOWN = 2000
_SESSION_KEY = "jobmaal_upload"
CHANGE_DA = {"changed": "Ændret", "added": "Tilføjet", "removed": "Fjernet"}


@require_GET
def revisions(request: HttpRequest, pk: int) -> HttpResponse:
    release = get_object_or_404(Release.objects.filter(visible_releases(request.user)), pk=pk)
    summary = revision_summary(release)
    query = Revision.objects.filter(release=release)
    indicator = request.GET.get("indikator", "").strip().upper()
    if indicator:
        query = query.filter(indicator=indicator)
    geo = load_geography()
    rows = []
    for r in query[:REVISIONS_SHOWN]:
        try:
            area = geo.area(r.area_level, r.area_code).name
        except LookupError:
            area = r.area_code
        delta = (r.new_value - r.old_value
                 if r.old_value is not None and r.new_value is not None else None)
        rows.append({"r": r, "area": area, "change": CHANGE_DA.get(r.change, r.change), "delta": delta})
    return render(request, "web/revisions.html", {
        "nav": "releases", "shown_release": release, "summary": summary, "rows": rows,
        "count": query.count(), "limit": REVISIONS_SHOWN, "indicator": indicator,
        "source": source_label(release.kind)})


def _staff_only(request: HttpRequest) -> HttpResponse | None:
    if not request.user.is_authenticated:
        return redirect_to_login(request.get_full_path())
    if not request.user.is_staff:
        raise PermissionDenied("Kun ministeriets medarbejdere kan indlæse tal.")
    return None


@require_http_methods(["GET", "POST"])
def upload(request: HttpRequest) -> HttpResponse:
    refused = _staff_only(request)
    if refused is not None:
        return refused
    years = available_years()
    context = {"nav": "releases", "years": years, "indicators": _indicators(years[-1])}
    if request.method == "GET":
        return render(request, "web/import.html", context)
    action = request.POST.get("action", "preview")
    if action == "confirm":
        return _confirm(request, context)
    if action == "cancel":
        _forget(request)
        context["notice"] = "Forhåndsvisningen er annulleret, og filen er slettet."
        return render(request, "web/import.html", context)
    return _preview(request, context)


def _indicators(year: int) -> list:
    return list(load_catalogue(year).indicators)


def _form_year(request: HttpRequest, years) -> int | None:
    text = request.POST.get("year", "")
    return int(text) if text.isdigit() and int(text) in years else None


def _preview(request: HttpRequest, context: dict) -> HttpResponse:
    upload = request.FILES.get("file")
    year = _form_year(request, context["years"])
    indicator = request.POST.get("indicator", "").strip() or None
    if upload is None or year is None:
        context["problem"] = "Vælg en fil og et år."
        return render(request, "web/import.html", context, status=400)
    if upload.size > MAX_UPLOAD:
        context["problem"] = (f"Filen er for stor til upload (højst {MAX_UPLOAD // 1_000_000} MB); "
                              "brug kommandoen «jobmaal import file».")
        return render(request, "web/import.html", context, status=400)
    cleanup_uploads()
    token = secrets.token_hex(16)
    upload_dir().mkdir(parents=True, exist_ok=True)
    stored = stored_upload(token)
    with stored.open("wb") as f:
        for chunk in upload.chunks():
            f.write(chunk)
    _forget(request)
    try:
        parsed = parse_file(stored, year, indicator=indicator)
    except FileImportError as exc:
        stored.unlink(missing_ok=True)
        context.update(problem=str(exc).replace(stored.name, upload.name), year=year)
        return render(request, "web/import.html", context, status=400)
    parsed.name = upload.name
    request.session[_SESSION_KEY] = {"token": token, "name": upload.name, "year": year,
                                     "indicator": indicator}
    context.update(_preview_context(parsed), year=year, chosen_indicator=indicator)
    return render(request, "web/import.html", context)


def _preview_context(parsed: ParsedFile) -> dict:
    rows = list(zip(parsed.line_of, parsed.rows, strict=True))[:PREVIEW_ROWS]
    return {"parsed": parsed, "preview_rows": rows, "row_count": len(parsed.rows),
            "more_rows": max(0, len(parsed.rows) - PREVIEW_ROWS), "errors": parsed.errors}


def _confirm(request: HttpRequest, context: dict) -> HttpResponse:
    pending = request.session.get(_SESSION_KEY)
    if not pending or pending.get("token") != request.POST.get("token"):
        context["problem"] = "Forhåndsvisningen er udløbet; vælg filen igen."
        return render(request, "web/import.html", context, status=400)
    claimed = claim_upload(pending["token"])
    if claimed is None:  # confirmed already (a double click, a second tab) or cleaned up
        context["problem"] = "Filen er allerede indlæst eller forhåndsvisningen er udløbet; vælg filen igen."
        return render(request, "web/import.html", context, status=400)
    out = upload_dir() / f"release-{pending['token']}"
    try:
        parsed = parse_file(claimed, pending["year"], indicator=pending["indicator"])
        parsed.name = pending["name"]
        facts = facts_table(complete_facts(parsed.facts(), load_catalogue(pending["year"]),
                                           mark_provisional=False))
        write_release(out, facts, kind="file", year=pending["year"],
                      source={"file": pending["name"], "uploaded_by": request.user.get_username(),
                              "encoding": parsed.encoding, "rows": len(parsed.rows)})
        release = load_release(out, name=request.POST.get("name", "").strip()[:200] or None,
                               actor=request.user.get_username(), user=request.user)
    except (SourceError, ReleaseLoadError, OSError) as exc:
        context["problem"] = f"Intet er gemt: {str(exc).replace(claimed.name, pending['name'])}"
        return render(request, "web/import.html", context, status=400)
    finally:
        remove(claimed)
        remove(out)
        _forget(request)
    return redirect("release_publish", pk=release.pk)


def _forget(request: HttpRequest) -> None:
    pending = request.session.pop(_SESSION_KEY, None)
    if pending:
        stored_upload(pending["token"]).unlink(missing_ok=True)
