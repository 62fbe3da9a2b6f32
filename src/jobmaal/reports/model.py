"""The plain records a report is made from; the web layer fills them (no ORM, no Django).

Values are None when there is no number (missing or suppressed). `status` fields hold the codes
of `jobmaal.analysis.progress.ProgressStatus` ("on_track", ...), `status_label` their Danish text.
Rich text (`focus`, `efforts`) is the Markdown subset of `reports.richtext`.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime


@dataclass(frozen=True)
class TargetRow:
    """A national indicator's target in a plan, with its baseline and latest value."""

    goal_number: int
    indicator_id: str
    indicator_name: str
    unit: str  # "pct" or "antal", as in the catalogue
    direction: str  # "up" or "down": which way is better
    baseline_value: float | None
    baseline_period: str | None
    target_value: float
    target_period: str
    latest_value: float | None
    latest_period: str | None
    status: str
    status_label: str
    series: list[tuple[str, float | None]] = field(default_factory=list)  # (period, value) for a chart
    explanation: str = ""  # the progress explanation in Danish, if any
    area_name: str = ""  # the area the figures are of (REKRUT: the RAR area); "" = the municipality
    hidden_periods: tuple[str, ...] = ()  # periods of `series` whose figure is suppressed
    suppression_threshold: int | None = None  # the release's: counts 1 to this − 1 are hidden


@dataclass(frozen=True)
class LocalValue:
    """One value of a local indicator as the municipality entered it."""

    period: str
    value: float | None
    comment: str = ""


@dataclass(frozen=True)
class LocalIndicatorRow:
    """An indicator the municipality defined itself (goals 1 and 4 have no national one)."""

    goal_number: int
    name: str
    definition: str
    unit: str
    direction: str
    baseline_value: float | None
    baseline_period: str | None
    target_value: float | None
    target_period: str | None
    values: list[LocalValue]
    status: str
    status_label: str


@dataclass(frozen=True)
class GoalSection:
    """One goal of the plan: the municipality's focus and efforts, its targets and indicators."""

    number: int
    title: str
    focus: str  # Markdown subset
    efforts: str  # Markdown subset
    targets: list[TargetRow]
    local_indicators: list[LocalIndicatorRow]
    summary: str = ""  # the written summary of the goal's national indicators (plain Danish text)


@dataclass(frozen=True)
class PlanReport:
    """A municipality's employment plan (beskæftigelsesplan) follow-up for one year."""

    municipality_code: int
    municipality_name: str
    year: int
    revision: int
    state: str
    state_label: str
    council_meeting_date: date | None
    submitted_at: datetime | None
    approved_at: datetime | None
    synthetic: bool
    release_name: str | None
    generated_at: datetime
    goals: list[GoalSection]


@dataclass(frozen=True)
class NationalIndicatorRow:
    """One national indicator across the 98: the country figure, statuses and a map."""

    indicator_id: str
    name: str
    unit: str
    period: str
    country_value: float | None
    change_pp: float | None  # against the same period a year earlier
    status_counts: dict[str, int]  # progress status code → number of municipalities
    map_values: dict[int, float | None]  # municipality code → value
    direction: str = "up"
    suppressed: frozenset[int] = frozenset()  # municipality codes whose value is suppressed
    # progress status code → the names of the municipalities whose target has it, sorted
    status_municipalities: dict[str, list[str]] = field(default_factory=dict)
    suppression_threshold: int | None = None  # the release's: counts 1 to this − 1 are hidden
    summary: str = ""  # the written summary of the country's figures (plain Danish text)


@dataclass(frozen=True)
class NationalGoalRow:
    """One goal across the 98 municipalities."""

    number: int
    title: str
    status_counts: dict[str, int]  # progress status code → number of targets
    plans_by_state: dict[str, int]  # state label in Danish → number of plans, in display order
    indicators: list[NationalIndicatorRow]
    # progress status code → the names of the municipalities with that status on the goal, sorted
    status_municipalities: dict[str, list[str]] = field(default_factory=dict)


@dataclass(frozen=True)
class NationalReport:
    """The national status of the municipal follow-up, for the minister."""

    year: int
    release_name: str | None
    synthetic: bool
    generated_at: datetime
    plans_by_state: dict[str, int]  # state label in Danish → number of plans, in display order
    goals: list[NationalGoalRow]
    scope_note: str = ""  # which plans are counted (all, or only published ones)
