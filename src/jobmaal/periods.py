"""Period types of Jobindsats: month `2023M01`, quarter `2023Q1`, half-year `2023H1`, year `2023`.

Every period is a closed run of whole months. Periods parse from and print as Jobindsats codes
and know their first and last day, the same period a year earlier, and the months they hold.
"""

from __future__ import annotations

import calendar
import re
from dataclasses import dataclass
from datetime import date

PERIOD_KINDS: tuple[str, ...] = ("month", "quarter", "half_year", "year")
_MONTHS_PER_KIND = {"month": 1, "quarter": 3, "half_year": 6, "year": 12}
_LETTER = {"month": "M", "quarter": "Q", "half_year": "H"}
_CODE = re.compile(r"^(\d{4})(?:([MQH])(\d{1,2}))?$")


MONTHS_DA = ("januar", "februar", "marts", "april", "maj", "juni", "juli", "august",
              "september", "oktober", "november", "december")
MONTHS_SHORT_DA = ("jan.", "feb.", "mar.", "apr.", "maj", "jun.", "jul.", "aug.", "sep.",
                    "okt.", "nov.", "dec.")
PERIODICITY_DA = {"month": "månedlig", "quarter": "kvartalsvis", "half_year": "halvårlig",
                  "year": "årlig"}


class PeriodError(ValueError):
    """A text that is not a Jobindsats period code."""


