"""Page data, page HTML and API answers cached per release in Django's shared cache.

A release never changes, so what a page shows for a given release and parameters is computed
once and reused by every process and every server (Redis, or the file or database cache on
one machine; see settings.CACHES). The release id is in every key, so publishing or rolling
back switches what is served at once. `web/build.py` fills the cache when a release is
published; a page asked for before that is built on demand and stored the same way.
"""

from __future__ import annotations

import functools
import hashlib

from django.core.cache import cache
from django.core.cache.backends.base import DEFAULT_TIMEOUT
from django.http import HttpRequest, HttpResponse

from jobmaal.web import dashboards
from jobmaal.web.models import Release
from jobmaal.web.queries import release_for

SECONDS = DEFAULT_TIMEOUT  # the backend's TIMEOUT (settings.CACHES): release keys never go stale


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


def cached_html(view):
    """Cache a public page's HTML per release, visitor and full URL.

    A page built from a release is the same every time for the same URL, so the rendered HTML
    is reused; the key holds the release shown and, for a logged-in visitor, who it is. The
    answer says in `X-Jobmaal-Cache` whether it came from the cache (hit) or was built (miss).
    """

    @functools.wraps(view)
    def wrapper(request: HttpRequest, *args, **kwargs) -> HttpResponse:
        release = release_for(request)
        if release is None:
            return view(request, *args, **kwargs)
        user = getattr(request, "user", None)
        # Per session, not per user: the page holds the session's CSRF token (the logout form).
        who = request.session.session_key if user is not None and user.is_authenticated else "-"
        key = html_key(release.pk, who, request.get_full_path())
        body = cache.get(key)
        if body is not None:
            response = HttpResponse(body, content_type="text/html; charset=utf-8")
            response["X-Jobmaal-Cache"] = "hit"
            return response
        response = view(request, *args, **kwargs)
        if response.status_code == 200 and not response.streaming:
            cache.set(key, response.content, SECONDS)
        response["X-Jobmaal-Cache"] = "miss"
        return response

    return wrapper


def html_key(release_pk: int, who: str, path: str) -> str:
    """The key of a page's HTML: the release, the plan and survey changes it may show, the
    visitor ('-' for the public) and the URL (hashed, so any URL fits every cache backend)."""
    digest = hashlib.sha256(path.encode("utf-8")).hexdigest()[:32]
    return f"html:{release_pk}:{followup_stamp()}:{survey_stamp()}:{who}:{digest}"


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
        digest = hashlib.sha256(request.get_full_path().encode("utf-8")).hexdigest()[:32]
        key = f"api:{active}:{audience}:{digest}"  # staff see who uploaded
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
