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


def plan_goal_statuses(plan: Plan, release: Release | None) -> dict[int, ProgressStatus]:
    by_goal: dict[int, list[str]] = {}
    for s in target_statuses(plan, release):
        by_goal.setdefault(s.indicator.goal, []).append(s.result.status)
    for s in local_statuses(plan):
        by_goal.setdefault(s.indicator.goal_number, []).append(s.result.status)
    return {goal: goal_status(statuses) for goal, statuses in by_goal.items()}


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
    tallies: dict[int, Counter] = {}
    for plan in plans:
        for goal, status in plan_goal_statuses(plan, release).items():
            tallies.setdefault(goal, Counter())[status] += 1
    return {goal: [GoalCount(str(s), LABELS_DA[s], tally.get(s, 0)) for s in SHOWN_ORDER]
            for goal, tally in tallies.items()}
