"""The open API: read-only, public JSON of the catalogue, areas, releases and facts, and the
comparison a municipality page shows. OpenAPI documentation at /api/docs.

Every endpoint serves the active release unless `release` names another. Bad parameters are
answered 400 with `{"detail": ..., "parameter": ...}` (422 from the schema validation names the
parameter in `loc`); an unknown release, municipality or year, or no release at all, is 404.
"""

from __future__ import annotations

from typing import Annotated

from django.conf import settings
from django.db.models import F
from django.http import HttpRequest
from ninja import NinjaAPI, Query

from jobmaal.analysis.forecast import forecast_text_da
from jobmaal.catalogue import Catalogue, Indicator, available_years, load_catalogue
from jobmaal.facts import FACTS_COLUMNS, TOTAL
from jobmaal.geography import AREA_LEVELS, UnknownAreaError, load_geography
from jobmaal.periods import Period, PeriodError, period_window_da
from jobmaal.web import comparisons
from jobmaal.web.api_schemas import (
    AreaFigureOut,
    AreaLevel,
    AreaOut,
    ComparisonOut,
    ErrorOut,
    ExpectedOut,
    FactsPage,
    ForecastOut,
    IndicatorRef,
    MunicipalityRef,
    PeerOut,
    PeriodKind,
    PooledOut,
    RankOut,
    ReleaseDetailOut,
    ReleaseOut,
    ReleaseRef,
    RevisionsPage,
)
from jobmaal.web.forecasts import latest_month, plan_target, release_forecast
from jobmaal.web.models import Fact, Release, Revision
from jobmaal.web.publishing import visible_releases
from jobmaal.web.queries import (
    active_release,
    facts_frame,
    may_see,
    periods_of,
)
from jobmaal.web.vintages import revision_summary

DESCRIPTION = """\
Jobmåls åbne API: de beskæftigelsespolitiske måls indikatorer for alle 98 kommuner, med
jobcentre, RAR-områder, regioner og hele landet. Kun læsning, ingen login, JSON.
Undertrykte tal (tællinger fra 1 til under udgivelsens diskretionsgrænse, manifestets
`settings.suppression_threshold`) er `null`, aldrig 0. Uden `release` bruges den aktive udgivelse.

Jobmål's open API: the Danish employment-policy goal indicators for all 98 municipalities,
with job centres, RAR areas, regions and the country. Read-only, public, JSON. Suppressed
figures (counts from 1 to below the release's threshold, the manifest's
`settings.suppression_threshold`) are `null`, never 0. Without `release`, the active release is served.
"""

api = NinjaAPI(title="Jobmål API", version="1", description=DESCRIPTION)
api.add_router("/plans", "jobmaal.web.followup.api.router")  # published employment plans

RELEASE_HELP = "release id (see /api/releases); the active release if left out"
# Offsets beyond this are refused with 422 by the schema (a database cannot skip 2^63 rows).
MAX_OFFSET = 1_000_000_000
# Manifest fields never shown: server paths. Shown to staff only: who uploaded a file.
_SERVER_PATHS = ("folder",)
_STAFF_ONLY = ("uploaded_by",)


class ApiError(Exception):
    """A request the API answers with a 4xx and a message; `parameter` names the culprit."""

    def __init__(self, status: int, detail: str, parameter: str | None = None):
        super().__init__(detail)
        self.status = status
        self.detail = detail
        self.parameter = parameter


def bad_parameter(parameter: str, detail: str) -> ApiError:
    return ApiError(400, f"{parameter}: {detail}", parameter)


@api.exception_handler(ApiError)
def _api_error(request: HttpRequest, exc: ApiError):
    return api.create_response(request, {"detail": exc.detail, "parameter": exc.parameter},
                               status=exc.status)


# -- shared look-ups -------------------------------------------------------------------------

def chosen_release(release: int | None, parameter: str = "release", user=None) -> Release:
    """The release asked for, or the active one; 404 when there is none (drafts: staff only)."""
    if release is not None:
        found = Release.objects.filter(pk=release).first()
        if found is None or not may_see(user, found):
            raise ApiError(404, f"{parameter}: no release with id {release}", parameter)
        return found
    found = active_release()
    if found is None:
        raise ApiError(404, "No release is loaded (no active release); load one with "
                            "`jobmaal load OUT` / Ingen udgivelse er indlæst.")
    return found


def release_ref(release: Release) -> dict:
    return {"id": release.pk, "name": release.name, "synthetic": release.synthetic}


