"""Downloads: any table shown on a page as CSV, Excel or JSON, and a whole release in bulk."""

from __future__ import annotations

from dataclasses import replace

from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404
from django.views.decorators.http import require_GET

from jobmaal.geography import AREA_LEVELS, UnknownAreaError
from jobmaal.periods import Period, PeriodError
from jobmaal.web import area_pages, build, compare, dashboards, pagecache, status_page
from jobmaal.web.datatable import PLAIN_CSV_PARAM, WRITERS, DataTable, to_csv
from jobmaal.web.fileserve import serve_file
from jobmaal.web.models import Release
from jobmaal.web.publishing import visible_releases
from jobmaal.web.queries import facts_frame, release_for
from jobmaal.web.templatetags.sources import figure_source

TABLES = ("league", "areas", "breakdown", "trend", "comparison", "around", "sammenlign",
          "sammenlign-udvikling", "omraade", "omraade-udvikling", "medlemmer", "status")


def _param(request: HttpRequest, name: str) -> str:
    value = request.GET.get(name, "").strip()
    if not value:
        raise Http404(f"parameteren '{name}' mangler")
    return value


def build_table(name: str, request: HttpRequest, release: Release) -> DataTable:
    """Rebuild a page's table from the download URL's parameters."""
    if name in EXTRA_TABLES:
        try:
            return EXTRA_TABLES[name](request, release)
        except (KeyError, ValueError, PeriodError, UnknownAreaError, StopIteration,
                dashboards.NotFound) as exc:
            raise Http404(f"tabellen kan ikke dannes: {exc}") from None
    ctx = dashboards.page_context(release)
    try:
        ind = ctx.catalogue.indicator(_param(request, "indikator"))
        if name == "trend":
            level, code = _param(request, "niveau"), _param(request, "kode")
            if request.GET.get("kommune"):
                data = pagecache.municipality(release, int(request.GET["kommune"]),
                                              dashboards.default_period(release))
                block = next(b for g in data["goals"] for b in g["blocks"] if b["indicator"].id == ind.id)
                return block["trend_table"]
            facts = dashboards.FactIndex(facts_frame(release, indicators=[ind.id], areas=[(level, code)]))
            periods = dashboards.series_periods(ind, release)
            name = dashboards.area_name(ctx.geography, level, code)
            series = dashboards.area_series(facts, ind.id, level, code, periods, name, level)
            shown = "hele landet" if level == "land" else name  # as the pages title it
            return dashboards.trend_table([series], ind, {"indikator": ind.id, "niveau": level,
                                                          "kode": code}, f"{ind.name_da}: {shown} over tid")
        period = Period.parse(_param(request, "periode")).code
        if name in ("comparison", "around"):
            code = int(_param(request, "kommune"))
            data = pagecache.municipality(release, code, period)
            block = next(b for g in data["goals"] for b in g["blocks"] if b["indicator"].id == ind.id)
            key = "comparison_table" if name == "comparison" else "around"
            if key not in block:
                raise Http404(f"{ind.id} har ingen {name}-tabel for kommuner")
            return block[key]
        if name == "breakdown":
            return dashboards.breakdown_table(release, ind, period, _param(request, "niveau"),
                                              _param(request, "kode"))
        # the year before too, as on the pages: the league table shows the change on a year
        year_before = Period.parse(period).year_earlier().code
        facts = facts_frame(release, indicators=[ind.id], periods=[period, year_before])
        if name == "league":
            return dashboards.league_table(ctx, facts, ind, period)
        level = _param(request, "niveau")
        if level not in AREA_LEVELS:
            raise Http404(f"ukendt niveau {level}")
        return dashboards.areas_table(ctx, facts, ind, period, level)
    except (KeyError, ValueError, PeriodError, UnknownAreaError, StopIteration) as exc:
        raise Http404(f"tabellen kan ikke dannes: {exc}") from None


