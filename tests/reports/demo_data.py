"""Example reports with realistic (synthetic) content, for the report tests and bench/reports.py.

Every figure is made up from a seed per municipality and indicator; the reports say so
(`synthetic=True`). The goals and indicators are the catalogue's of the year; plan states and
their labels are the app's (`followup.models.State` and `NO_PLAN_DA`, «Ingen plan», for a
municipality without a plan), so Django must be set up before this module is imported.
"""

from __future__ import annotations

import random
from datetime import UTC, date, datetime, timedelta

from jobmaal.analysis.progress import (
    ProgressInput,
    ProgressResult,
    assess_progress,
    count_statuses,
)
from jobmaal.catalogue import load_catalogue
from jobmaal.geography import load_geography
from jobmaal.periods import Period
from jobmaal.reports.common import survey_round_indicators
from jobmaal.reports.model import (
    GoalSection,
    LocalIndicatorRow,
    LocalValue,
    NationalGoalRow,
    NationalIndicatorRow,
    NationalReport,
    PlanReport,
    TargetRow,
)
from jobmaal.web.followup.models import NO_PLAN_DA, State

GENERATED_AT = datetime(2024, 2, 1, 9, 30, tzinfo=UTC)
RELEASE_NAME = "Demo 2023 (syntetiske registre)"
SMALL_MUNICIPALITIES = frozenset({825, 563, 741, 492})  # Læsø, Fanø, Samsø, Ærø: suppressed MM13

# Indicator → (level around which municipalities vary, spread, periods of its series, baseline
# period, target period). The periods fit each indicator's periodicity in the catalogue.
_SERIES = {
    "MM17": (3.2, 0.8, [f"{y}M{m:02d}" for y in (2022, 2023) for m in range(1, 13)], "2022M12", "2024M12"),
    "MM13": (46.0, 7.0, [f"{y}M{m:02d}" for y in (2022, 2023) for m in range(1, 13)], "2022M12", "2024M12"),
    "REKRUT": (24.0, 4.0, [f"{y}H{h}" for y in (2021, 2022, 2023) for h in (1, 2)], "2022H2", "2024H2"),
    "MM10": (27.0, 5.0, [str(y) for y in range(2019, 2024)], "2022", "2024"),
}

_FOCUS = {
    1: ("Borgerne skal opleve en **respektfuld og tilgængelig** sagsbehandling. Vi vil måle, hvordan "
        "ledige oplever mødet med jobcentret, og bruge svarene i den daglige ledelse.\n\n"
        "- Kortere ventetid på første samtale\n- Klart sprog i breve og på *Jobnet*"),
    2: ("Mangel på faglært arbejdskraft i bygge- og anlægsbranchen og i ældreplejen gør "
        "**opkvalificering** af ledige til et af planens vigtigste greb."),
    3: ("Flere flygtninge og familiesammenførte skal i ordinært job. Vi fokuserer særligt på "
        "*kvinder* med kort opholdstid."),
    4: "Flere personer med handicap skal have fodfæste på arbejdsmarkedet, også i få timer om ugen.",
    5: ("Virksomhederne melder om **forgæves rekrutteringer**. Jobcentret skal være den naturlige "
        "samarbejdspartner, når virksomheder søger medarbejdere."),
}
_EFFORTS = {
    1: "1. Ny model for første samtale\n2. Borgerpanel to gange om året\n3. Opfølgning på klager i ledelsen",
    2: ("- Jobrettede kurser efter 6-ugers listen i samarbejde med erhvervsskolen\n"
        "- **Voksenlærlinge** i ældreplejen: 40 forløb i 2023\n- Brancheskift med løntilskud"),
    3: ("- Virksomhedsrettede forløb fra første uge\n- Mentorer med kendskab til sprog og kultur\n"
        "- Samarbejde med sprogcentret om *danskuddannelse på arbejdspladsen*"),
    4: ("Vi styrker samarbejdet med handicaporganisationerne og bruger **IPS-metoden** "
        "(individuelt planlagt job med støtte)."),
    5: ("1. Fælles virksomhedsservice med nabokommunerne\n2. Rekrutteringsaftaler med de 20 største "
        "virksomheder\n3. Opfølgning på alle forgæves rekrutteringer inden for en uge"),
}
_LOCAL = {
    1: ("Borgere tilfredse med sagsbehandlingen",
        "Andel af ledige, der i jobcentrets borgerundersøgelse svarer 'tilfreds' eller 'meget tilfreds' "
        "med sagsbehandlingen.", "pct", "up", ["2022", "2023"]),
    4: ("Personer med handicap i job med støtte",
        "Antal personer med en handicapkompenserende ordning (personlig assistance, IPS eller "
        "fleksjob) i ordinær beskæftigelse ved årets udgang.", "antal", "up", ["2021", "2022", "2023"]),
}


