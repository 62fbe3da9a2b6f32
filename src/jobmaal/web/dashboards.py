"""What each page shows, built from a release: figures, comparisons, chart specs and tables.

Views stay thin: they parse the request, call one builder here and render. Builders return
plain dicts and DataTables; the same table builders serve the CSV/Excel/JSON downloads.
"""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd

from jobmaal import analysis, charts, formats
from jobmaal.analysis.seasonal import ADJUSTED_LABEL, seasonally_adjust
from jobmaal.catalogue import Catalogue, Indicator, load_catalogue
from jobmaal.facts import TOTAL
from jobmaal.geography import AREA_LEVELS, COUNTRY_CODE, Geography, UnknownAreaError, load_geography
from jobmaal.periods import PERIODICITY_DA, Period, PeriodError
from jobmaal.web import comparisons
from jobmaal.web.datatable import Column, DataTable
from jobmaal.web.forecasts import forecastable
from jobmaal.web.models import ExpectedLevel, Release
from jobmaal.web.queries import facts_frame, level_facts, periods_of, suppression_threshold

TOPOJSON_URL = "/kort/kommuner.topojson"  # served by views.pages.boundaries
LEVEL_NAMES = {"kommune": "Kommune", "jobcenter": "Jobcenter", "rar": "RAR-område",
               "region": "Region", "land": "Hele landet"}


class NotFound(LookupError):
    """A page asked for something the release or catalogue does not have."""


@dataclass(frozen=True)
class PageContext:
    release: Release
    catalogue: Catalogue
    geography: Geography


def page_context(release: Release) -> PageContext:
    """The release's catalogue, and the areas (job centres, RAR areas) of its year."""
    return PageContext(release, load_catalogue(release.catalogue_year), load_geography(release.year))


# -- periods -------------------------------------------------------------------------------------
def default_period(release: Release) -> str:
    return str(release.year)


def period_for(indicator: Indicator, chosen: str) -> str:
    """The indicator's own period that best matches the chosen one.

    Monthly measures take it as it is; half-yearly ones (REKRUT) take the half-year containing
    it, or the second half of a chosen year; yearly ones (MM10) take its year.
    """
    period = Period.parse(chosen)
    match indicator.periodicity:
        case "half_year":
            if period.kind == "year":
                return f"{period.year}H2"
            return Period.of_date(period.end, "half_year").code
        case "year":
            return str(period.year)
    if indicator.unit == "antal" and period.kind != "month":
        return period.months()[-1].code  # a monthly count (LOK_*) is published per month only
    return period.code


def parse_period(text: str | None, release: Release) -> str:
    if not text:
        return default_period(release)
    try:
        period = Period.parse(text)
    except PeriodError as exc:
        raise NotFound(str(exc)) from None
    if period.code not in periods_of(release):
        raise NotFound(f"perioden {period.code} findes ikke i udgivelsen")
    return period.code


def period_choices(release: Release, survey_rounds: bool = False) -> list[tuple[str, str]]:
    """The release's periods to choose from; with `survey_rounds` (REKRUT's page) a half-year
    is labelled by the survey round's posting window."""
    codes = periods_of(release)
    kinds = ("year", "half_year", "quarter", "month")
    ordered = sorted(codes, key=lambda c: (kinds.index(Period.parse(c).kind), c), reverse=False)
    return [(c, formats.period_label(c, survey_round=survey_rounds)) for c in ordered]


def period_text(ind: Indicator, period: str) -> str:
    """A period as shown for an indicator: REKRUT's rounds by their posting window."""
    return formats.period_label(period, survey_round=ind.survey_rounds)


def series_periods(indicator: Indicator, release: Release) -> list[str]:
    """The periods a trend chart shows: months, half-years or years of the release."""
    kind = indicator.periodicity
    return [c for c in periods_of(release, indicator.id) if Period.parse(c).kind == kind]


