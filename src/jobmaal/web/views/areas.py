"""The job centre, RAR area and region pages (web/area_pages.py builds them)."""

from __future__ import annotations

from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_GET

from jobmaal.web import area_pages, dashboards, pagecache
from jobmaal.web.queries import release_for
from jobmaal.web.views.pages import _period


def _area(request: HttpRequest, level: str, code: str) -> HttpResponse:
    release = release_for(request)
    if release is None:
        return render(request, "web/empty.html", {"nav": "areas"})
    period = _period(request, release)
    try:
        data = area_pages.area_page(release, level, code, period)
    except dashboards.NotFound as exc:
        raise Http404(str(exc)) from None
    return render(request, "web/pages/area.html", {**data, "nav": "areas", "map_shown": True})


@require_GET
@pagecache.cached_html
def jobcentre(request: HttpRequest, code: str) -> HttpResponse:
    return _area(request, "jobcenter", code)


@require_GET
@pagecache.cached_html
def rar(request: HttpRequest, name: str) -> HttpResponse:
    return _area(request, "rar", name)


@require_GET
@pagecache.cached_html
def region(request: HttpRequest, code: str) -> HttpResponse:
    return _area(request, "region", code)
