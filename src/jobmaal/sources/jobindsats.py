"""Jobindsats.dk (STAR's REST API at api.jobindsats.dk): client for API versions 2 and 3 behind
one interface, and the source that turns the catalogue's tables into facts.

Version 2: `GET /v2/subjects`, `GET /v2/tables`, `GET /v2/tables/{id}/json` (periods and
dimensions), `POST /v2/data/{id}/json` with a body such as
`{"area": "*", "period": ["2023M01"], "_kon": ["Kvinder", "Mænd"]}`; the key goes bare in the
`Authorization` header. Version 3: `GET /v3/tables?format=json`, `/v3/table/{id}?format=json`,
`/v3/data/{id}?area=*&period=…&_kon=…&format=json`, key as `Authorization: Bearer <key>`.
A data answer is a list whose first element has `Variables` (each with a `Label`) and `Data`
rows that start with area and period; version 3 may answer the element itself.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field

import httpx

from jobmaal.catalogue import Indicator, load_catalogue
from jobmaal.geography import UnknownAreaError
from jobmaal.periods import Period, PeriodError
from jobmaal.sources.common import (
    NotANumber,
    SourceError,
    is_suppressed,
    parse_number,
    resolve_area,
)
from jobmaal.sources.http import HttpSettings, HttpSourceError, Requester, parse_json

BASE_URL = "https://api.jobindsats.dk"
KEY_ENV = "JOBINDSATS_API_KEY"
WRONG_KEY = "Forkert nøgle eller nøglen er udløbet."
TOTAL = "i_alt"
_PERIOD_CHUNK = 12  # periods per data request: one year of months keeps answers small
# Periods a table of each periodicity may publish (monthly tables also sum to longer ones).
_KINDS_OF = {"month": ("month", "quarter", "half_year", "year"), "quarter": ("quarter", "year"),
             "half_year": ("half_year",), "year": ("year",)}


class JobindsatsError(SourceError):
    """Jobindsats could not give the figures; the message says why. Nothing was stored."""


class JobindsatsKeyError(JobindsatsError):
    """The API key is missing, wrong or expired."""


@dataclass(frozen=True)
class TableInfo:
    id: str
    name: str
    periods: tuple[str, ...]
    dimensions: dict[str, tuple[str, ...]]  # key ("_kon") → values ("I alt", "Kvinder", …)
    measures: tuple[str, ...] = ()  # measure labels, when the table lists them


@dataclass(frozen=True)
class DataAnswer:
    """A data answer: column labels (area, period, dimensions…, measures…) and rows."""

    table: str
    labels: tuple[str, ...]
    names: tuple[str, ...]  # the variables' Name where given ("_kon"), else their Label
    rows: tuple[tuple, ...]

    def column(self, *keys: str) -> int | None:
        """Index of the column whose Name or Label is one of `keys` (case ignored)."""
        wanted = {k.casefold() for k in keys if k}
        for i, (name, label) in enumerate(zip(self.names, self.labels, strict=True)):
            if name.casefold() in wanted or label.casefold() in wanted:
                return i
        return None


def key_from_env() -> str:
    key = os.environ.get(KEY_ENV, "").strip()
    if not key:
        raise JobindsatsKeyError(f"Ingen API-nøgle: sæt miljøvariablen {KEY_ENV} til din nøgle "
                                 "fra Jobindsats.dk (Min side → API).")
    return key


def _check_wrong_key(response: httpx.Response) -> None:
    """Jobindsats answers a wrong or expired key with one JSON object, whatever the status."""
    if response.status_code in (401, 403) or (len(response.content) < 500
                                               and _is_wrong_key_body(response)):
        raise JobindsatsKeyError(
                "Jobindsats afviste API-nøglen: nøglen er forkert eller udløbet "
                f"(«{WRONG_KEY}»). Hent en ny nøgle på Jobindsats.dk og sæt {KEY_ENV}. "
                "Intet er gemt.")


def _is_wrong_key_body(response: httpx.Response) -> bool:
    try:
        body = response.json()
    except ValueError:
        return False
    return isinstance(body, dict) and WRONG_KEY in body


class JobindsatsClient:
    """Reads Jobindsats.dk. `version` 2 or 3; both answer in the same shapes here."""

    def __init__(self, key: str, *, version: int = 2, base_url: str = BASE_URL,
                 settings: HttpSettings | None = None, transport: httpx.BaseTransport | None = None,
                 sleep: Callable[[float], None] | None = None):
        if version not in (2, 3):
            raise ValueError(f"Jobindsats API version must be 2 or 3, not {version}")
        if not key or not key.strip():
            raise JobindsatsKeyError(f"Ingen API-nøgle: sæt miljøvariablen {KEY_ENV}.")
        if not key.strip().isascii() or not key.strip().isprintable():
            raise JobindsatsKeyError(f"API-nøglen i {KEY_ENV} indeholder tegn, som en nøgle fra "
                                     "Jobindsats ikke har (kun bogstaver a-z, tal og tegn); "
                                     "kopiér den igen.")
        self.version = version
        auth = key.strip() if version == 2 else f"Bearer {key.strip()}"
        extra = {"sleep": sleep} if sleep else {}
        self._http = Requester("Jobindsats", base_url, settings=settings, transport=transport,
                               headers={"Authorization": auth, "Accept": "application/json"},
                               check=_check_wrong_key, **extra)

    def __repr__(self) -> str:
        return f"JobindsatsClient(version={self.version})"

    def close(self) -> None:
        self._http.close()

    def __enter__(self) -> JobindsatsClient:
        return self

    def __exit__(self, *exc) -> None:
        self.close()

    # -- the four calls ----------------------------------------------------------------------
    def subjects(self) -> list[dict]:
        path = "/v2/subjects" if self.version == 2 else "/v3/subjects"
        return _as_list(self._get(path), "subjects")

    def tables(self) -> list[dict]:
        path = "/v2/tables" if self.version == 2 else "/v3/tables"
        return _as_list(self._get(path), "tables")

    def table(self, table_id: str) -> TableInfo:
        path = f"/v2/tables/{table_id}/json" if self.version == 2 else f"/v3/table/{table_id}"
        body = self._get(path)
        return parse_table_info(table_id, body)

    def data(self, table_id: str, periods: Sequence[str], dimensions: dict[str, Sequence[str]] | None = None,
             area: str = "*") -> DataAnswer:
        dims = {k: list(v) for k, v in (dimensions or {}).items()}
        if self.version == 2:
            body = {"area": area, "period": list(periods), **dims}
            answer = self._call("POST", f"/v2/data/{table_id}/json", json=body)
        else:
            params = [("area", area), ("period", ",".join(periods))]
            params += [(k, ",".join(v)) for k, v in dims.items()]
            params.append(("format", "json"))
            answer = self._call("GET", f"/v3/data/{table_id}", params=params)
        return parse_data(table_id, answer)

    def _get(self, path: str) -> object:
        params = {"format": "json"} if self.version == 3 else None
        return self._call("GET", path, params=params)

    def _call(self, method: str, path: str, **kwargs) -> object:
        try:
            response = self._http.send(method, path, **kwargs)
            return parse_json(response, "Jobindsats")
        except HttpSourceError as exc:
            if exc.status == 404:
                raise JobindsatsError(f"Jobindsats kender ikke {path} (HTTP 404): findes tabellen? "
                                      "Se `jobmaal import jobindsats --list-tables`.") from None
            raise JobindsatsError(str(exc)) from None


# -- parsing the answers -------------------------------------------------------------------------

def _get(item: dict, *keys: str, default=None):
    """A field by any of its spellings (the API's casing varies between versions)."""
    lowered = {str(k).casefold(): v for k, v in item.items()}
    for key in keys:
        if key.casefold() in lowered:
            return lowered[key.casefold()]
    return default


def _as_list(body: object, what: str) -> list[dict]:
    if isinstance(body, dict):
        inner = _get(body, what, "items", "data", "value")
        body = inner if isinstance(inner, list) else [body]
    if not isinstance(body, list) or not all(isinstance(x, dict) for x in body):
        raise JobindsatsError(f"Jobindsats svarede på {what} i en uventet form "
                              f"({type(body).__name__}); intet er gemt.")
    return body


def parse_table_info(table_id: str, body: object) -> TableInfo:
    item = body[0] if isinstance(body, list) and body else body
    if not isinstance(item, dict):
        raise JobindsatsError(f"Jobindsats: beskrivelsen af tabel {table_id} har en uventet form.")
    periods = _get(item, "Period", "Periods", "Perioder", default=[]) or []
    dims: dict[str, tuple[str, ...]] = {}
    for d in _get(item, "Dimensions", "Dimension", default=[]) or []:
        if isinstance(d, dict):
            key = str(_get(d, "Name", "Id", "Key", default=""))
            values = _get(d, "Values", "Value", "Items", default=[]) or []
            dims[key] = tuple(str(_get(v, "Label", "Name", default=v) if isinstance(v, dict) else v)
                              for v in values)
    measures = tuple(str(_get(m, "Label", "Name", default=m) if isinstance(m, dict) else m)
                     for m in (_get(item, "Measurements", "Measures", "Measure", default=[]) or []))
    if not isinstance(periods, list) or not all(isinstance(p, str) for p in periods):
        raise JobindsatsError(f"Jobindsats: perioderne i tabel {table_id} har en uventet form.")
    return TableInfo(table_id, str(_get(item, "TableName", "Name", default=table_id)),
                     tuple(periods), dims, measures)


def parse_data(table_id: str, body: object) -> DataAnswer:
    item = body[0] if isinstance(body, list) and body else body
    if isinstance(body, list) and not body:
        return DataAnswer(table_id, (), (), ())
    variables = _get(item, "Variables", default=None) if isinstance(item, dict) else None
    data = _get(item, "Data", default=None) if isinstance(item, dict) else None
    if not isinstance(variables, list) or not isinstance(data, list):
        raise JobindsatsError(f"Jobindsats: svaret for tabel {table_id} mangler 'Variables' eller "
                              "'Data' (uventet form); intet er gemt.")
    labels = tuple(str(_get(v, "Label", "Name", default="")) if isinstance(v, dict) else str(v)
                   for v in variables)
    names = tuple(str(_get(v, "Name", "Label", default="")) if isinstance(v, dict) else str(v)
                  for v in variables)
    rows = []
    for i, row in enumerate(data, start=1):
        if not isinstance(row, list) or len(row) != len(labels):
            raise JobindsatsError(f"Jobindsats: række {i} i tabel {table_id} har "
                                  f"{len(row) if isinstance(row, list) else '?'} felter, "
                                  f"ventede {len(labels)}; intet er gemt.")
        rows.append(tuple(row))
    return DataAnswer(table_id, labels, names, tuple(rows))


# -- from tables to facts ------------------------------------------------------------------------

@dataclass
class FetchReport:
    """What a fetch did, for the manifest and the terminal."""

    tables: dict[str, str] = field(default_factory=dict)  # indicator → table
    requests: int = 0
    rows: int = 0
    skipped_areas: dict[str, int] = field(default_factory=dict)  # unknown name → rows skipped
    skipped_indicators: list[str] = field(default_factory=list)  # no mapping in the catalogue


class JobindsatsSource:
    """Turns the catalogue's Jobindsats tables of a year (and the year before) into fact rows."""

    kind = "jobindsats"

    def __init__(self, client: JobindsatsClient, year: int, *, catalogue_year: int | None = None,
                 indicators: Iterable[str] | None = None):
        self.client = client
        self.year = year
        self.catalogue = load_catalogue(catalogue_year or year)
        wanted = set(indicators) if indicators else None
        self.indicators = [i for i in self.catalogue.indicators
                           if i.jobindsats and (wanted is None or i.id in wanted)]
        if wanted and (missing := wanted - {i.id for i in self.indicators}):
            raise JobindsatsError(f"Ingen Jobindsats-tabel i kataloget {self.catalogue.year} for "
                                  f"{', '.join(sorted(missing))}")
        self.report = FetchReport(skipped_indicators=[
            i.id for i in self.catalogue.indicators if not i.jobindsats])

    def plan(self) -> list[tuple[Indicator, TableInfo, list[list[str]]]]:
        """Per indicator: its table and the period chunks to fetch (asks the API for periods)."""
        planned = []
        for ind in self.indicators:
            info = self.client.table(ind.jobindsats.table)
            self.report.requests += 1
            _check_mapping(ind, info)
            periods = wanted_periods(info.periods, ind.periodicity, self.year)
            chunks = [periods[i:i + _PERIOD_CHUNK] for i in range(0, len(periods), _PERIOD_CHUNK)]
            planned.append((ind, info, chunks))
            self.report.tables[ind.id] = ind.jobindsats.table
        return planned

    def fetch(self, progress: Callable[[str, int, int], None] | None = None) -> list[dict]:
        """Every fact row of the mapped indicators; `progress(text, done, total)` per request."""
        planned = self.plan()
        steps = [(ind, chunk, b) for ind, _info, chunks in planned for chunk in chunks
                 for b in (None, *ind.breakdowns)]
        rows: list[dict] = []
        for done, (ind, chunk, breakdown) in enumerate(steps, start=1):
            if progress:
                what = breakdown.name_da.lower() if breakdown else "i alt"
                progress(f"{ind.id} {chunk[0]}–{chunk[-1]} ({what})", done - 1, len(steps))
            answer = self.client.data(ind.jobindsats.table, chunk, _dimension_filter(ind, breakdown))
            self.report.requests += 1
            rows += self.fact_rows(ind, answer, breakdown)
        if progress:
            progress("færdig", len(steps), len(steps))
        self.report.rows = len(rows)
        return rows

    def fact_rows(self, ind: Indicator, answer: DataAnswer, breakdown) -> list[dict]:
        mapping = ind.jobindsats
        cols = {role: answer.column(label) for role, label in (
            ("value", mapping.value), ("numerator", mapping.numerator),
            ("denominator", mapping.denominator))}
        if cols["value"] is None:
            raise JobindsatsError(f"{ind.id}: tabel {mapping.table} har ikke målet «{mapping.value}» "
                                  f"(har: {', '.join(answer.labels[2:])}); ret kataloget.")
        dim_col = None
        if breakdown is not None:
            key = mapping.dimensions[breakdown.id]
            dim_col = answer.column(key, breakdown.name_da)
            if dim_col is None:
                raise JobindsatsError(f"{ind.id}: svaret mangler dimensionen {key} ({breakdown.name_da})")
        out = []
        for row in answer.rows:
            try:
                area = resolve_area(row[0])
            except UnknownAreaError:
                self.report.skipped_areas[str(row[0])] = self.report.skipped_areas.get(str(row[0]), 0) + 1
                continue
            if area.level not in ind.area_levels:
                continue
            period = _period(row[1], ind.id)
            if breakdown is None:
                b_id = b_value = TOTAL
            else:
                label = str(row[dim_col])
                if label == mapping.total_label:
                    continue
                b_id, b_value = breakdown.id, _breakdown_value(breakdown, label, ind.id)
            out.append(_fact(ind, period, area.level, area.code, b_id, b_value,
                             {role: (row[i] if i is not None else None) for role, i in cols.items()}))
        return out


def wanted_periods(available: Iterable[str], periodicity: str, year: int) -> list[str]:
    """The table's periods in `year` and the year before that the indicator publishes."""
    kinds = _KINDS_OF.get(periodicity, (periodicity,))
    found = []
    for code in available:
        try:
            p = Period.parse(code)
        except PeriodError:
            continue
        if p.year in (year - 1, year) and p.kind in kinds:
            found.append(p)
    return [p.code for p in sorted(found)]


def _check_mapping(ind: Indicator, info: TableInfo) -> None:
    mapping = ind.jobindsats
    if info.measures:
        for label in filter(None, (mapping.value, mapping.numerator, mapping.denominator)):
            if label not in info.measures:
                raise JobindsatsError(f"{ind.id}: tabel {info.id} har ikke målet «{label}» "
                                      f"(har: {', '.join(info.measures)}); ret kataloget.")
    for breakdown, key in mapping.dimensions.items():
        if info.dimensions and key not in info.dimensions:
            raise JobindsatsError(f"{ind.id}: tabel {info.id} har ikke dimensionen {key} "
                                  f"(opdeling {breakdown}); har: {', '.join(info.dimensions)}")


def _dimension_filter(ind: Indicator, breakdown) -> dict[str, list[str]]:
    """Every mapped dimension at its total, except the breakdown asked for (all its values)."""
    mapping = ind.jobindsats
    dims = {key: [mapping.total_label] for key in mapping.dimensions.values()}
    if breakdown is not None:
        dims[mapping.dimensions[breakdown.id]] = list(breakdown.labels_da or breakdown.values)
    return dims


def _breakdown_value(breakdown, label: str, indicator: str) -> str:
    for value in breakdown.values:
        if label.casefold() in (value.casefold(), breakdown.label(value).casefold()):
            return value
    raise JobindsatsError(f"{indicator}: ukendt værdi «{label}» i opdelingen {breakdown.name_da}")


def _period(code: object, indicator: str) -> str:
    try:
        return Period.parse(str(code)).code
    except PeriodError:
        raise JobindsatsError(f"{indicator}: ukendt periode {code!r} i svaret") from None


def _fact(ind: Indicator, period: str, level: str, code: str, breakdown: str, value: str,
          cells: dict) -> dict:
    """One facts row from published cells; a suppression mark in any cell hides all three."""
    suppressed = any(is_suppressed(c) for c in cells.values())
    numbers: dict[str, float | None] = {"numerator": None, "denominator": None, "value": None}
    if not suppressed:
        for role, cell in cells.items():
            try:
                numbers[role] = parse_number(cell)
            except NotANumber:
                raise JobindsatsError(f"{ind.id} {period} {code}: {role} {str(cell)[:30]!r} er hverken "
                                      "et tal eller et diskretionstegn") from None
    return {"indicator": ind.id, "period": period, "area_level": level, "area_code": code,
            "breakdown": breakdown, "breakdown_value": value, **numbers,
            "suppressed": suppressed, "provisional": False}
