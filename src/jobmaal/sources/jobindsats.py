"""Jobindsats.dk (STAR's REST API at api.jobindsats.dk): one client for API versions 3 (the
default) and 2, answering in the same shapes (`TableRef`, `TableInfo`, `DataAnswer`).

Version 3 (STAR's v3 guide): key as `Authorization: Bearer <key>`, `format=json` on every call.
  - `GET /v3/subjects`, `GET /v3/tables`: a list of subjects, each with `table_groups`, each
    with `tables` of `{table_id, table_name}`.
  - `GET /v3/table/<id>`: `periods` (`[{periodtype_id, values: [{period_id}]}]`) and
    `dimensions` (`[{dimension_id, hierarchies: [{hierarchy_id, required, levels: [{level_id,
    values: [{value_id, value_name}]}]}]}]`). A value id looks like `/`, `/101/`, `/1/`; a
    hierarchy's `/` value is its total ("Hele landet", "Køn i alt").
  - `GET /v3/data/<id>?mgroup.*=*&period.M=2023M01,2023M02&hierarchy._kon=/&hierarchy._nykom=*`
    answers `{"columns": ["Periode", "Område", "Køn", <measures>…], "rows": [[…]]}`; a large
    answer is paged (`next`: the address of the following page).
Version 2 (retired by STAR after 30 September 2026): key bare in `Authorization`;
  `GET /v2/tables`, `GET /v2/tables/<id>/json`, `POST /v2/data/<id>/json` with
  `{"area": "*", "period": [...], "_kon": ["Kvinder"]}`, answering
  `[{"Variables": [{"Name", "Label"}], "Data": [[area, period, …]]}]`.
A cell is a JSON number or Danish text ("56,9", "1.234"); a hidden cell is "-" or "..".
"""

from __future__ import annotations

import os
from collections.abc import Callable, Sequence
from dataclasses import dataclass

import httpx

from jobmaal.sources.common import SourceError
from jobmaal.sources.http import HttpSettings, HttpSourceError, Requester, parse_json

BASE_URL = "https://api.jobindsats.dk"
KEY_ENV = "JOBINDSATS_API_KEY"
WRONG_KEY = "Forkert nøgle eller nøglen er udløbet."
DEFAULT_VERSION = 3
AREA = "area"  # version 2's area selection, treated as a hierarchy of its own
_MAX_PAGES = 1000  # a paged answer longer than this is a server loop, not data


class JobindsatsError(SourceError):
    """Jobindsats could not give the figures; the message says why. Nothing was stored."""


class JobindsatsKeyError(JobindsatsError):
    """The API key is missing, wrong or expired."""


@dataclass(frozen=True)
class TableRef:
    """A table as the table list names it."""

    id: str
    name: str
    subject: str = ""
    group: str = ""


@dataclass(frozen=True)
class Value:
    id: str  # "/", "/101/" (v3); the label itself (v2)
    name: str  # "Hele landet", "Københavns Kommune", "Køn i alt", "Kvinder"
    level: int = 0


@dataclass(frozen=True)
class Hierarchy:
    """One way of splitting a dimension (v3), or one v2 dimension."""

    id: str  # "_kon", "_nykom", "_ygrp_y30r21"
    dimension: str  # its dimension's id or label
    values: tuple[Value, ...]
    required: bool = False
    label: str = ""  # a published label where the metadata gives one ("Køn")

    @property
    def total(self) -> Value | None:
        """The hierarchy's own total: its `/` value (v3), else "I alt" or "… i alt" (v2)."""
        for v in self.values:
            if v.id == "/":
                return v
        for v in self.values:
            if v.name.casefold() == "i alt" or v.name.casefold().endswith(" i alt"):
                return v
        return None

    def names(self) -> set[str]:
        """Every name the hierarchy answers to, folded: id, label, dimension, "Køn" of "Køn i alt"."""
        found = {self.id, self.label, self.dimension}
        if self.total is not None and self.total.name.casefold().endswith(" i alt"):
            found.add(self.total.name[: -len(" i alt")])
        return {fold(n) for n in found if n}