# -- small lookups ---------------------------------------------------------------------------------
class FactIndex:
    """Total-row lookups by (indicator, period, level, code) in O(1), built once per frame.

    Pages look up thousands of single figures; filtering a DataFrame for each was the slow part.
    """

    def __init__(self, facts: pd.DataFrame):
        totals = facts[facts.breakdown == TOTAL] if "breakdown" in facts else facts
        columns = {c: totals[c].tolist() for c in totals.columns}  # tolist: far faster than rows
        names = list(columns)
        self._rows: dict[tuple[str, str, str, str], dict] = {}
        for values in zip(*columns.values(), strict=True):
            row = dict(zip(names, values, strict=True))
            for key in ("numerator", "denominator", "value"):
                if row[key] is not None and row[key] != row[key]:  # NaN
                    row[key] = None
            self._rows[(row["indicator"], row["period"], row["area_level"], row["area_code"])] = row

    def get(self, indicator: str, period: str, level: str, code: str) -> dict | None:
        return self._rows.get((indicator, period, level, str(code)))


def _fact(facts: FactIndex, indicator: str, period: str, level: str, code: str) -> dict | None:
    return facts.get(indicator, period, level, code)


def _of(facts: pd.DataFrame, indicator: str, periods: list[str] | None = None,
        level: str | None = None, codes: list[str] | None = None) -> pd.DataFrame:
    """A small slice of the facts for the analysis functions (they filter what they get)."""
    keep = facts.indicator == indicator
    if periods is not None:
        keep &= facts.period.isin(periods)
    if level is not None:
        keep &= facts.area_level == level
    if codes is not None:
        keep &= facts.area_code.isin(codes)
    return facts[keep]


def _figure(row: dict | None) -> dict:
    if row is None:
        return {"value": None, "numerator": None, "denominator": None, "suppressed": False,
                "provisional": False, "missing": True}
    return {**row, "missing": False}


def _change(now: dict | None, before: dict | None) -> float | None:
    if not now or not before or now["value"] is None or before["value"] is None:
        return None
    return now["value"] - before["value"]


def area_name(geo: Geography, level: str, code: str) -> str:
    """The area's name in the geography's year, or in the year before (a release also holds
    the previous year, whose job centres or RAR areas may since have changed)."""
    try:
        return geo.area(level, code).name
    except UnknownAreaError:
        return load_geography(geo.year - 1).area(level, code).name


# -- trend series ------------------------------------------------------------------------------
def area_series(facts: FactIndex, indicator: str, level: str, code: str, periods: list[str],
            name: str, role: str) -> charts.TrendSeries:
    points = []
    for p in periods:
        row = _fact(facts, indicator, p, level, code)
        points.append(charts.TrendPoint(p, row["value"] if row else None,
                                        bool(row and row["suppressed"])))
    return charts.TrendSeries(name=name, role=role, points=tuple(points))


def _provisional_from(facts: FactIndex, indicator: str, periods: list[str]) -> str | None:
    flagged = [p for p in periods if (row := facts.get(indicator, p, "land", COUNTRY_CODE))
               and row["provisional"]]
    return min(flagged) if flagged else None


def trend_table(series: list[charts.TrendSeries], indicator: Indicator, params: dict,
                title: str) -> DataTable:
    """The table behind a trend chart: one row per period, one column per line."""
    columns = [Column("period", "Periode", "round" if indicator.survey_rounds else "period")]
    columns += [Column(f"s{i}", s.name, "pct") for i, s in enumerate(series)]
    rows = []
    for j, point in enumerate(series[0].points if series else []):
        row = {"period": point.period}
        for i, s in enumerate(series):
            row[f"s{i}"] = s.points[j].value
            row[f"s{i}_suppressed"] = s.points[j].suppressed
        rows.append(row)
    note = ("«Diskretioneret»: tallet er under diskretionsgrænsen. «Ingen data»: ingen i nævneren "
            "eller ikke opgjort for perioden.")
    if any(s.role == "sammenlignelige" for s in series):
        note += (" Sammenlignelige kommuner har intet samlet tal i en periode, hvor en af dem er "
                 "diskretioneret eller mangler: et tal uden den ville være skævt.")
    return DataTable("trend", title, columns, rows, params=params, note=note)


def from_first_data(index: FactIndex, indicator: str, periods: list[str]) -> list[str]:
    """The periods from the first in which the country has anybody to count: a measure of
    people who came later (UKR_BESK, from March 2022) starts its trend there, not in empty
    months before."""
    for i, p in enumerate(periods):
        row = index.get(indicator, p, "land", COUNTRY_CODE)
        if row and (row["suppressed"] or row["denominator"]):
            return periods[i:]
    return periods


