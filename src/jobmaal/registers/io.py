"""Writing register tables in the contract's exact Parquet schema."""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from pathlib import Path

import pyarrow as pa
import pyarrow.parquet as pq

from jobmaal.registers.contract import ARROW_TYPES, TABLES, table_path


def arrow_schema(table: str) -> pa.Schema:
    """The Arrow schema of a contract table."""
    spec = TABLES[table]
    return pa.schema(
        [pa.field(c.name, pa.type_for_alias(ARROW_TYPES[c.type]), c.nullable) for c in spec.columns]
    )


def to_arrow(table: str, columns: Mapping[str, Sequence | object]) -> pa.Table:
    """Cast column data (lists or numpy arrays) to the contract schema of `table`."""
    schema = arrow_schema(table)
    arrays = [pa.array(columns[f.name], type=f.type) for f in schema]
    return pa.Table.from_arrays(arrays, schema=schema)


def write_table(folder: str | Path, table: str, columns: Mapping[str, Sequence | object]) -> Path:
    """Write one whole table; empty lists give an empty table with the right schema."""
    path = table_path(folder, table)
    path.parent.mkdir(parents=True, exist_ok=True)
    pq.write_table(to_arrow(table, columns), path)
    return path


class TableWriter:
    """Streams a large table to Parquet chunk by chunk (one row group per chunk)."""

    def __init__(self, folder: str | Path, table: str):
        self.table = table
        self.path = table_path(folder, table)
        self.path.parent.mkdir(parents=True, exist_ok=True)
        self._writer = pq.ParquetWriter(self.path, arrow_schema(table), compression="zstd")
        self.rows = 0

    def write(self, columns: Mapping[str, Sequence | object]) -> None:
        chunk = to_arrow(self.table, columns)
        if chunk.num_rows:
            self._writer.write_table(chunk)
            self.rows += chunk.num_rows

    def close(self) -> None:
        self._writer.close()

    def __enter__(self) -> TableWriter:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


def write_empty_tables(folder: str | Path, tables: Iterable[str]) -> None:
    """Write the given tables with no rows (for hand-made test registers)."""
    for name in tables:
        write_table(folder, name, {c.name: [] for c in TABLES[name].columns})
