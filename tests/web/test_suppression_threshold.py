"""One suppression threshold, the release's (manifest `settings.suppression_threshold`), on
pages, in the API, in pooled figures and in the documents. The small release is loaded once;
each test sets its manifest's threshold (rolled back after the test)."""

from __future__ import annotations

import pytest
from django.urls import path

from jobmaal.catalogue import load_catalogue
from jobmaal.web import dashboards
from jobmaal.web.api import api
from jobmaal.web.models import Fact, PeerLink, Release
from jobmaal.web.queries import suppression_threshold

urlpatterns = [path("api/", api.urls)]

pytestmark = [pytest.mark.django_db]

MM13 = load_catalogue(2023).indicator("MM13")
PERIOD = "2023M06"


def _with_threshold(release: Release, threshold: int | None) -> Release:
    manifest = dict(release.manifest)
    settings = dict(manifest.get("settings", {}))
    if threshold is None:
        settings.pop("suppression_threshold", None)
    else:
        settings["suppression_threshold"] = threshold
    manifest["settings"] = settings
    Release.objects.filter(pk=release.pk).update(manifest=manifest)
    return Release.objects.get(pk=release.pk)


def _small_peer_counts(release: Release) -> list[int]:
    """101's peers on MM13 in 2023M06 made to hold 3, 4, 0, 0, 0 of 50 each (shown, as a release
    made with threshold 3 would show them): pooled 7/250 = 2,8 %."""
    peers = [link.peer_code for link in PeerLink.objects.filter(release=release, year=2023,
                                                                 municipality_code=101)]
    for code, num in zip(peers, [3, 4, 0, 0, 0], strict=False):
        Fact.objects.filter(release=release, indicator="MM13", period=PERIOD, area_level="kommune",
                            area_code=str(code), breakdown="i_alt").update(
            numerator=num, denominator=50, value=100 * num / 50, suppressed=False)
    return peers


def _pooled_on_page(release: Release):
    page = dashboards.municipality(release, 101, PERIOD)
    block = next(b for g in page["goals"] for b in g["blocks"] if b["indicator"].id == "MM13")
    return block["pooled"]


def test_the_threshold_is_the_manifests_else_the_catalogues(loaded_release):
    assert suppression_threshold(_with_threshold(loaded_release, 3), MM13) == 3
    assert suppression_threshold(_with_threshold(loaded_release, 10), MM13) == 10
    # an imported release's manifest has no settings: the catalogue's threshold of the indicator
    imported = _with_threshold(loaded_release, None)
    assert suppression_threshold(imported, MM13) == MM13.suppression_threshold == 5


def test_pooled_figure_on_the_page_uses_the_releases_threshold(loaded_release):
    release = _with_threshold(loaded_release, 10)
    assert len(_small_peer_counts(release)) == 5
    pool = _pooled_on_page(release)
    assert pool.suppressed and pool.value is None  # Σnum 7 < 10 (the page used 5 before: shown)
    pool = _pooled_on_page(_with_threshold(loaded_release, 3))
    assert not pool.suppressed and pool.value == pytest.approx(100 * 7 / 250)


@pytest.mark.urls(__name__)
def test_pooled_figure_in_the_api_uses_the_releases_threshold(client, loaded_release):
    release = _with_threshold(loaded_release, 10)
    _small_peer_counts(release)
    body = client.get("/api/municipalities/101/comparison",
                      {"indicator": "MM13", "period": PERIOD, "release": release.pk}).json()
    assert body["peers_pooled"]["suppressed"] is True and body["peers_pooled"]["value"] is None
    _with_threshold(loaded_release, 3)
    from django.core.cache import cache

    cache.clear()
    body = client.get("/api/municipalities/101/comparison",
                      {"indicator": "MM13", "period": PERIOD, "release": release.pk}).json()
    assert body["peers_pooled"]["value"] == pytest.approx(2.8)


def test_indicator_page_states_the_releases_threshold(client, loaded_release):
    _with_threshold(loaded_release, 10)
    html = client.get("/indikator/MM13/").content.decode()
    assert "Tællinger over 0 og under 10 vises ikke (diskretion)." in html


def test_documents_carry_the_releases_threshold(loaded_release):
    from jobmaal.web.followup.report_data import _national_indicator

    release = _with_threshold(loaded_release, 10)
    row = _national_indicator(release, MM13, {})
    assert row.suppression_threshold == 10
