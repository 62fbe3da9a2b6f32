"""Local indicators filled from a release: a plan's goal-4 indicator that picked a register
series (LocalIndicator.series, e.g. LOK_FLEXJOB) takes its monthly values of the plan year from
the release's facts for the municipality, instead of typed ones.

Filling runs when the series is picked and whenever a release is activated. A hidden
(suppressed) or missing month has no value, never 0; a value filled from an earlier release
for such a month is removed. Every fill that changes something writes one audit entry with the
values before and after, under the release's name.
"""

from __future__ import annotations

from django.db import transaction

from jobmaal.facts import TOTAL
from jobmaal.periods import periods_of_year
from jobmaal.web.followup.models import AuditEntry, LocalIndicator, LocalValue, Plan
from jobmaal.web.models import Fact, Release


def release_values(release: Release, series: str, code: int, year: int) -> dict[str, float]:
    """The series' shown monthly values of `year` for municipality `code` in the release."""
    months = {p.code for p in periods_of_year(year, "month")}
    rows = Fact.objects.filter(release=release, indicator=series, area_level="kommune",
                               area_code=str(code), breakdown=TOTAL, breakdown_value=TOTAL,
                               suppressed=False, value__isnull=False, period__in=months)
    return dict(rows.values_list("period", "value"))


def fill_indicator(indicator: LocalIndicator, release: Release | None) -> bool:
    """Bring a series indicator's values in line with the release; True when any changed."""
    if not indicator.series or release is None:
        return False
    plan = indicator.plan
    wanted = release_values(release, indicator.series, plan.municipality_code, plan.year)
    comment = f"Fra udgivelsen {release.name}"
    with transaction.atomic():
        current = {v.period: v for v in indicator.values.select_for_update()}
        before = {p: v.value for p, v in current.items()}
        for period, row in current.items():
            if period not in wanted:
                row.delete()
        for period, value in wanted.items():
            row = current.get(period) or LocalValue(indicator=indicator, period=period)
            if row.pk is None or row.value != value or row.release_id != release.pk:
                row.value, row.comment, row.release = value, comment, release
                row.save()
        if before == wanted:
            return False
        changed = sorted(set(before) | set(wanted))
        AuditEntry.objects.create(
            plan=plan, municipality_code=plan.municipality_code, user=None,
            username=f"udgivelse: {release.name}"[:150], version=plan.version,
            action="fill", object_type="local_value",
            object_label=f"{indicator.name}: værdier fra udgivelsen {release.name}"[:300],
            before={p: before.get(p) for p in changed}, after={p: wanted.get(p) for p in changed})
    return True


def fill_from_release(release: Release) -> int:
    """Fill every series indicator of the newest plan revisions of the release's year."""
    newest: dict[int, Plan] = {}
    for plan in Plan.objects.filter(year=release.year).order_by("municipality_code", "-revision"):
        newest.setdefault(plan.municipality_code, plan)
    indicators = LocalIndicator.objects.filter(
        plan__in=list(newest.values())).exclude(series="").select_related("plan")
    return sum(fill_indicator(ind, release) for ind in indicators)