def release_periods(release: Release) -> list[str]:
    return list(release.manifest.get("periods") or periods_of(release))


def release_out(release: Release) -> dict:
    return {
        "id": release.pk, "name": release.name, "year": release.year,
        "catalogue_year": release.catalogue_year, "kind": release.kind,
        "synthetic": release.synthetic,
        "created": release.created, "loaded_at": release.loaded_at,
        "row_count": release.row_count, "facts_sha256": release.facts_sha256,
        "is_active": release.is_active, "periods": release_periods(release),
        "fetched": release.fetched, "previous": release.previous_id,
    }


def public_manifest(manifest: dict, *, staff: bool) -> dict:
    """The manifest without server paths, and without the uploader's name unless for staff."""
    shown = dict(manifest)
    if isinstance(shown.get("source"), dict):
        hidden = _SERVER_PATHS + (() if staff else _STAFF_ONLY)
        shown["source"] = {k: v for k, v in shown["source"].items() if k not in hidden}
    return shown


def parse_period(parameter: str, code: str) -> Period:
    try:
        return Period.parse(code)
    except PeriodError as exc:
        raise bad_parameter(parameter, f"{code!r} is not a period: {exc}") from None


def catalogue_indicator(release: Release, indicator_id: str, parameter: str = "indicator") -> Indicator:
    catalogue = load_catalogue(release.catalogue_year)
    try:
        return catalogue.indicator(indicator_id)
    except KeyError:
        known = ", ".join(i.id for i in catalogue.indicators)
        raise bad_parameter(parameter, f"unknown indicator {indicator_id!r} in the "
                                       f"{release.catalogue_year} catalogue (known: {known})") from None


# -- catalogue and areas ---------------------------------------------------------------------

@api.get("/catalogue/{year}", response={200: Catalogue, 404: ErrorOut}, tags=["katalog"])
def catalogue(request: HttpRequest, year: int):
    """A year's goals and indicators (definitions, units, directions, area levels, breakdowns)."""
    if year not in available_years():
        raise ApiError(404, f"year: no catalogue for {year} "
                            f"(available: {', '.join(map(str, available_years()))})", "year")
    return load_catalogue(year)


@api.get("/areas", response=list[AreaOut], tags=["områder"])
def areas(request: HttpRequest, level: Annotated[AreaLevel | None, Query(
        description="kommune, jobcenter, rar, region or land; all levels if left out")] = None,
          year: Annotated[int | None, Query(
        description="the year whose job centres and RAR areas to give (default: the active "
                    "release's year; 2023 when none is loaded)",
        ge=2000, le=2100)] = None):
    """Areas with code, name and level; municipalities also carry their job centre (coded by
    its lead municipality), RAR area and region, as of `year` (95 job centres from 2022, 94
    before; five RAR areas from 2025, eight before)."""
    if year is None:
        shown = active_release()
        year = shown.year if shown else None
    geo = load_geography(year)
    out = []
    for lv in [level] if level else AREA_LEVELS:
        for area in geo.areas(lv):
            row = {"level": lv, "code": area.code, "name": area.name}
            if lv == "kommune":
                m = geo.municipality(area.code)
                row |= {"jobcenter_code": str(m.jobcentre_code), "rar_code": m.rar,
                        "region_code": m.region_code}
            out.append(row)
    return out


# -- releases -------------------------------------------------------------------------------

@api.get("/releases", response=list[ReleaseOut], tags=["udgivelser"])
def releases(request: HttpRequest):
    """Every loaded release with its provenance, newest first."""
    return [release_out(r) for r in Release.objects.filter(visible_releases(request.user))]


@api.get("/releases/{release_id}", response={200: ReleaseDetailOut, 404: ErrorOut},
         tags=["udgivelser"])
def release_detail(request: HttpRequest, release_id: int):
    """One release with its manifest (source, settings, row counts, checksum)."""
    release = chosen_release(release_id, "release_id", request.user)
    return release_out(release) | {"manifest": public_manifest(release.manifest, staff=request.user.is_staff)}


# -- facts ----------------------------------------------------------------------------------

