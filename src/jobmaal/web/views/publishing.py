"""Publishing in the app (staff only): compare a release with the active one of its year, then
publish it with one explicit, confirmed POST; the same page rolls back to an earlier release.
A draft lacking indicators the active one has can be combined with it here first."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_http_methods

from jobmaal.web.models import Release
from jobmaal.web.publishing import (
    PublishError,
    compare_releases,
    missing_indicators,
    publish_release,
)
from jobmaal.web.queries import active_release, indicators_of
from jobmaal.web.tasks import build_task_of
from jobmaal.web.views.imports import _staff_only
from jobmaal.web.vintages import CombineError, combine_releases


@require_http_methods(["GET", "POST"])
def publish(request: HttpRequest, pk: int) -> HttpResponse:
    refused = _staff_only(request)
    if refused is not None:
        return refused
    release = get_object_or_404(Release, pk=pk)
    current = active_release(release.year)
    problem = ""
    if request.method == "POST":
        action = request.POST.get("action")
        if action == "combine":
            made = _combine(release, current)
            if isinstance(made, Release):
                return redirect(f"/udgivelser/{made.pk}/udgiv/?kombineret={release.pk}")
            problem = made
        if action == "publish" and request.POST.get("confirm") == "ja":
            try:
                entry = publish_release(release, actor=request.user.get_username(), user=request.user)
            except PublishError as exc:
                problem = f"Ikke udgivet: {exc}"
            else:  # follow the build of its pages and files (web/tasks.py)
                task_id = build_task_of(entry.release_id)
                done = f"/udgivelser/?udgivet={entry.release_id}"
                return redirect(f"/opgaver/{task_id}/" if task_id else done)
        else:
            problem = "Sæt kryds for at bekræfte, at udgivelsen skal vises for alle."
    comparison = compare_releases(release, current)
    return render(request, "web/publish.html", {
        "nav": "releases", "candidate": release, "current": current, "comparison": comparison,
        "problem": problem, "is_current": current is not None and current.pk == release.pk,
        "rollback": release.published_at is not None,
        "combined_from": request.GET.get("kombineret", "")},
        status=400 if problem else 200)


def _combine(release: Release, current: Release | None) -> Release | str:
    """A mixed draft: this release's indicators, the active one's for what this one lacks;
    or why it could not be made."""
    missing = missing_indicators(release, current)
    if current is None or not missing:
        return "Der er intet at kombinere: udgivelsen har alle den aktive udgivelses indikatorer."
    picks = {ind: release.pk for ind in indicators_of(release)} | {ind: current.pk for ind in missing}
    try:
        return combine_releases(release.year, picks, name=f"{release.name} + nr. {current.pk}"[:200],
                                framework_from=current.pk)
    except CombineError as exc:
        return f"Kunne ikke kombinere: {exc}"
