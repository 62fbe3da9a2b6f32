"""Vintages and mixed sources: every release is kept, a later vintage of the same source and
year stores what it revised, and a mixed release takes each indicator from a chosen release.

Revisions compare the periods both vintages hold: a figure changed (value or suppression),
added or removed in a period the earlier vintage had already published. Periods new in the
later vintage are not revisions; the revision summary lists them as new periods.
"""

from __future__ import annotations

import hashlib
import json
from datetime import UTC, datetime

from django.db import connection, transaction
from django.db.models import Count

from jobmaal.facts import FACTS_COLUMNS, KEY_COLUMNS
from jobmaal.sources.common import SOURCE_NAMES_DA
from jobmaal.web.models import Fact, FrameworkValue, Release, Revision
from jobmaal.web.queries import release_periods


class CombineError(ValueError):
    """A mixed release that cannot be made; nothing was stored."""


def previous_vintage(release: Release) -> Release | None:
    """The latest release loaded before this one with the same source kind and year."""
    return (Release.objects.filter(year=release.year, kind=release.kind, pk__lt=release.pk)
            .order_by("-pk").first())


def store_revisions(release: Release, indicators: list[str] | None = None) -> int:
    """Store the revisions of `release` against its previous vintage (only of `indicators` when
    given: a chunked load stores them one indicator per transaction); returns how many the
    release has."""
    previous = release.previous
    if previous is None:
        return 0
    common = sorted(set(release_periods(release)) & set(release_periods(previous)))
    if not common or indicators == []:
        return 0
    q = connection.ops.quote_name
    fact, revision = q(Fact._meta.db_table), q(Revision._meta.db_table)
    marks = ", ".join(["%s"] * len(common))
    only = ""
    if indicators is not None:
        only = f"AND {q('indicator')} IN ({', '.join(['%s'] * len(indicators))}) "
    keys = ", ".join(q(c) for c in KEY_COLUMNS)
    old, new = previous.pk, release.pk
    # One pass over both releases grouped by the fact key (no self-join: fast on SQLite too).
    sql = (
        f"INSERT INTO {revision} (release_id, previous_id, {q('change')}, {keys}, "
        "old_value, new_value, old_suppressed, new_suppressed) "
        "SELECT %s, %s, CASE WHEN n_old = 0 THEN 'added' WHEN n_new = 0 THEN 'removed' "
        f"ELSE 'changed' END, {keys}, old_value, new_value, "
        "CASE WHEN old_s = 1 THEN TRUE WHEN old_s = 0 THEN FALSE END, "
        "CASE WHEN new_s = 1 THEN TRUE WHEN new_s = 0 THEN FALSE END "
        f"FROM (SELECT {keys}, "
        "SUM(CASE WHEN release_id = %s THEN 1 ELSE 0 END) AS n_old, "
        "SUM(CASE WHEN release_id = %s THEN 1 ELSE 0 END) AS n_new, "
        "MAX(CASE WHEN release_id = %s THEN value END) AS old_value, "
        "MAX(CASE WHEN release_id = %s THEN value END) AS new_value, "
        "MAX(CASE WHEN release_id = %s THEN (CASE WHEN suppressed THEN 1 ELSE 0 END) END) AS old_s, "
        "MAX(CASE WHEN release_id = %s THEN (CASE WHEN suppressed THEN 1 ELSE 0 END) END) AS new_s "
        f"FROM {fact} WHERE release_id IN (%s, %s) AND period IN ({marks}) {only}GROUP BY {keys}) AS d "
        "WHERE n_old = 0 OR n_new = 0 OR old_s <> new_s "
        "OR (old_value IS NULL) <> (new_value IS NULL) OR ABS(old_value - new_value) > 1e-9")
    with connection.cursor() as cursor:
        cursor.execute(sql, [new, old, old, new, old, new, old, new, old, new, *common,
                             *(indicators or [])])
    return Revision.objects.filter(release=release).count()


def revision_summary(release: Release) -> dict:
    """Counts per indicator and change, and the periods new in this vintage."""
    previous = release.previous
    counts = (Revision.objects.filter(release=release).values("indicator", "change")
              .annotate(n=Count("id")).order_by("indicator", "change"))
    per: dict[str, dict[str, int]] = {}
    for row in counts:
        per.setdefault(row["indicator"], {"changed": 0, "added": 0, "removed": 0})[row["change"]] = row["n"]
    new_periods = (sorted(set(release_periods(release)) - set(release_periods(previous)))
                   if previous else [])
    dropped = (sorted(set(release_periods(previous)) - set(release_periods(release)))
               if previous else [])
    return {"previous": previous, "per_indicator": per,
            "total": sum(sum(v.values()) for v in per.values()),
            "new_periods": new_periods, "dropped_periods": dropped}