def _published(ctx: PageContext, ind: Indicator) -> bool:
    """Whether the release has figures for the indicator (an import may hold only some)."""
    return bool(series_periods(ind, ctx.release))


# -- national overview -----------------------------------------------------------------------------
def overview(release: Release, chosen: str) -> dict:
    ctx = page_context(release)
    facts = level_facts(release, ("kommune", "rar", "land"))
    index = FactIndex(facts)
    goals = []
    for goal in ctx.catalogue.goals:
        blocks = [_overview_block(ctx, facts, index, ind, chosen)
                  for ind in ctx.catalogue.indicators_of_goal(goal.number) if _published(ctx, ind)]
        goals.append({"goal": goal, "blocks": blocks})
    return {"goals": goals, "period": chosen, "periods": period_choices(release)}


def _overview_block(ctx: PageContext, facts: pd.DataFrame, index: FactIndex, ind: Indicator,
                    chosen: str) -> dict:
    period = period_for(ind, chosen)
    year_before = Period.parse(period).year_earlier().code
    now = _fact(index, ind.id, period, "land", COUNTRY_CODE)
    before = _fact(index, ind.id, year_before, "land", COUNTRY_CODE)
    periods = from_first_data(index, ind.id, series_periods(ind, ctx.release))
    country = area_series(index, ind.id, "land", COUNTRY_CODE, periods, "Hele landet", "land")
    trend = charts.trend_chart([country], f"{ind.name_da}, hele landet",
                               provisional_from=_provisional_from(index, ind.id, periods),
                               description=f"Udviklingen i {ind.name_da} for hele landet.",
                               survey_rounds=ind.survey_rounds)
    league = league_table(ctx, _of(facts, ind.id, [period, year_before]), ind, period)
    return {
        "indicator": ind, "period": period, "year_before": year_before,
        "country": _figure(now), "change": _change(now, before),
        "trend_spec": trend,
        "trend_table": trend_table([country], ind, {"indikator": ind.id, "niveau": "land",
                                                    "kode": COUNTRY_CODE},
                                   f"{ind.name_da}: hele landet over tid"),
        "map_spec": _map_spec(ctx, _of(facts, ind.id, [period]), ind, period),
        "league": league,
    }


def _map_spec(ctx: PageContext, facts: pd.DataFrame, ind: Indicator, period: str,
              highlight: int | None = None) -> dict:
    title = f"{ind.name_da}, {period_text(ind, period)}"
    if "kommune" not in ind.area_levels:
        rows = facts[(facts.indicator == ind.id) & (facts.period == period) & (facts.area_level == "rar")
                     & (facts.breakdown == TOTAL)]
        values = {r.area_code: (None if pd.isna(r.value) else float(r.value)) for r in rows.itertuples()}
        suppressed = {r.area_code for r in rows.itertuples() if r.suppressed}
        return charts.rar_map(values, title, direction=ind.direction, highlight=highlight,
                              suppressed=suppressed, topojson_url=TOPOJSON_URL,
                              subtitle="RAR-områder (målet opgøres ikke for kommuner)")
    rows = facts[(facts.indicator == ind.id) & (facts.period == period) & (facts.area_level == "kommune")
                 & (facts.breakdown == TOTAL)]
    values = {int(r.area_code): (None if pd.isna(r.value) else float(r.value)) for r in rows.itertuples()}
    suppressed = {int(r.area_code) for r in rows.itertuples() if r.suppressed}
    return charts.choropleth_map(values, title, direction=ind.direction, highlight=highlight,
                                 suppressed=suppressed, topojson_url=TOPOJSON_URL)


