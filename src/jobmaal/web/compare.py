"""The comparison page (/sammenlign/?kommuner=461,751,101): up to ten chosen municipalities
side by side on every indicator, from the one comparison of web/comparisons.py.

Per indicator: one trend chart with a line per municipality (and the country), one table with
each one's level, change on a year and expected level. An indicator without municipal figures
(REKRUT) shows the chosen municipalities' RAR areas instead. The same table downloads as CSV,
Excel and JSON (`comparison_table`); hidden figures stay hidden there too.
"""

from __future__ import annotations

import re

import pandas as pd

from jobmaal import charts, formats
from jobmaal.catalogue import Indicator
from jobmaal.geography import COUNTRY_CODE, UnknownAreaError, load_geography
from jobmaal.periods import Period
from jobmaal.web import comparisons, dashboards
from jobmaal.web.datatable import Column, DataTable
from jobmaal.web.models import Release
from jobmaal.web.queries import facts_frame, level_facts

MAX_CHOSEN = 10
TABLE = "sammenlign"


def parse_codes(text: str | None) -> list[int]:
    """"461,751,101" → [461, 751, 101]: known municipality codes, each once, at most ten."""
    geo = load_geography()
    codes: list[int] = []
    for part in re.split(r"[,\s;]+", (text or "").strip()):
        if not part:
            continue
        try:
            code = geo.municipality(part).code
        except UnknownAreaError:
            raise dashboards.NotFound(f"ingen kommune med koden {part!r}") from None
        if code not in codes:
            codes.append(code)
    if len(codes) > MAX_CHOSEN:
        raise dashboards.NotFound(f"højst {MAX_CHOSEN} kommuner kan sammenlignes ad gangen")
    return codes


def codes_text(codes: list[int]) -> str:
    return ",".join(str(c) for c in codes)


def comparison_page(release: Release, codes: list[int], chosen: str) -> dict:
    ctx = dashboards.page_context(release)
    geo = load_geography(Period.parse(chosen).year)
    blocks = []
    if codes:
        facts = _facts(release, codes, geo)
        for goal in ctx.catalogue.goals:
            for ind in ctx.catalogue.indicators_of_goal(goal.number):
                if dashboards.series_periods(ind, release):
                    blocks.append(_block(release, facts, ind, goal, chosen, codes))
    return {"codes": codes, "kommuner": codes_text(codes), "period": chosen,
            "periods": dashboards.period_choices(release), "blocks": blocks,
            "chosen": [geo.municipality(c) for c in codes], "max_chosen": MAX_CHOSEN,
            "all_table": comparison_table(release, codes, chosen) if codes else None}


def _facts(release: Release, codes: list[int], geo) -> pd.DataFrame:
    """Every municipality (ranks), the chosen ones' areas above them and the country."""
    own = {(lv, geo.parent_code(c, lv)) for c in codes for lv in ("jobcenter", "rar", "region")}
    own.add(("land", COUNTRY_CODE))
    return pd.concat([level_facts(release, ("kommune",)), facts_frame(release, areas=own)],
                     ignore_index=True)


def _comparisons(release: Release, facts: pd.DataFrame, ind: Indicator, period: str,
                 codes: list[int]) -> list[comparisons.Comparison]:
    """The chosen municipalities' comparisons, ranking the 98 once (no peers: not shown)."""
    before = Period.parse(period).year_earlier().code
    mine = facts[(facts.indicator == ind.id) & facts.period.isin([period, before])]
    expected = ranks = None
    if comparisons.own_level(ind) == "kommune":
        expected = comparisons.expected_by_code(release, ind.id, period)
        ranks = comparisons.rankings(mine[mine.area_level == "kommune"], ind, period, expected)
    return [comparisons.municipal_comparison(release, mine, ind, period, c, ranks=ranks,
                                             expected=expected, peers=[]) for c in codes]


