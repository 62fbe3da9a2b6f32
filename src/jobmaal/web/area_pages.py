"""The area pages: a job centre (/jobcenter/<code>/), a RAR area (/rar/<name>/) or a region
(/region/<code>/) on every goal's indicators.

Per indicator the area's figure and change on a year, the area beside the areas above it and
the country, a trend of them, its member municipalities (table and map, with their expected
levels) and downloads of each table. Areas are those of the chosen period's year. An
indicator not computed at the area's level (REKRUT is only published for RAR areas) says so.
"""

from __future__ import annotations

import pandas as pd

from jobmaal import analysis, charts
from jobmaal.catalogue import Indicator
from jobmaal.geography import AREA_LEVELS, UnknownAreaError, load_geography
from jobmaal.periods import Period
from jobmaal.web import comparisons, dashboards
from jobmaal.web.datatable import Column, DataTable
from jobmaal.web.models import Release
from jobmaal.web.queries import facts_frame, level_facts

PAGE_LEVELS = ("jobcenter", "rar", "region")
LEVEL_TITLES = {"jobcenter": "Jobcenter", "rar": "RAR-område", "region": "Region"}
LEVEL_PLURALS = {"jobcenter": "jobcentre", "rar": "RAR-områder", "region": "regioner"}


def area_url(level: str, code: str) -> str:
    return f"/{level}/{code}/"


def area_page(release: Release, level: str, code: str, chosen: str) -> dict:
    if level not in PAGE_LEVELS:
        raise dashboards.NotFound(f"ukendt niveau {level}")
    ctx = dashboards.page_context(release)
    geo = load_geography(Period.parse(chosen).year)
    try:
        area = geo.area(level, code)
    except UnknownAreaError:
        raise dashboards.NotFound(f"intet {LEVEL_TITLES[level].lower()} med koden {code}") from None
    members = geo.members(level, area.code)
    above = [(lv, geo.parent_code(members[0].code, lv))
             for lv in AREA_LEVELS[AREA_LEVELS.index(level):]]  # the area itself, then up
    facts = pd.concat([level_facts(release, ("kommune",)), facts_frame(release, areas=above)],
                      ignore_index=True)
    goals = []
    for goal in ctx.catalogue.goals:
        blocks = [_block(release, facts, ind, chosen, level, area, members, above)
                  for ind in ctx.catalogue.indicators_of_goal(goal.number)
                  if dashboards.series_periods(ind, release)]
        goals.append({"goal": goal, "blocks": blocks})
    member_rars = sorted({m.rar for m in members})
    return {"area": area, "level": level, "level_title": LEVEL_TITLES[level],
            "level_plural": LEVEL_PLURALS[level],
            "members": members, "goals": goals, "period": chosen,
            "periods": dashboards.period_choices(release),
            "above": [(lv, geo.area(lv, c)) for lv, c in above[1:] if lv != "land"],
            "rar_links": [geo.area("rar", r) for r in member_rars]}


