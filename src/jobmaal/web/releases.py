"""Loading an OUT folder (computed or imported) as a release, in one transaction.

A load either stores the whole release (facts, framework conditions, revisions against the
previous vintage of the same source and year) and makes it the active one of its year, or
stores nothing: the release served before keeps being served.
"""

from __future__ import annotations

from datetime import datetime
from pathlib import Path

import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.parquet as pq
from django.db import connection, transaction

from jobmaal.catalogue import CatalogueError, load_catalogue
from jobmaal.geography import AREA_LEVELS, load_geography
from jobmaal.indicators.engine import FACTS_SCHEMA
from jobmaal.indicators.output import FRAMEWORK_FILE, read_release
from jobmaal.periods import Period, PeriodError
from jobmaal.sources.common import SOURCE_KINDS, SOURCE_NAMES_DA
from jobmaal.web.analysis_store import store_analysis
from jobmaal.web.followup.fill import fill_from_release
from jobmaal.web.models import Fact, FrameworkValue, Release
from jobmaal.web.vintages import previous_vintage, store_revisions

_BATCH = 5000


class ReleaseLoadError(ValueError):
    """A release folder that cannot be loaded; nothing was stored."""


def load_release(folder: str | Path, *, name: str | None = None, activate: bool = True) -> Release:
    """Store an OUT folder (facts.parquet, manifest.json, framework.parquet) as a release."""
    folder = Path(folder)
    try:
        facts, manifest = read_release(folder)
    except (OSError, ValueError, KeyError) as exc:
        raise ReleaseLoadError(f"{folder}: {exc}") from None
    check_manifest(manifest, folder)
    check_facts(facts, manifest, folder)
    framework = _framework(folder)
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
            activate_release(release)
    return release


def activate_release(release: Release) -> None:
    with transaction.atomic():
        Release.objects.filter(year=release.year, is_active=True).exclude(pk=release.pk).update(
            is_active=False)
        Release.objects.filter(pk=release.pk).update(is_active=True)
        release.is_active = True
        # Plans' goal-4 series take their values from the active release.
        fill_from_release(release)


_MANIFEST_FIELDS = {"year": int, "catalogue_year": int, "source": dict, "created": str}


def check_manifest(manifest: dict, folder: Path) -> None:
    """The manifest fields a release is stored with must be there and of the right kind."""
    where = folder / "manifest.json"
    for field, kind in _MANIFEST_FIELDS.items():
        if not isinstance(manifest.get(field), kind):
            raise ReleaseLoadError(f"{where}, field '{field}': missing or not a {kind.__name__}")
    for field in ("created", "fetched"):
        if field == "fetched" and manifest.get(field) is None:
            continue
        try:
            datetime.fromisoformat(manifest[field])
        except (TypeError, ValueError):
            raise ReleaseLoadError(f"{where}, field '{field}': not an ISO time: "
                                   f"{manifest[field]!r}") from None
    if manifest.get("kind", "computed") not in SOURCE_KINDS or manifest.get("kind") == "mixed":
        raise ReleaseLoadError(f"{where}, field 'kind': {manifest.get('kind')!r} is not one of "
                               f"{', '.join(k for k in SOURCE_KINDS if k != 'mixed')}")


def check_facts(facts: pa.Table, manifest: dict, folder: Path) -> None:
    """Refuse a facts table the app could not serve correctly, naming the first bad row."""
    where = folder / "facts.parquet"
    if facts.schema.names != FACTS_SCHEMA.names:
        raise ReleaseLoadError(f"{where}: columns {facts.schema.names}, expected {FACTS_SCHEMA.names}")
    try:
        catalogue = load_catalogue(manifest["catalogue_year"])
    except (CatalogueError, KeyError) as exc:
        raise ReleaseLoadError(f"{folder / 'manifest.json'}: {exc}") from None
    known = {i.id for i in catalogue.indicators}
    year = int(manifest.get("year") or manifest["catalogue_year"])
    # the areas of each year the release covers (job centres and RAR areas change)
    codes = {level: {a.code for y in (year - 1, year) for a in load_geography(y).areas(level)}
             for level in AREA_LEVELS}
    for column, ok in (
        ("indicator", lambda v: v in known),
        ("area_level", lambda v: v in codes),
        ("period", _is_period),
    ):
        for value in pc.unique(facts.column(column)).to_pylist():
            if not ok(value):
                row = pc.index(facts.column(column), value).as_py() + 1
                raise ReleaseLoadError(f"{where}, row {row}, column '{column}': unknown value {value!r}")
    pairs = facts.select(["area_level", "area_code"]).group_by(["area_level", "area_code"]).aggregate([])
    for level, code in zip(pairs.column(0).to_pylist(), pairs.column(1).to_pylist(), strict=True):
        if code not in codes[level]:
            bad = pc.and_(pc.equal(facts.column("area_level"), level),
                          pc.equal(facts.column("area_code"), code))
            row = pc.index(bad, True).as_py() + 1
            raise ReleaseLoadError(f"{where}, row {row}, column 'area_code': unknown {level} area {code!r}")
    shown = pc.and_(facts.column("suppressed"), pc.is_valid(facts.column("value")))
    if pc.any(shown).as_py():
        row = pc.index(shown, True).as_py() + 1
        raise ReleaseLoadError(f"{where}, row {row}, column 'value': a suppressed row carries a value")


def _is_period(code: str) -> bool:
    try:
        Period.parse(code)
    except PeriodError:
        return False
    return True


def _framework(folder: Path) -> pa.Table | None:
    path = folder / FRAMEWORK_FILE
    return pq.read_table(path) if path.is_file() else None


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