def league_table(ctx: PageContext, facts: pd.DataFrame, ind: Indicator, period: str,
                 highlight: int | None = None) -> DataTable:
    """All municipalities (RAR areas for REKRUT) with value, change and rank."""
    params = {"indikator": ind.id, "periode": period}
    if "kommune" not in ind.area_levels:
        return areas_table(ctx, facts, ind, period, "rar")
    ranked = analysis.rank_municipalities(facts, ind.id, period, by="level",
                                          geography=ctx.geography)
    changes = analysis.changes_pp(facts, ind.id, period, "kommune")
    gaps = expected_by_code(ctx.release, ind.id, period)
    index = FactIndex(facts)
    rows = []
    for r in ranked:
        row = _fact(index, ind.id, period, "kommune", str(r.code)) or {}
        gap = gaps.get(r.code)
        rows.append({
            "rank": r.rank, "code": str(r.code), "name": r.name, "value": r.value,
            "numerator": row.get("numerator"), "denominator": row.get("denominator"),
            "change_pp": changes.get(str(r.code)),
            "expected": gap.expected if gap else None, "gap": gap.gap if gap else None,
            "suppressed": bool(row.get("suppressed")), "provisional": bool(row.get("provisional")),
        })
    columns = [Column("rank", "Placering", "int"), Column("code", "Kode"),
               Column("name", "Kommune", "link"), Column("value", "Værdi", "pct"),
               Column("numerator", "Tæller", "count"), Column("denominator", "Nævner", "count"),
               Column("change_pp", "Ændring på et år", "pp"),
               Column("expected", "Forventet niveau", "pct"),
               Column("gap", "Forskel til forventet", "pp"),
               Column("suppressed", "Diskretioneret", "bool"),
               Column("provisional", "Foreløbig", "bool")]
    return DataTable("league", f"{ind.name_da}: alle kommuner, {period_text(ind, period)}",
                     columns, rows, params=params, highlight=str(highlight) if highlight else None,
                     note="Placering 1 er bedst i målets retning. Diskretionerede og manglende "
                          "tal placeres ikke.")


expected_by_code = comparisons.expected_by_code


def areas_table(ctx: PageContext, facts: pd.DataFrame, ind: Indicator, period: str,
                level: str) -> DataTable:
    """Every area of one level for one period (the job centres and RAR areas of the period's
    year): value, counts and flags."""
    rows = []
    index = FactIndex(_of(facts, ind.id, [period], level))
    for area in load_geography(Period.parse(period).year).areas(level):
        row = _fact(index, ind.id, period, level, area.code)
        fig = _figure(row)
        rows.append({"code": area.code, "name": area.name, "value": fig["value"],
                     "numerator": fig["numerator"], "denominator": fig["denominator"],
                     "suppressed": fig["suppressed"], "provisional": fig["provisional"],
                     "missing": fig["missing"]})
    name_kind = "link" if level == "kommune" else "text"
    columns = [Column("code", "Kode"), Column("name", LEVEL_NAMES[level], name_kind),
               Column("value", "Værdi", "pct"), Column("numerator", "Tæller", "count"),
               Column("denominator", "Nævner", "count"), Column("suppressed", "Diskretioneret", "bool"),
               Column("provisional", "Foreløbig", "bool")]
    return DataTable("areas", f"{ind.name_da}: {LEVEL_NAMES[level].lower()}, "
                     f"{period_text(ind, period)}", columns, rows,
                     params={"indikator": ind.id, "periode": period, "niveau": level})


def breakdown_table(release: Release, ind: Indicator, period: str, level: str, code: str) -> DataTable:
    facts = facts_frame(release, indicators=[ind.id], periods=[period], areas=[(level, code)],
                        total_only=False)
    breakdowns = {b.id: b for b in ind.breakdowns}
    order = [b.id for b in ind.breakdowns]

    def sort_key(r) -> tuple:
        if r.breakdown == TOTAL:
            return (-1, 0)
        b = breakdowns.get(r.breakdown)
        return (order.index(r.breakdown) if b else len(order), b.order(r.breakdown_value) if b else 0)

    rows = []
    for r in sorted(facts.itertuples(), key=sort_key):
        b = breakdowns.get(r.breakdown)
        rows.append({"breakdown": "I alt" if r.breakdown == TOTAL else (b.name_da if b else r.breakdown),
                     "breakdown_value": "" if r.breakdown_value == TOTAL
                     else (b.label(r.breakdown_value) if b else r.breakdown_value),
                     "value": None if pd.isna(r.value) else r.value,
                     "numerator": None if pd.isna(r.numerator) else r.numerator,
                     "denominator": None if pd.isna(r.denominator) else r.denominator,
                     "suppressed": bool(r.suppressed), "provisional": bool(r.provisional)})
    columns = [Column("breakdown", "Opdeling"), Column("breakdown_value", "Gruppe"),
               Column("value", "Værdi", "pct"), Column("numerator", "Tæller", "count"),
               Column("denominator", "Nævner", "count"), Column("suppressed", "Diskretioneret", "bool"),
               Column("provisional", "Foreløbig", "bool")]
    geo = load_geography(release.year)
    return DataTable("breakdown", f"{ind.name_da} opdelt: {area_name(geo, level, code)}, "
                     f"{period_text(ind, period)}", columns, rows,
                     params={"indikator": ind.id, "periode": period, "niveau": level, "kode": code},
                     note="Grupper uden personer i nævneren vises ikke.")


