"""The rich text of a plan (focus, efforts): a small Markdown subset, parsed once, rendered thrice.

The subset: paragraphs separated by blank lines, bullet lists ("- item" or "* item"), numbered
lists ("1. item"), **bold** and *italic*; a backslash makes the next character literal
(`\\*`). Everything else is plain text: `#`, `$`, `<b>`, links etc. come out as typed. A line
indented under a list item continues it. The web layer renders the same text to HTML with
`markdown` + `nh3`; this module serves the documents:

- `to_typst`: Typst markup with every special character escaped (PDF),
- `add_to_docx`: python-docx paragraphs with bold/italic runs (Word),
- `to_plain`: plain text with "•" and "1." (Excel cells).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

_BULLET = re.compile(r"^[-*]\s+(.*)$")
_NUMBERED = re.compile(r"^(\d{1,9})[.)]\s+(.*)$")


@dataclass(frozen=True)
class Span:
    """A run of text with one style."""

    text: str
    bold: bool = False
    italic: bool = False


Inline = tuple[Span, ...]


@dataclass(frozen=True)
class Paragraph:
    spans: Inline


@dataclass(frozen=True)
class BulletList:
    items: tuple[Inline, ...]


@dataclass(frozen=True)
class NumberedList:
    items: tuple[Inline, ...]
    start: int = 1


Block = Paragraph | BulletList | NumberedList


# -- parsing -------------------------------------------------------------------------------------

def parse(text: str | None) -> tuple[Block, ...]:
    """The blocks of a Markdown-subset text; empty text gives no blocks."""
    blocks: list[Block] = []
    kind: str | None = None  # "p", "ul", "ol" of the block being built
    lines: list[str] = []  # paragraph lines, or the items' texts
    start = 1

    def flush() -> None:
        nonlocal kind, lines
        if kind == "p":
            blocks.append(Paragraph(parse_inline(" ".join(lines))))
        elif kind == "ul":
            blocks.append(BulletList(tuple(parse_inline(item) for item in lines)))
        elif kind == "ol":
            blocks.append(NumberedList(tuple(parse_inline(item) for item in lines), start))
        kind, lines = None, []

    from jobmaal.reports.typst_doc import LINE_BREAKS

    for raw in LINE_BREAKS.sub("\n", text or "").split("\n"):  # U+2028 etc. end a line too
        line = raw.strip()
        if not line:
            flush()
            continue
        bullet, numbered = _BULLET.match(line), _NUMBERED.match(line)
        if bullet:
            if kind != "ul":
                flush()
                kind = "ul"
            lines.append(bullet[1])
        elif numbered:
            if kind != "ol":
                flush()
                kind, start = "ol", int(numbered[1])
            lines.append(numbered[2])
        elif kind in ("ul", "ol") and raw[:1] in (" ", "\t"):
            lines[-1] += " " + line  # an indented line continues the list item
        else:
            if kind != "p":
                flush()
                kind = "p"
            lines.append(line)
    flush()
    return tuple(blocks)


def parse_inline(text: str) -> Inline:
    """Spans of **bold**, *italic* and plain text; unmatched markers stay literal."""
    spans: list[Span] = []
    _scan(text, False, False, spans)
    return _merge(spans)


def _scan(text: str, bold: bool, italic: bool, out: list[Span]) -> None:
    buf: list[str] = []
    i = 0

    def emit() -> None:
        if buf:
            out.append(Span("".join(buf), bold, italic))
            buf.clear()

    while i < len(text):
        ch = text[i]
        if ch == "\\" and i + 1 < len(text) and not text[i + 1].isalnum() and not text[i + 1].isspace():
            buf.append(text[i + 1])
            i += 2
            continue
        if text.startswith("**", i) and not bold:
            end = _closing(text, i + 2, "**")
            if end is not None:
                emit()
                _scan(text[i + 2:end], True, italic, out)
                i = end + 2
                continue
        if ch == "*" and not italic and not text.startswith("**", i):
            end = _closing(text, i + 1, "*")
            if end is not None:
                emit()
                _scan(text[i + 1:end], bold, True, out)
                i = end + 1
                continue
        buf.append(ch)
        i += 1
    emit()


def _closing(text: str, start: int, marker: str) -> int | None:
    """Index of the marker closing an emphasis opened just before `start`, if any.

    As in Markdown, the content must not start or end with whitespace; a single '*' is not
    closed by half of a '**'.
    """
    if start >= len(text) or text[start].isspace():
        return None
    i = start
    while True:
        end = text.find(marker, i)
        if end < 0:
            return None
        if end > start and text[end - 1] == "\\":
            i = end + 1
            continue
        if marker == "*" and text.startswith("**", end):
            i = end + 2  # skip a nested **bold** inside *italic*
            continue
        if end == start or text[end - 1].isspace():
            i = end + len(marker)
            continue
        return end


def _merge(spans: list[Span]) -> Inline:
    merged: list[Span] = []
    for span in spans:
        if not span.text:
            continue
        if merged and (merged[-1].bold, merged[-1].italic) == (span.bold, span.italic):
            merged[-1] = Span(merged[-1].text + span.text, span.bold, span.italic)
        else:
            merged.append(span)
    return tuple(merged)


# -- Typst ---------------------------------------------------------------------------------------

def to_typst(blocks: tuple[Block, ...]) -> str:
    """Typst markup: paragraphs, `- ` lists, explicitly numbered `N. ` lists; text escaped."""
    from jobmaal.reports.typst_doc import escape

    def inline(spans: Inline) -> str:
        parts: list[str] = []
        for span in spans:
            text = escape(span.text)
            if parts and parts[-1].endswith("]") and text[:1] in ("(", "[", "."):
                text = "\\" + text  # keep "#strong[a]" from swallowing a following "(" or "."
            if span.italic:
                text = f"#emph[{text}]"
            if span.bold:
                text = f"#strong[{text}]"
            parts.append(text)
        return "".join(parts)

    out: list[str] = []
    for block in blocks:
        if isinstance(block, Paragraph):
            out.append(inline(block.spans))
        elif isinstance(block, BulletList):
            out.append("\n".join(f"- {inline(item)}" for item in block.items))
        else:
            out.append("\n".join(f"{block.start + k}. {inline(item)}" for k, item in enumerate(block.items)))
    return "\n\n".join(out)


# -- Word ----------------------------------------------------------------------------------------

def add_to_docx(document: Any, blocks: tuple[Block, ...]) -> None:
    """Append the blocks to a python-docx Document (or any object with `add_paragraph`).

    Bullets use the template's "List Bullet" style; numbered items carry their number as text
    with a hanging indent, since Word's "List Number" would continue across separate lists.
    """
    from docx.shared import Cm

    def runs(paragraph: Any, spans: Inline) -> None:
        for span in spans:
            run = paragraph.add_run(span.text)
            run.bold = span.bold or None
            run.italic = span.italic or None

    for block in blocks:
        if isinstance(block, Paragraph):
            runs(document.add_paragraph(), block.spans)
        elif isinstance(block, BulletList):
            for item in block.items:
                runs(document.add_paragraph(style="List Bullet"), item)
        else:
            for k, item in enumerate(block.items):
                paragraph = document.add_paragraph()
                paragraph.paragraph_format.left_indent = Cm(0.9)
                paragraph.paragraph_format.first_line_indent = Cm(-0.6)
                paragraph.add_run(f"{block.start + k}.\t")
                runs(paragraph, item)


# -- plain text ----------------------------------------------------------------------------------

def to_plain(blocks: tuple[Block, ...]) -> str:
    """Plain text for a spreadsheet cell: blank line between blocks, "• " and "1. " items."""

    def text(spans: Inline) -> str:
        return "".join(s.text for s in spans)

    out: list[str] = []
    for block in blocks:
        if isinstance(block, Paragraph):
            out.append(text(block.spans))
        elif isinstance(block, BulletList):
            out.append("\n".join(f"• {text(item)}" for item in block.items))
        else:
            out.append("\n".join(f"{block.start + k}. {text(item)}" for k, item in enumerate(block.items)))
    return "\n\n".join(out)
