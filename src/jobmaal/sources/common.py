"""What every source shares: its error type, Danish numbers, suppression marks, area names."""

from __future__ import annotations

import re

from jobmaal.geography import Area, UnknownAreaError, load_geography

# How published tables show a figure that is held back (diskretioneret): Jobindsats writes
# "-" or "..", StatBank "..", hand-made files often "x" or "*". A mark is never a zero.
SUPPRESSED_MARKS = frozenset({"-", "–", "—", "..", "...", ".", "x", "X", "*", "(d)", "dis", "diskr."})

SOURCE_KINDS = ("computed", "jobindsats", "statbank", "file", "mixed")
SOURCE_NAMES_DA = {
    "computed": "Beregnet fra registre",
    "jobindsats": "Jobindsats.dk",
    "statbank": "Danmarks Statistik",
    "file": "Fil",
    "mixed": "Flere kilder",
}


class SourceError(ValueError):
    """A source could not be read; the message says what the user must know. Nothing was stored."""


class NotANumber(ValueError):
    """A cell that is neither a number nor a suppression mark."""


_DANISH = re.compile(r"^[+-]?\d{1,3}(\.\d{3})*(,\d+)?$|^[+-]?\d+(,\d+)?$")
_PLAIN = re.compile(r"^[+-]?(\d+(\.\d*)?|\.\d+)([eE][+-]?\d+)?$")


def parse_number(cell: object, *, decimal_comma: bool = True) -> float | None:
    """A published cell as a number; None for an empty cell.

    Raises `NotANumber` for text that is not a number. Suppression marks are not numbers:
    check `is_suppressed` first. With `decimal_comma` (Danish), "1.234,5" is 1234.5 and a
    text with dots only in groups of three ("1.234") is 1234; otherwise "1234.5" is 1234.5.
    """
    if cell is None:
        return None
    if isinstance(cell, bool):
        raise NotANumber(f"{cell!r} er ikke et tal")
    if isinstance(cell, int | float):
        if cell != cell or cell in (float("inf"), float("-inf")):
            raise NotANumber(f"{cell!r} er ikke et tal")
        return float(cell)
    text = str(cell).strip().replace("\u00a0", "").replace(" ", "")
    if not text:
        return None
    if decimal_comma and _DANISH.match(text) and ("," in text or re.search(r"\.\d{3}(?!\d)", text)):
        return float(text.replace(".", "").replace(",", "."))
    if _PLAIN.match(text):
        value = float(text)
        if value != value or value in (float("inf"), float("-inf")):
            raise NotANumber(f"{cell!r} er ikke et tal")
        return value
    raise NotANumber(f"{str(cell)[:40]!r} er ikke et tal")


def is_suppressed(cell: object) -> bool:
    return isinstance(cell, str) and cell.strip() in SUPPRESSED_MARKS


def resolve_area(name: object, level: str | None = None) -> Area:
    """Published area name or code → the area (raises UnknownAreaError)."""
    if isinstance(name, float) and name.is_integer():
        name = int(name)
    return load_geography().area_by_name(str(name), level)


__all__ = ["SUPPRESSED_MARKS", "SOURCE_KINDS", "SOURCE_NAMES_DA", "NotANumber", "SourceError",
           "UnknownAreaError", "is_suppressed", "parse_number", "resolve_area"]
