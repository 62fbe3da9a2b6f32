"""Loading an OUT folder (computed or imported) as a release, in one transaction.

A load checks the whole folder first (web/release_checks.py), then either stores the whole
release (facts, framework conditions, revisions against the previous vintage of the same source
and year) as a draft, or stores nothing. Only publishing (web/publishing.py) changes what the
public sees; `activate=True` publishes in the same transaction, through the same checks.
"""

from __future__ import annotations

import json
from datetime import datetime
from pathlib import Path

import pyarrow as pa
import pyarrow.parquet as pq
from django.db import connection, transaction

from jobmaal.indicators.engine import FACTS_SCHEMA
from jobmaal.indicators.output import FACTS_FILE, FRAMEWORK_FILE, MANIFEST_FILE, sha256_file
from jobmaal.sources.common import SOURCE_NAMES_DA
from jobmaal.web.analysis_store import store_analysis
from jobmaal.web.models import Fact, FrameworkValue, Release
from jobmaal.web.publishing import publish_release
from jobmaal.web.release_checks import (  # noqa: F401  (check_* and the error are used by callers)
    ReleaseLoadError,
    check_facts,
    check_framework,
    check_manifest,
)
from jobmaal.web.vintages import previous_vintage, store_revisions

_BATCH = 5000


def load_release(folder: str | Path, *, name: str | None = None, activate: bool = False,
                 actor: str = "system", user=None) -> Release:
    """Store an OUT folder (facts.parquet, manifest.json, framework.parquet) as a draft release;
    `activate=True` also publishes it (refused like any publication, and then nothing is stored)."""
    folder = Path(folder)
    facts, manifest, framework = read_checked(folder)
    kind = manifest.get("kind", "computed")
    with transaction.atomic():
        release = Release.objects.create(
            name=name or _default_name(manifest),
            year=manifest["year"],
            catalogue_year=manifest["catalogue_year"],
            kind=kind,
            synthetic=bool(manifest["source"].get("synthetic")),
            source_folder=str(folder.resolve()),
            manifest=manifest,
            facts_sha256=manifest["facts_sha256"],
            row_count=facts.num_rows,
            created=datetime.fromisoformat(manifest["created"]),
            fetched=datetime.fromisoformat(manifest["fetched"]) if manifest.get("fetched") else None,
        )
        release.previous = previous_vintage(release)
        release.save(update_fields=["previous"])
        _insert_facts(release, facts, kind)
        _insert_framework(release, framework)
        store_revisions(release)
        store_analysis(release)
        if activate:
            publish_release(release, actor=actor, user=user)
    return release


def read_checked(folder: Path) -> tuple[pa.Table, dict, pa.Table | None]:
    """The facts, manifest and framework of an OUT folder, every row checked."""
    if not folder.is_dir():
        raise ReleaseLoadError(f"{folder}: no such folder")
    manifest_path = folder / MANIFEST_FILE
    try:
        manifest = json.loads(manifest_path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise ReleaseLoadError(f"{manifest_path}: cannot be read as JSON: {exc}") from None
    check_manifest(manifest, folder)
    facts_path = folder / FACTS_FILE
    try:
        if sha256_file(facts_path) != manifest.get("facts_sha256"):
            raise ReleaseLoadError(f"{facts_path} does not match its manifest checksum")
        facts = pq.read_table(facts_path)
    except (OSError, pa.ArrowException) as exc:
        raise ReleaseLoadError(f"{facts_path}: cannot be read: {exc}") from None
    facts = check_facts(facts, manifest, folder)
    framework = None
    if (folder / FRAMEWORK_FILE).is_file():
        try:
            framework = pq.read_table(folder / FRAMEWORK_FILE)
        except (OSError, pa.ArrowException) as exc:
            raise ReleaseLoadError(f"{folder / FRAMEWORK_FILE}: cannot be read: {exc}") from None
        framework = check_framework(framework, folder)
    return facts, manifest, framework


def activate_release(release: Release, *, actor: str = "system", user=None) -> None:
    """Publish `release` (kept for callers of the earlier name; see web/publishing.py)."""
    publish_release(release, actor=actor, user=user)


def _default_name(manifest: dict) -> str:
    source = manifest["source"]
    if source.get("synthetic"):
        scale = str(source["scale"]).replace(".", ",")
        return f"Syntetiske data {manifest['year']} (seed {source['seed']}, skala {scale})"
    kind = manifest.get("kind", "computed")
    if kind == "computed":
        return f"Beregnet {manifest['year']} ({manifest['created'][:10]})"
    when = (manifest.get("fetched") or manifest["created"])[:10]
    return f"{SOURCE_NAMES_DA.get(kind, kind)} {manifest['year']} (hentet {when})"


def _insert_facts(release: Release, facts: pa.Table, source: str) -> None:
    columns = FACTS_SCHEMA.names
    _insert_rows(Fact, ["release_id", *columns, "source"], (
        [release.pk, *row, source] for row in _rows(facts, columns)))


def _insert_framework(release: Release, framework: pa.Table | None) -> None:
    if framework is None:
        return
    columns = ["municipality_code", "year", "variable", "value"]
    _insert_rows(FrameworkValue, ["release_id", *columns], (
        [release.pk, *row] for row in _rows(framework, columns)))


def _rows(table: pa.Table, columns: list[str]):
    for batch in table.select(columns).to_batches(_BATCH):
        yield from zip(*(batch.column(c).to_pylist() for c in columns), strict=True)


def _insert_rows(model, columns: list[str], rows) -> None:
    """COPY on PostgreSQL, plain executemany elsewhere: both far faster than bulk_create."""
    table = connection.ops.quote_name(model._meta.db_table)
    names = ", ".join(connection.ops.quote_name(c) for c in columns)
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor, cursor.cursor.copy(
                f"COPY {table} ({names}) FROM STDIN") as copy:
            for row in rows:
                copy.write_row(row)
        return
    marks = ", ".join(["%s"] * len(columns))
    sql = f"INSERT INTO {table} ({names}) VALUES ({marks})"
    batch: list = []
    with connection.cursor() as cursor:
        for row in rows:
            batch.append(row)
            if len(batch) >= _BATCH:
                cursor.executemany(sql, batch)
                batch.clear()
        if batch:
            cursor.executemany(sql, batch)
