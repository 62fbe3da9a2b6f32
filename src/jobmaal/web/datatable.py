"""A table as shown on a page and as downloaded: the same rows either way.

Pages build DataTable objects and render them with templates/web/_table.html; the download
view builds the same table from the same parameters and writes it as CSV, Excel or JSON, so a
download always holds what the page showed, suppression included.
"""

from __future__ import annotations

import json
import math
from dataclasses import dataclass, field
from urllib.parse import urlencode

from openpyxl import Workbook
from openpyxl.styles import Font

from jobmaal import formats
from jobmaal.filetext import append_row, csv_bytes, workbook_bytes

# Column kinds: how a value is shown on the page (downloads keep the raw value).
# "round": a survey round's half-year code, shown as its posting window ("dec. 2021–maj 2022").
# ?form=standard on a CSV download: comma-separated with a decimal point, for programs.
PLAIN_CSV_PARAM = "form"

KINDS = ("text", "int", "pct", "count", "pp", "period", "round", "bool", "link")


@dataclass(frozen=True)
class Column:
    key: str
    label: str
    kind: str = "text"

    def __post_init__(self) -> None:
        if self.kind not in KINDS:
            raise ValueError(f"column {self.key}: unknown kind {self.kind!r} (known: {KINDS})")


@dataclass
class DataTable:
    name: str  # registered builder name, used in download URLs
    title: str
    columns: list[Column]
    rows: list[dict]
    params: dict = field(default_factory=dict)  # the builder's parameters, for download URLs
    note: str = ""
    highlight: str | None = None  # value of the 'code' column to highlight

    def download_url(self, fmt: str) -> str:
        """`fmt` csv, xlsx or json; "csv-standard" is the comma-separated CSV for programs."""
        if fmt == "csv-standard":
            return f"/tabel/{self.name}.csv?{urlencode({**self.params, PLAIN_CSV_PARAM: 'standard'})}"
        return f"/tabel/{self.name}.{fmt}?{urlencode(self.params)}"

    def shown(self, row: dict, column: Column) -> str:
        """A cell as text on the page, in Danish formats."""
        return cell_text(row, column)


def cell_text(row: dict, column: Column) -> str:
    """A cell as text on the page, in Danish formats."""
    value = row.get(column.key)
    suppressed = bool(row.get(f"{column.key}_suppressed", row.get("suppressed")))
    match column.kind:
        case "pct":
            return formats.pct(value, suppressed=suppressed and value is None)
        case "count":
            return formats.SUPPRESSED_DA if suppressed and value is None else formats.count(value)
        case "pp":
            return formats.change_pp(value)
        case "period":
            return formats.period_label(str(value)) if value else "–"
        case "round":
            return formats.period_label(str(value), survey_round=True) if value else "–"
        case "bool":
            return "ja" if value else "nej"
        case "int":
            return "–" if value is None else str(value)
    return "" if value is None else str(value)


def _raw(value):
    if isinstance(value, float) and math.isnan(value):
        return None
    return value


def _exported(table: DataTable) -> tuple[list[Column], list[dict]]:
    """The columns and rows a download holds: a survey-round column keeps its code and gets
    its posting window beside it ("<key>_window": "dec. 2021–maj 2022")."""
    columns: list[Column] = []
    rounds = []
    for c in table.columns:
        columns.append(c)
        if c.kind == "round":
            columns.append(Column(f"{c.key}_window", f"{c.label} (opslagsperiode)"))
            rounds.append(c.key)
    if not rounds:
        return columns, table.rows
    rows = [{**row, **{f"{k}_window": formats.period_label(str(row[k]), survey_round=True)
                       for k in rounds if row.get(k)}} for row in table.rows]
    return columns, rows


def to_csv(table: DataTable, *, plain: bool = False) -> bytes:
    """UTF-8 with BOM (so Excel reads æøå). By default the form Danish Excel opens by
    double-click: ';' between cells, the page's Danish headers, decimal comma, values rounded as
    the page shows them, "ja"/"nej", hidden figures as "Diskretioneret". `plain`: for programs,
    comma-separated, column keys as headers, raw values with a decimal point, empty = no value."""
    columns, rows = _exported(table)
    if plain:
        return csv_bytes([c.key for c in columns],
                         ([_raw(row.get(c.key)) for c in columns] for row in rows))
    return csv_bytes([c.label for c in columns],
                     ([_shown_value(row, c) for c in columns] for row in rows), danish=True)


# Decimals a page shows per column kind; a download rounds the same way.
_SHOWN_DIGITS = {"pct": 1, "pp": 1, "count": 0}


def _shown_value(row: dict, column: Column):
    """A cell of the Danish CSV: the number the page shows (rounded, no unit), else its text."""
    value = _raw(row.get(column.key))
    if column.kind in _SHOWN_DIGITS:
        if value is None:
            hidden = row.get(f"{column.key}_suppressed", row.get("suppressed"))
            return formats.SUPPRESSED_DA if hidden and column.kind != "pp" else None
        digits = _SHOWN_DIGITS[column.kind]
        return round(float(value), digits) if digits else int(round(value))
    if column.kind in ("period", "bool"):
        return cell_text(row, column)
    return value


def to_json(table: DataTable) -> bytes:
    columns, rows = _exported(table)
    body = {
        "table": table.name,
        "title": table.title,
        "parameters": table.params,
        "note": table.note,
        "columns": [{"key": c.key, "label": c.label, "kind": c.kind} for c in columns],
        "rows": [{c.key: _raw(row.get(c.key)) for c in columns} for row in rows],
    }
    return json.dumps(body, ensure_ascii=False, indent=1).encode("utf-8")


def to_xlsx(table: DataTable) -> bytes:
    book = Workbook()
    sheet = book.active
    sheet.title = table.name[:31]
    append_row(sheet, [table.title])
    sheet["A1"].font = Font(bold=True, size=13)
    if table.note:
        append_row(sheet, [table.note])
    sheet.append([])
    columns, rows = _exported(table)
    append_row(sheet, [c.label for c in columns])
    header_row = sheet.max_row
    for cell in sheet[header_row]:
        cell.font = Font(bold=True)
    for row in rows:
        append_row(sheet, [_excel_value(row, c) for c in columns])
        for cell, column in zip(sheet[sheet.max_row], columns, strict=True):
            if column.kind in ("pct", "pp") and isinstance(cell.value, float):
                cell.number_format = "0.0"
            elif column.kind == "count" and isinstance(cell.value, float):
                cell.number_format = "#,##0"
    for i, column in enumerate(columns, start=1):
        letter = sheet.cell(header_row, i).column_letter
        sheet.column_dimensions[letter].width = max(12, len(column.label) + 2)
    return workbook_bytes(book)


def _excel_value(row: dict, column: Column):
    value = _raw(row.get(column.key))
    if value is None and row.get("suppressed") and column.kind in ("pct", "count"):
        return formats.SUPPRESSED_DA
    if column.kind in ("period", "round") and value:
        return str(value)
    if column.kind == "bool" and value is not None:
        return "ja" if value else "nej"
    return value


WRITERS = {
    "csv": (to_csv, "text/csv; charset=utf-8"),
    "json": (to_json, "application/json"),
    "xlsx": (to_xlsx, "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"),
}
