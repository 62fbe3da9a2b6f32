"""Shared Typst machinery for Jobmål's PDF documents: escaping, tables, the page, compiling.

Every document is one Typst source built in Python: `preamble()` sets up an A4 page in Danish
with a header, "Side n af m" in the footer and the synthetic-data banner; `escape()` turns any
text into literal Typst markup; `table()` builds a table; `compile_pdf()` compiles the source
with chart SVGs (or other files) beside it in a temporary folder.

Nothing is fetched: the fonts are the machine's Liberation Sans (the charts' font too) with
DejaVu Sans and Typst's embedded fonts as fallbacks, and no Typst package is imported.
"""

from __future__ import annotations

import functools
import re
import tempfile
from collections.abc import Sequence
from datetime import datetime
from pathlib import Path

import typst

FONTS = ("Liberation Sans", "DejaVu Sans")
SYNTHETIC_BANNER_DA = "Syntetiske data – ikke rigtige tal"
ACCENT = "#0072B2"  # the charts' municipality blue
WARNING = "#B3261E"

# Characters with a meaning in Typst markup, escaped wherever they are: \ # $ * _ ` < > @ [ ] ~ /
# and "-" (list item, "--" dash, "-?" soft hyphen). "=", "+" and "1." only mean something at the
# start of a line (heading, list items) and are escaped there.
_SPECIAL = re.compile(r"([\\#$*_`<>@\[\]~/\-])")
_LINE_START = re.compile(r"^(\s*)([=+]|\d+\.)", re.MULTILINE)
# Every character Typst's lexer takes as a line break (its `is_newline`): each becomes "\n"
# first, so that `_LINE_START` sees every line start and no heading or list item slips through.
LINE_BREAKS = re.compile("\r\n|[\n\x0b\x0c\r\x85\u2028\u2029]")
_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f]")
_SAFE_NAME = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_.-]*$")


class Markup(str):
    """Text that is already Typst markup; `table()` puts it in a cell unescaped."""


class ReportRenderError(RuntimeError):
    """Typst could not compile a generated document; carries Typst's message and the line."""


def escape(text: object) -> str:
    """`text` as Typst markup that prints literally (`#set page(...)`, `$x$`, `*` stay text)."""
    text = _CONTROL.sub("", LINE_BREAKS.sub("\n", str(text)))
    text = _SPECIAL.sub(r"\\\1", text)
    return _LINE_START.sub(lambda m: m[1] + (m[2][:-1] + "\\." if m[2][-1] == "." else "\\" + m[2]), text)


def string(text: str) -> str:
    """`text` as a Typst string literal (for arguments such as a document title)."""
    return '"' + _CONTROL.sub("", LINE_BREAKS.sub(" ", text)).replace("\\", "\\\\").replace('"', '\\"') + '"'


def table(
    headers: Sequence[str],
    rows: Sequence[Sequence[object]],
    *,
    columns: Sequence[str] | None = None,
    align: Sequence[str] | None = None,
    size: str | None = None,
) -> str:
    """A Typst table with a repeated bold header row and light zebra rows.

    Cells are escaped text unless they are `Markup`; None prints as "–". `columns` are Typst
    track sizes ("2fr", "auto", "3cm"), `align` Typst alignments ("left", "right") per column.
    """
    n = len(headers)
    for k, row in enumerate(rows):
        if len(row) != n:
            raise ValueError(f"table row {k} has {len(row)} cells, the header {n}")
    tracks = ", ".join(columns) if columns else ", ".join(["auto"] * n)
    aligns = ", ".join(align) if align else ", ".join(["left"] * n)
    head = ", ".join(f"[{_cell(h)}]" for h in headers)
    body = ",\n  ".join(", ".join(f"[{_cell(c)}]" for c in row) for row in rows)
    text = (f"#table(\n  columns: ({tracks},),\n  align: ({aligns},),\n"
            f"  table.header({head}),\n  {body}{',' if body else ''}\n)")
    if size:
        text = f"#[#set text(size: {size})\n{text}\n]"
    return text


def _cell(value: object) -> str:
    if value is None:
        return "–"
    if isinstance(value, Markup):
        return str(value)
    return escape(value)


