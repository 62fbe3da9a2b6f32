"""Loading an OUT folder (computed or imported) as a release, in short transactions.

A load checks the whole folder first (web/release_checks.py), then stores the release (facts,
framework conditions, revisions against the previous vintage of the same source and year, the
analysis) in chunks of LOAD_CHUNK_ROWS rows, each its own transaction, so that SQLite's single
write lock is held for one chunk at a time and a plan save made meanwhile waits for one chunk
instead of the whole load (and its busy timeout). Until the last, short transaction the release
is "loading": `Release.objects` never returns it, so nobody sees or publishes it. That
transaction makes it a complete draft, or publishes it when `activate=True` (through the same
checks as any publication). A load that fails removes what it stored, in chunks; one whose
process was killed is removed by the next load, `serve` or `jobmaal cleanup-uploads`
(`remove_abandoned_loads`). Called inside an outer transaction, the chunks are savepoints of it.
"""

from __future__ import annotations

import json
import os
import socket
import time
from collections.abc import Callable, Iterable, Iterator
from datetime import datetime, timedelta
from itertools import islice
from pathlib import Path

import pyarrow as pa
import pyarrow.parquet as pq
from django.conf import settings
from django.db import connection, transaction
from django.utils import timezone

from jobmaal.facts import FACTS_SCHEMA
from jobmaal.indicators.output import FACTS_FILE, FRAMEWORK_FILE, MANIFEST_FILE, sha256_file
from jobmaal.sources.common import SOURCE_NAMES_DA
from jobmaal.web.analysis_store import analysis_rows
from jobmaal.web.models import ExpectedLevel, Fact, FrameworkValue, PeerLink, Release, Revision
from jobmaal.web.publishing import publish_release
from jobmaal.web.release_checks import (  # noqa: F401  (check_* and the error are used by callers)
    ReleaseLoadError,
    check_facts,
    check_framework,
    check_manifest,
)
from jobmaal.web.vintages import previous_vintage, store_revisions

_BATCH = 5000
DEFAULT_CHUNK_ROWS = 20_000
DEFAULT_STALE_MINUTES = 30.0
# Between chunks a SQLite load sleeps a little longer than SQLite's busy handler waits between
# two tries (100 ms at most), so a writer waiting for the lock gets it before the next chunk.
_SQLITE_YIELD_SECONDS = 0.11
# Tables holding a release's rows, emptied before the release row itself.
_RELEASE_TABLES = (Fact, FrameworkValue, Revision, ExpectedLevel, PeerLink)

Progress = Callable[[str, int, int], None]  # (step, rows stored, rows of the step)


def load_release(folder: str | Path, *, name: str | None = None, activate: bool = False,
                 actor: str = "system", user=None, chunk_rows: int | None = None,
                 progress: Progress | None = None) -> Release:
    """Store an OUT folder (facts.parquet, manifest.json, framework.parquet) as a draft release;
    `activate=True` also publishes it (refused like any publication, and then nothing is stored).
    `progress(step, done, total)` is called after each stored chunk."""
    folder = Path(folder)
    facts, manifest, framework = read_checked(folder)
    chunk = chunk_rows or int(getattr(settings, "LOAD_CHUNK_ROWS", DEFAULT_CHUNK_ROWS))
    remove_abandoned_loads()
    release = _begin_load(folder, manifest, facts.num_rows, name)
    try:
        _store_contents(release, facts, framework, chunk, progress or _no_progress)
        _finish_load(release, activate=activate, actor=actor, user=user)
    except BaseException:
        discard_load(release.pk, chunk)
        raise
    return release


def _no_progress(step: str, done: int, total: int) -> None:
    return None


def _begin_load(folder: Path, manifest: dict, row_count: int, name: str | None) -> Release:
    """The release row, "loading" (seen by nobody), in its own short transaction."""
    with transaction.atomic():
        release = Release.all_objects.create(
            name=name or _default_name(manifest),
            year=manifest["year"],
            catalogue_year=manifest["catalogue_year"],
            kind=manifest.get("kind", "computed"),
            synthetic=bool(manifest["source"].get("synthetic")),
            source_folder=str(folder.resolve()),
            manifest=manifest,
            facts_sha256=manifest["facts_sha256"],
            row_count=row_count,
            created=datetime.fromisoformat(manifest["created"]),
            fetched=datetime.fromisoformat(manifest["fetched"]) if manifest.get("fetched") else None,
            loading=True, loading_owner=load_owner(), loading_seen=timezone.now(),
        )
        release.previous = previous_vintage(release)
        release.save(update_fields=["previous"])
    return release


