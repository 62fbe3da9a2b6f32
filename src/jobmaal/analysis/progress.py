"""Progress towards a target: is a municipality on its way to the value it set itself?

The method follows Statistics Canada's progress assessment as Open SDG (sdg-build) uses it for
targets with a value: compare the rate of change actually seen from the baseline to the latest
value with the rate needed from the baseline to reach the target by the target period, and
classify the ratio

    ratio = actual rate / required rate

    ratio ≥ 0.95          on_track         "På rette vej"
    0.5 ≤ ratio < 0.95    some_progress    "Nogen fremgang"        (Open SDG: moderate progress)
    0 ≤ ratio < 0.5       little_progress  "Lille fremgang"        (Open SDG: limited progress)
    ratio < 0             moving_away      "Bevæger sig væk fra målet" (Open SDG: deterioration)

A latest value that already meets the target in the desired direction (≥ for "up", ≤ for
"down") is `achieved`, whatever the ratio. sdg-build's default middle threshold is 0.6; Jobmål
uses 0.5 as the municipal follow-up was specified with it (`SOME_PROGRESS_RATIO`).

Rates are linear, in units per year: (latest − baseline) / years elapsed, and
(target − baseline) / years to the target. Open SDG uses compound annual growth rates (CAGR);
Jobmål does not, because its indicators are percentages (and local counts) where

- CAGR is undefined at a baseline of 0 and explodes near it (0,5 % → 1,0 % is "100 % growth"),
  and sdg-build has to replace a 0 baseline or target by 0.001;
- for "down" targets (REKRUT, failed recruitments) a CAGR towards a low target overstates the
  required pace relative to a straight line, and a share of people is read in percentage
  points, not in percent of itself: 40 % → 44 % is +4 percentage points.

The linear rate of a percentage is in percentage points per year. Time is measured between the
midpoints of the periods in months, a month being 1/12 year: 2023M06 to 2024M06 is 1.0 year,
2023H1 to 2024 is 1.25 years (midpoints 1 April 2023 and 1 July 2024).
The ratio is rounded to 9 decimals before it is compared with the thresholds, so float noise
in hand-typed values (54.75 − 50) cannot move a case that is exactly on a threshold.

Cases that cannot be assessed (`not_assessable`, "Kan ikke vurderes"): a missing baseline,
latest or target value (None or NaN, e.g. suppressed); a latest period before the baseline
period; no time elapsed between baseline and latest while the target is not met; a target
period that is not after the baseline period.

A target that equals the baseline, or lies behind it (the baseline was already better than
the target), needs no change; the required rate is 0 or points backwards, so there is no
meaningful ratio. Then the latest value either meets the target (`achieved`) or has fallen
short of a level the baseline met, which means it has moved the wrong way (`moving_away`,
ratio None).

See docs/progress.md for the same in Danish for the job centres' analysts.
"""

from __future__ import annotations

import math
from collections.abc import Iterable
from dataclasses import dataclass
from enum import StrEnum

from jobmaal import formats
from jobmaal.periods import Period, PeriodError

ON_TRACK_RATIO = 0.95
SOME_PROGRESS_RATIO = 0.5
LITTLE_PROGRESS_RATIO = 0.0
_RATIO_DIGITS = 9
DIRECTIONS = ("up", "down")


class ProgressStatus(StrEnum):
    """Progress of one target; the values are stable codes stored and passed between layers."""

    ACHIEVED = "achieved"
    ON_TRACK = "on_track"
    SOME_PROGRESS = "some_progress"
    LITTLE_PROGRESS = "little_progress"
    MOVING_AWAY = "moving_away"
    NOT_ASSESSABLE = "not_assessable"


LABELS_DA: dict[ProgressStatus, str] = {
    ProgressStatus.ACHIEVED: "Målet er nået",
    ProgressStatus.ON_TRACK: "På rette vej",
    ProgressStatus.SOME_PROGRESS: "Nogen fremgang",
    ProgressStatus.LITTLE_PROGRESS: "Lille fremgang",
    ProgressStatus.MOVING_AWAY: "Bevæger sig væk fra målet",
    ProgressStatus.NOT_ASSESSABLE: "Kan ikke vurderes",
}


