"""/status/ (the minister's list) and /metode/ (how the expected level and peers are made)."""

from __future__ import annotations

from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_GET

from jobmaal.web import dashboards, method, pagecache, status_page
from jobmaal.web.queries import release_for


@require_GET
@pagecache.cached_html
def status(request: HttpRequest) -> HttpResponse:
    release = release_for(request)
    if release is None:
        return render(request, "web/empty.html", {"nav": "status"})
    try:
        data = status_page.status_page(
            release, request.user, region=request.GET.get("region") or None,
            rar=request.GET.get("rar") or None, sort=request.GET.get("sorter") or None,
            descending=request.GET.get("retning") == "ned")
    except dashboards.NotFound as exc:
        raise Http404(str(exc)) from None
    return render(request, "web/pages/status.html", {**data, "nav": "status",
                                                      "table": status_page.status_table(data)})


@require_GET
@pagecache.cached_html
def method_page(request: HttpRequest) -> HttpResponse:
    release = release_for(request)
    return render(request, "web/pages/method.html", {**method.method_page(release), "nav": "method"})
