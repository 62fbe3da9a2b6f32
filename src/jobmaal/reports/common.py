"""What every report format shares: Danish value, date and status wording, status colours."""

from __future__ import annotations

import functools
from datetime import date, datetime

from jobmaal import formats
from jobmaal.analysis.progress import LABELS_DA, ProgressStatus
from jobmaal.catalogue import available_years, load_catalogue
from jobmaal.charts.theme import DAGI_CREDIT

# One colour per status, always shown beside the label (never colour alone); Okabe–Ito based.
STATUS_COLOURS: dict[str, str] = {
    ProgressStatus.ACHIEVED: "#1B7F3B",
    ProgressStatus.ON_TRACK: "#009E73",
    ProgressStatus.SOME_PROGRESS: "#E69F00",
    ProgressStatus.LITTLE_PROGRESS: "#D55E00",
    ProgressStatus.MOVING_AWAY: "#B3261E",
    ProgressStatus.NOT_ASSESSABLE: "#8C8C8C",
}
STATUS_ORDER: tuple[str, ...] = tuple(s.value for s in ProgressStatus)
DIRECTION_DA = {"up": "Højere er bedre", "down": "Lavere er bedre"}
UNIT_DA = {"pct": "Procent", "antal": "Antal"}
DAGI_CREDIT_DA = DAGI_CREDIT  # the wording shared/reference/README.md asks for


def value_text(value: float | None, unit: str) -> str:
    """'55,4 %' for a percentage, '1.234' for a whole count, '12,5' otherwise; '–' for none."""
    if value is None or value != value:  # None or NaN
        return "–"
    if unit == "pct":
        return f"{formats.decimal(value)} %"
    if float(value).is_integer():
        return formats.count(value)
    return formats.decimal(value)


def period_text(code: str | None, indicator_id: str = "") -> str:
    """A period in Danish; a survey round of `indicator_id` (REKRUT's 2023H1) as its posting
    window ("dec. 2022–maj 2023"); '–' for none."""
    if not code:
        return "–"
    return formats.period_label(code, survey_round=indicator_id in survey_round_indicators())


@functools.cache
def survey_round_indicators() -> frozenset[str]:
    """The indicators whose half-year codes are survey rounds (REKRUT), in any catalogue year."""
    return frozenset(i.id for year in available_years() for i in load_catalogue(year).indicators
                     if i.survey_rounds)


def date_text(day: date | datetime | None) -> str:
    """'12. marts 2024'; with a time, in Danish local time, '12. marts 2024 kl. 14.05'; '–'
    for none."""
    if isinstance(day, datetime):
        return formats.datetime_da(day, long=True)
    return formats.date_da(day, long=True)


def status_label(status: str, given: str = "") -> str:
    """The Danish label of a status code; `given` wins when the caller has one."""
    if given:
        return given
    try:
        return LABELS_DA[ProgressStatus(status)]
    except ValueError:
        return status


def status_colour(status: str) -> str:
    return STATUS_COLOURS.get(status, STATUS_COLOURS[ProgressStatus.NOT_ASSESSABLE])


def number_format(unit: str) -> str:
    """The Excel number format of a unit: one decimal for percentages, thousands for counts."""
    return "0.0" if unit == "pct" else "#,##0.##"


def plan_facts(report) -> list[tuple[str, str]]:
    """The plan's key facts, as the front of every plan document lists them."""
    return [
        ("Kommune", f"{report.municipality_name} (kommunekode {report.municipality_code})"),
        ("Planår", str(report.year)),
        ("Revision", str(report.revision)),
        ("Status", report.state_label or report.state),
        ("Behandlet i kommunalbestyrelsen", date_text(report.council_meeting_date)),
        ("Indsendt", date_text(report.submitted_at)),
        ("Godkendt", date_text(report.approved_at)),
        ("Datagrundlag", report.release_name or "–"),
        ("Dannet", date_text(report.generated_at)),
    ]
