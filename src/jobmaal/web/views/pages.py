"""The public pages. Each view parses its request, asks dashboards.py for the page and renders."""

from __future__ import annotations

import functools
import json

from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.cache import cache_control
from django.views.decorators.http import require_GET

from jobmaal import charts
from jobmaal.catalogue import available_years, load_catalogue
from jobmaal.geography import AREA_LEVELS, UnknownAreaError, load_geography
from jobmaal.periods import Period
from jobmaal.web import dashboards, pagecache, summaries
from jobmaal.web.followup import panels
from jobmaal.web.models import Publication, Release
from jobmaal.web.publishing import visible_releases
from jobmaal.web.queries import release_for
from jobmaal.web.survey.results import goal1_summary


def _release_or_empty(request: HttpRequest, nav: str) -> Release | HttpResponse:
    """The release to show, or the page saying that no release is loaded yet."""
    release = release_for(request)
    if release is None:
        return render(request, "web/empty.html", {"nav": nav}, status=200)
    return release


def _period(request: HttpRequest, release: Release) -> str:
    try:
        return dashboards.parse_period(request.GET.get("periode"), release)
    except dashboards.NotFound as exc:
        raise Http404(str(exc)) from None


@require_GET
@pagecache.cached_html
def overview(request: HttpRequest) -> HttpResponse:
    release = _release_or_empty(request, "overview")
    if isinstance(release, HttpResponse):
        return release
    period = _period(request, release)
    data = pagecache.overview(release, period)
    plans = panels.overview_panel(request.user, release.year, release)
    survey = goal1_summary(request.user, year=Period.parse(period).year)  # the page's year's round
    return render(request, "web/overview.html", {**data, "nav": "overview", "map_shown": True,
                                                 "plans_panel": plans, "survey_goal1": survey})


@require_GET
@pagecache.cached_html
def municipality(request: HttpRequest, code: int) -> HttpResponse:
    try:
        load_geography().municipality(code)
    except UnknownAreaError:
        raise Http404(f"Ingen kommune med koden {code}") from None
    release = _release_or_empty(request, "municipality")
    if isinstance(release, HttpResponse):
        return release
    period = _period(request, release)
    data = pagecache.municipality(release, code, period)
    plan = panels.municipality_panel(request.user, code, release.year, release)
    survey = goal1_summary(request.user, code, year=Period.parse(period).year)
    targets = summaries.year_targets(plan["plan"] if plan else None,
                                     year=Period.parse(period).year)
    return render(request, "web/municipality.html", {
        **data, "nav": "municipality", "plan_panel": plan, "survey_goal1": survey,
        "summaries": summaries.municipality_summaries(release, data, targets)})


@require_GET
def indicators(request: HttpRequest) -> HttpResponse:
    release = release_for(request)
    year = release.catalogue_year if release else max(available_years())
    catalogue = load_catalogue(year)
    goals = [{"goal": g, "indicators": catalogue.indicators_of_goal(g.number)} for g in catalogue.goals]
    return render(request, "web/indicators.html", {"catalogue": catalogue, "goals": goals,
                                                   "nav": "indicators"})


@require_GET
@pagecache.cached_html
def indicator(request: HttpRequest, indicator_id: str) -> HttpResponse:
    release = _release_or_empty(request, "indicators")
    if isinstance(release, HttpResponse):
        return release
    period = _period(request, release)
    level = request.GET.get("niveau", "kommune")
    if level not in AREA_LEVELS:
        raise Http404(f"ukendt niveau {level}")
    try:
        data = pagecache.indicator(release, indicator_id, period, level)
    except dashboards.NotFound as exc:
        raise Http404(str(exc)) from None
    monthly = data["indicator"].periodicity == "month"
    if monthly and request.GET.get("saeson") == "1":  # the seasonally adjusted line, on request
        data = {**data, **dashboards.seasonal_trend(release, data["indicator"].id),
                "seasonal_on": True}
    toggle = request.GET.copy()
    if data.get("seasonal_on"):
        toggle.pop("saeson", None)
    else:
        toggle["saeson"] = "1"
    return render(request, "web/indicator.html", {**data, "nav": "indicators", "map_shown": True,
                                                  "seasonal_toggle": monthly,
                                                  "seasonal_url": f"?{toggle.urlencode()}"})


@require_GET
def search(request: HttpRequest) -> HttpResponse:
    query = request.GET.get("q", "").strip()
    area = find_area(query) if query else None
    if area is not None:  # "Jobcenter Esbjerg", "RAR Fyn", "Region Syddanmark"
        return redirect(f"/{area.level}/{area.code}/")
    matches = find_municipalities(query) if query else []
    if len(matches) == 1:
        return redirect("municipality", code=matches[0].code)
    return render(request, "web/search.html", {"query": query, "matches": matches}, status=200)


def find_area(query: str):
    """The job centre, RAR area or region a query names, or None (municipalities first)."""
    try:
        area = load_geography().area_by_name(query)
    except UnknownAreaError:
        return None
    return area if area.level in ("jobcenter", "rar", "region") else None


def find_municipalities(query: str) -> list:
    """By code, exact name, or any part of the name (case and 'Kommune' ignored)."""
    geo = load_geography()
    if query.isdigit():
        return [m for m in geo.municipalities if m.code == int(query)]
    try:
        return [geo.municipality_by_name(query)]
    except UnknownAreaError:
        pass
    folded = query.casefold().replace("kommune", "").strip()
    return [m for m in geo.municipalities if folded and folded in m.name.casefold()]


@require_GET
def releases(request: HttpRequest) -> HttpResponse:
    rows = Release.objects.filter(visible_releases(request.user))
    log = Publication.objects.select_related("release", "replaced")[:50] if request.user.is_staff else []
    return render(request, "web/releases.html", {"releases": rows, "nav": "releases",
                                                 "publications": log})


@require_GET
@cache_control(max_age=86400, public=True)
def boundaries(request: HttpRequest) -> HttpResponse:
    """The municipality boundaries (DAGI) as the maps draw them (Bornholm in its inset box)."""
    return HttpResponse(_boundaries_json(), content_type="application/json")


@functools.cache
def _boundaries_json() -> bytes:
    return json.dumps(charts.maps.boundaries(), separators=(",", ":")).encode("utf-8")