def _block(release: Release, facts: pd.DataFrame, ind: Indicator, goal, chosen: str,
           codes: list[int]) -> dict:
    period = dashboards.period_for(ind, chosen)
    found = _comparisons(release, facts, ind, period, codes)
    mine = facts[facts.indicator == ind.id]
    index = dashboards.FactIndex(mine)
    periods = dashboards.from_first_data(index, ind.id, dashboards.series_periods(ind, release))
    series, seen = [], set()
    for c in found:
        if c.own_code in seen:  # two chosen municipalities in one RAR area: one line
            continue
        seen.add(c.own_code)
        role = f"valgt{len(series) + 1}"
        series.append(dashboards.area_series(index, ind.id, c.own_level, c.own_code, periods,
                                             c.own.name, role))
    series.append(dashboards.area_series(index, ind.id, "land", COUNTRY_CODE, periods,
                                         "Hele landet", "land"))
    names = ", ".join(s.name for s in series[:-1])
    spec = charts.trend_chart(series, ind.name_da,
                              provisional_from=dashboards._provisional_from(index, ind.id, periods),
                              description=f"Udviklingen i {ind.name_da} for {names} og hele landet.",
                              survey_rounds=ind.survey_rounds)
    params = {"kommuner": codes_text(codes), "periode": chosen, "indikator": ind.id}
    trend = dashboards.trend_table(series, ind, params, f"{ind.name_da}: udvikling")
    trend.name = TABLE + "-udvikling"
    return {"indicator": ind, "goal": goal, "period": period, "own_level": found[0].own_level,
            "trend_spec": spec, "trend_table": trend,
            "table": _table(ind, period, found, params)}


COLUMNS = [Column("name", "Område"), Column("value", "Værdi", "pct"),
           Column("numerator", "Tæller", "count"), Column("denominator", "Nævner", "count"),
           Column("change_pp", "Ændring på et år", "pp"),
           Column("expected", "Forventet niveau", "pct"),
           Column("gap", "Forskel til forventet", "pp"),
           Column("rank", "Placering", "int"),
           Column("suppressed", "Diskretioneret", "bool"),
           Column("provisional", "Foreløbig", "bool")]


def _rows(ind: Indicator, period: str, found: list[comparisons.Comparison]) -> list[dict]:
    rows = []
    for c in found:
        e = c.expected
        rows.append({
            "indicator": ind.id, "indicator_name": ind.name_da, "period": period,
            "municipality_code": c.code, "area_level": c.own_level, "code": c.own_code,
            "name": c.own.name, "value": c.own.value, "numerator": c.own.numerator,
            "denominator": c.own.denominator, "change_pp": c.change,
            "expected": e.expected if e else None, "expected_lower": e.lower if e else None,
            "expected_upper": e.upper if e else None, "gap": e.gap if e else None,
            "rank": c.rank, "suppressed": c.own.suppressed, "provisional": c.own.provisional,
            "missing": c.own.missing,
        })
    return rows


def _table(ind: Indicator, period: str, found: list[comparisons.Comparison],
           params: dict) -> DataTable:
    note = ("Ændring: i procentpoint mod samme periode året før. Forventet niveau: ud fra "
            "kommunens rammevilkår (se Metode). «Diskretioneret»: for få personer til at vise "
            "tallet; det er aldrig 0.")
    if comparisons.own_level(ind) != "kommune":
        note = "Målet opgøres for RAR-områder: de valgte kommuners RAR-områder vises. " + note
    return DataTable(TABLE, f"{ind.name_da}: de valgte kommuner, {dashboards.period_text(ind, period)}",
                     COLUMNS, _rows(ind, period, found), params=params, note=note)


EXPORT_COLUMNS = [Column("indicator", "Indikator"), Column("indicator_name", "Indikatorens navn"),
                  Column("period", "Periode", "period"),
                  Column("municipality_code", "Valgt kommune"),
                  Column("area_level", "Niveau"), Column("code", "Områdekode"),
                  *COLUMNS[:6], Column("expected_lower", "Forventet, nedre grænse (90 %)", "pct"),
                  Column("expected_upper", "Forventet, øvre grænse (90 %)", "pct"), *COLUMNS[6:]]


def comparison_table(release: Release, codes: list[int], chosen: str,
                     indicator: str | None = None) -> DataTable:
    """Every indicator (or one) for the chosen municipalities as one flat table: the download
    of the page."""
    ctx = dashboards.page_context(release)
    geo = load_geography(Period.parse(chosen).year)
    facts = _facts(release, codes, geo)
    rows = []
    for ind in ctx.catalogue.indicators:
        if indicator and ind.id != indicator or not dashboards.series_periods(ind, release):
            continue
        period = dashboards.period_for(ind, chosen)
        rows += _rows(ind, period, _comparisons(release, facts, ind, period, codes))
    params = {"kommuner": codes_text(codes), "periode": chosen}
    if indicator:
        params["indikator"] = indicator
    names = ", ".join(geo.municipality(c).name for c in codes)
    return DataTable(TABLE, f"Sammenligning af {names}, {formats.period_label(chosen)}",
                     EXPORT_COLUMNS, rows, params=params,
                     note="Tomme tal er diskretioneret (for få personer) eller mangler; aldrig 0. "
                          "Indikatorer uden kommunetal vises for kommunernes RAR-områder.")
