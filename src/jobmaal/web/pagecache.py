"""Page data cached per release. A release never changes, so what a page shows for a given
release and parameters can be computed once and reused; `warm` computes the default pages
ahead of the first visitor."""

from __future__ import annotations

import functools

from django.core.cache import cache
from django.http import HttpRequest, HttpResponse

from jobmaal.geography import load_geography
from jobmaal.web import dashboards
from jobmaal.web.models import Release
from jobmaal.web.queries import release_for

SECONDS = 24 * 3600


def _cached(key: str, build):
    data = cache.get(key)
    if data is None:
        data = build()
        cache.set(key, data, SECONDS)
    return data


def overview(release: Release, period: str) -> dict:
    return _cached(f"overview:{release.pk}:{period}", lambda: dashboards.overview(release, period))


def municipality(release: Release, code: int, period: str) -> dict:
    return _cached(f"kommune:{release.pk}:{code}:{period}",
                   lambda: dashboards.municipality(release, code, period))


def indicator(release: Release, indicator_id: str, period: str, level: str) -> dict:
    return _cached(f"indikator:{release.pk}:{indicator_id}:{period}:{level}",
                   lambda: dashboards.indicator_page(release, indicator_id, period, level))


def warm(release: Release, codes: list[int] | None = None) -> int:
    """Build and render the overview and the municipality pages (all, or `codes`) of the
    default period, so visitors get them from the cache; returns the number of pages."""
    from django.contrib.auth.models import AnonymousUser
    from django.test import RequestFactory
    from django.urls import resolve

    codes = load_geography().municipality_codes if codes is None else codes
    paths = ["/", *(f"/kommune/{code}/" for code in codes)]
    factory = RequestFactory()
    for path in paths:
        request = factory.get(path, HTTP_HOST="localhost")
        request.user = AnonymousUser()  # warmed pages are the public ones
        match = resolve(path)
        match.func(request, *match.args, **match.kwargs)
    return len(paths)


def cached_html(view):
    """Cache a public page's HTML per release, visitor and full URL.

    A page built from a release is the same every time for the same URL, so the rendered HTML
    is reused; the key holds the release shown and, for a logged-in visitor, who it is.
    """

    @functools.wraps(view)
    def wrapper(request: HttpRequest, *args, **kwargs) -> HttpResponse:
        release = release_for(request)
        if release is None:
            return view(request, *args, **kwargs)
        user = getattr(request, "user", None)
        # Per session, not per user: the page holds the session's CSRF token (the logout form).
        who = request.session.session_key if user is not None and user.is_authenticated else "-"
        key = f"html:{release.pk}:{followup_stamp()}:{survey_stamp()}:{who}:{request.get_full_path()}"
        body = cache.get(key)
        if body is not None:
            return HttpResponse(body, content_type="text/html; charset=utf-8")
        response = view(request, *args, **kwargs)
        if response.status_code == 200 and not response.streaming:
            cache.set(key, response.content, SECONDS)
        return response

    return wrapper


# API paths whose answers depend only on the release and the URL (not on the list of releases).
_API_CACHED = ("/api/facts", "/api/municipalities/", "/api/catalogue/", "/api/areas")


class ApiCacheMiddleware:
    """Reuse the JSON of read-only API answers per release shown and full URL.

    The figures of a release never change, so the same question gets the same answer; the
    release in the key is the one the request sees (?release= or the active one).
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if (request.method != "GET" or not request.path.startswith(_API_CACHED) or _is_staff(request)
                or request.path.endswith("/forecast")):  # staff may see drafts; forecasts read plan targets
            return self.get_response(request)
        active = active_release_pk()
        audience = "staff" if getattr(request, "user", None) and request.user.is_staff else "public"
        key = f"api:{active}:{audience}:{request.get_full_path()}"  # staff see who uploaded
        hit = cache.get(key)
        if hit is not None:
            status, content_type, body = hit
            return HttpResponse(body, status=status, content_type=content_type)
        response = self.get_response(request)
        if response.status_code in (200, 404) and not response.streaming:
            cache.set(key, (response.status_code, response["Content-Type"], response.content), SECONDS)
        return response


def _is_staff(request: HttpRequest) -> bool:
    user = getattr(request, "user", None)
    return bool(user is not None and user.is_authenticated and user.is_staff)


def survey_stamp() -> str:
    """The newest survey audit record's id and today's date: pages showing the survey's goal-1
    figures are rebuilt after any answer, round or questionnaire change, and when a round opens
    or closes by date."""
    from django.utils import timezone

    from jobmaal.web.survey.models import AuditEntry

    newest = AuditEntry.objects.order_by("-pk").values_list("pk", flat=True).first() or 0
    return f"{newest}-{timezone.localdate().isoformat()}"


def followup_stamp() -> int:
    """The newest audit record's id: pages that show plans are rebuilt after any plan change,
    in every server process (one indexed query)."""
    from jobmaal.web.followup.models import AuditEntry

    return AuditEntry.objects.order_by("-pk").values_list("pk", flat=True).first() or 0


def active_release_pk() -> int | None:
    """The active release's id (one indexed query; it changes only when a release is loaded)."""
    return Release.objects.filter(is_active=True).order_by("-year").values_list("pk", flat=True).first()
