"""Checking an OUT folder before it is stored: the manifest's shape, every fact row and the
framework conditions. Nothing here touches the database (no Django), so `jobmaal load` can
refuse a folder before it opens a transaction.

Every refusal is a `ReleaseLoadError` naming the file, the row (1-based, as in the Parquet
file) and the column.
"""

from __future__ import annotations

from datetime import datetime
from pathlib import Path

import pyarrow as pa
import pyarrow.compute as pc

from jobmaal.catalogue import CatalogueError, available_years, load_catalogue
from jobmaal.facts import CORE_COLUMNS, FACTS_SCHEMA, KEY_COLUMNS
from jobmaal.geography import AREA_LEVELS, load_geography
from jobmaal.indicators.engine import with_suppression_column
from jobmaal.indicators.measures import MEASURES
from jobmaal.indicators.output import FRAMEWORK_FILE
from jobmaal.indicators.suppression import PRIMARY, SECONDARY
from jobmaal.periods import Period, PeriodError
from jobmaal.sources.common import SOURCE_KINDS

NUMBERS = ["numerator", "denominator", "value"]
# measures whose value is a count (the numerator), not 100 × numerator / denominator
COUNT_MEASURES = frozenset(m.id for m in MEASURES if m.kind == "count")
COUNT_TOLERANCE = 1e-6
VALUE_TOLERANCE_PP = 0.15  # a shown value may differ this much from 100·num/den (rounding),
# as sources/files.py allows for published tables
FRAMEWORK_COLUMNS = {"municipality_code": pa.int64(), "year": pa.int64(),
                     "variable": pa.string(), "value": pa.float64()}
_MANIFEST_FIELDS = {"year": int, "catalogue_year": int, "source": dict, "created": str}


class ReleaseLoadError(ValueError):
    """A release folder that cannot be loaded; nothing was stored."""


def check_manifest(manifest: object, folder: Path) -> dict:
    """The manifest must be a JSON object whose fields a release is stored with are sound."""
    where = folder / "manifest.json"
    if not isinstance(manifest, dict):
        raise ReleaseLoadError(f"{where}: must be a JSON object, not a {type(manifest).__name__}")
    for field, kind in _MANIFEST_FIELDS.items():
        value = manifest.get(field)
        if not isinstance(value, kind) or isinstance(value, bool):
            raise ReleaseLoadError(f"{where}, field '{field}': missing or not a {kind.__name__}")
    years = available_years()
    for field in ("year", "catalogue_year"):
        if manifest[field] not in years:
            raise ReleaseLoadError(f"{where}, field '{field}': {manifest[field]} is not a year the "
                                   f"catalogue has ({', '.join(map(str, years))})")
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
    claimed = manifest.get("indicators")
    if claimed is not None and not (isinstance(claimed, list)
                                    and all(isinstance(i, str) for i in claimed)):
        raise ReleaseLoadError(f"{where}, field 'indicators': not a list of indicator codes")
    counts = manifest.get("row_counts")
    if counts is not None and not isinstance(counts, dict):
        raise ReleaseLoadError(f"{where}, field 'row_counts': not an object")
    return manifest


def claimed_indicators(manifest: dict) -> list[str]:
    """The indicators a manifest says the release holds (its list, or its row counts)."""
    if manifest.get("indicators") is not None:
        return list(manifest["indicators"])
    return sorted(k for k in (manifest.get("row_counts") or {}) if k != "total")


def _row(mask: pa.ChunkedArray | pa.Array) -> int:
    """The 1-based number of the first row where `mask` is true."""
    return pc.index(pc.fill_null(mask, False), True).as_py() + 1


def _refuse_where(mask, where: Path, column: str, message: str, table: pa.Table | None = None) -> None:
    if pc.any(pc.fill_null(mask, False)).as_py():
        row = _row(mask)
        shown = ""
        if table is not None:
            shown = f" ({table.column(column)[row - 1].as_py()!r})"
        raise ReleaseLoadError(f"{where}, row {row}, column '{column}': {message}{shown}")


def _cast_column(table: pa.Table, name: str, wanted: pa.DataType, where: Path) -> pa.Array:
    column = table.column(name)
    have = column.type
    fits = (have == wanted or pa.types.is_null(have)
            or (pa.types.is_floating(wanted) and (pa.types.is_integer(have) or pa.types.is_floating(have)))
            or (pa.types.is_integer(wanted) and pa.types.is_integer(have))
            or (pa.types.is_string(wanted) and pa.types.is_large_string(have))
            or (pa.types.is_string(wanted) and pa.types.is_dictionary(have)
                and (pa.types.is_string(have.value_type) or pa.types.is_large_string(have.value_type))))
    if not fits:
        raise ReleaseLoadError(f"{where}, column '{name}': stored as {have}, expected {wanted}")
    return column.cast(wanted)


