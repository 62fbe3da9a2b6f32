"""Progress of a plan's targets: the release's figures for the municipality beside each target,
assessed by analysis/progress.py (method in docs/progress.md).

A hidden (suppressed) figure is never skipped over for an older shown one: the shown months of a
small municipality are exactly those with a count of 0, so stepping back to them assessed
Odense's MM17 on a biased figure. A hidden baseline or latest figure makes the target "Kan ikke
vurderes", saying which; the series drawn beside it is of the period kind that was assessed,
with hidden periods as gaps.
"""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd

from jobmaal.analysis import progress
from jobmaal.catalogue import Indicator, load_catalogue
from jobmaal.facts import CORE_COLUMNS
from jobmaal.geography import load_geography
from jobmaal.periods import Period
from jobmaal.web.followup.models import LocalIndicator, Plan, Target
from jobmaal.web.models import Release
from jobmaal.web.queries import facts_frame


@dataclass(frozen=True)
class TargetStatus:
    target: Target
    indicator: Indicator
    area_level: str
    area_name: str
    baseline_value: float | None
    baseline_period: str | None
    baseline_from_release: bool
    latest_value: float | None
    latest_period: str | None
    latest_provisional: bool
    series: list[tuple[str, float | None]]
    result: progress.ProgressResult
    hidden_periods: tuple[str, ...] = ()  # periods of `series` whose figure is suppressed


@dataclass(frozen=True)
class LocalStatus:
    indicator: LocalIndicator
    values: list
    latest_value: float | None
    latest_period: str | None
    result: progress.ProgressResult


def area_for(indicator: Indicator, code: int) -> tuple[str, str, str]:
    """The area a municipality's target is measured in: itself, or its RAR area where the
    indicator is only published per RAR area (REKRUT)."""
    geo = load_geography()
    if "kommune" in indicator.area_levels:
        return "kommune", str(code), geo.municipality(code).name
    rar = geo.parent_code(code, "rar")
    return "rar", rar, geo.area("rar", rar).name


def target_statuses(plan: Plan, release: Release | None) -> list[TargetStatus]:
    catalogue = load_catalogue(plan.year)
    # Supplementary (UKR_*) and local (LOK_*) indicators take no targets and never count in a
    # goal's status.
    ministerial = {i.id for i in catalogue.indicators if i.ministerial}
    targets = [t for t in plan.targets.all() if t.indicator_id in ministerial]
    if not targets:
        return []
    facts = _facts(release, plan.municipality_code, [catalogue.indicator(t.indicator_id) for t in targets])
    return [_target_status(t, catalogue.indicator(t.indicator_id), plan.municipality_code, facts)
            for t in targets]


def _facts(release: Release | None, code: int, indicators: list[Indicator]) -> pd.DataFrame:
    if release is None:
        return pd.DataFrame(columns=list(CORE_COLUMNS))
    areas = {area_for(ind, code)[:2] for ind in indicators}
    return facts_frame(release, indicators=[i.id for i in indicators], areas=areas)


def _target_status(target: Target, ind: Indicator, code: int, facts: pd.DataFrame) -> TargetStatus:
    level, area_code, area_name = area_for(ind, code)
    mine = facts[(facts.indicator == ind.id) & (facts.area_level == level) & (facts.area_code == area_code)]
    values = {row.period: _Figure(None if row.suppressed or pd.isna(row.value) else float(row.value),
                                  bool(row.provisional), bool(row.suppressed))
              for row in mine.itertuples()}
    baseline_value, from_release = target.baseline_value, False
    hidden_reason = None
    if baseline_value is None and target.baseline_period:
        own = values.get(target.baseline_period)
        baseline_value, from_release = (own.value if own else None), True
        if own and own.hidden:
            hidden_reason = (f"Udgangspunktet ({_label(target.baseline_period)}) er diskretioneret "
                             "(for få personer til at vise tallet).")
    latest, kind = _latest(values, Period.parse(target.target_period), ind.periodicity)
    if latest is not None and latest[3] and hidden_reason is None:
        hidden_reason = (f"Seneste tal ({_label(latest[0])}) er diskretioneret (for få personer til "
                         "at vise tallet); et ældre tal bruges ikke i stedet.")
    shown = latest if latest is not None and not latest[3] else None
    periods = [p for p in sorted(values, key=_sort_key) if _kind(p) == kind]
    series = [(p, values[p].value) for p in periods]
    if hidden_reason:
        result = progress.not_assessable(hidden_reason)
    else:
        result = progress.assess_progress(progress.ProgressInput(
            baseline_value=baseline_value, baseline_period=target.baseline_period or None,
            latest_value=shown[1] if shown else None, latest_period=shown[0] if shown else None,
            target_value=target.target_value, target_period=target.target_period,
            direction=ind.direction, unit=ind.unit, survey_rounds=ind.survey_rounds))
    return TargetStatus(target=target, indicator=ind, area_level=level, area_name=area_name,
                        baseline_value=baseline_value, baseline_period=target.baseline_period or None,
                        baseline_from_release=from_release,
                        latest_value=shown[1] if shown else None,
                        latest_period=shown[0] if shown else None,
                        latest_provisional=shown[2] if shown else False, series=series, result=result,
                        hidden_periods=tuple(p for p in periods if values[p].hidden))


@dataclass(frozen=True)
class _Figure:
    value: float | None
    provisional: bool
    hidden: bool


def _kind(code: str) -> str:
    return Period.parse(code).kind


def _label(code: str) -> str:
    return Period.parse(code).label_da()


def _sort_key(code: str):
    p = Period.parse(code)
    return (p.start, p.end)


def _latest(values: dict[str, _Figure], target: Period,
            native: str) -> tuple[tuple[str, float | None, bool, bool] | None, str]:
    """The newest figure of the target period's kind up to the target period, else of the
    indicator's own periodicity: (period, value, provisional, hidden) and the kind it is of.

    A period whose figure is hidden counts as the newest (and is reported hidden); a period
    without any figure (denominator 0) does not. A kind whose newest figure is hidden gives way
    to the next kind only if that one has a shown newest figure."""
    found_hidden = None
    for kind in dict.fromkeys([target.kind, native]):
        rows = [(p, f.value, f.provisional, f.hidden) for p, f in values.items()
                if (f.value is not None or f.hidden) and _kind(p) == kind
                and Period.parse(p).end <= target.end]
        if not rows:
            continue
        newest = max(rows, key=lambda row: _sort_key(row[0]))
        if not newest[3]:
            return newest, kind
        found_hidden = found_hidden or (newest, kind)
    return found_hidden or (None, native)


def local_statuses(plan: Plan) -> list[LocalStatus]:
    rows = []
    for indicator in plan.local_indicators.prefetch_related("values"):
        values = sorted(indicator.values.all(), key=lambda v: _sort_key(v.period))
        latest = values[-1] if values else None
        result = progress.assess_progress(progress.ProgressInput(
            baseline_value=indicator.baseline_value, baseline_period=indicator.baseline_period or None,
            latest_value=latest.value if latest else None, latest_period=latest.period if latest else None,
            target_value=indicator.target_value, target_period=indicator.target_period or None,
            direction=indicator.direction, unit="pct" if indicator.unit == "pct" else "antal"))
        rows.append(LocalStatus(indicator=indicator, values=values,
                                latest_value=latest.value if latest else None,
                                latest_period=latest.period if latest else None, result=result))
    return rows
