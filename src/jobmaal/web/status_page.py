"""The minister's list (/status/): the 98 municipalities × the year's five goals.

Each cell holds the goal's status from the municipality's plan (followup/summary.py: the least
favourable of its targets and local indicators) and, for a goal with national indicators,
each indicator's figure in the release's year against the expected level from the
municipality's framework conditions.

Who sees which plan: everyone the newest published revision; the ministry, KL and the
municipality's own users the newest revision, published or not (marked "ikke offentliggjort"),
as on the municipality page (accounts/roles.can_read_private). A municipality without a plan
one may see says so.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import pandas as pd

from jobmaal.analysis.progress import LABELS_DA
from jobmaal.catalogue import Indicator
from jobmaal.geography import load_geography
from jobmaal.web import comparisons, dashboards
from jobmaal.web.accounts.roles import can_read_private
from jobmaal.web.datatable import Column, DataTable
from jobmaal.web.followup.models import NO_PLAN_DA, Plan
from jobmaal.web.followup.summary import SHOWN_ORDER, plan_goal_statuses
from jobmaal.web.models import Release
from jobmaal.web.queries import facts_frame, level_facts

NO_STATUS = "Intet mål i planen"
SORTS = ("navn", "kode", "maal1", "maal2", "maal3", "maal4", "maal5")


@dataclass
class IndicatorFigure:
    indicator: Indicator
    period: str
    level: str
    value: float | None
    suppressed: bool
    expected: float | None = None
    gap: float | None = None


@dataclass
class Cell:
    goal: int
    status: str | None  # a ProgressStatus code; None without a plan or without targets
    label: str
    figures: list[IndicatorFigure] = field(default_factory=list)


@dataclass
class Row:
    code: int
    name: str
    region_code: str
    region_name: str
    rar: str
    plan: Plan | None
    cells: list[Cell]


def visible_plans(user, year: int) -> dict[int, Plan]:
    """The newest revision per municipality that `user` may see."""
    shown: dict[int, Plan] = {}
    for plan in Plan.objects.filter(year=year).order_by("municipality_code", "-revision"):
        code = plan.municipality_code
        if code in shown:
            continue
        if plan.published or can_read_private(user, code):
            shown[code] = plan
    return shown


def status_page(release: Release, user, *, region: str | None = None, rar: str | None = None,
                sort: str | None = None, descending: bool = False) -> dict:
    ctx = dashboards.page_context(release)
    geo = load_geography(release.year)
    if region and region not in {a.code for a in geo.areas("region")}:
        raise dashboards.NotFound(f"ingen region med koden {region}")
    if rar and rar not in {a.code for a in geo.areas("rar")}:
        raise dashboards.NotFound(f"intet RAR-område {rar}")
    if sort and sort not in SORTS:
        raise dashboards.NotFound(f"kan ikke sortere efter {sort}")
    chosen = dashboards.default_period(release)
    municipalities = [m for m in geo.municipalities
                      if (not region or m.region_code == region) and (not rar or m.rar == rar)]
    plans = visible_plans(user, release.year)
    figures = _figures(release, ctx, chosen, [m.code for m in municipalities], geo)
    rows = []
    for m in municipalities:
        plan = plans.get(m.code)
        statuses = plan_goal_statuses(plan, release) if plan else {}
        cells = []
        for goal in ctx.catalogue.goals:
            status = statuses.get(goal.number)
            label = LABELS_DA[status] if status else (NO_STATUS if plan else NO_PLAN_DA)
            cells.append(Cell(goal.number, str(status) if status else None, label,
                              [f[m.code] for f in figures.get(goal.number, [])]))
        rows.append(Row(m.code, m.name, m.region_code, m.region_name, m.rar, plan, cells))
    rows = _sorted(rows, sort or "kode", descending)
    return {"rows": rows, "goals": ctx.catalogue.goals, "period": chosen, "year": release.year,
            "region": region or "", "rar": rar or "", "sort": sort or "kode", "descending": descending,
            "sort_goal": int(sort.removeprefix("maal")) if sort and sort.startswith("maal") else None,
            "regions": geo.areas("region"), "rars": geo.areas("rar"),
            "indicators": {g.number: [i for i in ctx.catalogue.target_indicators_of_goal(g.number)
                                      if dashboards.series_periods(i, release)]
                           for g in ctx.catalogue.goals},
            "status_labels": [LABELS_DA[s] for s in SHOWN_ORDER]}


def _figures(release: Release, ctx, chosen: str, codes: list[int], geo
             ) -> dict[int, list[dict[int, IndicatorFigure]]]:
    """Per goal, per ministerial indicator: each municipality's figure of the release's year
    (its RAR area's where the indicator has no municipal figures) and expected level."""
    facts = pd.concat([level_facts(release, ("kommune",)), facts_frame(release, levels=["rar"])],
                      ignore_index=True)
    out: dict[int, list[dict[int, IndicatorFigure]]] = {}
    for goal in ctx.catalogue.goals:
        for ind in ctx.catalogue.target_indicators_of_goal(goal.number):
            if not dashboards.series_periods(ind, release):
                continue
            period = dashboards.period_for(ind, chosen)
            level = comparisons.own_level(ind)
            index = dashboards.FactIndex(facts[(facts.indicator == ind.id) & (facts.period == period)])
            expected = comparisons.expected_by_code(release, ind.id, period) if level == "kommune" else {}
            per_code = {}
            for code in codes:
                row = index.get(ind.id, period, level, geo.parent_code(code, level)) or {}
                e = expected.get(code)
                per_code[code] = IndicatorFigure(
                    ind, period, level, None if row.get("suppressed") else row.get("value"),
                    bool(row.get("suppressed")), e.expected if e else None, e.gap if e else None)
            out.setdefault(goal.number, []).append(per_code)
    return out


_STATUS_ORDER = {str(s): i for i, s in enumerate(SHOWN_ORDER)}


def _sorted(rows: list[Row], sort: str, descending: bool) -> list[Row]:
    """By name, code or a goal's status (best first: achieved … moving away, then not
    assessable, then no targets, then no plan); ties by name."""
    if sort == "navn":
        return sorted(rows, key=lambda r: r.name, reverse=descending)
    if sort == "kode":
        return sorted(rows, key=lambda r: r.code, reverse=descending)
    goal = int(sort.removeprefix("maal"))

    def key(r: Row) -> tuple:
        cell = next((c for c in r.cells if c.goal == goal), None)
        if cell is None or cell.status is None:
            rank = len(_STATUS_ORDER) + (0 if r.plan else 1)
        else:
            rank = _STATUS_ORDER[cell.status]
        return (rank, r.name)
    ordered = sorted(rows, key=key)
    return list(reversed(ordered)) if descending else ordered


def status_table(page: dict) -> DataTable:
    """The list as one table (the Excel, CSV and JSON download): a row per municipality."""
    columns = [Column("code", "Kode"), Column("name", "Kommune"), Column("region", "Region"),
               Column("rar", "RAR-område"), Column("plan", "Plan")]
    for goal in page["goals"]:
        columns.append(Column(f"goal{goal.number}", f"Mål {goal.number}: status"))
        for ind in page["indicators"][goal.number]:
            columns += [Column(f"{ind.id}_value", f"{ind.id}: værdi", "pct"),
                        Column(f"{ind.id}_suppressed", f"{ind.id}: diskretioneret", "bool"),
                        Column(f"{ind.id}_expected", f"{ind.id}: forventet niveau", "pct"),
                        Column(f"{ind.id}_gap", f"{ind.id}: forskel til forventet", "pp")]
    rows = []
    for r in page["rows"]:
        row = {"code": str(r.code), "name": r.name, "region": r.region_name, "rar": r.rar,
               "plan": plan_text(r.plan), "suppressed": False}
        for cell in r.cells:
            row[f"goal{cell.goal}"] = cell.label
            for f in cell.figures:
                row |= {f"{f.indicator.id}_value": f.value, f"{f.indicator.id}_suppressed": f.suppressed,
                        f"{f.indicator.id}_value_suppressed": f.suppressed,
                        f"{f.indicator.id}_expected": f.expected, f"{f.indicator.id}_gap": f.gap}
        rows.append(row)
    params = {k: v for k, v in (("region", page["region"]), ("rar", page["rar"]),
                                ("sorter", page["sort"])) if v}
    return DataTable("status", f"Ministerens liste: kommunernes status på målene {page['year']}",
                     columns, rows, params=params,
                     note=(f"Status fra kommunernes beskæftigelsesplaner for {page['year']}; tal for "
                           f"{page['year']} mod det forventede niveau ud fra rammevilkår. Tomme tal "
                           "med «diskretioneret» ja er skjult (for få personer), aldrig 0."))


def plan_text(plan: Plan | None) -> str:
    if plan is None:
        return NO_PLAN_DA
    text = f"Revision {plan.revision}, {plan.get_state_display().lower()}"
    return text if plan.published else text + ", ikke offentliggjort"