def facts_in_schema(facts: pa.Table, folder: Path) -> pa.Table:
    """The facts with exactly the engine's columns in its types (integers widen to floats); facts
    written before the `suppression` column get it, every hidden row counting as primary."""
    where = folder / "facts.parquet"
    if facts.schema.names == [*FACTS_SCHEMA.names, "period_window"]:  # a bulk download's file
        facts = facts.drop_columns(["period_window"])
    if facts.schema.names == list(CORE_COLUMNS):
        suppressed = _cast_column(facts, "suppressed", pa.bool_(), where)
        facts = with_suppression_column(
            facts.set_column(facts.schema.get_field_index("suppressed"), "suppressed", suppressed))
    if facts.schema.names != FACTS_SCHEMA.names:
        raise ReleaseLoadError(f"{where}: columns {facts.schema.names}, expected {FACTS_SCHEMA.names}")
    columns = [_cast_column(facts, f.name, f.type, where) for f in FACTS_SCHEMA]
    table = pa.table(columns, names=FACTS_SCHEMA.names)
    for field in FACTS_SCHEMA:
        if not field.nullable:
            _refuse_where(pc.is_null(table.column(field.name)), where, field.name, "empty")
    return table.cast(FACTS_SCHEMA)


def check_facts(facts: pa.Table, manifest: dict, folder: Path) -> pa.Table:
    """Refuse a facts table the app could not serve correctly, naming the first bad row;
    returns the facts in the engine's schema."""
    where = folder / "facts.parquet"
    facts = facts_in_schema(facts, folder)
    if facts.num_rows == 0:
        raise ReleaseLoadError(f"{where}: holds no facts")
    try:
        catalogue = load_catalogue(manifest["catalogue_year"])
    except (CatalogueError, KeyError) as exc:
        raise ReleaseLoadError(f"{folder / 'manifest.json'}: {exc}") from None
    _check_known_values(facts, catalogue, where, int(manifest.get("year") or manifest["catalogue_year"]))
    _check_numbers(facts, {i.id for i in catalogue.indicators if i.unit == "pct"}, where)
    _check_counts(facts, COUNT_MEASURES, where)
    _check_duplicates(facts, where)
    _check_suppression_reasons(facts, where)
    present = set(pc.unique(facts.column("indicator")).to_pylist())
    for indicator in claimed_indicators(manifest):
        if indicator not in present:
            raise ReleaseLoadError(f"{folder / 'manifest.json'}, field 'indicators': claims "
                                   f"{indicator}, but {where} holds no fact of it")
    return facts


def _check_known_values(facts: pa.Table, catalogue, where: Path, year: int) -> None:
    known = {i.id for i in catalogue.indicators}
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
            raise ReleaseLoadError(f"{where}, row {_row(bad)}, column 'area_code': "
                                   f"unknown {level} area {code!r}")


def _check_numbers(facts: pa.Table, percentages: set[str], where: Path) -> None:
    """Finite, not negative; for percentages 0 ≤ numerator ≤ denominator and
    value = 100 × numerator / denominator within rounding; no value on a suppressed row."""
    for column in NUMBERS:
        values = facts.column(column)
        _refuse_where(pc.invert(pc.is_finite(values)), where, column,
                      "not a finite number", facts)
        _refuse_where(pc.less(values, 0), where, column, "negative", facts)
    num, den, value = (facts.column(c) for c in NUMBERS)
    pct = pc.is_in(facts.column("indicator"), value_set=pa.array(sorted(percentages), pa.string()))
    _refuse_where(pc.and_(pct, pc.greater(num, den)), where, "numerator",
                  "larger than the denominator", facts)
    _refuse_where(pc.and_(pct, pc.greater(value, 100)), where, "value",
                  "a share above 100 %", facts)
    _refuse_where(pc.and_(pct, pc.and_(pc.is_valid(value), pc.equal(den, 0))), where, "value",
                  "a share of a denominator of 0", facts)
    expected = pc.divide(pc.multiply(num, 100.0), den)
    off = pc.greater(pc.abs(pc.subtract(value, expected)), VALUE_TOLERANCE_PP)
    _refuse_where(pc.and_(pct, pc.and_(pc.greater(den, 0), off)), where, "value",
                  "differs from 100 × numerator / denominator", facts)
    suppressed = facts.column("suppressed")
    _refuse_where(pc.and_(suppressed, pc.is_valid(value)), where, "value",
                  "a suppressed row carries a value")
    for column in ("numerator", "denominator"):
        _refuse_where(pc.and_(suppressed, pc.is_valid(facts.column(column))), where, column,
                      "a suppressed row carries a number", facts)
    unshown = pc.and_(pc.and_(pct, pc.invert(suppressed)), pc.and_(pc.greater(den, 0), pc.is_null(value)))
    _refuse_where(unshown, where, "value", "no value, though the row is shown and has a denominator")


