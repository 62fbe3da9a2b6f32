"""Runs the analysis layer once when a release is loaded and stores what pages need.

Expected levels and comparable municipalities do not change within a release, so pages read
them from the database instead of fitting models per request.
"""

from __future__ import annotations

import math

import pandas as pd

from jobmaal.analysis import expected_levels, nearest_peers
from jobmaal.analysis.peers import FrameworkError, framework_matrix, variable_labels
from jobmaal.catalogue import load_catalogue
from jobmaal.periods import Period
from jobmaal.web.models import ExpectedLevel, FrameworkValue, PeerLink, Release
from jobmaal.web.queries import facts_frame

PEERS = 5


def framework_frame(release: Release) -> pd.DataFrame:
    rows = FrameworkValue.objects.filter(release=release).values_list(
        "municipality_code", "year", "variable", "value")
    return pd.DataFrame(list(rows), columns=["municipality_code", "year", "variable", "value"])


def framework_variables(release: Release) -> list[dict]:
    return list(release.manifest.get("framework_variables", []))


def _num(value: float | None) -> float | None:
    """NaN (a degenerate fit) is stored as no number, never as a value."""
    return None if value is None or math.isnan(value) else float(value)


def store_analysis(release: Release) -> None:
    """Compute and store expected levels (every municipal indicator and period) and peers."""
    expected, links = analysis_rows(release)
    ExpectedLevel.objects.bulk_create(expected, batch_size=2000)
    PeerLink.objects.bulk_create(links, batch_size=2000)


def analysis_rows(release: Release) -> tuple[list[ExpectedLevel], list[PeerLink]]:
    """Expected levels and peers of `release`, computed but not stored (a chunked load stores
    them in short transactions, so fitting the models holds no write lock)."""
    framework = framework_frame(release)
    if framework.empty:
        return [], []
    variables = [v["name"] for v in framework_variables(release)]
    catalogue = load_catalogue(release.catalogue_year)
    municipal = [i.id for i in catalogue.indicators if "kommune" in i.area_levels]
    facts = facts_frame(release, indicators=municipal, levels=["kommune"])
    rows = []
    matrices = {}
    for (indicator, period), group in facts.groupby(["indicator", "period"]):
        year = Period.parse(period).year
        if year not in matrices:
            try:
                matrices[year] = framework_matrix(framework, year, variables)
            except FrameworkError:
                matrices[year] = None  # no conditions for that year: no expected levels
        if matrices[year] is None:
            continue
        fit = expected_levels(group, framework, indicator, period, variables,
                              conditions=matrices[year])
        rows += [ExpectedLevel(release=release, indicator=indicator, period=period,
                               municipality_code=e.code, actual=_num(e.actual),
                               expected=_num(e.expected), lower=_num(e.lower), upper=_num(e.upper),
                               gap=_num(e.gap), r_squared=_num(e.r_squared), n=e.n)
                 for e in fit]
    links = []
    for year in sorted(framework["year"].unique()):
        peers = nearest_peers(framework, int(year), variables, k=PEERS,
                              labels=variable_labels(framework_variables(release)))
        for code, found in peers.items():
            links += [PeerLink(release=release, year=int(year), municipality_code=code,
                               peer_code=p.code, rank=i, distance=p.distance,
                               reasons=[{"variable": r.variable, "own_value": r.own_value,
                                         "peer_value": r.peer_value, "text": r.text}
                                        for r in p.reasons])
                      for i, p in enumerate(found, start=1)]
    return rows, links
