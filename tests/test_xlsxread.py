"""Reading uploaded Excel files: limits on the unpacked size (checked before parsing), rows and
cells; damaged and cut-off files give a plain Danish message."""

from __future__ import annotations

import time

import pytest
from tests.xlsxfiles import bomb, claiming_huge_dimension, truncated, workbook_bytes

from jobmaal import xlsxread
from jobmaal.xlsxread import XlsxError, XlsxLimits, read_rows


def test_a_good_file_gives_its_rows_numbered_from_one():
    assert read_rows(workbook_bytes([["kommune", "v1"], [101, "ja"]]), "fil.xlsx") == [
        (1, ["kommune", "v1"]), (2, [101, "ja"])]


def test_a_zip_bomb_is_refused_from_its_directory_without_parsing(monkeypatch):
    data = bomb(300)  # 300 MB of shared strings in under 3 MB
    assert len(data) < 3_000_000

    def never(*args, **kwargs):
        raise AssertionError("the workbook was parsed")

    monkeypatch.setattr("openpyxl.load_workbook", never)
    started = time.perf_counter()
    with pytest.raises(XlsxError) as caught:
        read_rows(data, "bombe.xlsx")  # the default limit: 200 MB unpacked
    assert time.perf_counter() - started < 1.0
    assert str(caught.value).startswith("bombe.xlsx: filen fylder 300 MB udpakket; højst 200 MB er tilladt.")


def test_the_unpacked_limit_is_a_setting(monkeypatch):
    monkeypatch.setenv("JOBMAAL_XLSX_MAX_UNPACKED_MB", "2")
    assert XlsxLimits.from_environment().max_unpacked_bytes == 2 * 1024 * 1024
    with pytest.raises(XlsxError, match="højst 2 MB er tilladt"):
        read_rows(bomb(3), "lille.xlsx")
    monkeypatch.setenv("JOBMAAL_XLSX_MAX_UNPACKED_MB", "4")
    assert read_rows(bomb(3), "lille.xlsx")[0] == (1, ["kommune", "v1"])


def test_rows_and_cells_over_the_limits_are_refused():
    rows = [["a", "b", "c"]] * 11
    with pytest.raises(XlsxError, match="over 10 rækker"):
        read_rows(workbook_bytes(rows), "r.xlsx", XlsxLimits(max_rows=10))
    with pytest.raises(XlsxError, match="over 30 celler"):
        read_rows(workbook_bytes(rows), "c.xlsx", XlsxLimits(max_cells=30))
    assert len(read_rows(workbook_bytes(rows), "ok.xlsx", XlsxLimits(max_rows=11, max_cells=33))) == 11


def test_a_sheet_claiming_a_huge_size_is_read_as_what_it_holds():
    assert read_rows(claiming_huge_dimension(), "stor.xlsx") == [(1, ["kommune"]), (2, [101])]


@pytest.mark.parametrize("keep", [0.3, 0.6, 0.9, 0.99])
def test_a_cut_off_file_gives_a_message(keep):
    with pytest.raises(XlsxError) as caught:
        read_rows(truncated([["kommune", "v1"]] + [[101, "ja"]] * 200, keep), "afkortet.xlsx")
    assert caught.value.name == "afkortet.xlsx"
    assert "kan ikke læses" in caught.value.reason


def test_a_sheet_cut_off_inside_a_whole_zip_gives_a_message():
    from tests.xlsxfiles import cut_sheet

    with pytest.raises(XlsxError, match="Excel-arket kan ikke læses"):
        read_rows(cut_sheet([["kommune", "v1"]] + [[101, "ja"]] * 200), "ark.xlsx")


def test_no_zip_at_all_gives_a_message():
    with pytest.raises(XlsxError, match="kan ikke læses som Excel-fil"):
        xlsxread.check_archive(b"kommune;v1\n", "svar.csv", XlsxLimits())