def municipal_breakdown(release: Release, ind: Indicator, period: str, level: str,
                        code: str) -> dict | None:
    """An area's own breakdowns of an indicator (køn, alder, ydelsesgruppe, indrejst,
    opholdstid): the table, and a small chart of its groups; None without breakdowns."""
    if not ind.breakdowns:
        return None
    table = breakdown_table(release, ind, period, level, code)
    bars = [charts.BreakdownBar(r["breakdown"], r["breakdown_value"], r["value"], r["suppressed"])
            for r in table.rows if r["breakdown"] != "I alt"]
    if not bars:
        return {"table": table, "chart": None}
    spec = charts.breakdown_chart(bars, f"{ind.name_da} opdelt, {period_text(ind, period)}",
                                  unit="pct" if ind.unit == "pct" else "antal")
    return {"table": table, "chart": spec}


# -- municipality page ----------------------------------------------------------------------------
def municipality(release: Release, code: int, chosen: str) -> dict:
    ctx = page_context(release)
    geo = load_geography(Period.parse(chosen).year)  # the job centre and RAR area of that year
    muni = geo.municipality(code)
    own_areas = [(level, geo.parent_code(code, level)) for level in AREA_LEVELS]
    peer_year = Period.parse(chosen).year
    peers = comparisons.peer_links(release, peer_year, code)
    facts = level_facts(release, ("kommune",))  # every municipality, for ranks and peers
    facts = pd.concat([facts, facts_frame(release, areas=[a for a in own_areas if a[0] != "kommune"])],
                      ignore_index=True)
    goals = []
    for goal in ctx.catalogue.goals:
        blocks = [_municipality_block(ctx, facts, ind, chosen, code, peers)
                  for ind in ctx.catalogue.indicators_of_goal(goal.number) if _published(ctx, ind)]
        goals.append({"goal": goal, "blocks": blocks})
    jobcentre_members = geo.members("jobcenter", str(muni.jobcentre_code))
    return {
        "municipality": muni, "goals": goals, "period": chosen,
        "periods": period_choices(release),
        "jobcentre": geo.area("jobcenter", str(muni.jobcentre_code)),
        "jobcentre_shared": len(jobcentre_members) > 1,
        "peers": [{"code": p.peer_code, "name": geo.municipality(p.peer_code).name,
                   "distance": p.distance, "reasons": p.reasons} for p in peers],
        "peer_year": peer_year,
    }


def _municipality_block(ctx: PageContext, facts: pd.DataFrame, ind: Indicator, chosen: str,
                        code: int, peers: list) -> dict:
    period = period_for(ind, chosen)
    geo = load_geography(Period.parse(period).year)  # compared with the areas of that year
    mine = _of(facts, ind.id)
    index = FactIndex(mine)
    periods = from_first_data(index, ind.id, series_periods(ind, ctx.release))
    found = comparisons.municipal_comparison(ctx.release, mine, ind, period, code, peers=peers)
    series = [area_series(index, ind.id, fig.level, fig.code, periods, fig.name, fig.level)
              for fig in found.areas
              if not (fig.level == "jobcenter" and len(geo.members("jobcenter", fig.code)) == 1)]
    block = {"indicator": ind, "period": period, "own_level": found.own_level, "own": found.own,
             "change": found.change, "comparison": found.areas}
    if found.municipal:
        block.update(_municipal_extras(ctx, mine, ind, found, periods, series))
    params = {"indikator": ind.id, "niveau": found.own_level, "kode": found.own_code, "kommune": code}
    block["trend_spec"] = charts.trend_chart(
        series, f"{ind.name_da}", provisional_from=_provisional_from(index, ind.id, periods),
        description=f"Udviklingen i {ind.name_da} for {geo.municipality(code).name} og sammenligninger.",
        survey_rounds=ind.survey_rounds)
    block["trend_table"] = trend_table(series, ind, params, f"{ind.name_da}: udvikling og sammenligning")
    block["comparison_table"] = comparison_table(block, ind, period, code)
    block["breakdowns"] = municipal_breakdown(ctx.release, ind, period, found.own_level,
                                              found.own_code)
    return block


