"""Figures from a file: an Excel or CSV table downloaded from Jobindsats.dk or made by hand.

Accepted: .xlsx, or CSV separated by semicolon, comma or tab, in UTF-8 (with or without BOM)
or Latin-1/Windows-1252, with decimal comma or point. Title lines above the header are
skipped. One row is one figure: area (Danish name or code), period, and a value and/or
numerator and denominator; the indicator and breakdown come from columns or, for a table
downloaded from Jobindsats, from `indicator=` and the breakdown's own column (e.g. "Køn").
Suppressed cells ("-", "..", "x", …) are kept as suppressed, never as zero.

`parse_file` reads every row and collects every row's errors before anything is stored; a
file with any error gives no facts at all (`ParsedFile.facts` refuses), so a half-valid file
is never taken in.
"""

from __future__ import annotations

import csv
import io
import re
import unicodedata
from dataclasses import dataclass, field
from datetime import date, datetime
from pathlib import Path

from jobmaal import xlsxread
from jobmaal.catalogue import Breakdown, Catalogue, CatalogueError, Indicator, load_catalogue
from jobmaal.facts import TOTAL
from jobmaal.geography import UnknownAreaError
from jobmaal.periods import Period, PeriodError
from jobmaal.sources.common import NotANumber, SourceError, is_suppressed, parse_number, resolve_area

MAX_BYTES = 50 * 1024 * 1024
MAX_ROWS = 500_000
_HEADER_SEARCH = 30  # lines searched for the header row
_TOLERANCE_PP = 0.15  # how far a published value may be from 100·num/den (rounding)

# Column names as people and Jobindsats write them (folded: lower case, no punctuation).
ALIASES: dict[str, tuple[str, ...]] = {
    "indicator": ("indikator", "indicator", "maaling", "måling", "indikatorid"),
    "period": ("periode", "period", "tid", "maaned", "måned", "time"),
    "area": ("omraade", "område", "area", "kommune", "kommunenavn", "kommunekode", "areacode",
             "omraadekode", "områdekode", "omraadenavn", "områdenavn", "geografi"),
    "area_level": ("niveau", "omraadeniveau", "områdeniveau", "arealevel", "level"),
    "breakdown": ("opdeling", "breakdown"),
    "breakdown_value": ("opdelingsvaerdi", "opdelingsværdi", "breakdownvalue", "gruppe"),
    "numerator": ("taeller", "tæller", "numerator"),
    "denominator": ("naevner", "nævner", "denominator"),
    "value": ("vaerdi", "værdi", "value", "andel", "andelpct", "pct", "procent", "andeliprocent"),
    "provisional": ("foreloebig", "foreløbig", "provisional"),
}
_YES = {"ja", "j", "1", "true", "sand", "x", "yes"}
_NO = {"nej", "n", "0", "false", "falsk", "", "no"}
_MONTHS = {name: i for i, name in enumerate(
    ("januar", "februar", "marts", "april", "maj", "juni", "juli", "august", "september",
     "oktober", "november", "december"), start=1)}


class FileImportError(SourceError):
    """The file as a whole cannot be read (format, encoding, header); nothing was stored."""


@dataclass(frozen=True)
class RowError:
    row: int  # line (CSV) or row (Excel) number in the file, counted from 1
    column: str  # the column as the file names it ("" for the row as a whole)
    value: str
    message: str  # Danish, what is wrong and what is expected

    def __str__(self) -> str:
        where = f"række {self.row}" + (f", kolonne «{self.column}»" if self.column else "")
        shown = f" ({self.value!r})" if self.value else ""
        return f"{where}{shown}: {self.message}"