def _block(release: Release, facts: pd.DataFrame, ind: Indicator, chosen: str, level: str,
           area, members, above: list[tuple[str, str]]) -> dict:
    period = dashboards.period_for(ind, chosen)
    block = {"indicator": ind, "period": period, "computed": level in ind.area_levels}
    if not block["computed"]:
        return block
    geo = comparisons.geography_of(period)
    before = Period.parse(period).year_earlier().code
    mine = facts[facts.indicator == ind.id]
    index = dashboards.FactIndex(mine)
    two = mine[mine.period.isin([period, before])]
    figures, changes = [], []
    for lv, c in above:
        if lv not in ind.area_levels:
            continue
        name = dashboards.area_name(geo, lv, c)
        figures.append(analysis.figure(two, ind.id, period, lv, c, name))
        changes.append(analysis.change_pp(two, ind.id, period, lv, c))
    block.update({"own": figures[0], "change": changes[0], "comparison": figures})
    periods = dashboards.from_first_data(index, ind.id, dashboards.series_periods(ind, release))
    series = [dashboards.area_series(index, ind.id, f.level, f.code, periods, f.name, f.level)
              for f in figures]
    params = {"indikator": ind.id, "periode": period, "niveau": level, "kode": area.code}
    block["trend_spec"] = charts.trend_chart(
        series, ind.name_da, provisional_from=dashboards._provisional_from(index, ind.id, periods),
        description=f"Udviklingen i {ind.name_da} for {area.name} og områderne over det.",
        survey_rounds=ind.survey_rounds)
    trend = dashboards.trend_table(series, ind, params, f"{ind.name_da}: {area.name} over tid")
    trend.name = "omraade-udvikling"
    block["trend_table"] = trend
    block["comparison_table"] = _comparison_table(ind, period, figures, changes, params)
    block["members_table"] = None
    if "kommune" in ind.area_levels:
        block["members_table"] = _members_table(release, two, ind, period, members, area, params)
        block["map_spec"] = _members_map(block["members_table"], ind, period, area)
    return block


def _comparison_table(ind: Indicator, period: str, figures, changes, params: dict) -> DataTable:
    rows = [{"area": f"{dashboards.LEVEL_NAMES[f.level]}: {f.name}", "value": f.value,
             "numerator": f.numerator, "denominator": f.denominator, "change_pp": change,
             "suppressed": f.suppressed, "provisional": f.provisional}
            for f, change in zip(figures, changes, strict=True)]
    columns = [Column("area", "Område"), Column("value", "Værdi", "pct"),
               Column("numerator", "Tæller", "count"), Column("denominator", "Nævner", "count"),
               Column("change_pp", "Ændring på et år", "pp"),
               Column("suppressed", "Diskretioneret", "bool"), Column("provisional", "Foreløbig", "bool")]
    return DataTable("omraade", f"{ind.name_da}: sammenligning, {dashboards.period_text(ind, period)}",
                     columns, rows, params=params)


def _members_table(release: Release, facts: pd.DataFrame, ind: Indicator, period: str,
                   members, area, params: dict) -> DataTable:
    expected = comparisons.expected_by_code(release, ind.id, period)
    rows = []
    for m in members:
        f = analysis.figure(facts, ind.id, period, "kommune", str(m.code), m.name)
        e = expected.get(m.code)
        rows.append({"code": str(m.code), "name": m.name, "value": f.value, "numerator": f.numerator,
                     "denominator": f.denominator,
                     "change_pp": analysis.change_pp(facts, ind.id, period, "kommune", str(m.code)),
                     "expected": e.expected if e else None, "gap": e.gap if e else None,
                     "suppressed": f.suppressed, "provisional": f.provisional})
    columns = [Column("code", "Kode"), Column("name", "Kommune", "link"),
               Column("value", "Værdi", "pct"), Column("numerator", "Tæller", "count"),
               Column("denominator", "Nævner", "count"), Column("change_pp", "Ændring på et år", "pp"),
               Column("expected", "Forventet niveau", "pct"), Column("gap", "Forskel til forventet", "pp"),
               Column("suppressed", "Diskretioneret", "bool"), Column("provisional", "Foreløbig", "bool")]
    return DataTable("medlemmer", f"{ind.name_da}: kommunerne i {area.name}, "
                     f"{dashboards.period_text(ind, period)}", columns, rows, params=params,
                     note="Forventet niveau: ud fra kommunens rammevilkår (se Metode).")


def _members_map(table: DataTable, ind: Indicator, period: str, area) -> dict:
    values = {int(r["code"]): r["value"] for r in table.rows}
    suppressed = {int(r["code"]) for r in table.rows if r["suppressed"]}
    return charts.choropleth_map(values, f"{ind.name_da}, {dashboards.period_text(ind, period)}",
                                 direction=ind.direction, suppressed=suppressed,
                                 topojson_url=dashboards.TOPOJSON_URL, members=set(values),
                                 subtitle=f"Kommunerne i {area.name}")