def indicator_sources(release: Release) -> dict[str, list[str]]:
    """The source kinds of each indicator's figures in a release (one, unless mixed within)."""
    found: dict[str, list[str]] = {}
    for ind, source in (Fact.objects.filter(release=release).values_list("indicator", "source")
                        .distinct().order_by("indicator", "source")):
        found.setdefault(ind, []).append(source)
    return found


def source_label(kind: str) -> str:
    return SOURCE_NAMES_DA.get(kind, kind)


def combine_releases(year: int, picks: dict[str, int], *, name: str | None = None,
                     framework_from: int | None = None, activate: bool = False,
                     actor: str = "system", user=None) -> Release:
    """A mixed release of `year`: each indicator's figures from the release picked for it.

    Every figure keeps its own source. Framework conditions come from `framework_from` (or
    the first picked release that has them). All or nothing, like a load; a draft unless
    `activate` (then published through web/publishing.py).
    """
    from jobmaal.web.analysis_store import store_analysis
    from jobmaal.web.publishing import publish_release

    if not picks:
        raise CombineError("vælg mindst én indikator og den udgivelse, den skal tages fra")
    chosen = {pk: Release.objects.filter(pk=pk).first() for pk in set(picks.values())}
    for pk, rel in chosen.items():
        if rel is None:
            raise CombineError(f"udgivelse {pk} findes ikke")
        if rel.year != year:
            raise CombineError(f"udgivelse {pk} er for {rel.year}, ikke {year}")
    catalogue_years = {rel.catalogue_year for rel in chosen.values()}
    if len(catalogue_years) != 1:
        raise CombineError(f"udgivelserne bygger på forskellige kataloger ({sorted(catalogue_years)})")
    for indicator, pk in picks.items():
        if not Fact.objects.filter(release_id=pk, indicator=indicator).exists():
            raise CombineError(f"udgivelse {pk} har ingen tal for {indicator}")
    if framework_from is None:
        framework_from = next((pk for pk in picks.values()
                               if FrameworkValue.objects.filter(release_id=pk).exists()), None)
    elif framework_from not in chosen and not Release.objects.filter(pk=framework_from).exists():
        raise CombineError(f"udgivelse {framework_from} findes ikke")
    framework_release = Release.objects.filter(pk=framework_from).first() if framework_from else None
    parts = [{"indicator": ind, "release": pk, "release_name": chosen[pk].name,
              "kind": chosen[pk].kind,
              "fetched": (chosen[pk].fetched or chosen[pk].created).isoformat(timespec="seconds"),
              "facts_sha256": chosen[pk].facts_sha256}
             for ind, pk in sorted(picks.items())]
    now = datetime.now(UTC)
    periods = sorted({p for pk in set(picks.values()) for p in release_periods(chosen[pk])})
    manifest = {
        "format": 1, "kind": "mixed", "year": year, "catalogue_year": catalogue_years.pop(),
        "periods": periods, "indicators": sorted(picks),
        "source": {"type": "mixed", "synthetic": any(r.synthetic for r in chosen.values()),
                   "parts": parts, "framework_from": framework_from},
        "created": now.isoformat(timespec="seconds"),
        "framework_variables": (framework_release.manifest.get("framework_variables", [])
                                if framework_release else []),
    }
    digest = hashlib.sha256(json.dumps(parts, sort_keys=True).encode()).hexdigest()
    q = connection.ops.quote_name
    fact = q(Fact._meta.db_table)
    columns = ", ".join(q(c) for c in [*FACTS_COLUMNS, "source"])
    with transaction.atomic():
        release = Release.objects.create(
            name=name or f"Blandede kilder {year} ({now:%Y-%m-%d})", year=year,
            catalogue_year=manifest["catalogue_year"], kind="mixed",
            synthetic=manifest["source"]["synthetic"], source_folder="", manifest=manifest,
            facts_sha256=digest, row_count=0, created=now, fetched=now)
        with connection.cursor() as cursor:
            for indicator, pk in sorted(picks.items()):
                cursor.execute(f"INSERT INTO {fact} (release_id, {columns}) SELECT %s, {columns} "
                               f"FROM {fact} WHERE release_id = %s AND indicator = %s",
                               [release.pk, pk, indicator])
        if framework_release is not None:
            FrameworkValue.objects.bulk_create(
                [FrameworkValue(release=release, municipality_code=f.municipality_code, year=f.year,
                                variable=f.variable, value=f.value)
                 for f in FrameworkValue.objects.filter(release=framework_release)], batch_size=5000)
        release.row_count = Fact.objects.filter(release=release).count()
        release.previous = previous_vintage(release)
        release.save(update_fields=["row_count", "previous"])
        store_revisions(release)
        store_analysis(release)
        if activate:
            publish_release(release, actor=actor, user=user)
    return release