@dataclass
class ParsedFile:
    """What a file holds: its fact rows and every row's errors, and how it was read."""

    name: str
    year: int
    catalogue_year: int
    rows: list[dict] = field(default_factory=list)
    errors: list[RowError] = field(default_factory=list)
    encoding: str = ""
    delimiter: str = ""
    header_row: int = 0
    columns: dict[str, str] = field(default_factory=dict)  # role → column name in the file
    line_of: list[int] = field(default_factory=list)  # file line of each fact row

    @property
    def ok(self) -> bool:
        return not self.errors and bool(self.rows)

    def facts(self) -> list[dict]:
        """The fact rows, only when every row is valid; raises FileImportError otherwise."""
        if self.errors:
            raise FileImportError(f"{self.name}: {len(self.errors)} fejl i filen; intet er gemt. "
                                  f"Første: {self.errors[0]}")
        if not self.rows:
            raise FileImportError(f"{self.name}: filen indeholder ingen tal")
        return list(self.rows)


def parse_file(path: str | Path, year: int, *, catalogue_year: int | None = None,
               indicator: str | None = None) -> ParsedFile:
    path = Path(path)
    try:
        size = path.stat().st_size
        if size > MAX_BYTES:
            raise FileImportError(f"{path.name}: filen er {size // 1_000_000} MB; højst "
                                  f"{MAX_BYTES // 1_000_000} MB")
        data = path.read_bytes()
    except OSError as exc:
        raise FileImportError(f"{path}: kan ikke læses ({exc.strerror or exc})") from None
    return parse_bytes(data, path.name, year, catalogue_year=catalogue_year, indicator=indicator)


def parse_bytes(data: bytes, name: str, year: int, *, catalogue_year: int | None = None,
                indicator: str | None = None) -> ParsedFile:
    """Parse a file's bytes; raises only FileImportError (for the file as a whole)."""
    try:
        catalogue = load_catalogue(catalogue_year or year)
    except CatalogueError as exc:
        raise FileImportError(str(exc)) from None
    fixed = None
    if indicator:
        try:
            fixed = catalogue.indicator(indicator)
        except KeyError:
            raise FileImportError(f"indikatoren {indicator} findes ikke i kataloget "
                                  f"{catalogue.year}") from None
    if len(data) > MAX_BYTES:
        raise FileImportError(f"{name}: filen er for stor (højst {MAX_BYTES // 1_000_000} MB)")
    result = ParsedFile(name=name, year=year, catalogue_year=catalogue.year)
    if data[:4] == b"PK\x03\x04":
        lines = _excel_rows(data, name)
        result.encoding, result.delimiter = "xlsx", ""
    elif data[:8] == b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1":
        raise FileImportError(f"{name}: gammelt Excel-format (.xls); gem filen som .xlsx eller CSV")
    else:
        text, result.encoding = _decode(data, name)
        lines, result.delimiter = _csv_rows(text, name)
    _Reader(result, catalogue, fixed).read(lines)
    return result


# -- reading cells -------------------------------------------------------------------------------

def _decode(data: bytes, name: str) -> tuple[str, str]:
    if b"\x00" in data:
        raise FileImportError(f"{name}: ikke en tekstfil (indeholder binære data); brug CSV eller .xlsx")
    if data.startswith(b"\xef\xbb\xbf"):
        data, encoding = data[3:], "utf-8-sig"
    else:
        encoding = "utf-8"
    try:
        return data.decode("utf-8"), encoding
    except UnicodeDecodeError:
        pass
    try:
        return data.decode("cp1252"), "windows-1252"
    except UnicodeDecodeError:
        return data.decode("latin-1"), "latin-1"