@api.get("/facts", response={200: FactsPage, 400: ErrorOut, 404: ErrorOut}, tags=["tal"])
def facts(
    request: HttpRequest,
    release: Annotated[int | None, Query(description=RELEASE_HELP)] = None,
    indicator: Annotated[list[str] | None, Query(
        description="indicator id, e.g. MM13; repeatable")] = None,
    period_from: Annotated[str | None, Query(
        description="first period, a Jobindsats code (2023M01, 2023Q1, 2023H1, 2023)")] = None,
    period_to: Annotated[str | None, Query(
        description="last period, of the same kind as period_from")] = None,
    period_kind: Annotated[PeriodKind | None, Query(
        description="month, quarter, half_year or year")] = None,
    area_level: Annotated[AreaLevel | None, Query(
        description="kommune, jobcenter, rar, region or land")] = None,
    area_code: Annotated[list[str] | None, Query(
        description="area code as in /api/areas, e.g. 101; repeatable; without area_level a "
                    "code matches every level that has it (101: municipality and job centre)")] = None,
    breakdown: Annotated[str | None, Query(
        description="breakdown id; 'i_alt' for totals; all breakdowns if left out")] = None,
    limit: Annotated[int, Query(ge=1, le=MAX_OFFSET,
                                description="rows per page (at most JOBMAAL_API_MAX_ROWS)")] = 1000,
    offset: Annotated[int, Query(ge=0, le=MAX_OFFSET)] = 0,
):
    """Facts of a release, filtered in the database, in the order of the release's facts file.

    A period range gives the periods of one kind: `period_from=2023M01&period_to=2023M06` is
    six months. Suppressed rows have numerator, denominator and value null; `suppression` says
    why: 'primary' (a count of 1 to threshold−1) or 'secondary' (hidden so that no primary
    count can be worked out from the shown sums). A survey round (REKRUT's half-year code)
    carries its posting window in `period_window` ("dec. 2022–maj 2023" for 2023H1); other
    rows have it null.
    """
    chosen = chosen_release(release, user=request.user)
    max_rows = settings.JOBMAAL_API_MAX_ROWS
    if limit > max_rows:
        raise bad_parameter("limit", f"at most {max_rows} rows per page, got {limit}")
    query = Fact.objects.filter(release=chosen)
    indicators = [catalogue_indicator(chosen, i).id for i in dict.fromkeys(indicator or [])]
    if indicators:
        query = _one_or_many(query, "indicator", indicators)
    periods = _periods_wanted(chosen, period_from, period_to, period_kind)
    if periods is not None:
        query = _one_or_many(query, "period", periods)
    if area_level:
        query = query.filter(area_level=area_level)
    if area_code:
        _check_area_codes(area_level, area_code)
        query = _one_or_many(query, "area_code", list(dict.fromkeys(area_code)))
    if breakdown:
        _check_breakdown(chosen, indicators, breakdown)
        query = query.filter(breakdown=breakdown)
    count = query.count()
    # In file order. With a period or area filter, `id + 0` keeps SQLite from walking the
    # release_id index in id order and lets it use fact_period/fact_area (then sort a few rows).
    order = (F("id") + 0).asc() if periods is not None or area_code else F("id").asc()
    columns = [*FACTS_COLUMNS, "source"]
    rows = query.order_by(order).values_list(*columns)[offset:offset + limit]
    rounds = {i.id for i in load_catalogue(chosen.catalogue_year).indicators if i.survey_rounds}
    items = [dict(zip(columns, row, strict=True)) for row in rows]
    for item in items:
        item["period_window"] = period_window_da(item["period"]) if item["indicator"] in rounds else None
    return {"count": count, "limit": limit, "offset": offset, "release": release_ref(chosen),
            "items": items}


@api.get("/releases/{release_id}/revisions", response={200: RevisionsPage, 400: ErrorOut, 404: ErrorOut},
         tags=["udgivelser"])
def release_revisions(
    request: HttpRequest, release_id: int,
    indicator: Annotated[str | None, Query(description="only this indicator")] = None,
    limit: Annotated[int, Query(ge=1, le=MAX_OFFSET,
                                description="rows per page (at most JOBMAAL_API_MAX_ROWS)")] = 1000,
    offset: Annotated[int, Query(ge=0, le=MAX_OFFSET)] = 0,
):
    """What this release revised against the previous vintage of the same source and year:
    figures changed, added or removed in periods both vintages hold."""
    chosen = chosen_release(release_id, "release_id", request.user)
    if limit > settings.JOBMAAL_API_MAX_ROWS:
        raise bad_parameter("limit", f"at most {settings.JOBMAAL_API_MAX_ROWS} rows per page, got {limit}")
    query = Revision.objects.filter(release=chosen)
    if indicator:
        query = query.filter(indicator=catalogue_indicator(chosen, indicator).id)
    summary = revision_summary(chosen)
    previous = summary["previous"]
    fields = ["change", "indicator", "period", "area_level", "area_code", "breakdown",
              "breakdown_value", "old_value", "new_value", "old_suppressed", "new_suppressed"]
    rows = query.values_list(*fields)[offset:offset + limit]
    return {"release": release_ref(chosen), "previous": release_ref(previous) if previous else None,
            "count": query.count(), "limit": limit, "offset": offset,
            "new_periods": summary["new_periods"],
            "items": [dict(zip(fields, r, strict=True)) for r in rows]}