class ProgressInputError(ValueError):
    """An input that is not a question of data: an unknown direction or a bad period code."""


@dataclass(frozen=True)
class ProgressInput:
    """Baseline, latest value and target of one indicator for one area.

    `direction` is "up" when higher is better, "down" when lower is better (REKRUT). `unit` is
    the catalogue unit ("pct" or "antal") and only changes the wording of the explanation, as
    does `survey_rounds` (the catalogue's: a half-year is shown as its posting window).
    """

    baseline_value: float | None
    baseline_period: str | None
    latest_value: float | None
    latest_period: str | None
    target_value: float | None
    target_period: str | None
    direction: str = "up"
    unit: str = "pct"
    survey_rounds: bool = False  # half-years are survey rounds, named by posting window (REKRUT)


@dataclass(frozen=True)
class ProgressResult:
    """The status with its Danish label; rates in units (percentage points) per year."""

    status: ProgressStatus
    label_da: str
    ratio: float | None
    actual_rate: float | None
    required_rate: float | None
    explanation_da: str


def assess_progress(item: ProgressInput) -> ProgressResult:
    """The progress status of one target (see the module docstring for the method)."""
    if item.direction not in DIRECTIONS:
        raise ProgressInputError(f"direction must be 'up' or 'down', not {item.direction!r}")
    missing = [name for name, value in (("udgangspunkt", item.baseline_value),
                                        ("seneste tal", item.latest_value),
                                        ("måltal", item.target_value)) if _missing(value)]
    missing += [name for name, code in (("udgangsperiode", item.baseline_period),
                                        ("seneste periode", item.latest_period),
                                        ("målperiode", item.target_period)) if not code]
    if missing:
        return _not_assessable(f"Der mangler {_join_da(missing)}.")
    baseline, latest, target = float(item.baseline_value), float(item.latest_value), float(item.target_value)
    elapsed = years_between(item.baseline_period, item.latest_period)
    to_target = years_between(item.baseline_period, item.target_period)
    baseline_at, latest_at, target_at = (_period(code, item.survey_rounds) for code in (
        item.baseline_period, item.latest_period, item.target_period))
    if elapsed < 0:
        return _not_assessable(f"Seneste tal ({latest_at}) ligger før udgangspunktet "
                               f"({baseline_at}).")
    sign = 1.0 if item.direction == "up" else -1.0
    unit = item.unit
    if sign * (latest - target) >= 0:
        side = "over" if sign > 0 else "under"
        return _result(ProgressStatus.ACHIEVED, None, _rate(latest - baseline, elapsed), None,
                       _sentence(f"Seneste tal, {_value(latest, unit)} ({latest_at}), "
                                 f"er på eller {side} målet på {_value(target, unit)}"))
    if sign * (target - baseline) <= 0:
        # The baseline already met the target and the latest value no longer does.
        return _result(ProgressStatus.MOVING_AWAY, None, _rate(latest - baseline, elapsed), 0.0,
                       f"Udgangspunktet, {_value(baseline, unit)} ({baseline_at}), "
                       f"opfyldte allerede målet på {_value(target, unit)}, men seneste tal, "
                       f"{_value(latest, unit)} ({latest_at}), gør ikke.")
    if elapsed == 0:
        return _not_assessable(f"Der er ingen tal efter udgangspunktet ({baseline_at}) "
                               "endnu, så udviklingen kan ikke vurderes.")
    if to_target <= 0:
        return _not_assessable(f"Målperioden ({target_at}) ligger ikke efter "
                               f"udgangspunktet ({baseline_at}).")
    actual = (latest - baseline) / elapsed
    required = (target - baseline) / to_target
    ratio = round(actual / required, _RATIO_DIGITS)
    status = status_of_ratio(ratio)
    per_year = " pct.-point om året" if unit == "pct" else " om året"
    text = (f"Fra {_value(baseline, unit)} ({baseline_at}) til "
            f"{_value(latest, unit)} ({latest_at}) er en ændring på "
            f"{_signed(actual)}{per_year}. Målet på {_value(target, unit)} "
            f"({target_at}) kræver {_signed(required)}{per_year}. "
            f"{pace_da(ratio)}")
    return _result(status, ratio, actual, required, text)