def _store_contents(release: Release, facts: pa.Table, framework: pa.Table | None, chunk: int,
                    progress: Progress) -> None:
    columns = FACTS_SCHEMA.names
    kind = release.kind
    _store_chunked(release, "facts", Fact, ["release_id", *columns, "source"],
                   ([release.pk, *row, kind] for row in _rows(facts, columns)),
                   facts.num_rows, chunk, progress)
    if framework is not None:
        columns = ["municipality_code", "year", "variable", "value"]
        _store_chunked(release, "framework", FrameworkValue, ["release_id", *columns],
                       ([release.pk, *row] for row in _rows(framework, columns)),
                       framework.num_rows, chunk, progress)
    _store_revisions(release, facts, progress)
    expected, links = analysis_rows(release)  # fitting the models holds no lock
    for step, rows in (("expected", expected), ("peers", links)):
        for done, part in _chunks(rows, chunk):
            with transaction.atomic():
                type(part[0]).objects.bulk_create(part, batch_size=2000)
                _heartbeat(release)
            _between_chunks(progress, step, done, len(rows))


def _store_chunked(release: Release, step: str, model, columns: list[str], rows: Iterable,
                   total: int, chunk: int, progress: Progress) -> None:
    for done, part in _chunks(rows, chunk):
        with transaction.atomic():
            _insert_rows(model, columns, part)
            _heartbeat(release)
        _between_chunks(progress, step, done, total)


def _store_revisions(release: Release, facts: pa.Table, progress: Progress) -> None:
    """Revisions against the previous vintage, one indicator per transaction."""
    if release.previous is None:
        return
    previous = set(Fact.objects.filter(release=release.previous)
                   .values_list("indicator", flat=True).distinct())
    indicators = sorted(set(facts.column("indicator").unique().to_pylist()) | previous)
    for done, indicator in enumerate(indicators, start=1):
        with transaction.atomic():
            store_revisions(release, [indicator])
            _heartbeat(release)
        _between_chunks(progress, "revisions", done, len(indicators))


def _chunks(rows: Iterable, size: int) -> Iterator[tuple[int, list]]:
    """(rows so far, chunk) for each chunk of `size` rows."""
    rows, done = iter(rows), 0
    while part := list(islice(rows, size)):
        done += len(part)
        yield done, part


def _heartbeat(release: Release) -> None:
    Release.all_objects.filter(pk=release.pk).update(loading_seen=timezone.now())


def _between_chunks(progress: Progress, step: str, done: int, total: int) -> None:
    progress(step, done, total)
    if connection.vendor == "sqlite" and not connection.in_atomic_block:
        time.sleep(_SQLITE_YIELD_SECONDS)


def _finish_load(release: Release, *, activate: bool, actor: str, user) -> None:
    """The last short transaction: the release becomes a complete draft, or is published."""
    with transaction.atomic():
        finished = Release.all_objects.filter(pk=release.pk, loading=True).update(
            loading=False, loading_owner="", loading_seen=None)
        if finished != 1:
            raise ReleaseLoadError(f"indlæsningen af udgivelse {release.pk} blev fjernet undervejs "
                                   "som opgivet (se JOBMAAL_LOAD_STALE_MINUTES); indlæs igen")
        release.loading = False
        release.loading_owner, release.loading_seen = "", None
        if activate:
            publish_release(release, actor=actor, user=user)


def load_owner() -> str:
    """This process as host:pid, to tell a load in progress from one whose process was killed."""
    return f"{socket.gethostname()}:{os.getpid()}"


def discard_load(release_pk: int, chunk: int | None = None) -> None:
    """Remove a loading release and its rows, a chunk per transaction. Best effort: what a
    failure (e.g. a full disk) leaves stays invisible and goes with `remove_abandoned_loads`."""
    size = chunk or int(getattr(settings, "LOAD_CHUNK_ROWS", DEFAULT_CHUNK_ROWS))
    q = connection.ops.quote_name
    try:
        for model in _RELEASE_TABLES:
            table = q(model._meta.db_table)
            sql = (f"DELETE FROM {table} WHERE id IN "
                   f"(SELECT id FROM {table} WHERE release_id = %s LIMIT %s)")
            while True:
                with transaction.atomic(), connection.cursor() as cursor:
                    cursor.execute(sql, [release_pk, size])
                    if cursor.rowcount < size:
                        break
        with transaction.atomic():
            Release.all_objects.filter(pk=release_pk, loading=True).delete()
    except Exception:  # noqa: BLE001, S110 — the loading row keeps it hidden until cleaned up
        pass


def remove_abandoned_loads(*, now: datetime | None = None) -> int:
    """Remove loads whose process is gone (same host) or that stored nothing for
    LOAD_STALE_MINUTES; returns how many."""
    minutes = float(getattr(settings, "LOAD_STALE_MINUTES", DEFAULT_STALE_MINUTES))
    limit = (now or timezone.now()) - timedelta(minutes=minutes)
    removed = 0
    for release in Release.all_objects.filter(loading=True):
        if not _process_alive(release.loading_owner) or (
                release.loading_seen is None or release.loading_seen < limit):
            discard_load(release.pk)
            removed += 1
    return removed


def _process_alive(owner: str) -> bool:
    """False only when `owner` is a process of this host that no longer runs."""
    host, _, pid = owner.rpartition(":")
    if host != socket.gethostname() or not pid.isdigit():
        return True  # another machine's process: only its silence tells
    try:
        os.kill(int(pid), 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


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