def _csv_rows(text: str, name: str) -> tuple[list[tuple[int, list]], str]:
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    first = next((ln for ln in text.split("\n")[:_HEADER_SEARCH] if ln.strip()), "")
    counts = {d: _outside_quotes(first).count(d) for d in (";", "\t", ",")}
    delimiter = max(counts, key=lambda d: (counts[d], d == ";"))
    if counts[delimiter] == 0:
        header_line = _find_header_line(text)
        if header_line:
            counts = {d: _outside_quotes(header_line).count(d) for d in (";", "\t", ",")}
            delimiter = max(counts, key=lambda d: (counts[d], d == ";"))
    rows = []
    try:
        reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter, strict=False)
        for number, row in enumerate(reader, start=1):
            if number > MAX_ROWS + _HEADER_SEARCH:
                raise FileImportError(f"{name}: over {MAX_ROWS:,} rækker; del filen op".replace(",", "."))
            rows.append((number, row))
    except csv.Error as exc:
        raise FileImportError(f"{name}: ikke en læsbar CSV-fil ({exc})") from None
    return rows, delimiter


def _outside_quotes(line: str) -> str:
    return re.sub(r'"[^"]*"', "", line)


def _find_header_line(text: str) -> str | None:
    for line in text.split("\n")[:_HEADER_SEARCH]:
        if any(_fold(part) in ALIASES["period"] for part in re.split(r"[;,\t]", line)):
            return line
    return None


def _excel_rows(data: bytes, name: str) -> list[tuple[int, list]]:
    """The first sheet's rows; the unpacked size, rows and cells are limited before and while
    parsing (`jobmaal.xlsxread`), so a zip bomb is refused without being unpacked."""
    try:
        return xlsxread.read_rows(data, name)
    except xlsxread.XlsxError as exc:
        raise FileImportError(str(exc)) from None


def _is_total(text: str) -> bool:
    """ "I alt", "Total", empty, or a dimension's own total ("Ydelsesgrupper i alt")."""
    folded = _fold(text)
    return folded in ("", "ialt", "total") or folded.endswith("ialt")


def _fold(text: object) -> str:
    """A column name as compared: lower case, letters and digits only, æøå kept."""
    s = unicodedata.normalize("NFC", str(text or "")).casefold()
    return re.sub(r"[^0-9a-zæøå]", "", s)


def _cell_text(cell: object) -> str:
    if cell is None:
        return ""
    if isinstance(cell, float) and cell.is_integer():
        return str(int(cell))
    return str(cell).strip()


# -- the row reader ------------------------------------------------------------------------------