def preamble(title: str, *, synthetic: bool, header: str = "", footer: str = "") -> str:
    """Page, type, headings and tables for an A4 document in Danish.

    `header` is shown at the top of every page after the first, `footer` at the bottom left of
    every page (e.g. when the document was made); when `synthetic` every page's header says so
    in red and the first page starts with the banner (see `synthetic_banner`).
    """
    synthetic_mark = (f'#text(fill: rgb("{WARNING}"), weight: "bold")[{escape(SYNTHETIC_BANNER_DA)}]'
                      if synthetic else "")
    return f"""#set document(title: {string(title)})
#set page(
  paper: "a4",
  margin: (top: 2.4cm, bottom: 2.2cm, x: 2.2cm),
  header: context {{
    set text(size: 8pt, fill: luma(90))
    if counter(page).get().first() > 1 [{escape(header)}]
    h(1fr)
    [{synthetic_mark}]
  }},
  footer: context {{
    set text(size: 8pt, fill: luma(90))
    [{escape(footer)}]
    h(1fr)
    [Side #counter(page).display() af #counter(page).final().first()]
  }},
)
#set text(font: ({", ".join(string(f) for f in FONTS)}), size: 10pt, lang: "da", region: "dk")
#set par(leading: 0.62em, spacing: 0.9em)
#show heading: set text(fill: rgb("#1A1A1A"))
#show heading.where(level: 1): set text(size: 17pt)
#show heading.where(level: 1): set block(above: 0pt, below: 0.9em)
#show heading.where(level: 2): set text(size: 13pt)
#show heading.where(level: 2): set block(above: 1.4em, below: 0.7em)
#show heading.where(level: 3): set text(size: 11pt)
#show heading.where(level: 3): set block(above: 1.2em, below: 0.6em)
#set table(
  stroke: (x, y) => if y == 0 {{ (bottom: 0.8pt + luma(120)) }} else {{ (bottom: 0.4pt + luma(215)) }},
  inset: (x: 5pt, y: 4pt),
  fill: (x, y) => if y == 0 {{ luma(232) }},
)
#show table.cell.where(y: 0): set text(weight: "bold")
#set list(indent: 0.6em)
#set enum(indent: 0.6em)
"""


def synthetic_banner() -> str:
    """A red box saying the figures are synthetic; put it at the top of the first page."""
    return (f'#block(width: 100%, fill: rgb("#FCEAE8"), stroke: 1pt + rgb("{WARNING}"), inset: 8pt, '
            f'radius: 3pt)[#text(fill: rgb("{WARNING}"), weight: "bold", size: 12pt)'
            f'[{escape(SYNTHETIC_BANNER_DA)}] \\ '
            f'#text(size: 9pt)[Tallene i dette dokument er dannet af Jobmåls generator af syntetiske '
            f'registre og beskriver ingen virkelige personer, virksomheder eller kommuner.]]')


def image(name: str, width: str = "100%") -> str:
    """Markup placing the file `name` (given to `compile_pdf` in `files`)."""
    if not _SAFE_NAME.match(name):
        raise ValueError(f"not a safe file name: {name!r}")
    return f'#image({string(name)}, width: {width})'


def compile_pdf(source: str, files: dict[str, bytes] | None = None, *,
                timestamp: datetime | None = None) -> bytes:
    """The PDF of a Typst `source`, with `files` (name → bytes, e.g. chart SVGs) beside it.

    Compiles in a temporary folder that is the project root, so the source can read nothing
    else; `timestamp` (timezone-aware) fixes the PDF creation date for reproducible output.
    """
    files = files or {}
    for name in files:
        if not _SAFE_NAME.match(name) or name == "main.typ":
            raise ValueError(f"not a safe file name: {name!r}")
    with tempfile.TemporaryDirectory(prefix="jobmaal-typst-") as folder:
        root = Path(folder)
        for name, data in files.items():
            (root / name).write_bytes(data)
        main = root / "main.typ"
        main.write_text(source, encoding="utf-8")
        try:
            return typst.compile(main, root=root, font_paths=_fonts(), format="pdf", timestamp=timestamp)
        except typst.TypstError as err:
            raise ReportRenderError(_describe_error(err)) from err


@functools.cache
def _fonts() -> typst.Fonts:
    """The machine's fonts and Typst's embedded ones, scanned once per process."""
    return typst.Fonts(include_system_fonts=True, include_embedded_fonts=True)


def _describe_error(err: typst.TypstError) -> str:
    text = f"Typst could not compile the document: {getattr(err, 'message', err)}"
    hints = getattr(err, "hints", None)
    if hints:
        text += " (" + "; ".join(hints) + ")"
    return text
