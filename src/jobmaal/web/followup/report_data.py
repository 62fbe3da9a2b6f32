"""Plans and the national picture as the plain records reports/ renders (no ORM there)."""

from __future__ import annotations

from collections import Counter

from django.utils import timezone

from jobmaal.catalogue import load_catalogue
from jobmaal.geography import load_geography
from jobmaal.periods import Period
from jobmaal.reports import model as rm
from jobmaal.web import pagecache, summaries
from jobmaal.web.dashboards import default_period, period_for
from jobmaal.web.followup.models import NO_PLAN_DA, Plan, State
from jobmaal.web.followup.status import local_statuses, target_statuses
from jobmaal.web.followup.summary import group_statuses, newest_plans
from jobmaal.web.models import Release
from jobmaal.web.queries import active_release, facts_frame, suppression_threshold


def _now():
    return timezone.now().replace(microsecond=0)  # Typst takes whole-second timestamps


def plan_report(plan: Plan, release: Release | None) -> rm.PlanReport:
    catalogue = load_catalogue(plan.year)
    targets = target_statuses(plan, release)
    locals_ = local_statuses(plan)
    texts = {t.goal_number: t for t in plan.goal_texts.all()}
    written = _goal_summaries(plan, release)
    goals = []
    for goal in catalogue.goals:
        text = texts.get(goal.number)
        goals.append(rm.GoalSection(
            number=goal.number, title=goal.title_da, focus=text.focus if text else "",
            efforts=text.efforts if text else "",
            targets=[_target_row(s, release) for s in targets if s.indicator.goal == goal.number],
            local_indicators=[_local_row(s) for s in locals_ if s.indicator.goal_number == goal.number],
            summary=written.get(goal.number, "")))
    return rm.PlanReport(
        municipality_code=plan.municipality_code,
        municipality_name=load_geography().municipality(plan.municipality_code).name,
        year=plan.year, revision=plan.revision, state=plan.state, state_label=plan.get_state_display(),
        council_meeting_date=plan.council_meeting_date, submitted_at=plan.submitted_at,
        approved_at=plan.approved_at, synthetic=plan.demo or bool(release and release.synthetic),
        release_name=release.name if release else None, generated_at=_now(), goals=goals)


def _goal_summaries(plan: Plan, release: Release | None) -> dict[int, str]:
    """Goal number → the written summary of the municipality page (release's default period),
    with the plan's year targets."""
    if release is None:
        return {}
    period = default_period(release)
    data = pagecache.municipality(release, plan.municipality_code, period)
    targets = summaries.year_targets(plan, year=Period.parse(period).year)
    return summaries.goal_summaries(release, data, targets)


def _target_row(s, release: Release | None = None) -> rm.TargetRow:
    return rm.TargetRow(
        goal_number=s.indicator.goal, indicator_id=s.indicator.id, indicator_name=s.indicator.name_da,
        unit=s.indicator.unit, direction=s.indicator.direction, baseline_value=s.baseline_value,
        baseline_period=s.baseline_period, target_value=s.target.target_value,
        target_period=s.target.target_period, latest_value=s.latest_value, latest_period=s.latest_period,
        status=str(s.result.status), status_label=s.result.label_da, series=s.series,
        explanation=s.result.explanation_da, area_name=s.area_name, hidden_periods=s.hidden_periods,
        suppression_threshold=suppression_threshold(release, s.indicator) if release else None)


def _local_row(s) -> rm.LocalIndicatorRow:
    li = s.indicator
    return rm.LocalIndicatorRow(
        goal_number=li.goal_number, name=li.name, definition=li.definition, unit=li.get_unit_display(),
        direction=li.direction, baseline_value=li.baseline_value, baseline_period=li.baseline_period or None,
        target_value=li.target_value, target_period=li.target_period or None,
        values=[rm.LocalValue(period=v.period, value=v.value, comment=v.comment) for v in s.values],
        status=str(s.result.status), status_label=s.result.label_da)


