"""Page data cached per release. A release never changes, so what a page shows for a given
release and parameters can be computed once and reused; `warm` computes the default pages
ahead of the first visitor."""

from __future__ import annotations

from django.core.cache import cache
from django.db import close_old_connections

from jobmaal.geography import load_geography
from jobmaal.web import dashboards
from jobmaal.web.models import Release

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


def warm(release: Release) -> int:
    """Compute the overview and every municipality page of the default period; returns pages."""
    period = dashboards.default_period(release)
    overview(release, period)
    codes = load_geography().municipality_codes
    for code in codes:
        municipality(release, code, period)
    close_old_connections()
    return 1 + len(codes)
