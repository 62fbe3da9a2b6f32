"""The shared Typst machinery: tables, the page, compiling with files, errors."""

from __future__ import annotations

import pytest

from jobmaal.reports import typst_doc as td

from .pdftext import pdf_text

SVG = b'<svg xmlns="http://www.w3.org/2000/svg" width="40" height="20"><rect width="40" height="20"/></svg>'


def test_table_escapes_cells_and_shows_none_as_dash():
    source = td.preamble("Tabel", synthetic=False) + td.table(["Navn", "Værdi"], [["#a*b*", None], ["c", 1]])
    text = pdf_text(td.compile_pdf(source))
    assert "#a*b*" in text
    assert "–" in text


def test_table_refuses_ragged_rows():
    with pytest.raises(ValueError, match="row 0"):
        td.table(["a", "b"], [["x"]])


def test_synthetic_preamble_says_so_on_every_page_and_counts_pages():
    source = (td.preamble("Syntetisk", synthetic=True, header="Hoved", footer="Fod") + td.synthetic_banner()
              + "\n\nSide et\n\n#pagebreak()\n\nSide to")
    text = pdf_text(td.compile_pdf(source))
    assert text.count("Syntetiske data – ikke rigtige tal") == 3  # banner + both page headers
    assert "Side 1 af 2" in text and "Side 2 af 2" in text


def test_compile_places_given_files():
    source = td.preamble("Fil", synthetic=False) + td.image("figur.svg", width="2cm")
    pdf = td.compile_pdf(source, {"figur.svg": SVG})
    assert pdf.startswith(b"%PDF")


def test_unsafe_file_names_are_refused():
    with pytest.raises(ValueError, match="safe"):
        td.compile_pdf("x", {"../x.svg": SVG})
    with pytest.raises(ValueError, match="safe"):
        td.image("/etc/passwd")


def test_broken_source_raises_a_report_error():
    with pytest.raises(td.ReportRenderError, match="Typst"):
        td.compile_pdf("#let x = (")


@pytest.mark.parametrize("brk", ["\n", "\r", "\r\n", "\x0b", "\x0c", "\x85", "\u2028", "\u2029"])
def test_escape_turns_every_typst_line_break_into_an_escaped_line_start(brk):
    assert td.escape(f"a{brk}= b{brk}+ c{brk}1. d") == "a\n\\= b\n\\+ c\n1\\. d"
    assert td.string(f"a{brk}b") == '"a b"'
