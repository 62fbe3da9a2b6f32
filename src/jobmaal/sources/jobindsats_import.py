"""From the catalogue's Jobindsats tables to fact rows, driven by each table's metadata.

The catalogue names, per indicator, the table and its measures and breakdown dimensions by
their published labels. `map_table` reads the table's metadata and finds each breakdown's
hierarchy, its values and its own total ("Ydelsesgrupper i alt", "Køn i alt"), and the area
hierarchy; measures are found in the answer's columns, also when they carry their group
("Mindst 190 timer: Andel (pct.)"). A mismatch stops the import and lists what the table offers.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field

from jobmaal.catalogue import Breakdown, Indicator, load_catalogue
from jobmaal.facts import TOTAL
from jobmaal.geography import UnknownAreaError, load_geography
from jobmaal.periods import Period, PeriodError
from jobmaal.sources.common import NotANumber, is_suppressed, parse_number, resolve_area
from jobmaal.sources.jobindsats import (
    AREA,
    DataAnswer,
    Hierarchy,
    JobindsatsClient,
    JobindsatsError,
    TableInfo,
    fold,
)

_PERIOD_CHUNK = 12  # periods per data request: one year of months keeps answers small
# Periods a table of each periodicity may publish (monthly tables also sum to longer ones).
_KINDS_OF = {"month": ("month", "quarter", "half_year", "year"), "quarter": ("quarter", "year"),
             "half_year": ("half_year",), "year": ("year",)}
_PERIOD_COLUMNS = ("Periode", "Period", "period", "Tid")
_AREA_COLUMNS = ("Område", "Area", "area", "Geografi")
_QUARTER = re.compile(r"^(\d{4})K([1-4])$")
_WINDOW = re.compile(r"^(\d{4})M(\d{2})\s*[-–]\s*(\d{4})M(\d{2})$")


# -- periods -------------------------------------------------------------------------------------

def period_code(period_id: object) -> str:
    """A published period id as Jobmål's code: "2023M01", "2023K1" → "2023Q1", "2023".
    A survey round named by its posting window ("2021M12-2022M05") is the half-year it ends
    in: December–May → "2022H1", June–November → "2022H2" (one round per half-year code)."""
    text = str(period_id).strip()
    if m := _QUARTER.match(text):
        return f"{m[1]}Q{m[2]}"
    if m := _WINDOW.match(text):
        return Period.of_date(Period.month(int(m[3]), int(m[4])).start, "half_year").code
    return Period.parse(text).code


def wanted_periods(available: Iterable[str], periodicity: str, year: int) -> list[str]:
    """The table's period ids in `year` and the year before that the indicator publishes,
    in calendar order."""
    kinds = _KINDS_OF.get(periodicity, (periodicity,))
    found = []
    for pid in available:
        try:
            p = Period.parse(period_code(pid))
        except PeriodError:
            continue
        if p.year in (year - 1, year) and p.kind in kinds:
            found.append((p, pid))
    return [pid for _p, pid in sorted(found, key=lambda x: (x[0].kind != "month", x[0]))]


# -- the mapping ---------------------------------------------------------------------------------

@dataclass(frozen=True)
class BreakdownMap:
    breakdown: Breakdown
    hierarchy: Hierarchy
    codes: dict[str, str]  # folded value name or id → the catalogue's value ("k")
    ids: tuple[str, ...]  # value ids to ask for

    def value_of(self, cell: object, indicator: str) -> str | None:
        """The catalogue value of a row's cell; None for the hierarchy's own total."""
        key = fold(str(cell))
        total = self.hierarchy.total
        if total is not None and key in (fold(total.name), fold(total.id)):
            return None
        if key in self.codes:
            return self.codes[key]
        raise JobindsatsError(f"{indicator}: ukendt værdi «{cell}» i opdelingen "
                              f"{self.breakdown.name_da} (hierarki {self.hierarchy.id})")


@dataclass(frozen=True)
class TableMapping:
    """An indicator's catalogue mapping resolved against its table's metadata."""

    indicator: Indicator
    info: TableInfo
    area: Hierarchy
    breakdowns: dict[str, BreakdownMap]
    fixed: dict[str, str]  # hierarchy id → its total's id, for mapped and required hierarchies

    def selection(self, breakdown: str | None) -> dict[str, list[str] | str]:
        """Every mapped and required hierarchy at its total, the area hierarchy at all its
        values, and the breakdown asked for at all its values."""
        chosen: dict[str, list[str] | str] = {h: [v] for h, v in self.fixed.items()}
        chosen[self.area.id] = "*"
        if breakdown is not None:
            b = self.breakdowns[breakdown]
            chosen[b.hierarchy.id] = list(b.ids)
        return chosen


def map_table(ind: Indicator, info: TableInfo) -> TableMapping:
    mapping = ind.jobindsats
    if info.measures:
        labels = _measure_labels(ind)
        resolve_measures(ind, labels, info.measures, where=f"tabel {info.id}")
    area = _area_hierarchy(ind, info)
    breakdowns = {}
    for b in ind.breakdowns:
        if b.id in mapping.dimensions:
            breakdowns[b.id] = _breakdown_map(ind, info, b, mapping.dimensions[b.id])
    fixed = {}
    for h in info.hierarchies:
        mapped = any(m.hierarchy.id == h.id for m in breakdowns.values())
        if h.id == area.id or not (mapped or h.required) or h.total is None:
            continue
        fixed[h.id] = h.total.id
    return TableMapping(ind, info, area, breakdowns, fixed)


def _describe(h: Hierarchy) -> str:
    name = h.label or (h.total.name[: -len(" i alt")] if h.total and
                       h.total.name.casefold().endswith(" i alt") else h.dimension)
    return f"«{name}» ({h.id})" if name and name != h.id else h.id


def _breakdown_map(ind: Indicator, info: TableInfo, b: Breakdown, key: str) -> BreakdownMap:
    found = [h for h in info.hierarchies if fold(key) in h.names()]
    if not found:
        offered = ", ".join(_describe(h) for h in info.hierarchies if h.id != AREA) or "ingen"
        raise JobindsatsError(f"{ind.id}: tabel {info.id} har ikke dimensionen «{key}» (opdeling "
                              f"{b.name_da}); tabellen har: {offered}. Ret kataloget.")
    h = found[0]
    if h.total is None:
        raise JobindsatsError(f"{ind.id}: dimensionen {_describe(h)} i tabel {info.id} har ingen "
                              "total («/» eller «… i alt»).")
    by_name = {fold(v.name): v for v in h.values}
    codes, ids, missing = {}, [], []
    for value, label in zip(b.values, b.labels_da or b.values, strict=True):
        v = by_name.get(fold(label)) or by_name.get(fold(value))
        if v is None:
            missing.append(label)
            continue
        codes[fold(v.name)] = codes[fold(v.id)] = value
        ids.append(v.id)
    if missing:
        offered = ", ".join(f"«{v.name}»" for v in h.values)
        raise JobindsatsError(f"{ind.id}: dimensionen {_describe(h)} i tabel {info.id} har ikke "
                              f"{', '.join(f'«{m}»' for m in missing)}; den har: {offered}. "
                              "Ret kataloget (labels_da).")
    return BreakdownMap(b, h, codes, tuple(ids))


def _area_hierarchy(ind: Indicator, info: TableInfo) -> Hierarchy:
    """The hierarchy naming the most municipalities (and other areas) Jobmål knows."""
    scored = []
    for h in info.hierarchies:
        known = 0
        for v in h.values:
            try:
                known += resolve_area(v.name).level != "land"  # "I alt" is no area list
            except UnknownAreaError:
                pass
        scored.append((known, h))
    best = max(scored, key=lambda x: x[0], default=(0, None))
    if best[0] > 0:
        return best[1]
    for h in info.hierarchies:
        if h.id == AREA:  # version 2 without an area list in the metadata
            return h
    offered = ", ".join(_describe(h) for h in info.hierarchies) or "ingen"
    raise JobindsatsError(f"{ind.id}: tabel {info.id} har intet hierarki med kommuner eller andre "
                          f"områder; tabellen har: {offered}.")


def _measure_labels(ind: Indicator) -> dict[str, str | None]:
    m = ind.jobindsats
    return {"value": m.value, "numerator": m.numerator, "denominator": m.denominator}


def resolve_measures(ind: Indicator, wanted: dict[str, str | None], labels: Iterable[str],
                     *, where: str) -> dict[str, int | None]:
    """Index into `labels` of each wanted measure. A label matches as written or after its
    group ("Gruppe: Andel (pct.)" for "Andel (pct.)"); between several groups, the value's
    group wins for the numerator and denominator."""
    labels = list(labels)
    found: dict[str, int | None] = {}
    group = None
    for role in ("value", "numerator", "denominator"):
        label = wanted.get(role)
        if not label:
            found[role] = None
            continue
        exact = [i for i, text in enumerate(labels) if fold(text) == fold(label)]
        candidates = exact or [i for i, text in enumerate(labels)
                               if ":" in text and fold(text.rsplit(":", 1)[1]) == fold(label)]
        if len(candidates) > 1 and group is not None:
            same = [i for i in candidates if _group(labels[i]) == group]
            candidates = same or candidates
        if not candidates:
            offered = ", ".join(f"«{t}»" for t in labels) or "ingen"
            raise JobindsatsError(f"{ind.id}: {where} har ikke målet «{label}»; den har: "
                                  f"{offered}. Ret kataloget.")
        if len(candidates) > 1:
            raise JobindsatsError(f"{ind.id}: målet «{label}» findes i flere grupper i {where}: "
                                  + ", ".join(f"«{labels[i]}»" for i in candidates)
                                  + "; skriv gruppen med i kataloget.")
        found[role] = candidates[0]
        if role == "value":
            group = _group(labels[candidates[0]])
    return found


def _group(label: str) -> str | None:
    return fold(label.rsplit(":", 1)[0]) if ":" in label else None


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
        self._existing: dict[tuple[str, int], set[str]] = {}  # (level, year) → area codes

    def plan(self) -> list[tuple[TableMapping, list[list[str]]]]:
        """Per indicator: its mapped table and the period chunks to fetch (one metadata call
        per table, shared by the indicators published in it)."""
        infos: dict[str, TableInfo] = {}
        planned = []
        for ind in self.indicators:
            table = ind.jobindsats.table
            if table not in infos:
                infos[table] = self.client.table(table)
                self.report.requests += 1
            info = infos[table]
            mapping = map_table(ind, info)
            periods = wanted_periods(info.periods, ind.periodicity, self.year)
            chunks = []
            for kind in dict.fromkeys(info.period_type(p) for p in periods):
                same = [p for p in periods if info.period_type(p) == kind]
                chunks += [same[i:i + _PERIOD_CHUNK] for i in range(0, len(same), _PERIOD_CHUNK)]
            planned.append((mapping, chunks))
            self.report.tables[ind.id] = table
        return planned

    def fetch(self, progress: Callable[[str, int, int], None] | None = None) -> list[dict]:
        """Every fact row of the mapped indicators; `progress(text, done, total)` per request."""
        planned = self.plan()
        steps = [(m, chunk, b) for m, chunks in planned for chunk in chunks
                 for b in (None, *m.breakdowns)]
        rows: list[dict] = []
        for done, (mapping, chunk, breakdown) in enumerate(steps, start=1):
            ind = mapping.indicator
            if progress:
                what = mapping.breakdowns[breakdown].breakdown.name_da.lower() if breakdown else "i alt"
                progress(f"{ind.id} {chunk[0]}–{chunk[-1]} ({what})", done - 1, len(steps))
            answer = self.client.data(mapping.info.id, chunk, mapping.selection(breakdown),
                                      period_type=mapping.info.period_type(chunk[0]))
            self.report.requests += 1
            rows += self.fact_rows(mapping, answer, breakdown)
        if progress:
            progress("færdig", len(steps), len(steps))
        self.report.rows = len(rows)
        return rows

    def fact_rows(self, mapping: TableMapping, answer: DataAnswer, breakdown: str | None) -> list[dict]:
        ind = mapping.indicator
        if not answer.rows:
            return []
        area_col = answer.column(mapping.area.id, mapping.area.label, mapping.area.dimension,
                                 *_AREA_COLUMNS)
        period_col = answer.column(*_PERIOD_COLUMNS)
        if area_col is None or period_col is None:
            raise JobindsatsError(f"{ind.id}: svaret fra tabel {mapping.info.id} mangler kolonnen "
                                  f"for område eller periode (har: {', '.join(answer.labels)})")
        b_map = mapping.breakdowns.get(breakdown) if breakdown else None
        dim_col = None
        if b_map is not None:
            h = b_map.hierarchy
            dim_col = answer.column(h.id, h.label, h.dimension, *h.names(),
                                    ind.jobindsats.dimensions[breakdown])
            if dim_col is None:
                raise JobindsatsError(f"{ind.id}: svaret mangler dimensionen {_describe(h)} "
                                      f"(har: {', '.join(answer.labels)})")
        used = {area_col, period_col, dim_col}
        measure_labels = [label if i not in used else "\0" for i, label in enumerate(answer.labels)]
        cols = resolve_measures(ind, _measure_labels(ind), measure_labels,
                                where=f"svaret fra tabel {mapping.info.id}")
        names = {fold(v.id): v.name for v in mapping.area.values}
        out = []
        for row in answer.rows:
            name = names.get(fold(str(row[area_col])), row[area_col])
            period = _period(row[period_col], ind.id)
            area = self._area(name, period)
            if area is None or area.level not in ind.area_levels:
                continue
            if b_map is None:
                b_id = b_value = TOTAL
            else:
                b_value = b_map.value_of(row[dim_col], ind.id)
                if b_value is None:
                    continue
                b_id = breakdown
            out.append(_fact(ind, period, area.level, area.code, b_id, b_value,
                             {role: (row[i] if i is not None else None) for role, i in cols.items()}))
        return out

    def _area(self, name: object, period: str):
        """The area of a row, or None (counted as skipped) for a name Jobmål does not know
        and for a job centre or RAR area that did not exist in the period's year."""
        try:
            area = resolve_area(name)
        except UnknownAreaError:
            self.report.skipped_areas[str(name)] = self.report.skipped_areas.get(str(name), 0) + 1
            return None
        if area.level in ("jobcenter", "rar"):
            year = Period.parse(period).year
            key = (area.level, year)
            if key not in self._existing:
                self._existing[key] = {a.code for a in load_geography(year).areas(area.level)}
            if area.code not in self._existing[key]:
                key = f"{name} ({year})"
                self.report.skipped_areas[key] = self.report.skipped_areas.get(key, 0) + 1
                return None
        return area


def _period(code: object, indicator: str) -> str:
    try:
        return period_code(code)
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