def demo_plan_report(code: int = 101, year: int = 2023, *, revision: int = 2,
                     state: str = State.APPROVED, synthetic: bool = True) -> PlanReport:
    """A municipality's plan with focus, efforts, targets and local indicators for every goal."""
    geo = load_geography()
    catalogue = load_catalogue(year)
    name = geo.municipality(code).name
    goals = []
    for goal in catalogue.goals:
        targets = [_target(code, goal.number, ind.id, ind.name_da, ind.unit, ind.direction)
                   for ind in catalogue.indicators_of_goal(goal.number) if ind.id in _SERIES]
        local = [_local(code, goal.number)] if goal.number in _LOCAL else []
        goals.append(GoalSection(goal.number, goal.title_da, _FOCUS.get(goal.number, ""),
                                 _EFFORTS.get(goal.number, ""), targets, local))
    rng = random.Random(f"plan-{code}")
    meeting = date(year, 3, 1) + timedelta(days=rng.randrange(0, 45))
    submitted = datetime(year, meeting.month, meeting.day, 10, 0, tzinfo=UTC) + timedelta(days=3)
    approved = submitted + timedelta(days=rng.randrange(5, 30)) if state == State.APPROVED else None
    return PlanReport(
        municipality_code=code, municipality_name=name, year=year, revision=revision, state=state,
        state_label=State(state).label, council_meeting_date=meeting,
        submitted_at=submitted if state in (State.APPROVED, State.SUBMITTED) else None,
        approved_at=approved,
        synthetic=synthetic, release_name=RELEASE_NAME, generated_at=GENERATED_AT, goals=goals,
    )


def demo_national_report(year: int = 2023, *, synthetic: bool = True) -> NationalReport:
    """The demo plans summed up: statuses per goal and indicator, maps, plans by state (about
    one municipality in twenty has no plan, as the app counts them)."""
    geo = load_geography()
    catalogue = load_catalogue(year)
    states = {code: _demo_state(code) for code in geo.municipality_codes}
    plans = {code: demo_plan_report(code, year, state=state) for code, state in states.items()
             if state is not None}
    plans_by_state = {state.label: sum(p.state == state for p in plans.values()) for state in State}
    plans_by_state[NO_PLAN_DA] = len(states) - len(plans)
    goals = []
    for goal in catalogue.goals:
        sections = [next(g for g in p.goals if g.number == goal.number) for p in plans.values()]
        statuses = [t.status for s in sections for t in s.targets]
        statuses += [li.status for s in sections for li in s.local_indicators]
        indicators = []
        for ind in catalogue.indicators_of_goal(goal.number):
            if ind.id not in _SERIES:
                continue
            rows = {code: next(t for t in _section(p, goal.number).targets if t.indicator_id == ind.id)
                    for code, p in plans.items()}
            period = _SERIES[ind.id][2][-1]
            earlier = Period.parse(period).year_earlier().code
            country = _series_value(0, ind.id, period)
            country_before = _series_value(0, ind.id, earlier)
            indicators.append(NationalIndicatorRow(
                indicator_id=ind.id, name=ind.name_da, unit=ind.unit, period=period, country_value=country,
                change_pp=round(country - country_before, 1),
                status_counts=_counts(r.status for r in rows.values()),
                map_values={code: r.latest_value for code, r in rows.items()},
                direction=ind.direction,
                suppressed=frozenset(c for c, r in rows.items() if r.latest_value is None),
                status_municipalities=_names({plans[c].municipality_name: r.status for c, r in rows.items()}),
            ))
        goals.append(NationalGoalRow(goal.number, goal.title_da, _counts(statuses),
                                     {label: n for label, n in plans_by_state.items()}, indicators))
    return NationalReport(year=year, release_name=RELEASE_NAME, synthetic=synthetic,
                          generated_at=GENERATED_AT, plans_by_state=plans_by_state, goals=goals)


def _section(plan: PlanReport, number: int) -> GoalSection:
    return next(g for g in plan.goals if g.number == number)


