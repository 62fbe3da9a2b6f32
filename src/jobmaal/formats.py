"""Danish number and period formats: the one place for analysis texts, charts, pages and files."""

from __future__ import annotations

import math
from datetime import date, datetime
from zoneinfo import ZoneInfo

from jobmaal.periods import MONTHS_DA, MONTHS_SHORT_DA, Period, PeriodError, survey_window_da

# Every time a user reads (pages, PDF, Word, Excel, CSV) is Danish local time.
LOCAL_TIME = ZoneInfo("Europe/Copenhagen")

SUPPRESSED_DA = "Diskretioneret"
MISSING_DA = "Ingen data"


def _missing(value: float | None) -> bool:
    """No number: None, NaN, or anything that is not a number (a template's empty string)."""
    if isinstance(value, bool) or not isinstance(value, int | float):
        return True
    return isinstance(value, float) and math.isnan(value)


def decimal(value: float | None, digits: int = 1) -> str:
    """12.345 → '12,3'; thousands with '.': 12345.6 → '12.345,6'."""
    if _missing(value):
        return "–"
    text = f"{value:,.{digits}f}"
    return text.replace(",", "\u0000").replace(".", ",").replace("\u0000", ".")


def plain(value: float | None) -> str:
    """A number as typed, without thousands separator: 1.5 → '1,5', 2023 → '2023', 47.0 → '47'.
    For values echoed back in messages and forms, and for years."""
    if _missing(value):
        return "–"
    return f"{value:g}".replace(".", ",") if abs(value) < 1e15 else decimal(value, 0)


def year(value: int | str | None) -> str:
    """A year never has a thousands separator: 2023 → '2023'."""
    return "" if value is None or value == "" else str(int(value))


def count(value: float | None) -> str:
    """12345 → '12.345'."""
    return decimal(value, 0)


def pct(value: float | None, *, suppressed: bool = False) -> str:
    """A percentage as Danish text: '12,3 pct.'; suppressed and missing said in words."""
    if suppressed:
        return SUPPRESSED_DA
    if _missing(value):
        return MISSING_DA
    return f"{decimal(value)} pct."


def change_pp(value: float | None) -> str:
    """A change in percentage points: '+1,2 pct.-point'."""
    if _missing(value):
        return "–"
    text = decimal(value)
    if text in ("0,0", "-0,0"):
        return "0,0 pct.-point"
    return f"{'+' if value > 0 else ''}{text} pct.-point"


def period_label(code: str, short: bool = False, survey_round: bool = False) -> str:
    """A period code in Danish; with `survey_round`, a half-year is shown as the recruitment
    survey's posting window it codes ("dec. 2021–maj 2022")."""
    try:
        period = Period.parse(code)
    except PeriodError:
        return code
    if survey_round and period.kind == "half_year":
        return survey_window_da(period)
    return period.label_da(short=short)


def local(moment: datetime) -> datetime:
    """An aware time in Danish local time; a naive one is taken as already local."""
    return moment.astimezone(LOCAL_TIME) if moment.tzinfo is not None else moment


def date_da(day: date | datetime | None, *, long: bool = False) -> str:
    """'4. dec. 2026' (long: '4. december 2026'); a time counts by its Danish date; '–' for none."""
    if day is None or day == "":
        return "–"
    if isinstance(day, datetime):
        day = local(day)
    names = MONTHS_DA if long else MONTHS_SHORT_DA
    return f"{day.day}. {names[day.month - 1]} {day.year}"


def datetime_da(moment: datetime | None, *, long: bool = False, seconds: bool = False) -> str:
    """'4. dec. 2026 kl. 14.48' in Danish local time (seconds: 'kl. 14.48.31'); '–' for none."""
    if moment is None or moment == "":
        return "–"
    moment = local(moment)
    clock = f"{moment:%H.%M.%S}" if seconds else f"{moment:%H.%M}"
    return f"{date_da(moment, long=long)} kl. {clock}"


def time_da(moment: datetime, *, seconds: bool = False) -> str:
    """The Danish local clock time of a moment: '14.48' (seconds: '14.48.31')."""
    return f"{local(moment):%H.%M.%S}" if seconds else f"{local(moment):%H.%M}"