@dataclass(frozen=True)
class TableInfo:
    id: str
    name: str
    periods: tuple[str, ...]  # period ids as published
    hierarchies: tuple[Hierarchy, ...]
    measures: tuple[str, ...] = ()  # measure labels, where the metadata lists them
    period_types: tuple[tuple[str, str], ...] = ()  # (period id, periodtype id), v3

    @property
    def dimensions(self) -> dict[str, tuple[str, ...]]:
        """hierarchy id → its value names."""
        return {h.id: tuple(v.name for v in h.values) for h in self.hierarchies}

    def period_type(self, period_id: str) -> str:
        return dict(self.period_types).get(period_id, period_id[4:5] or "Y")


@dataclass(frozen=True)
class DataAnswer:
    """A data answer: column labels (area, period, dimensions…, measures…) and rows."""

    table: str
    labels: tuple[str, ...]
    names: tuple[str, ...]  # v2 variables' Name ("_kon"); the label where there is none
    rows: tuple[tuple, ...]

    def column(self, *keys: str) -> int | None:
        """Index of the column whose Name or Label is one of `keys` (case ignored)."""
        wanted = {fold(k) for k in keys if k}
        for i, (name, label) in enumerate(zip(self.names, self.labels, strict=True)):
            if fold(name) in wanted or fold(label) in wanted:
                return i
        return None


def fold(text: str) -> str:
    return " ".join(str(text).casefold().split())


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
    return isinstance(body, dict) and (WRONG_KEY in body or WRONG_KEY in body.values())