def _one_or_many(query, field: str, values: list[str]):
    if len(values) == 1:
        return query.filter(**{field: values[0]})
    return query.filter(**{f"{field}__in": values})


def _periods_wanted(release: Release, period_from: str | None, period_to: str | None,
                    period_kind: str | None) -> list[str] | None:
    """The release's period codes the filters ask for (None: no period filter)."""
    first = parse_period("period_from", period_from) if period_from else None
    last = parse_period("period_to", period_to) if period_to else None
    if first and last and first.kind != last.kind:
        raise bad_parameter("period_to", f"{period_from} is a {first.kind} and {period_to} a "
                                         f"{last.kind}; a range compares periods of one kind")
    kind = (first or last).kind if (first or last) else period_kind
    if period_kind and kind != period_kind:
        given = "period_from" if first else "period_to"
        raise bad_parameter("period_kind", f"{period_kind} does not match {given} "
                                           f"({(first or last).code} is a {kind})")
    if kind is None:
        return None
    wanted = []
    for code in release_periods(release):
        p = Period.parse(code)
        if p.kind == kind and (first is None or p >= first) and (last is None or p <= last):
            wanted.append(code)
    return wanted


def _check_area_codes(level: str | None, codes: list[str]) -> None:
    geo = load_geography()
    levels = [level] if level else AREA_LEVELS
    known = {a.code for lv in levels for a in geo.areas(lv)}
    for code in codes:
        if code not in known:
            where = f"a {level} area" if level else "an area at any level"
            raise bad_parameter("area_code", f"{code!r} is not {where}")


def _check_breakdown(release: Release, indicators: list[str], breakdown: str) -> None:
    catalogue = load_catalogue(release.catalogue_year)
    chosen = [catalogue.indicator(i) for i in indicators] or list(catalogue.indicators)
    known = {TOTAL} | {b.id for i in chosen for b in i.breakdowns}
    if breakdown not in known:
        raise bad_parameter("breakdown", f"unknown breakdown {breakdown!r} "
                                         f"(known: {', '.join(sorted(known))})")


# -- a municipality's comparison --------------------------------------------------------------

@api.get("/municipalities/{code}/comparison",
         response={200: ComparisonOut, 400: ErrorOut, 404: ErrorOut}, tags=["kommuner"])
def comparison(
    request: HttpRequest,
    code: int,
    indicator: Annotated[str, Query(description="indicator id, e.g. MM13")],
    period: Annotated[str | None, Query(
        description="Jobindsats period code; the release's year if left out")] = None,
    release: Annotated[int | None, Query(description=RELEASE_HELP)] = None,
):
    """A municipality's figure beside its job centre, RAR area, region and the country, with
    the change in percentage points against the same period a year earlier, its rank among
    the 98 by level, its expected level from the framework conditions, and the comparable
    municipalities with their pooled figure.

    Indicators without municipal figures (REKRUT) give the RAR area and the country only,
    with no rank, expected level or comparable municipalities.
    """
    geo = load_geography()
    try:
        municipality = geo.municipality(code)
    except UnknownAreaError:
        raise ApiError(404, f"code: no municipality with code {code}", "code") from None
    chosen = chosen_release(release, user=request.user)
    info = catalogue_indicator(chosen, indicator)
    period = period or str(chosen.year)
    now = parse_period("period", period)
    if now.code not in periods_of(chosen, info.id):
        raise ApiError(404, f"period: {info.id} has no figures for {now.code} in release "
                            f"{chosen.pk}", "period")
    earlier = now.year_earlier()
    facts = facts_frame(chosen, indicators=[info.id], periods=[now.code, earlier.code])
    found = comparisons.municipal_comparison(chosen, facts, info, now.code, municipality.code)
    areas = [AreaFigureOut(**vars(f), change_pp=change)
             for f, change in zip(found.areas, found.area_changes, strict=True)]
    rank = expected = pooled = None
    peers: list[PeerOut] = []
    if found.municipal:
        rank = RankOut(rank=found.rank, ranked=found.ranked_count, of=found.ranked_of,
                       direction=info.direction)
        expected = _expected(found.expected)
        peers = [PeerOut(code=p.code, name=p.name, rank=p.rank, distance=p.distance,
                         reasons=p.reasons, value=p.value, suppressed=p.suppressed)
                 for p in found.peers]
        pooled = _pooled(found.pooled)
    return ComparisonOut(
        release=ReleaseRef(**release_ref(chosen)),
        municipality=MunicipalityRef(code=municipality.code, name=municipality.name),
        indicator=_indicator_ref(info),
        period=now.code, previous_period=earlier.code, areas=areas, rank=rank,
        expected=expected, peers_year=now.year, peers=peers, peers_pooled=pooled,
    )