@dataclass(frozen=True, order=True)
class Period:
    """`kind` with `index` counted from 1 inside `year` (month 1–12, quarter 1–4, half 1–2)."""

    year: int
    kind: str
    index: int = 1

    def __post_init__(self) -> None:
        if self.kind not in _MONTHS_PER_KIND:
            raise PeriodError(f"unknown period kind {self.kind!r}")
        if not 1 <= self.index <= 12 // _MONTHS_PER_KIND[self.kind]:
            raise PeriodError(f"{self.kind} index {self.index} out of range in {self.year}")

    # -- constructors ------------------------------------------------------------------------
    @classmethod
    def parse(cls, code: str) -> Period:
        m = _CODE.match(code.strip())
        if not m:
            raise PeriodError(f"not a period code: {code!r} (expected 2023M01, 2023Q1, 2023H1, 2023)")
        year, letter, number = int(m[1]), m[2], m[3]
        if letter is None:
            return cls(year, "year")
        if letter == "M" and len(number) != 2:
            raise PeriodError(f"month must have two digits: {code!r}")
        kind = {"M": "month", "Q": "quarter", "H": "half_year"}[letter]
        return cls(year, kind, int(number))

    @classmethod
    def month(cls, year: int, month: int) -> Period:
        return cls(year, "month", month)

    @classmethod
    def of_date(cls, day: date, kind: str = "month") -> Period:
        size = _MONTHS_PER_KIND[kind]
        return cls(day.year, kind, (day.month - 1) // size + 1)

    # -- text -----------------------------------------------------------------------------------
    @property
    def code(self) -> str:
        if self.kind == "year":
            return str(self.year)
        width = 2 if self.kind == "month" else 1
        return f"{self.year}{_LETTER[self.kind]}{self.index:0{width}d}"

    def __str__(self) -> str:
        return self.code

    def label_da(self, short: bool = False) -> str:
        """Danish label: 'januar 2023' ('jan. 2023' short), '1. kvt. 2023', '1. halvår 2023'."""
        match self.kind:
            case "month":
                names = MONTHS_SHORT_DA if short else MONTHS_DA
                return f"{names[self.index - 1]} {self.year}"
            case "quarter":
                return f"{self.index}. kvt. {self.year}"
            case "half_year":
                return f"{self.index}. halvår {self.year}"
        return str(self.year)

    # -- calendar -------------------------------------------------------------------------------
    @property
    def first_month(self) -> int:
        return (self.index - 1) * _MONTHS_PER_KIND[self.kind] + 1

    @property
    def last_month(self) -> int:
        return self.first_month + _MONTHS_PER_KIND[self.kind] - 1

    @property
    def start(self) -> date:
        return date(self.year, self.first_month, 1)

    @property
    def end(self) -> date:
        last = self.last_month
        return date(self.year, last, calendar.monthrange(self.year, last)[1])

    def months(self) -> tuple[Period, ...]:
        return tuple(Period.month(self.year, m) for m in range(self.first_month, self.last_month + 1))

    def contains(self, other: Period) -> bool:
        return self.start <= other.start and other.end <= self.end

    def year_earlier(self) -> Period:
        """The same period one year before (2023Q2 → 2022Q2)."""
        return Period(self.year - 1, self.kind, self.index)

    def shift(self, n: int) -> Period:
        """The period n steps later (negative: earlier) of the same kind."""
        per_year = 12 // _MONTHS_PER_KIND[self.kind]
        ordinal = self.year * per_year + self.index - 1 + n
        return Period(ordinal // per_year, self.kind, ordinal % per_year + 1)

    def months_ending(self, n: int = 3) -> tuple[Period, ...]:
        """The n months ending in this period's last month (for a month m: m-2, m-1, m)."""
        last = Period.month(self.year, self.last_month)
        return tuple(last.shift(-k) for k in range(n - 1, -1, -1))


_QUARTER_DA = re.compile(r"^([1-4])\.?\s*(?:kvt\.?|kvartal)\s*(\d{4})$")
_HALF_DA = re.compile(r"^([12])\.?\s*halvår\s*(\d{4})$")
_MONTH_DA = re.compile(r"^([a-zæøå]+)\.?\s*(\d{4})$")
_QUARTER_K = re.compile(r"^(\d{4})\s*k([1-4])$")


def parse_period_da(text: str) -> Period:
    """A period as the pages show it or as a code: "4. kvt. 2022", "2. halvår 2023", "2023",
    "januar 2023", "jan. 2023", "2023K4", "2023Q4", "2023H2", "2023M01". Raises PeriodError."""
    clean = " ".join(text.strip().lower().split())
    for pattern, kind in ((_QUARTER_DA, "quarter"), (_HALF_DA, "half_year")):
        m = pattern.match(clean)
        if m:
            return Period(int(m[2]), kind, int(m[1]))
    m = _QUARTER_K.match(clean)
    if m:
        return Period(int(m[1]), "quarter", int(m[2]))
    m = _MONTH_DA.match(clean)
    if m:
        name = m[1]
        for names in (MONTHS_DA, MONTHS_SHORT_DA):
            stripped = [n.rstrip(".") for n in names]
            if name in stripped:
                return Period.month(int(m[2]), stripped.index(name) + 1)
    return Period.parse(clean.upper().replace(" ", ""))


def survey_window(period: Period) -> tuple[Period, Period]:
    """The posting window of a recruitment-survey round coded by a half-year (one round per
    code): H1 of Y covers December Y-1 to May Y, H2 June to November Y (STAR's rolling six
    months)."""
    if period.kind != "half_year":
        raise PeriodError(f"a survey round is coded by a half-year, not {period.code}")
    last = Period.month(period.year, 5 if period.index == 1 else 11)
    return last.shift(-5), last


def survey_window_da(period: Period) -> str:
    """A survey round's posting window in Danish: "dec. 2021–maj 2022", "jun.–nov. 2022"."""
    first, last = survey_window(period)
    start = MONTHS_SHORT_DA[first.index - 1]
    end = f"{MONTHS_SHORT_DA[last.index - 1]} {last.year}"
    return f"{start}–{end}" if first.year == last.year else f"{start} {first.year}–{end}"


def period_window_da(code: str) -> str | None:
    """The posting window in Danish of a survey round's code (a half-year); None for a code
    that is no half-year (the `period_window` beside REKRUT's periods in the API and files)."""
    try:
        period = Period.parse(code)
    except PeriodError:
        return None
    return survey_window_da(period) if period.kind == "half_year" else None


def periods_of_year(year: int, kind: str) -> tuple[Period, ...]:
    count = 12 // _MONTHS_PER_KIND[kind]
    return tuple(Period(year, kind, i) for i in range(1, count + 1))


def all_periods_of_year(year: int) -> tuple[Period, ...]:
    """Every month, quarter, half-year and the year itself."""
    return tuple(p for kind in PERIOD_KINDS for p in periods_of_year(year, kind))
