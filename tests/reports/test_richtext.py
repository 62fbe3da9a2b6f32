"""The Markdown subset of focus and efforts: parsed once, rendered to Typst, Word and plain text."""

from __future__ import annotations

import io

import docx

from jobmaal.reports import richtext
from jobmaal.reports import typst_doc as td
from jobmaal.reports.richtext import BulletList, NumberedList, Paragraph, Span

from .pdftext import pdf_text

HOSTILE = '#set page(width: 1cm) $x$ <b>fed</b> @ref [x] ~ _u_ `kode` // ikke kommentar \\ a/b = c'


def test_parse_paragraphs_lists_and_emphasis():
    text = "Vi vil **styrke** indsatsen for *unge*.\nSamme afsnit.\n\n- Et\n- To\n\n3. Tre\n4. Fire"
    assert richtext.parse(text) == (
        Paragraph((Span("Vi vil "), Span("styrke", bold=True), Span(" indsatsen for "),
                   Span("unge", italic=True), Span(". Samme afsnit."))),
        BulletList(((Span("Et"),), (Span("To"),))),
        NumberedList(((Span("Tre"),), (Span("Fire"),)), start=3),
    )


def test_unmatched_markers_and_escapes_stay_literal():
    assert richtext.parse_inline("2 * 3 = 6 og **halvt") == (Span("2 * 3 = 6 og **halvt"),)
    assert richtext.parse_inline(r"\*ikke kursiv\*") == (Span("*ikke kursiv*"),)


def test_bold_inside_italic():
    assert richtext.parse_inline("*meget **vigtigt** her*") == (
        Span("meget ", italic=True), Span("vigtigt", bold=True, italic=True), Span(" her", italic=True))


def test_indented_line_continues_a_list_item():
    assert richtext.parse("- første\n  fortsat\n- anden") == (
        BulletList(((Span("første fortsat"),), (Span("anden"),))),)


def test_empty_text_has_no_blocks():
    assert richtext.parse("") == ()
    assert richtext.parse(None) == ()


def test_plain_text_for_excel():
    blocks = richtext.parse("**Fokus** her\n\n- a\n- b\n\n1. c")
    assert richtext.to_plain(blocks) == "Fokus her\n\n• a\n• b\n\n1. c"


def test_escape_puts_a_backslash_before_every_typst_special():
    for ch in "#$<>@[]~_`/\\*-":
        assert td.escape(f"a{ch}b") == f"a\\{ch}b"
    assert td.escape("= Overskrift") == "\\= Overskrift"
    assert td.escape("tekst\n+ plus\n12. tal") == "tekst\n\\+ plus\n12\\. tal"


def test_hostile_typst_in_rich_text_prints_literally():
    blocks = richtext.parse(f"Afsnit med **fed** tekst og {HOSTILE}\n\n- = ikke overskrift\n- 1. ikke nummer")
    source = td.preamble("Test", synthetic=False) + richtext.to_typst(blocks) + "\n\n" + td.escape("+ plus")
    text = " ".join(pdf_text(td.compile_pdf(source)).split())
    assert "#set page(width: 1cm) $x$ <b>fed</b> @ref [x] ~ _u_ `kode` // ikke kommentar \\ a/b = c" in text
    assert "= ikke overskrift" in text
    assert "1. ikke nummer" in text
    assert "+ plus" in text


def test_docx_runs_carry_bold_and_italic():
    document = docx.Document()
    richtext.add_to_docx(document, richtext.parse("Vi vil **styrke** *unge*\n\n- punkt\n\n1. nummer"))
    saved = io.BytesIO()
    document.save(saved)
    reopened = docx.Document(io.BytesIO(saved.getvalue()))
    runs = reopened.paragraphs[0].runs
    assert [(r.text, bool(r.bold), bool(r.italic)) for r in runs] == [
        ("Vi vil ", False, False), ("styrke", True, False), (" ", False, False), ("unge", False, True)]
    assert reopened.paragraphs[1].style.name == "List Bullet"
    assert reopened.paragraphs[2].text == "1.\tnummer"