def _names(status_of: dict[str, str]) -> dict[str, list[str]]:
    """Status code → the sorted names of the municipalities with it."""
    out: dict[str, list[str]] = {}
    for name, status in sorted(status_of.items()):
        out.setdefault(str(status), []).append(name)
    return out


def _counts(statuses) -> dict[str, int]:
    return {str(k): n for k, n in count_statuses(list(statuses)).items()}


def _demo_state(code: int) -> State | None:
    """The state of a municipality's demo plan; None: it has no plan."""
    r = random.Random(f"state-{code}").random()
    return (State.APPROVED if r < 0.72 else State.SUBMITTED if r < 0.85 else State.DRAFT if r < 0.95
            else None)


def _series_value(code: int, indicator_id: str, period: str) -> float | None:
    """A made-up value: a level per municipality, a slope per municipality, a little noise."""
    level, spread, periods, _, _ = _SERIES[indicator_id]
    rng = random.Random(f"{indicator_id}-{code}")
    base = level + (rng.uniform(-spread, spread) if code else 0.0)
    slope = rng.uniform(-0.25, 0.6) * spread / len(periods) * (-1 if indicator_id == "REKRUT" else 1)
    if code == 0:
        slope = 0.1 * spread / len(periods) * (-1 if indicator_id == "REKRUT" else 1)
    i = periods.index(period)
    noise = random.Random(f"{indicator_id}-{code}-{period}").uniform(-0.04, 0.04) * spread
    return round(max(0.1, base + slope * i + noise), 1)


def _target(code: int, goal: int, indicator_id: str, name: str, unit: str, direction: str) -> TargetRow:
    _, spread, periods, baseline_period, target_period = _SERIES[indicator_id]
    suppressed = indicator_id == "MM13" and code in SMALL_MUNICIPALITIES
    series = [(p, None if suppressed else _series_value(code, indicator_id, p)) for p in periods]
    values = dict(series)
    baseline = values[baseline_period]
    step = round(spread * random.Random(f"target-{indicator_id}-{code}").uniform(0.1, 0.35), 1)
    target = None if baseline is None else round(baseline + (step if direction == "up" else -step), 1)
    if code == 101 and indicator_id == "MM13":
        target = 55.4  # a fixed, recognisable figure for the tests
    latest_period, latest = series[-1]
    result = _assess(baseline, baseline_period, latest, latest_period, target, target_period, direction, unit,
                     survey_rounds=indicator_id in survey_round_indicators())
    return TargetRow(
        goal_number=goal, indicator_id=indicator_id, indicator_name=name, unit=unit, direction=direction,
        baseline_value=baseline, baseline_period=baseline_period,
        target_value=target if target is not None else 0.0, target_period=target_period,
        latest_value=latest, latest_period=latest_period, status=result.status.value,
        status_label=result.label_da, series=series, explanation=result.explanation_da,
    )


def _local(code: int, goal: int) -> LocalIndicatorRow:
    name, definition, unit, direction, periods = _LOCAL[goal]
    rng = random.Random(f"local-{goal}-{code}")
    if unit == "pct":
        start, step = rng.uniform(62, 80), rng.uniform(-1.5, 3.0)
        values = [round(start + step * i, 1) for i in range(len(periods))]
    else:
        start, step = rng.randrange(20, 400), rng.randrange(-5, 30)
        values = [float(start + step * i) for i in range(len(periods))]
    comments = {0: "Udgangspunkt", len(periods) - 1: "Foreløbigt tal"}
    target = round(values[0] * (1.08 if unit == "pct" else 1.25), 1 if unit == "pct" else 0)
    target_period = "2024"
    result = _assess(values[0], periods[0], values[-1], periods[-1], target, target_period, direction, unit)
    return LocalIndicatorRow(
        goal_number=goal, name=name, definition=definition, unit=unit, direction=direction,
        baseline_value=values[0], baseline_period=periods[0], target_value=target,
        target_period=target_period,
        values=[LocalValue(p, v, comments.get(i, ""))
                for i, (p, v) in enumerate(zip(periods, values, strict=True))],
        status=result.status.value, status_label=result.label_da,
    )


def _assess(baseline, baseline_period, latest, latest_period, target, target_period, direction,
            unit, survey_rounds: bool = False) -> ProgressResult:
    return assess_progress(ProgressInput(baseline, baseline_period, latest, latest_period, target,
                                         target_period, direction, unit, survey_rounds))