class JobindsatsClient:
    """Reads Jobindsats.dk with API `version` 3 (default) or 2."""

    def __init__(self, key: str, *, version: int = DEFAULT_VERSION, base_url: str = BASE_URL,
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

    # -- discovery --------------------------------------------------------------------------------
    def subjects(self) -> list[dict]:
        return _as_list(self._get(f"/v{self.version}/subjects"), "subjects")

    def tables(self) -> list[TableRef]:
        return parse_tables(self._get(f"/v{self.version}/tables"))

    def find_tables(self, words: Sequence[str]) -> list[TableRef]:
        """Tables whose id, name, subject or group holds every word (case ignored)."""
        wanted = [fold(w) for w in words if w.strip()]
        return [t for t in self.tables()
                if all(w in fold(f"{t.id} {t.name} {t.subject} {t.group}") for w in wanted)]

    def table(self, table_id: str) -> TableInfo:
        path = f"/v2/tables/{table_id}/json" if self.version == 2 else f"/v3/table/{table_id}"
        return parse_table_info(table_id, self._get(path))

    # -- data ------------------------------------------------------------------------------------
    def data(self, table_id: str, periods: Sequence[str],
             selection: dict[str, Sequence[str] | str] | None = None,
             period_type: str | None = None) -> DataAnswer:
        """Figures of `periods` with each hierarchy of `selection` (hierarchy id → value ids,
        or "*") set; version 2 reads the area from `selection["area"]` (default all)."""
        selection = dict(selection or {})
        if self.version == 2:
            body = {"area": selection.pop(AREA, "*"), "period": list(periods),
                    **{k: _as_values(v) for k, v in selection.items()}}
            return parse_data(table_id, self._call("POST", f"/v2/data/{table_id}/json", json=body))
        letter = period_type or (periods[0][4:5] if periods else "M") or "Y"
        params = [("format", "json"), ("mgroup.*", "*"), (f"period.{letter}", ",".join(periods))]
        params += [(f"hierarchy.{k}", v if isinstance(v, str) else ",".join(v))
                   for k, v in selection.items()]
        return self._pages(table_id, params)

    def _pages(self, table_id: str, params: list[tuple[str, str]]) -> DataAnswer:
        """Every page of a v3 data answer, joined; pages must have the same columns."""
        body = self._call("GET", f"/v3/data/{table_id}", params=params)
        answer = parse_data(table_id, body)
        rows = list(answer.rows)
        for _ in range(_MAX_PAGES):
            link = _next_page(body)
            if not link:
                return DataAnswer(table_id, answer.labels, answer.names, tuple(rows))
            self._check_same_service(link, table_id)
            body = self._call("GET", link, params=None if "?" in link else params)
            page = parse_data(table_id, body)
            if page.labels != answer.labels:
                raise JobindsatsError(f"Jobindsats: en side af svaret for tabel {table_id} har andre "
                                      "kolonner end den første; intet er gemt.")
            rows += page.rows
        raise JobindsatsError(f"Jobindsats: svaret for tabel {table_id} slutter ikke efter "
                              f"{_MAX_PAGES} sider; intet er gemt.")

    def _check_same_service(self, link: str, table_id: str) -> None:
        """A next page must be on Jobindsats' own host: the key goes with every request."""
        url = httpx.URL(link)
        if url.is_absolute_url and url.host != self._http.host:
            raise JobindsatsError(f"Jobindsats: næste side af tabel {table_id} peger på en anden "
                                  f"server ({url.host}); den følges ikke. Intet er gemt.")

    def _get(self, path: str) -> object:
        params = {"format": "json"} if self.version == 3 else None
        return self._call("GET", path, params=params)

    def _call(self, method: str, path: str, **kwargs) -> object:
        try:
            response = self._http.send(method, path, **kwargs)
            return parse_json(response, "Jobindsats")
        except HttpSourceError as exc:
            if exc.status == 404:
                shown = path.split("?")[0]
                raise JobindsatsError(f"Jobindsats kender ikke {shown} (HTTP 404): findes tabellen? "
                                      "Se `jobmaal import jobindsats --list-tables` eller "
                                      "`--find ORD`.") from None
            raise JobindsatsError(str(exc)) from None


def _as_values(value: Sequence[str] | str) -> list[str] | str:
    return value if isinstance(value, str) else list(value)


def _next_page(body: object) -> str | None:
    if not isinstance(body, dict):
        return None
    link = _get(body, "next", "next_page", "nextPage")
    for holder in ("paging", "links", "_links"):
        inner = _get(body, holder)
        if not link and isinstance(inner, dict):
            link = _get(inner, "next", "next_page", "nextPage")
    if isinstance(link, dict):
        link = _get(link, "href", "url")
    return str(link) if link else None


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


def parse_tables(body: object) -> list[TableRef]:
    """The table list: v3's subjects → table_groups → tables, or v2's flat list."""
    found: list[TableRef] = []
    for item in _as_list(body, "subjects"):
        groups = _get(item, "table_groups")
        if groups is None:  # v2: a table per item
            ident = _get(item, "table_id", "TableID", "id")
            if ident is not None:
                found.append(TableRef(str(ident), str(_get(item, "table_name", "TableName",
                                                           "text", default=""))))
            continue
        subject = str(_get(item, "subject_name", "name", default=""))
        for group in groups if isinstance(groups, list) else []:
            if not isinstance(group, dict):
                continue
            name = str(_get(group, "table_group_name", "name", default=""))
            for t in _get(group, "tables", default=[]) or []:
                if isinstance(t, dict) and _get(t, "table_id") is not None:
                    found.append(TableRef(str(_get(t, "table_id")), str(_get(t, "table_name",
                                                                               default="")),
                                          subject, name))
    return found


def parse_table_info(table_id: str, body: object) -> TableInfo:
    item = body[0] if isinstance(body, list) and body else body
    if not isinstance(item, dict):
        raise JobindsatsError(f"Jobindsats: beskrivelsen af tabel {table_id} har en uventet form.")
    name = str(_get(item, "table_name", "TableName", "Name", default=table_id))
    periods = _get(item, "periods", "Period", default=[])
    if isinstance(periods, list) and any(isinstance(p, dict) for p in periods):
        return _parse_v3_info(table_id, name, item)  # v3: periods grouped by period type
    return _parse_v2_info(table_id, name, item)


def _parse_v3_info(table_id: str, name: str, item: dict) -> TableInfo:
    periods: list[tuple[str, str]] = []
    for group in _get(item, "periods", default=[]):
        if not isinstance(group, dict):
            raise JobindsatsError(f"Jobindsats: perioderne i tabel {table_id} har en uventet form.")
        kind = str(_get(group, "periodtype_id", default=""))
        periods += [(str(_get(v, "period_id")), kind) for v in _get(group, "values", default=[])
                    if isinstance(v, dict) and _get(v, "period_id") is not None]
    hierarchies = []
    for dim in _get(item, "dimensions", default=[]):
        if not isinstance(dim, dict):
            continue
        dim_name = str(_get(dim, "dimension_name", "dimension_id", default=""))
        for h in _get(dim, "hierarchies", default=[]) or []:
            values = tuple(
                Value(str(_get(v, "value_id")), str(_get(v, "value_name", default="")),
                      _level_number(_get(level, "level_id", default=0)))
                for level in _get(h, "levels", default=[]) or [] if isinstance(level, dict)
                for v in _get(level, "values", default=[]) or [] if isinstance(v, dict))
            hierarchies.append(Hierarchy(str(_get(h, "hierarchy_id", default="")), dim_name, values,
                                         bool(_get(h, "required", default=False)),
                                         str(_get(h, "hierarchy_name", default=""))))
    measures = tuple(_measure_labels(item))
    return TableInfo(table_id, name, tuple(p for p, _ in periods), tuple(hierarchies), measures,
                     tuple(periods))


def _measure_labels(item: dict) -> list[str]:
    """Measure labels where the metadata lists them: flat, or in measure groups ("group: m")."""
    labels = []
    for m in _get(item, "measures", "Measurements", "Measures", default=[]) or []:
        labels.append(str(_get(m, "measure_name", "Label", "Name", default=m)
                          if isinstance(m, dict) else m))
    for g in _get(item, "measure_groups", "mgroups", default=[]) or []:
        if isinstance(g, dict):
            group = str(_get(g, "mgroup_name", "name", default=""))
            for m in _get(g, "measures", default=[]) or []:
                text = str(_get(m, "measure_name", "name", default=m) if isinstance(m, dict) else m)
                labels.append(f"{group}: {text}" if group else text)
    return labels


def _level_number(level: object) -> int:
    text = str(level).strip("/")
    return int(text) if text.isdigit() else 0


def _parse_v2_info(table_id: str, name: str, item: dict) -> TableInfo:
    periods = _get(item, "Period", "Periods", "Perioder", default=[]) or []
    if not isinstance(periods, list) or not all(isinstance(p, str) for p in periods):
        raise JobindsatsError(f"Jobindsats: perioderne i tabel {table_id} har en uventet form.")
    hierarchies = []
    areas = _get(item, "Area", "Areas", default=None)
    if isinstance(areas, list):
        hierarchies.append(Hierarchy(AREA, "Område", tuple(Value(str(a), str(a)) for a in areas),
                                     label="Område"))
    for d in _get(item, "Dimensions", "Dimension", default=[]) or []:
        if isinstance(d, dict):
            values = _get(d, "Values", "Value", "Items", default=[]) or []
            names = [str(_get(v, "Label", "Name", default=v) if isinstance(v, dict) else v)
                     for v in values]
            label = str(_get(d, "Label", default=""))
            hierarchies.append(Hierarchy(str(_get(d, "Name", "Id", "Key", default="")), label,
                                         tuple(Value(n, n) for n in names), label=label))
    return TableInfo(table_id, name, tuple(periods), tuple(hierarchies), tuple(_measure_labels(item)))


def parse_data(table_id: str, body: object) -> DataAnswer:
    """v3's `{"columns", "rows"}` or v2's `[{"Variables", "Data"}]`, checked row by row."""
    if isinstance(body, list) and not body:
        return DataAnswer(table_id, (), (), ())
    item = body[0] if isinstance(body, list) else body
    columns = _get(item, "columns") if isinstance(item, dict) else None
    if isinstance(columns, list):
        data = _get(item, "rows")
        labels = tuple(str(_get(c, "label", "name", default="")) if isinstance(c, dict) else str(c)
                       for c in columns)
        names = labels
    else:
        variables = _get(item, "Variables", default=None) if isinstance(item, dict) else None
        data = _get(item, "Data", default=None) if isinstance(item, dict) else None
        if not isinstance(variables, list):
            data = None
        else:
            labels = tuple(str(_get(v, "Label", "Name", default="")) if isinstance(v, dict) else str(v)
                           for v in variables)
            names = tuple(str(_get(v, "Name", "Label", default="")) if isinstance(v, dict) else str(v)
                          for v in variables)
    if not isinstance(data, list):
        raise JobindsatsError(f"Jobindsats: svaret for tabel {table_id} mangler 'columns' og 'rows' "
                              "(uventet form); intet er gemt.")
    rows = []
    for i, row in enumerate(data, start=1):
        if not isinstance(row, list) or len(row) != len(labels):
            raise JobindsatsError(f"Jobindsats: række {i} i tabel {table_id} har "
                                  f"{len(row) if isinstance(row, list) else '?'} felter, "
                                  f"ventede {len(labels)}; intet er gemt.")
        rows.append(tuple(row))
    return DataAnswer(table_id, labels, names, tuple(rows))
