"""Reading facts of a release from the database (the one place pages read the Fact model)."""

from __future__ import annotations

import functools
from collections.abc import Iterable

import pandas as pd
from django.http import Http404, HttpRequest

from jobmaal.catalogue import Indicator
from jobmaal.facts import CORE_COLUMNS, TOTAL
from jobmaal.web.models import Fact, Release


def active_release(year: int | None = None) -> Release | None:
    """The active release of `year`, or of the latest year that has one."""
    releases = Release.objects.filter(is_active=True)
    if year is not None:
        releases = releases.filter(year=year)
    return releases.order_by("-year").first()


def may_see(user, release: Release) -> bool:
    """Drafts (never published) are for staff only."""
    return not release.is_draft or bool(user is not None and user.is_authenticated and user.is_staff)


def release_for(request: HttpRequest) -> Release | None:
    """The release a request asks for (?udgivelse=ID) or the active one; cached on the request.

    A draft asked for by anyone but staff is a 404, as if it did not exist.
    """
    if not hasattr(request, "_jobmaal_release"):
        wanted = request.GET.get("udgivelse", "")
        chosen = None
        if wanted.isdigit():
            chosen = Release.objects.filter(pk=int(wanted)).first()
        if chosen is not None and not may_see(getattr(request, "user", None), chosen):
            request._jobmaal_release = active_release()  # what the 404 page's context shows
            raise Http404("ingen sådan udgivelse")
        request._jobmaal_release = chosen or active_release()
    return request._jobmaal_release


def facts_frame(release: Release, *, indicators: Iterable[str] | None = None,
                periods: Iterable[str] | None = None, levels: Iterable[str] | None = None,
                areas: Iterable[tuple[str, str]] | None = None,
                total_only: bool = True) -> pd.DataFrame:
    """Facts of a release as a DataFrame with the facts columns, filtered in the database."""
    query = Fact.objects.filter(release=release)
    if indicators is not None:
        query = query.filter(indicator__in=list(indicators))
    if periods is not None:
        query = query.filter(period__in=list(periods))
    if levels is not None:
        query = query.filter(area_level__in=list(levels))
    if total_only:
        query = query.filter(breakdown=TOTAL)
    if areas is not None:
        pairs = list(areas)
        query = query.filter(area_level__in={lv for lv, _ in pairs},
                             area_code__in={code for _, code in pairs})
    rows = list(query.values_list(*CORE_COLUMNS))
    frame = pd.DataFrame(rows, columns=list(CORE_COLUMNS))
    if areas is not None and not frame.empty:
        keep = set(pairs)
        frame = frame[[(lv, c) in keep for lv, c in zip(frame.area_level, frame.area_code, strict=True)]]
    return frame.reset_index(drop=True)


@functools.lru_cache(maxsize=4)
def _level_facts(release_pk: int, levels: tuple[str, ...]) -> pd.DataFrame:
    return facts_frame(Release.objects.get(pk=release_pk), levels=levels)


def level_facts(release: Release, levels: tuple[str, ...]) -> pd.DataFrame:
    """All total rows of some area levels, kept in memory per release (releases never change).

    Pages that rank or pool municipalities need every municipality's figures; reading them
    once per process instead of once per request is what keeps those pages fast.
    """
    return _level_facts(release.pk, tuple(levels))


def release_periods(release: Release) -> list[str]:
    """The periods a release holds: its manifest's list, else those of its rows."""
    periods = release.manifest.get("periods")
    if periods:
        return list(periods)
    return sorted(set(Fact.objects.filter(release=release).values_list("period", flat=True)))


def indicators_of(release: Release) -> set[str]:
    return set(Fact.objects.filter(release=release).values_list("indicator", flat=True).distinct())


def periods_of(release: Release, indicator: str | None = None) -> list[str]:
    """The periods present in a release (for one indicator), in Jobindsats code order.

    Read from the country's rows; an imported release without them (a file with a few
    municipalities) has its periods read from all its rows.
    """
    query = Fact.objects.filter(release=release, breakdown=TOTAL)
    if indicator:
        query = query.filter(indicator=indicator)
    found = set(query.filter(area_level="land").values_list("period", flat=True))
    if not found and release.kind != "computed":
        found = set(query.values_list("period", flat=True).distinct())
    return sorted(found)


def suppression_threshold(release: Release, indicator: Indicator) -> int:
    """The release's suppression threshold: counts 1 to threshold−1 are never shown.

    Read from the manifest (`settings.suppression_threshold`, written by `jobmaal compute`) so
    pages, API, pooled figures and documents all use the one the figures were made with. An
    imported release has none there; its figures follow the catalogue's threshold of the
    indicator.
    """
    value = (release.manifest or {}).get("settings", {}).get("suppression_threshold")
    return int(value) if value is not None else int(indicator.suppression_threshold)