def _municipal_extras(ctx: PageContext, mine: pd.DataFrame, ind: Indicator,
                      found: comparisons.Comparison, periods: list[str],
                      series: list[charts.TrendSeries]) -> dict:
    """Peers, expected level, ranks and the rolling figure: what only municipal measures have."""
    code, period = found.code, found.period
    peer_codes = [p.code for p in found.peers]
    if peer_codes:
        peer_facts = _of(mine, ind.id, level="kommune", codes=[str(c) for c in peer_codes])
        series.append(_pooled_series(peer_facts, ind.id, periods, peer_codes,
                                     suppression_threshold(ctx.release, ind)))
    by_period = {e.period: e for e in ExpectedLevel.objects.filter(
        release=ctx.release, indicator=ind.id, municipality_code=code)}
    series.append(charts.TrendSeries("Forventet niveau", "forventet", tuple(
        charts.TrendPoint(p, by_period[p].expected if p in by_period else None) for p in periods)))
    return {
        "pooled": found.pooled, "expected": found.expected,
        "rank": found.rank, "ranked_count": found.ranked_count,
        "rank_gap": found.rank_gap, "rank_change": found.rank_change,
        "around": around_table(ctx, found.ranks.level, ind, period, code),
        "rolling": _rolling(_of(mine, ind.id, level="kommune", codes=[str(code)]), ind, period, code),
        "forecast": _forecast(mine, ind, period, code),
    }


def _forecast(mine: pd.DataFrame, ind: Indicator, period: str, code: int):
    """The year-end forecast of the period's year from the months up to the period's end (no
    target: the plan's target and its probability are in the plan panel's line)."""
    if not forecastable(ind):
        return None
    chosen = Period.parse(period)
    last = Period.month(chosen.year, chosen.last_month).code
    months = sorted(p for p in mine.loc[mine["area_level"] == "land", "period"].unique()
                    if p.startswith(f"{chosen.year}M") and p <= last)
    if not months:
        return None
    return analysis.forecast_year(mine, ind.id, code, chosen.year, months[-1])


def _pooled_series(facts: pd.DataFrame, indicator: str, periods: list[str],
                   codes: list[int], threshold: int) -> charts.TrendSeries:
    """The peers' pooled figure per period; a gap where it cannot be computed."""
    pools = analysis.pooled_series(facts, indicator, periods, codes, threshold=threshold)
    points = tuple(charts.TrendPoint(p, pools[p].value, pools[p].suppressed) for p in periods)
    return charts.TrendSeries("Sammenlignelige kommuner", "sammenlignelige", points)


def _rolling(facts: pd.DataFrame, ind: Indicator, period: str, code: int) -> float | None:
    if ind.periodicity != "month":
        return None
    trend = analysis.trend_12m(facts, ind.id, "kommune", str(code), period)
    return trend.points[-1].rolling_value if trend.points else None


def around_table(ctx: PageContext, ranked: list, ind: Indicator, period: str, code: int) -> DataTable:
    rows = [{"rank": r.rank, "code": str(r.code), "name": r.name, "value": r.value,
             "suppressed": r.suppressed} for r in analysis.around(ranked, code)]
    return DataTable("around", f"{ind.name_da}: placering blandt kommunerne",
                     [Column("rank", "Placering", "int"), Column("name", "Kommune", "link"),
                      Column("value", "Værdi", "pct")], rows,
                     params={"indikator": ind.id, "periode": period, "kommune": code},
                     highlight=str(code), note="Kommunen og de fem over og under den.")


