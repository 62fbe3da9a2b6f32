"""What the public municipality page and national overview show of the plans.

Everyone sees published plans; the municipality's own users, the ministry and KL also see the
newest unpublished revision, marked as not public.
"""

from __future__ import annotations

from jobmaal.web.accounts.roles import can_read_private, reads_everything
from jobmaal.web.followup.models import Plan
from jobmaal.web.followup.status import local_statuses, target_statuses
from jobmaal.web.followup.summary import goal_counts
from jobmaal.web.forecasts import target_forecasts
from jobmaal.web.models import Release
from jobmaal.web.pagecache import followup_stamp


def municipality_panel(user, code: int, year: int, release: Release | None) -> dict | None:
    plans = Plan.objects.filter(municipality_code=code, year=year)
    if not can_read_private(user, code):
        plans = plans.filter(published=True)
    plan = plans.order_by("-revision").first()
    if plan is None:
        return None
    targets = {s.indicator.id: s for s in target_statuses(plan, release)}
    locals_: dict[int, list] = {}
    for s in local_statuses(plan):
        locals_.setdefault(s.indicator.goal_number, []).append(s)
    return {"plan": plan, "targets": targets, "locals": locals_,
            "forecasts": target_forecasts(plan, release)}


def overview_panel(user, year: int, release: Release | None) -> dict:
    published_only = not reads_everything(user)
    counts = goal_counts(year, release, published_only=published_only, stamp=followup_stamp())
    plans = Plan.objects.filter(year=year)
    if published_only:
        plans = plans.filter(published=True)
    return {"counts": counts, "published_only": published_only,
            "municipalities": plans.values("municipality_code").distinct().count()}
