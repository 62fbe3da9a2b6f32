"""Hostile Excel files built in code: a zip bomb, a cut-off file, a sheet claiming a huge size."""

from __future__ import annotations

import io
import zipfile

from openpyxl import Workbook


def workbook_bytes(rows: list[list]) -> bytes:
    book = Workbook()
    for row in rows:
        book.active.append(row)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def bomb(unpacked_mb: int) -> bytes:
    """A valid small workbook whose shared strings unpack to `unpacked_mb` MB (one repeated
    string: about 160 times smaller zipped, at the fastest compression level)."""
    base = zipfile.ZipFile(io.BytesIO(workbook_bytes([["kommune", "v1"], [101, "ja"]])))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED, compresslevel=1) as target:
        for info in base.infolist():
            if info.filename != "xl/sharedStrings.xml":
                target.writestr(info, base.read(info.filename))
        chunk = b"<si><t>" + b"A" * 1000 + b"</t></si>"
        with target.open("xl/sharedStrings.xml", "w", force_zip64=True) as member:
            member.write(b'<sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">')
            for _ in range(unpacked_mb * 1024 * 1024 // len(chunk) + 1):
                member.write(chunk)
            member.write(b"</sst>")
    return out.getvalue()


def truncated(rows: list[list], keep: float = 0.6) -> bytes:
    data = workbook_bytes(rows)
    return data[: int(len(data) * keep)]


def claiming_huge_dimension() -> bytes:
    """One cell, but the sheet says it spans A1:XFD1048576 (17 billion cells)."""
    data = workbook_bytes([["kommune"], [101]])
    source = zipfile.ZipFile(io.BytesIO(data))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
        for info in source.infolist():
            body = source.read(info.filename)
            if info.filename == "xl/worksheets/sheet1.xml":
                body = body.replace(b'<dimension ref="A1:A2"/>', b'<dimension ref="A1:XFD1048576"/>')
                assert b"XFD1048576" in body
            target.writestr(info, body)
    return out.getvalue()


def cut_sheet(rows: list[list], keep: float = 0.5) -> bytes:
    """A whole zip whose sheet XML stops half-way (as a file cut off while it was written):
    openpyxl opens it and fails only while reading the rows."""
    source = zipfile.ZipFile(io.BytesIO(workbook_bytes(rows)))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
        for info in source.infolist():
            body = source.read(info.filename)
            if info.filename == "xl/worksheets/sheet1.xml":
                body = body[: int(len(body) * keep)]
            target.writestr(info, body)
    return out.getvalue()