def comparison_table(block: dict, ind: Indicator, period: str, code: int) -> DataTable:
    rows = [{"area": f"{LEVEL_NAMES[f.level]}: {f.name}", "value": f.value, "numerator": f.numerator,
             "denominator": f.denominator, "suppressed": f.suppressed, "provisional": f.provisional}
            for f in block["comparison"]]
    pool = block.get("pooled")
    if pool is not None:
        note = f" ({pool.reason})" if pool.reason else ""
        rows.append({"area": f"Sammenlignelige kommuner{note}", "value": pool.value,
                     "numerator": pool.numerator, "denominator": pool.denominator,
                     "suppressed": pool.suppressed, "provisional": pool.provisional})
    expected = block.get("expected")
    if expected is not None and expected.expected is not None:
        rows.append({"area": "Forventet niveau ud fra rammevilkår", "value": expected.expected,
                     "numerator": None, "denominator": None, "suppressed": False, "provisional": False})
    return DataTable("comparison", f"{ind.name_da}: sammenligning, {period_text(ind, period)}",
                     [Column("area", "Område"), Column("value", "Værdi", "pct"),
                      Column("numerator", "Tæller", "count"), Column("denominator", "Nævner", "count"),
                      Column("suppressed", "Diskretioneret", "bool"),
                      Column("provisional", "Foreløbig", "bool")],
                     rows, params={"indikator": ind.id, "periode": period, "kommune": code},
                     highlight=None)


# -- indicator page ---------------------------------------------------------------------------------
def indicator_page(release: Release, indicator_id: str, chosen: str, level: str) -> dict:
    ctx = page_context(release)
    try:
        ind = ctx.catalogue.indicator(indicator_id)
    except KeyError:
        raise NotFound(f"ingen indikator {indicator_id} i {ctx.catalogue.year}") from None
    if not _published(ctx, ind):
        raise NotFound(f"udgivelsen har ingen tal for {ind.id}")
    if level not in ind.area_levels:
        level = ind.area_levels[0]
    period = period_for(ind, chosen)
    facts = facts_frame(release, indicators=[ind.id], levels=[level, "land", "kommune", "rar"])
    index = FactIndex(facts)
    periods = series_periods(ind, release)
    country = area_series(index, ind.id, "land", COUNTRY_CODE, periods, "Hele landet", "land")
    return {
        "indicator": ind, "goal": ctx.catalogue.goal(ind.goal), "period": period, "level": level,
        "periodicity": PERIODICITY_DA[ind.periodicity],
        "suppression_threshold": suppression_threshold(release, ind),
        "levels": [(lv, LEVEL_NAMES[lv]) for lv in ind.area_levels],
        "periods": period_choices(release, ind.survey_rounds),
        "trend_spec": charts.trend_chart([country], f"{ind.name_da}, hele landet", ind.unit,
                                         provisional_from=_provisional_from(index, ind.id, periods),
                                         survey_rounds=ind.survey_rounds),
        "trend_table": trend_table([country], ind, {"indikator": ind.id, "niveau": "land",
                                                    "kode": COUNTRY_CODE},
                                   f"{ind.name_da}: hele landet over tid"),
        "map_spec": _map_spec(ctx, facts, ind, period),
        "areas_table": areas_table(ctx, facts, ind, period, level),
        "breakdown_table": breakdown_table(release, ind, period, "land", COUNTRY_CODE),
    }


def seasonal_trend(release: Release, indicator_id: str) -> dict:
    """The indicator page's national trend with a seasonally adjusted line beside the raw one
    (the `?saeson=1` toggle), or the raw chart and why there is no adjusted line. The table
    and downloads keep the raw series."""
    ind = page_context(release).catalogue.indicator(indicator_id)
    index = FactIndex(facts_frame(release, indicators=[ind.id], levels=["land"]))
    periods = series_periods(ind, release)
    country = area_series(index, ind.id, "land", COUNTRY_CODE, periods, "Hele landet", "land")
    result = seasonally_adjust([(p.period, None if p.suppressed else p.value)
                                for p in country.points])
    series = [country]
    if result.adjusted:
        series.append(charts.TrendSeries(
            f"Hele landet, {ADJUSTED_LABEL.lower()}", "saesonkorrigeret",
            tuple(charts.TrendPoint(p, result.values.get(p)) for p in periods)))
        note = (f"{ADJUSTED_LABEL}: den stiplede orange linje er tallene uden det faste "
                "sæsonmønster (STL), så fx en stigning i januar ikke ses som fremgang. Tabellen "
                "og downloads viser de rå tal.")
    else:
        note = result.reason
    spec = charts.trend_chart(series, f"{ind.name_da}, hele landet", ind.unit,
                              provisional_from=_provisional_from(index, ind.id, periods))
    return {"trend_spec": spec, "seasonal_note": note, "seasonal_shown": result.adjusted}
