"""Checking a register folder against the contract before anything reads it.

Every check runs as one SQL pass per table in DuckDB; when a check fails, one example row is
fetched so the error can name file, row, column and value.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import duckdb

from jobmaal.geography import load_geography
from jobmaal.registers.contract import (
    DATE_WINDOW,
    OPEN_END,
    OPEN_ENDED,
    TABLES,
    Column,
    DateWindow,
    Table,
    table_path,
)

# DuckDB types accepted for each contract type (Parquet writers differ in integer widths).
_COMPATIBLE = {
    "BIGINT": {"BIGINT", "INTEGER", "SMALLINT", "TINYINT", "UBIGINT", "UINTEGER", "USMALLINT",
               "UTINYINT", "HUGEINT"},
    "DOUBLE": {"DOUBLE", "FLOAT", "BIGINT", "INTEGER", "SMALLINT", "TINYINT", "UBIGINT",
               "UINTEGER", "USMALLINT", "UTINYINT", "HUGEINT"},
    "DATE": {"DATE"},
    "VARCHAR": {"VARCHAR"},
}


class RegisterContractError(ValueError):
    """A register folder breaks the contract. Carries what the user must fix."""

    def __init__(self, table: str, column: str | None, problem: str,
                 example: dict | None = None, row: int | None = None, path: Path | None = None):
        self.table, self.column, self.problem = table, column, problem
        self.example, self.row, self.path = example, row, path
        where = f"{path or table + '.parquet'}"
        if row is not None:
            where += f", row {row}"
        if column:
            where += f", column '{column}'"
        text = f"{where}: {problem}"
        if example:
            text += " (example row: " + ", ".join(f"{k}={v}" for k, v in example.items()) + ")"
        super().__init__(text)


@dataclass(frozen=True)
class _Check:
    column: str | None
    problem: str
    violation: str  # SQL condition true for a bad row


def validate_registers(folder: str | Path, window: DateWindow = DATE_WINDOW) -> None:
    """Raise RegisterContractError on the first breach of the contract; return quietly if none."""
    folder = Path(folder)
    if not folder.is_dir():
        raise RegisterContractError("*", None, f"register folder {folder} does not exist")
    con = duckdb.connect()
    try:
        for table in TABLES.values():
            _check_table(con, folder, table, window)
        _check_cross_table(con, folder)
    finally:
        con.close()


def check_required_rows(folder: str | Path) -> None:
    """Refuse a folder whose required tables (contract `required`) hold no rows: the figures
    computed from it would be empty or wrong, not merely small."""
    folder = Path(folder)
    con = duckdb.connect()
    try:
        counts = {t.name: con.execute(f"SELECT COUNT(*) FROM {_source(folder, t.name)}").fetchall()[0][0]
                  for t in TABLES.values()}
    finally:
        con.close()
    if not any(counts.values()):
        raise RegisterContractError("*", None, f"every table in {folder} is empty")
    for table in TABLES.values():
        if table.required and not counts[table.name]:
            raise RegisterContractError(table.name, None, "table is empty (it must have rows)",
                                        path=table_path(folder, table.name))


def data_end(folder: str | Path):
    """The latest month in benefits and employment (the engine's "latest month of data")."""
    con = duckdb.connect()
    try:
        return con.execute(
            f"SELECT MAX(month) FROM (SELECT month FROM {_source(Path(folder), 'benefits')} "
            f"UNION ALL SELECT month FROM {_source(Path(folder), 'employment')})").fetchall()[0][0]
    finally:
        con.close()


def _source(folder: Path, table: str) -> str:
    path = table_path(folder, table).as_posix().replace("'", "''")
    return f"read_parquet('{path}', file_row_number = true)"


def _check_table(con: duckdb.DuckDBPyConnection, folder: Path, table: Table,
                 window: DateWindow = DATE_WINDOW) -> None:
    path = table_path(folder, table.name)
    if not path.is_file():
        raise RegisterContractError(table.name, None, "table is missing", path=path)
    try:
        described = con.execute(f"DESCRIBE SELECT * FROM {_source(folder, table.name)}").fetchall()
    except duckdb.Error as exc:
        raise RegisterContractError(table.name, None, f"not a readable Parquet file: {exc}",
                                    path=path) from None
    types = {name: kind for name, kind, *_ in described}
    for column in table.columns:
        if column.name not in types:
            raise RegisterContractError(table.name, column.name, "column is missing", path=path)
        if types[column.name] not in _COMPATIBLE[column.type]:
            raise RegisterContractError(
                table.name, column.name,
                f"wrong type {types[column.name]}, expected {column.type}", path=path)
    _run_checks(con, folder, table, _row_checks(table, window))
    if table.key:
        _check_key(con, folder, table)


def _row_checks(table: Table, window: DateWindow = DATE_WINDOW) -> list[_Check]:
    checks: list[_Check] = []
    municipalities = ", ".join(str(c) for c in load_geography().municipality_codes)
    for c in table.columns:
        checks += _column_checks(c, municipalities)
        checks += _plausible(table, c, window)
    checks += _TABLE_RULES.get(table.name, [])
    return checks


def _plausible(table: Table, c: Column, window: DateWindow) -> list[_Check]:
    """Finite numbers; dates and years inside the window (NaN would pass `< minimum`)."""
    first, last = window.earliest, window.latest
    span = f"{first.isoformat()} to {last.isoformat()}"
    if c.type == "DOUBLE":
        return [_Check(c.name, "not a finite number (NaN or Infinity)",
                       f"NOT isfinite(CAST({c.name} AS DOUBLE))")]
    if c.type == "DATE":
        late = f"{c.name} > DATE '{last.isoformat()}'"
        if (table.name, c.name) in OPEN_ENDED:
            late += f" AND {c.name} <> DATE '{OPEN_END.isoformat()}'"
        return [_Check(c.name, f"date outside the plausible window {span}",
                       f"{c.name} < DATE '{first.isoformat()}' OR ({late})")]
    if c.name == "year":
        return [_Check(c.name, f"year outside the plausible window {first.year}–{last.year}",
                       f"{c.name} < {first.year} OR {c.name} > {last.year}")]
    if c.name == "half_year":
        year = "TRY_CAST(substr(half_year, 1, 4) AS BIGINT)"
        return [_Check(c.name, f"year outside the plausible window {first.year}–{last.year}",
                       f"{year} < {first.year} OR {year} > {last.year}")]
    return []


def _column_checks(c: Column, municipalities: str) -> list[_Check]:
    checks = []
    if not c.nullable:
        checks.append(_Check(c.name, "missing value", f"{c.name} IS NULL"))
    if c.codes:
        allowed = ", ".join(f"'{v}'" for v in c.codes)
        checks.append(_Check(c.name, f"unknown code (allowed: {', '.join(c.codes)})",
                             f"{c.name} NOT IN ({allowed})"))
    if c.municipality:
        checks.append(_Check(c.name, "unknown municipality code",
                             f"{c.name} NOT IN ({municipalities})"))
    if c.minimum is not None:
        checks.append(_Check(c.name, f"value below {c.minimum:g}", f"{c.name} < {c.minimum}"))
    if c.maximum is not None:
        checks.append(_Check(c.name, f"value above {c.maximum:g}", f"{c.name} > {c.maximum}"))
    if c.name == "month":
        checks.append(_Check(c.name, "month must be the first day of a month",
                             "EXTRACT(DAY FROM month) <> 1"))
    return checks


def _jobcentres() -> str:
    codes = sorted({m.jobcentre_code for m in load_geography().municipalities})
    return ", ".join(str(c) for c in codes)


def _rars() -> str:
    return ", ".join(f"'{r}'" for r in sorted({m.rar for m in load_geography().municipalities}))


_TABLE_RULES: dict[str, list[_Check]] = {
    "residence": [
        _Check("valid_to", "spell ends before it starts", "valid_to < valid_from"),
        _Check("valid_from", "overlapping residence spells of one person",
               "valid_from <= LAG(COALESCE(valid_to, DATE '9999-12-31')) "
               "OVER (PARTITION BY person_id ORDER BY valid_from, file_row_number)"),
    ],
    "education": [_Check("end_date", "course ends before it starts", "end_date < start_date")],
    "persons": [
        _Check("residence_basis_date", "residence_basis_date without residence_basis",
               "residence_basis IS NULL AND residence_basis_date IS NOT NULL"),
    ],
    "recruitment": [
        _Check("failed", "more failed recruitments than attempts", "failed > attempts"),
        _Check("half_year", "not a half-year code like 2023H1",
               "NOT regexp_matches(half_year, '^[0-9]{4}H[12]$')"),
        _Check("rar", "unknown RAR area", f"rar NOT IN ({_rars()})"),
    ],
    "collaborations": [
        _Check("jobcentre_code", "unknown job centre code",
               f"jobcentre_code NOT IN ({_jobcentres()})"),
    ],
}


def _run_checks(con: duckdb.DuckDBPyConnection, folder: Path, table: Table,
                checks: list[_Check]) -> None:
    if not checks:
        return
    # Window functions cannot sit inside aggregates, so flag rows in a subquery first.
    flags = ",\n".join(f"({c.violation}) AS bad_{i}" for i, c in enumerate(checks))
    counts = ", ".join(f"COUNT(*) FILTER (WHERE bad_{i})" for i in range(len(checks)))
    flagged = f"SELECT *, {flags} FROM {_source(folder, table.name)}"
    found = con.execute(f"SELECT {counts} FROM ({flagged})").fetchall()[0]
    for i, (check, bad) in enumerate(zip(checks, found, strict=True)):
        if bad:
            _raise_example(con, folder, table, check, flagged, i, bad)


def _raise_example(con, folder: Path, table: Table, check: _Check, flagged: str, i: int,
                   bad: int) -> None:
    names = [c.name for c in table.columns]
    cur = con.execute(
        f"SELECT file_row_number, {', '.join(names)} FROM ({flagged}) "
        f"WHERE bad_{i} ORDER BY file_row_number LIMIT 1")
    row = cur.fetchall()[0]
    example = dict(zip(names, row[1:], strict=True))
    problem = check.problem + (f" in {bad} rows" if bad > 1 else "")
    raise RegisterContractError(table.name, check.column, problem, example=example,
                                row=int(row[0]) + 1, path=table_path(folder, table.name))


def _check_key(con: duckdb.DuckDBPyConnection, folder: Path, table: Table) -> None:
    """Rows must be unique on the table's key (a hash aggregate, cheaper than a window)."""
    key = ", ".join(table.key)
    dupes = con.execute(
        f"SELECT {key} FROM {_source(folder, table.name)} GROUP BY {key} HAVING COUNT(*) > 1 LIMIT 1"
    ).fetchall()
    if not dupes:
        return
    match = " AND ".join(f"{c} IS NOT DISTINCT FROM ?" for c in table.key)
    names = [c.name for c in table.columns]
    row = con.execute(
        f"SELECT file_row_number, {', '.join(names)} FROM {_source(folder, table.name)} "
        f"WHERE {match} ORDER BY file_row_number LIMIT 1 OFFSET 1", list(dupes[0])).fetchall()[0]
    raise RegisterContractError(
        table.name, table.key[0] if len(table.key) == 1 else None, f"duplicate key ({key})",
        example=dict(zip(names, row[1:], strict=True)), row=int(row[0]) + 1,
        path=table_path(folder, table.name))


def _check_cross_table(con: duckdb.DuckDBPyConnection, folder: Path) -> None:
    """Every person referred to must exist in persons."""
    persons = _source(folder, "persons")
    for name in ("residence", "benefits", "education", "employment"):
        cur = con.execute(
            f"SELECT t.file_row_number, t.person_id FROM {_source(folder, name)} t "
            f"ANTI JOIN (SELECT person_id FROM {persons}) p ON t.person_id = p.person_id "
            "ORDER BY t.file_row_number LIMIT 1")
        missing = cur.fetchall()
        if missing:
            raise RegisterContractError(
                name, "person_id", "person not found in persons",
                example={"person_id": missing[0][1]}, row=int(missing[0][0]) + 1,
                path=table_path(folder, name))