class _Reader:
    def __init__(self, result: ParsedFile, catalogue: Catalogue, fixed: Indicator | None):
        self.result = result
        self.catalogue = catalogue
        self.fixed = fixed
        self.seen: dict[tuple, int] = {}

    def error(self, row: int, column: str, value: object, message: str) -> None:
        self.result.errors.append(RowError(row, column, _cell_text(value)[:60], message))

    def read(self, lines: list[tuple[int, list]]) -> None:
        found = self._header(lines)
        if found is None:
            raise FileImportError(
                f"{self.result.name}: fandt ingen overskriftsrække med kolonnerne «område» og "
                f"«periode» i de første {_HEADER_SEARCH} linjer")
        index, columns, dims = found
        header_number, header = lines[index]
        self.result.header_row = header_number
        names = [_cell_text(h) for h in header]
        self.result.columns = {role: names[i] for role, i in columns.items()}
        if "indicator" not in columns and self.fixed is None:
            raise FileImportError(f"{self.result.name}: filen har ingen kolonne «indikator»; angiv "
                                  "hvilken indikator tallene hører til (--indikator)")
        if not ({"value", "numerator"} & columns.keys()):
            raise FileImportError(f"{self.result.name}: filen har hverken en kolonne «værdi»/«andel» "
                                  "eller «tæller» og «nævner»")
        if ("numerator" in columns) != ("denominator" in columns):
            raise FileImportError(f"{self.result.name}: «tæller» og «nævner» skal stå sammen")
        for number, cells in lines[index + 1:]:
            if not any(_cell_text(c) for c in cells):
                continue
            if len(cells) > len(names) and any(_cell_text(c) for c in cells[len(names):]):
                self.error(number, "", "", f"rækken har {len(cells)} felter, overskriften "
                           f"{len(names)} (forkert skilletegn eller citationstegn?)")
                continue
            cells = list(cells) + [None] * (len(names) - len(cells))
            self._row(number, {role: (names[i], cells[i]) for role, i in columns.items()},
                      [(names[i], b, cells[i]) for i, b in dims])

    def _header(self, lines):
        for index, (_number, cells) in enumerate(lines[:_HEADER_SEARCH]):
            folded = [_fold(c) for c in cells]
            columns: dict[str, int] = {}
            for i, name in enumerate(folded):
                for role, aliases in ALIASES.items():
                    if name in {_fold(a) for a in aliases} and role not in columns:
                        columns[role] = i
                        break
                else:
                    if self.fixed is not None and self.fixed.jobindsats:
                        m = self.fixed.jobindsats
                        for role, label in (("value", m.value), ("numerator", m.numerator),
                                            ("denominator", m.denominator)):
                            # a Jobindsats download may write the measure's group first
                            ungrouped = _fold(str(cells[i]).rsplit(":", 1)[-1])
                            if label and _fold(label) in (name, ungrouped) and role not in columns:
                                columns[role] = i
            if "area" in columns and "period" in columns:
                dims = []
                if self.fixed is not None:
                    by_name = {_fold(b.name_da): b for b in self.fixed.breakdowns}
                    by_name |= {_fold(b.id): b for b in self.fixed.breakdowns}
                    if self.fixed.jobindsats:  # the table's own name ("Ydelsesgrupper")
                        by_name |= {_fold(self.fixed.jobindsats.dimensions[b.id]): b
                                    for b in self.fixed.breakdowns
                                    if b.id in self.fixed.jobindsats.dimensions}
                    dims = [(i, by_name[n]) for i, n in enumerate(folded)
                            if n in by_name and i not in columns.values()]
                return index, columns, dims
        return None

    def _row(self, number: int, cells: dict[str, tuple[str, object]], dims) -> None:
        errors_before = len(self.result.errors)
        ind = self._indicator(number, cells)
        period = self._period(number, cells, ind)
        area = self._area(number, cells, ind)
        breakdown = self._breakdown(number, cells, dims, ind)
        numbers = self._numbers(number, cells, ind)
        provisional = self._provisional(number, cells)
        if len(self.result.errors) > errors_before:
            return
        key = (ind.id, period, area.level, area.code, *breakdown)
        if key in self.seen:
            self.error(number, "", "", f"samme tal som række {self.seen[key]} "
                       f"({ind.id}, {period}, {area.name}, {breakdown[1]})")
            return
        self.seen[key] = number
        self.result.rows.append({
            "indicator": ind.id, "period": period, "area_level": area.level,
            "area_code": area.code, "breakdown": breakdown[0], "breakdown_value": breakdown[1],
            **numbers, "provisional": provisional})
        self.result.line_of.append(number)

    def _indicator(self, number, cells) -> Indicator | None:
        if "indicator" not in cells:
            return self.fixed
        column, cell = cells["indicator"]
        text = _cell_text(cell).upper()
        try:
            ind = self.catalogue.indicator(text)
        except KeyError:
            known = ", ".join(i.id for i in self.catalogue.indicators)
            self.error(number, column, cell, f"ukendt indikator (kendte i {self.catalogue.year}: {known})")
            return None
        if self.fixed is not None and ind.id != self.fixed.id:
            self.error(number, column, cell, f"filen blev angivet som {self.fixed.id}")
            return None
        return ind

    def _period(self, number, cells, ind) -> str | None:
        column, cell = cells["period"]
        try:
            period = parse_period(cell)
        except PeriodError as exc:
            self.error(number, column, cell, str(exc))
            return None
        year = self.result.year
        if period.year not in (year - 1, year):
            self.error(number, column, cell, f"perioden hører ikke til {year - 1}-{year}")
            return None
        if ind is not None:
            allowed = {"month": ("month", "quarter", "half_year", "year"),
                       "quarter": ("quarter", "year")}.get(ind.periodicity, (ind.periodicity,))
            if period.kind not in allowed:
                self.error(number, column, cell, f"{ind.id} opgøres ikke for denne periodetype")
                return None
        return period.code

    def _area(self, number, cells, ind):
        column, cell = cells["area"]
        level = None
        if "area_level" in cells:
            level_column, level_cell = cells["area_level"]
            level = _LEVEL_WORDS.get(_fold(level_cell))
            if _cell_text(level_cell) and level is None:
                self.error(number, level_column, level_cell,
                           "ukendt niveau (kommune, jobcenter, rar, region eller land)")
                return None
        if isinstance(cell, int | float) and not isinstance(cell, bool):
            cell = _cell_text(cell)
        try:
            area = resolve_area(_cell_text(cell), level)
        except UnknownAreaError as exc:
            self.error(number, column, cell, f"ukendt område{_detail(exc)}; skriv et kommunenavn, en "
                       "kommunekode, «Region …», «RAR …», «Jobcenter …» eller «Hele landet»")
            return None
        if ind is not None and area.level not in ind.area_levels:
            self.error(number, column, cell, f"{ind.id} opgøres ikke for niveauet {area.level}")
            return None
        return area

    def _breakdown(self, number, cells, dims, ind) -> tuple[str, str]:
        if "breakdown" in cells:
            column, cell = cells["breakdown"]
            text = _cell_text(cell)
            value_column, value_cell = cells.get("breakdown_value", ("", None))
            value_text = _cell_text(value_cell)
            if _is_total(text):
                return TOTAL, TOTAL
            if ind is None:
                return TOTAL, TOTAL
            found = _match_breakdown(ind.breakdowns, text)
            if found is None:
                known = ", ".join(b.id for b in ind.breakdowns) or "ingen"
                self.error(number, column, cell, f"{ind.id} har ikke denne opdeling (har: {known})")
                return TOTAL, TOTAL
            value = _match_value(found, value_text)
            if value is None:
                self.error(number, value_column or column, value_cell,
                           f"ukendt værdi i opdelingen {found.name_da} "
                           f"(kendte: {', '.join(found.labels_da or found.values)})")
                return TOTAL, TOTAL
            return found.id, value
        chosen = []
        for column, breakdown, cell in dims:
            text = _cell_text(cell)
            if _is_total(text):
                continue
            value = _match_value(breakdown, text)
            if value is None:
                self.error(number, column, cell, f"ukendt værdi i opdelingen {breakdown.name_da} "
                           f"(kendte: {', '.join(breakdown.labels_da or breakdown.values)})")
                return TOTAL, TOTAL
            chosen.append((breakdown.id, value))
        if len(chosen) > 1:
            self.error(number, "", "", "en række kan kun have én opdeling; de andre skal være «I alt»")
            return TOTAL, TOTAL
        return chosen[0] if chosen else (TOTAL, TOTAL)

    def _numbers(self, number, cells, ind) -> dict:
        parsed: dict[str, float | None] = {}
        suppressed = False
        for role in ("numerator", "denominator", "value"):
            if role not in cells:
                parsed[role] = None
                continue
            column, cell = cells[role]
            if is_suppressed(cell):
                suppressed = True
                parsed[role] = None
                continue
            try:
                parsed[role] = parse_number(cell, decimal_comma=True)
            except NotANumber:
                self.error(number, column, cell, "ikke et tal (brug fx 12,5 eller 12.5; "
                           "«-» eller «..» for diskretionerede tal)")
                return {}
            if parsed[role] is not None and parsed[role] < 0:
                self.error(number, column, cell, "tal kan ikke være negative")
                return {}
        if ind is None:
            return {}
        if suppressed:
            return {"numerator": None, "denominator": None, "value": None, "suppressed": True}
        num, den, value = parsed["numerator"], parsed["denominator"], parsed["value"]
        if (num is None) != (den is None) and "numerator" in cells:
            self.error(number, "", "", "tæller og nævner skal begge udfyldes eller begge være tomme")
            return {}
        if ind.unit == "pct":
            if num is not None and den is not None:
                if num > den:
                    self.error(number, cells["numerator"][0], cells["numerator"][1],
                               "tælleren er større end nævneren")
                    return {}
                computed = 100.0 * num / den if den else None
                if value is None:
                    value = computed
                elif computed is not None and abs(value - computed) > _TOLERANCE_PP:
                    self.error(number, cells["value"][0], cells["value"][1],
                               f"værdien passer ikke med tæller/nævner ({computed:.1f} pct.)")
                    return {}
            if value is not None and value > 100:
                self.error(number, cells["value"][0], cells["value"][1],
                           "en andel i pct. kan ikke være over 100")
                return {}
        elif value is None and num is not None:
            value = num
        if value is None and num is None:
            self.error(number, "", "", "rækken har intet tal (skriv «-» eller «..» for et "
                       "diskretioneret tal)")
            return {}
        threshold = ind.suppression_threshold
        if any(x is not None and 0 < x < threshold for x in (num, den)):
            self.error(number, cells["numerator"][0], cells["numerator"][1],
                       f"tæller/nævner under diskretionsgrænsen ({threshold}) må ikke vises; "
                       "skriv «-» i stedet")
            return {}
        return {"numerator": num, "denominator": den, "value": value, "suppressed": False}

    def _provisional(self, number, cells) -> bool:
        if "provisional" not in cells:
            return False
        column, cell = cells["provisional"]
        text = _cell_text(cell).casefold()
        if text in _YES:
            return True
        if text not in _NO:
            self.error(number, column, cell, "skriv ja eller nej")
        return False


