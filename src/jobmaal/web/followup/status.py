"""Progress of a plan's targets: the release's figures for the municipality beside each target,
assessed by analysis/progress.py (method in docs/progress.md)."""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd

from jobmaal.analysis import progress
from jobmaal.catalogue import Indicator, load_catalogue
from jobmaal.geography import load_geography
from jobmaal.periods import Period
from jobmaal.web.followup.models import LocalIndicator, Plan, Target
from jobmaal.web.models import Release
from jobmaal.web.queries import FACT_COLUMNS, facts_frame


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
    targets = [t for t in plan.targets.all() if t.indicator_id in {i.id for i in catalogue.indicators}]
    if not targets:
        return []
    facts = _facts(release, plan.municipality_code, [catalogue.indicator(t.indicator_id) for t in targets])
    return [_target_status(t, catalogue.indicator(t.indicator_id), plan.municipality_code, facts)
            for t in targets]


def _facts(release: Release | None, code: int, indicators: list[Indicator]) -> pd.DataFrame:
    if release is None:
        return pd.DataFrame(columns=FACT_COLUMNS)
    areas = {area_for(ind, code)[:2] for ind in indicators}
    return facts_frame(release, indicators=[i.id for i in indicators], areas=areas)


def _target_status(target: Target, ind: Indicator, code: int, facts: pd.DataFrame) -> TargetStatus:
    level, area_code, area_name = area_for(ind, code)
    mine = facts[(facts.indicator == ind.id) & (facts.area_level == level) & (facts.area_code == area_code)]
    values = {row.period: (None if row.suppressed else row.value, bool(row.provisional))
              for row in mine.itertuples()}
    baseline_value, from_release = target.baseline_value, False
    if baseline_value is None and target.baseline_period:
        baseline_value, from_release = values.get(target.baseline_period, (None, False))[0], True
    latest = _latest(values, Period.parse(target.target_period), ind.periodicity)
    series = [(p, values[p][0]) for p in sorted(values, key=_sort_key) if _kind(p) == ind.periodicity]
    result = progress.assess_progress(progress.ProgressInput(
        baseline_value=baseline_value, baseline_period=target.baseline_period or None,
        latest_value=latest[1] if latest else None, latest_period=latest[0] if latest else None,
        target_value=target.target_value, target_period=target.target_period, direction=ind.direction,
        unit=ind.unit, survey_rounds=ind.survey_rounds))
    return TargetStatus(target=target, indicator=ind, area_level=level, area_name=area_name,
                        baseline_value=baseline_value, baseline_period=target.baseline_period or None,
                        baseline_from_release=from_release,
                        latest_value=latest[1] if latest else None,
                        latest_period=latest[0] if latest else None,
                        latest_provisional=latest[2] if latest else False, series=series, result=result)


def _kind(code: str) -> str:
    return Period.parse(code).kind


def _sort_key(code: str):
    p = Period.parse(code)
    return (p.start, p.end)


def _latest(values: dict, target: Period, native: str) -> tuple[str, float, bool] | None:
    """The newest figure of the target period's kind up to the target period; else the newest
    of the indicator's own periodicity up to it."""
    for kind in dict.fromkeys([target.kind, native]):
        found = [(p, v, prov) for p, (v, prov) in values.items()
                 if v is not None and _kind(p) == kind and Period.parse(p).end <= target.end]
        if found:
            return max(found, key=lambda row: _sort_key(row[0]))
    return None


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