def status_of_ratio(ratio: float) -> ProgressStatus:
    """The status of a ratio of actual to required rate (target not yet achieved)."""
    if ratio >= ON_TRACK_RATIO:
        return ProgressStatus.ON_TRACK
    if ratio >= SOME_PROGRESS_RATIO:
        return ProgressStatus.SOME_PROGRESS
    if ratio >= LITTLE_PROGRESS_RATIO:
        return ProgressStatus.LITTLE_PROGRESS
    return ProgressStatus.MOVING_AWAY


def years_between(first: str, last: str) -> float:
    """Years from the midpoint of period `first` to that of `last`, counted in months / 12."""
    return (_midpoint_months(last) - _midpoint_months(first)) / 12


def count_statuses(results: Iterable[ProgressResult | str]) -> dict[ProgressStatus, int]:
    """How many results have each status, every status present (0 when none), in label order."""
    counts = dict.fromkeys(ProgressStatus, 0)
    for result in results:
        status = result.status if isinstance(result, ProgressResult) else ProgressStatus(result)
        counts[status] += 1
    return counts


def _midpoint_months(code: str) -> float:
    try:
        period = Period.parse(code)
    except PeriodError as err:
        raise ProgressInputError(str(err)) from err
    months = period.last_month - period.first_month + 1
    return period.year * 12 + (period.first_month - 1) + months / 2


def _missing(value: float | None) -> bool:
    return value is None or (isinstance(value, float) and math.isnan(value))


def _rate(change: float, years: float) -> float | None:
    return change / years if years > 0 else None


def _result(status: ProgressStatus, ratio: float | None, actual: float | None, required: float | None,
            text: str) -> ProgressResult:
    return ProgressResult(status, LABELS_DA[status], ratio, actual, required, text)


def not_assessable(text: str) -> ProgressResult:
    """A `not_assessable` result with the Danish reason, for callers that know why before
    there is anything to compare (a hidden baseline or latest figure)."""
    return _not_assessable(text)


def _not_assessable(text: str) -> ProgressResult:
    return _result(ProgressStatus.NOT_ASSESSABLE, None, None, None, text)


def pace_da(ratio: float) -> str:
    """The ratio of actual to required rate in words a council member reads at once."""
    if ratio < 0:
        return "Udviklingen går altså den modsatte vej af målet."
    if ratio == 0:
        return "Der er altså ingen fremgang mod målet."
    if round(ratio, 2) == 1:
        return "Kommunen bevæger sig altså i netop det tempo, målet kræver."
    if ratio < 1:
        share = formats.decimal(ratio * 100, 0)
        return f"Kommunen bevæger sig altså med {share} pct. af det tempo, målet kræver."
    return f"Kommunen bevæger sig altså {formats.decimal(ratio, 1)} gange så hurtigt, som målet kræver."


def _value(value: float, unit: str) -> str:
    return formats.pct(value) if unit == "pct" else formats.decimal(value, 0 if value == int(value) else 1)


def _sentence(text: str) -> str:
    """End a sentence with one full stop, also after "pct." ("målet på 1,2 pct.")."""
    return text if text.endswith(".") else text + "."


def _signed(value: float) -> str:
    text = formats.decimal(value, 2)
    return f"+{text}" if value > 0 else text


def _period(code: str | None, survey_round: bool = False) -> str:
    return formats.period_label(code, survey_round=survey_round) if code else "–"


def _join_da(items: list[str]) -> str:
    return items[0] if len(items) == 1 else ", ".join(items[:-1]) + " og " + items[-1]