_LEVEL_WORDS = {"kommune": "kommune", "kommuner": "kommune", "jobcenter": "jobcenter",
                "jobcentre": "jobcenter", "rar": "rar", "raromraade": "rar", "rarområde": "rar",
                "region": "region", "land": "land", "helelandet": "land", "": None}


def _detail(exc: UnknownAreaError) -> str:
    return " (tvetydigt navn)" if "tvetydigt" in str(exc.key) else ""


def _match_breakdown(breakdowns: tuple[Breakdown, ...], text: str) -> Breakdown | None:
    key = _fold(text)
    return next((b for b in breakdowns if key in (_fold(b.id), _fold(b.name_da))), None)


def _match_value(breakdown: Breakdown, text: str) -> str | None:
    key = _fold(text)
    for value in breakdown.values:
        if key in (_fold(value), _fold(breakdown.label(value))):
            return value
    return None


def parse_period(cell: object) -> Period:
    """A period as files write it: 2023M01, 2023M1, 2023-01, 2023Q1, 2023K1, 2023H1, 2023,
    "januar 2023", or an Excel date (its month)."""
    if isinstance(cell, datetime | date):
        return Period.month(cell.year, cell.month)
    text = _cell_text(cell).upper().replace(" ", "")
    if not text:
        raise PeriodError("perioden mangler")
    m = re.fullmatch(r"(\d{4})(?:M|-)(\d{1,2})", text)
    if m and 1 <= int(m[2]) <= 12:
        return Period.month(int(m[1]), int(m[2]))
    m = re.fullmatch(r"(\d{4})K(\d)", text)
    if m:
        text = f"{m[1]}Q{m[2]}"
    m = re.fullmatch(r"([A-ZÆØÅ]+)(\d{4})", text)
    if m and m[1].casefold() in _MONTHS:
        return Period.month(int(m[2]), _MONTHS[m[1].casefold()])
    try:
        return Period.parse(text)
    except PeriodError:
        raise PeriodError("ukendt periode (skriv fx 2023M01, 2023K1, 2023H1 eller 2023)") from None
