"""How far municipalities are with their targets, per goal, for the overview and the minister.

A municipality's status on a goal is the least favourable status among its assessable targets
and local indicators under that goal (a goal is only "on track" when every part of it is), or
"not assessable" when none can be assessed. The counts are of municipalities, not targets.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass

from django.core.cache import cache

from jobmaal.analysis.progress import LABELS_DA, ProgressStatus
from jobmaal.web.followup.models import Plan
from jobmaal.web.followup.status import local_statuses, target_statuses
from jobmaal.web.models import Release

# Least favourable first; "not assessable" never outranks an assessed status.
WORST_FIRST = [ProgressStatus.MOVING_AWAY, ProgressStatus.LITTLE_PROGRESS, ProgressStatus.SOME_PROGRESS,
               ProgressStatus.ON_TRACK, ProgressStatus.ACHIEVED]
SHOWN_ORDER = [ProgressStatus.ACHIEVED, ProgressStatus.ON_TRACK, ProgressStatus.SOME_PROGRESS,
               ProgressStatus.LITTLE_PROGRESS, ProgressStatus.MOVING_AWAY, ProgressStatus.NOT_ASSESSABLE]


def goal_status(statuses: list[str]) -> ProgressStatus:
    assessed = [ProgressStatus(s) for s in statuses if s != ProgressStatus.NOT_ASSESSABLE]
    if not assessed:
        return ProgressStatus.NOT_ASSESSABLE
    return min(assessed, key=WORST_FIRST.index)


def plan_statuses(plan: Plan, release: Release | None) -> list[tuple[int, str | None, str]]:
    """(goal, national indicator id or None for a local one, status) of every target."""
    rows = [(s.indicator.goal, s.indicator.id, str(s.result.status)) for s in target_statuses(plan, release)]
    rows += [(s.indicator.goal_number, None, str(s.result.status)) for s in local_statuses(plan)]
    return rows


def plan_goal_statuses(plan: Plan, release: Release | None,
                       rows: list[tuple[int, str | None, str]] | None = None) -> dict[int, ProgressStatus]:
    by_goal: dict[int, list[str]] = {}
    for goal, _, status in plan_statuses(plan, release) if rows is None else rows:
        by_goal.setdefault(goal, []).append(status)
    return {goal: goal_status(statuses) for goal, statuses in by_goal.items()}


def tally_statuses(plans: list[Plan],
                   release: Release | None) -> tuple[dict[int, Counter], dict[str, Counter]]:
    """Municipalities per status per goal, and targets per status per national indicator, from
    one assessment of each plan."""
    by_goal, by_indicator = group_statuses(plans, release)

    def tally(groups: dict[str, list[int]]) -> Counter:
        return Counter({status: len(codes) for status, codes in groups.items()})

    return ({goal: tally(g) for goal, g in by_goal.items()},
            {ind: tally(g) for ind, g in by_indicator.items()})


def group_statuses(plans: list[Plan], release: Release | None
                   ) -> tuple[dict[int, dict[str, list[int]]], dict[str, dict[str, list[int]]]]:
    """The municipality codes per status per goal, and per status per national indicator (one
    target per indicator and plan), from one assessment of each plan; codes in plan order."""
    by_goal: dict[int, dict[str, list[int]]] = {}
    by_indicator: dict[str, dict[str, list[int]]] = {}
    for plan in plans:
        rows = plan_statuses(plan, release)
        for goal, status in plan_goal_statuses(plan, release, rows).items():
            by_goal.setdefault(goal, {}).setdefault(status, []).append(plan.municipality_code)
        for _, indicator, status in rows:
            if indicator is not None:
                by_indicator.setdefault(indicator, {}).setdefault(status, []).append(plan.municipality_code)
    return by_goal, by_indicator


def newest_plans(year: int, *, published_only: bool) -> list[Plan]:
    """The newest revision per municipality (the newest published one when `published_only`)."""
    plans = Plan.objects.filter(year=year)
    if published_only:
        plans = plans.filter(published=True)
    newest: dict[int, Plan] = {}
    for plan in plans.order_by("municipality_code", "-revision"):
        newest.setdefault(plan.municipality_code, plan)
    return list(newest.values())


@dataclass(frozen=True)
class GoalCount:
    status: str
    label: str
    municipalities: int


def goal_counts(year: int, release: Release | None, *, published_only: bool,
                stamp: int) -> dict[int, list[GoalCount]]:
    """Per goal, the number of municipalities in each status (cached per plan change)."""
    key = f"goalcounts:{year}:{release.pk if release else 0}:{published_only}:{stamp}"
    counts = cache.get(key)
    if counts is None:
        counts = count_goal_statuses(newest_plans(year, published_only=published_only), release)
        cache.set(key, counts, 3600)
    return counts


def count_goal_statuses(plans: list[Plan], release: Release | None) -> dict[int, list[GoalCount]]:
    by_goal, _ = tally_statuses(plans, release)
    return {goal: [GoalCount(str(s), LABELS_DA[s], tally.get(s, 0)) for s in SHOWN_ORDER]
            for goal, tally in by_goal.items()}