def _comparison(request: HttpRequest, release: Release) -> DataTable:
    codes = compare.parse_codes(_param(request, "kommuner"))
    period = dashboards.parse_period(_param(request, "periode"), release)
    return compare.comparison_table(release, codes, period, request.GET.get("indikator") or None)


def _comparison_trend(request: HttpRequest, release: Release) -> DataTable:
    codes = compare.parse_codes(_param(request, "kommuner"))
    period = dashboards.parse_period(_param(request, "periode"), release)
    wanted = _param(request, "indikator")
    page = compare.comparison_page(release, codes, period)
    return next(b["trend_table"] for b in page["blocks"] if b["indicator"].id == wanted)


def _area_table(key: str):
    def build(request: HttpRequest, release: Release) -> DataTable:
        period = dashboards.parse_period(_param(request, "periode"), release)
        page = area_pages.area_page(release, _param(request, "niveau"), _param(request, "kode"), period)
        wanted = _param(request, "indikator")
        block = next(b for g in page["goals"] for b in g["blocks"] if b["indicator"].id == wanted)
        if block.get(key) is None:
            raise Http404(f"{wanted} har ingen sådan tabel for området")
        return block[key]
    return build


def _status(request: HttpRequest, release: Release) -> DataTable:
    return status_page.status_table(status_page.status_page(
        release, request.user, region=request.GET.get("region") or None,
        rar=request.GET.get("rar") or None, sort=request.GET.get("sorter") or None))


# Tables of the area, comparison and status pages, rebuilt from their own parameters.
EXTRA_TABLES = {"sammenlign": _comparison, "sammenlign-udvikling": _comparison_trend,
                "omraade": _area_table("comparison_table"), "omraade-udvikling": _area_table("trend_table"),
                "medlemmer": _area_table("members_table"), "status": _status}


@require_GET
def table_download(request: HttpRequest, name: str, fmt: str) -> HttpResponse:
    if name not in TABLES or fmt not in WRITERS:
        raise Http404("ukendt tabel eller format")
    release = release_for(request)
    if release is None:
        raise Http404("ingen udgivelse er indlæst")
    table = with_source(build_table(name, request, release), release)
    writer, content_type = WRITERS[fmt]
    plain = fmt == "csv" and request.GET.get(PLAIN_CSV_PARAM) == "standard"
    response = HttpResponse(to_csv(table, plain=True) if plain else writer(table), content_type=content_type)
    stem = "-".join([name, *[str(v) for v in table.params.values()]])
    response["Content-Disposition"] = f'attachment; filename="jobmaal-{stem}.{fmt}"'
    return response


def with_source(table: DataTable, release: Release) -> DataTable:
    """The downloaded table with the source of its figures in its note (Excel and JSON carry
    the note). A table holds one indicator, whose figures share a source even in a mixed
    release; the page says it beside the indicator's heading. Rows and columns stay exactly
    those the page showed."""
    indicator = table.params.get("indikator")
    if not indicator:
        return table
    note = f"{table.note} Kilde: {figure_source(release, indicator)}.".strip()
    return replace(table, note=note)


@require_GET
def release_download(request: HttpRequest, pk: int, fmt: str) -> HttpResponse:
    """Every fact of a release with each survey round's posting window: CSV (with each
    figure's source), or Parquet in the facts schema plus `period_window` (loadable again as an
    OUT folder's facts.parquet). Built once per release (web/build.py) and served as a file."""
    release = get_object_or_404(Release.objects.filter(visible_releases(request.user)), pk=pk)
    if fmt not in build.BULK_FORMATS:
        raise Http404("ukendt format")
    # A published release never changes: caches may keep its file; a draft is staff's alone.
    cache_control = "public, max-age=86400" if release.published_at else "private, no-cache"
    return serve_file(request, build.bulk_path(release, fmt),
                      filename=f"jobmaal-udgivelse-{release.pk}-{release.year}.{fmt}",
                      content_type=_CONTENT_TYPES[fmt], cache_control=cache_control)


_CONTENT_TYPES = {"csv": "text/csv; charset=utf-8", "parquet": "application/vnd.apache.parquet"}