def _check_counts(facts: pa.Table, counts: set[str], where: Path) -> None:
    """A count-kind measure (people in the month) publishes its numerator as the value: a shown
    row's value is its numerator, which equals its denominator (one per person)."""
    count = pc.is_in(facts.column("indicator"), value_set=pa.array(sorted(counts), pa.string()))
    shown = pc.and_(count, pc.invert(facts.column("suppressed")))
    num, den, value = (facts.column(c) for c in NUMBERS)
    _refuse_where(pc.and_(shown, pc.is_null(value)), where, "value",
                  "no value, though the count is shown")
    _refuse_where(pc.and_(shown, pc.not_equal(num, den)), where, "denominator",
                  "differs from the numerator of a count", facts)
    _refuse_where(pc.and_(shown, pc.greater(pc.abs(pc.subtract(value, num)), COUNT_TOLERANCE)),
                  where, "value", "differs from the numerator of a count", facts)


def _check_suppression_reasons(facts: pa.Table, where: Path) -> None:
    """A hidden row says why (primary or secondary); a shown row gives no reason."""
    reason = facts.column("suppression")
    known = pc.is_in(reason, value_set=pa.array([PRIMARY, SECONDARY]))
    _refuse_where(pc.and_(pc.is_valid(reason), pc.invert(known)),
                  where, "suppression", f"neither '{PRIMARY}' nor '{SECONDARY}'")
    _refuse_where(pc.xor(facts.column("suppressed"), pc.is_valid(reason)), where, "suppression",
                  "a reason must be given exactly for the hidden rows")


def _check_duplicates(facts: pa.Table, where: Path) -> None:
    key_columns = list(KEY_COLUMNS)
    keyed = facts.select(key_columns).append_column("_row", pa.array(range(facts.num_rows), pa.int64()))
    groups = keyed.group_by(key_columns).aggregate([("_row", "count"), ("_row", "min")])
    twice = groups.filter(pc.greater(groups.column("_row_count"), 1))
    if twice.num_rows:
        rows = twice.column("_row_min").to_pylist()
        first = min(rows)
        key = twice.slice(rows.index(first), 1).select(key_columns).to_pylist()[0]
        raise ReleaseLoadError(f"{where}, row {first + 1}, columns {', '.join(KEY_COLUMNS)}: the same key "
                               f"appears more than once ({', '.join(map(str, key.values()))})")


def _is_period(code: str) -> bool:
    try:
        Period.parse(code)
    except PeriodError:
        return False
    return True


def check_framework(framework: pa.Table, folder: Path) -> pa.Table:
    """Framework conditions: the four columns, known municipalities, finite values, one value
    per municipality, year and variable; returns them in the stored types."""
    where = folder / FRAMEWORK_FILE
    missing = [c for c in FRAMEWORK_COLUMNS if c not in framework.schema.names]
    if missing:
        raise ReleaseLoadError(f"{where}: columns {framework.schema.names}, missing "
                               f"{', '.join(missing)} (expected {', '.join(FRAMEWORK_COLUMNS)})")
    table = pa.table([_cast_column(framework, c, t, where) for c, t in FRAMEWORK_COLUMNS.items()],
                     names=list(FRAMEWORK_COLUMNS))
    for column in FRAMEWORK_COLUMNS:
        _refuse_where(pc.is_null(table.column(column)), where, column, "empty")
    _refuse_where(pc.invert(pc.is_finite(table.column("value"))), where, "value",
                  "not a finite number", table)
    known = pa.array(sorted(m.code for m in load_geography().municipalities), pa.int64())
    _refuse_where(pc.invert(pc.is_in(table.column("municipality_code"), value_set=known)), where,
                  "municipality_code", "not a municipality", table)
    keys = ["municipality_code", "year", "variable"]
    keyed = table.select(keys).append_column("_row", pa.array(range(table.num_rows), pa.int64()))
    groups = keyed.group_by(keys).aggregate([("_row", "count"), ("_row", "min")])
    twice = groups.filter(pc.greater(groups.column("_row_count"), 1))
    if twice.num_rows:
        first = min(twice.column("_row_min").to_pylist())
        raise ReleaseLoadError(f"{where}, row {first + 1}, columns {', '.join(keys)}: the same "
                               "municipality, year and variable appear more than once")
    return table