@api.get("/municipalities/{code}/forecast",
         response={200: ForecastOut, 400: ErrorOut, 404: ErrorOut}, tags=["kommuner"])
def forecast(
    request: HttpRequest,
    code: int,
    indicator: Annotated[str, Query(description="a monthly indicator, e.g. MM13")],
    year: Annotated[int | None, Query(description="the year forecast; the release's if left out")] = None,
    as_of: Annotated[str | None, Query(
        description="the month the forecast is made in, e.g. 2023M06; the release's newest "
                    "month of the year if left out")] = None,
    target: Annotated[float | None, Query(
        description="a target for the year's value in pct.; the municipality's published "
                    "plan's target for the year if left out")] = None,
    release: Annotated[int | None, Query(description=RELEASE_HELP)] = None,
):
    """The municipality's year-end value forecast from the months up to `as_of`, with a 90 %
    interval and the probability that the target is reached in the indicator's direction
    (null without a target). Where the series is too short or too sparse, or the indicator is
    not a monthly share, the numbers are null and `reason` says why (docs/forecast.md)."""
    geo = load_geography()
    try:
        municipality = geo.municipality(code)
    except UnknownAreaError:
        raise ApiError(404, f"code: no municipality with code {code}", "code") from None
    chosen = chosen_release(release)
    info = catalogue_indicator(chosen, indicator)
    year = year or chosen.year
    if as_of is not None:
        month = parse_period("as_of", as_of)
        if month.kind != "month" or month.year != year:
            raise bad_parameter("as_of", f"{as_of!r} is not a month of {year}")
        if month.code not in periods_of(chosen, info.id):
            raise ApiError(404, f"as_of: {info.id} has no figures for {month.code} in release "
                                f"{chosen.pk}", "as_of")
        as_of = month.code
    elif latest_month(chosen, info.id, year) is None:
        raise ApiError(404, f"year: {info.id} has no monthly figures of {year} in release "
                            f"{chosen.pk}", "year")
    source = "parameter" if target is not None else None
    if target is None:
        target = plan_target(municipality.code, info.id, year, published_only=True)
        source = "plan" if target is not None else None
    result = release_forecast(chosen, municipality.code, info.id, year, as_of, target)
    return ForecastOut(
        release=ReleaseRef(**release_ref(chosen)),
        municipality=MunicipalityRef(code=municipality.code, name=municipality.name),
        indicator=_indicator_ref(info),
        year=year, as_of=result.as_of, forecast=result.forecast, lower=result.lower,
        upper=result.upper, p_target=result.p_target, target=target, target_source=source,
        shown_months=result.shown_months, method=result.method, reason=result.reason,
        text_da=forecast_text_da(result),
    )


def _expected(row) -> ExpectedOut | None:
    if row is None:
        return None
    return ExpectedOut(actual=row.actual, expected=row.expected, lower=row.lower, upper=row.upper,
                       gap=row.gap, r_squared=row.r_squared, n=row.n)


def _pooled(pool) -> PooledOut | None:
    if pool is None:
        return None
    return PooledOut(numerator=pool.numerator, denominator=pool.denominator, value=pool.value,
                     suppressed=pool.suppressed, provisional=pool.provisional,
                     members=pool.members, left_out=pool.left_out, reason=pool.reason)


def _indicator_ref(info) -> IndicatorRef:
    """The indicator as the comparison and forecast answers name it."""
    return IndicatorRef(id=info.id, name_da=info.name_da, name_en=info.name_en, unit=info.unit,
                        direction=info.direction, area_levels=list(info.area_levels),
                        supplementary=info.supplementary)