def national_report(year: int, *, published_only: bool) -> rm.NationalReport:
    catalogue = load_catalogue(year)
    release = active_release(year) or active_release()
    plans = newest_plans(year, published_only=published_only)
    tally = Counter(p.state for p in plans)
    by_state = {state.label: tally.get(state, 0) for state in State}
    by_state[NO_PLAN_DA] = len(load_geography().municipalities) - len(plans)
    by_goal, per_indicator = group_statuses(plans, release)
    goals = []
    for goal in catalogue.goals:
        rows = [_national_indicator(release, ind, per_indicator.get(ind.id, {}))
                for ind in catalogue.indicators_of_goal(goal.number)]
        groups = by_goal.get(goal.number, {})
        goals.append(rm.NationalGoalRow(
            number=goal.number, title=goal.title_da, status_counts=_counts(groups),
            plans_by_state=by_state, indicators=rows, status_municipalities=_names(groups)))
    return rm.NationalReport(year=year, release_name=release.name if release else None,
                             synthetic=bool(release and release.synthetic) or any(p.demo for p in plans),
                             generated_at=_now(), plans_by_state=by_state, goals=goals,
                             scope_note=("Kun planer, kommunerne har offentliggjort." if published_only else
                                         "Alle kommuners planer, også dem der ikke er offentliggjort."))


def _counts(groups: dict[str, list[int]]) -> dict[str, int]:
    return {str(status): len(codes) for status, codes in groups.items()}


def _names(groups: dict[str, list[int]]) -> dict[str, list[str]]:
    geo = load_geography()
    return {str(status): sorted(geo.municipality(c).name for c in codes) for status, codes in groups.items()}


def _national_indicator(release: Release | None, ind,
                        groups: dict[str, list[int]]) -> rm.NationalIndicatorRow:
    """The country figure of the national page's period (the release's year: the year itself
    for monthly and yearly indicators, its second half for half-yearly REKRUT) with its change
    on a year, and the map: each municipality's own figure, or its RAR area's where the
    indicator is only published per RAR area (REKRUT); suppressed figures stay suppressed on the
    map. `groups` (status → codes of the municipalities whose target has it) gives the counts
    and names per status."""
    period, country, change, values, suppressed = None, None, None, {}, set()
    summary = ""
    local = "kommune" if "kommune" in ind.area_levels else "rar"
    if release is not None:
        wanted = period_for(ind, default_period(release))
        native = facts_frame(release, indicators=[ind.id], levels=["land", local])
        if not native.empty and wanted in set(native.period):
            period = wanted
            now = native[native.period == period]
            land = now[now.area_level == "land"]
            country = _value(land)
            before = native[(native.period == Period.parse(period).year_earlier().code)
                            & (native.area_level == "land")]
            old = _value(before)
            change = country - old if country is not None and old is not None else None
            values, suppressed = _map_values(now[now.area_level == local], local)
            hidden = bool(not land.empty and land.iloc[0].suppressed)
            summary = summaries.country_summary(release, ind, period, country, change, hidden)
    name = ind.name_da if local == "kommune" else f"{ind.name_da} (pr. RAR-område)"
    return rm.NationalIndicatorRow(indicator_id=ind.id, name=name, unit=ind.unit, period=period or "",
                                   country_value=country, change_pp=change, status_counts=_counts(groups),
                                   map_values=values, direction=ind.direction,
                                   suppressed=frozenset(suppressed),
                                   status_municipalities=_names(groups),
                                   suppression_threshold=(suppression_threshold(release, ind)
                                                          if release else None),
                                   summary=summary)


def _map_values(rows, level: str) -> tuple[dict[int, float | None], set[int]]:
    """Municipality code → value (None when suppressed or missing), and the suppressed codes."""
    by_area = {r.area_code: (None if r.suppressed else _number(r.value), bool(r.suppressed))
               for r in rows.itertuples()}
    geo = load_geography()
    values, suppressed = {}, set()
    for code in geo.municipality_codes:
        area = str(code) if level == "kommune" else geo.parent_code(code, "rar")
        value, hidden = by_area.get(area, (None, False))
        values[code] = value
        if hidden:
            suppressed.add(code)
    return values, suppressed


def _number(value) -> float | None:
    return None if value is None or value != value else float(value)  # NaN is no number


def _value(rows) -> float | None:
    if rows.empty or bool(rows.iloc[0].suppressed):
        return None
    return _number(rows.iloc[0].value)

