"""Statistics Denmark's open StatBank API (api.statbank.dk/v1): population (FOLK1A) and people
on public benefits (AUK01) per municipality, as framework conditions (rammevilkår) for the
expected-level model and as context on the municipality page.

Calls: `GET /v1/tableinfo/{table}?format=JSON` (variables and their values), and
`GET /v1/data/{table}/CSV?valuePresentation=Code&OMRÅDE=*&Tid=…` (semicolon CSV) or `/JSONSTAT`.
No key is needed. Variables left out of a data call are eliminated (summed) by StatBank when
the table allows it; others are set to their "i alt" value. The Danish CSV writes decimals
with a comma ("1072,20"). The share on public benefits divides AUK01 (full-time persons, who
are 16–66 years old) by the population aged 16–66 (FOLK1A by age), not by all ages.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Callable, Sequence
from dataclasses import dataclass

import httpx
import pyarrow as pa

from jobmaal.geography import load_geography
from jobmaal.sources.common import NotANumber, SourceError, is_suppressed, parse_number
from jobmaal.sources.http import HttpSettings, HttpSourceError, Requester, parse_json

BASE_URL = "https://api.statbank.dk"
POPULATION_TABLE = "FOLK1A"
BENEFITS_TABLE = "AUK01"
AREA_VARIABLE = "OMRÅDE"
TIME_VARIABLE = "Tid"
AGE_VARIABLE = "ALDER"
WORKING_AGES = range(16, 67)  # the ages AUK01 counts

# The framework variables this source writes, documented as the generator documents its own.
FRAMEWORK_VARIABLES = [
    {"name": "befolkning", "danish": "Befolkning 1. januar", "english": "Population on 1 January",
     "unit": "personer"},
    {"name": "andel_offentlig_forsoergelse",
     "danish": "Andel af befolkningen 16-66 år på offentlig forsørgelse",
     "english": "Share of the population aged 16-66 on public benefits (full-time persons)",
     "unit": "pct."},
]


class StatbankError(SourceError):
    """StatBank could not give the figures; nothing was stored."""


@dataclass(frozen=True)
class Variable:
    id: str
    text: str
    elimination: bool
    time: bool
    values: tuple[tuple[str, str], ...]  # (id, text)

    def total(self) -> str | None:
        for vid, text in self.values:
            if text.strip().casefold() in ("i alt", "alle", "total", "hele landet"):
                return vid
        return None


@dataclass(frozen=True)
class TableInfo:
    id: str
    text: str
    updated: str
    variables: tuple[Variable, ...]

    def variable(self, vid: str) -> Variable:
        for v in self.variables:
            if v.id.casefold() == vid.casefold():
                return v
        raise StatbankError(f"StatBank-tabellen {self.id} har ingen variabel {vid} "
                            f"(har: {', '.join(v.id for v in self.variables)})")

    @property
    def time(self) -> Variable:
        for v in self.variables:
            if v.time:
                return v
        return self.variable(TIME_VARIABLE)


class StatbankClient:
    """Reads the open StatBank API (no key)."""

    def __init__(self, *, base_url: str = BASE_URL, settings: HttpSettings | None = None,
                 transport: httpx.BaseTransport | None = None,
                 sleep: Callable[[float], None] | None = None):
        extra = {"sleep": sleep} if sleep else {}
        self._http = Requester("Danmarks Statistik (StatBank)", base_url, settings=settings,
                               transport=transport, **extra)

    def close(self) -> None:
        self._http.close()

    def __enter__(self) -> StatbankClient:
        return self

    def __exit__(self, *exc) -> None:
        self.close()

    def tableinfo(self, table: str) -> TableInfo:
        body = self._call(lambda: parse_json(
            self._http.send("GET", f"/v1/tableinfo/{table}", params={"format": "JSON", "lang": "da"}),
            "Danmark Statistik (StatBank)"))
        return parse_tableinfo(table, body)

    def data_csv(self, table: str, selection: dict[str, Sequence[str]]) -> list[dict[str, str]]:
        params = [("valuePresentation", "Code"), ("lang", "da"),
                  *((k, ",".join(v)) for k, v in selection.items())]
        text = self._call(lambda: self._http.text("GET", f"/v1/data/{table}/CSV", params=params))
        return parse_csv(table, text)

    def data_jsonstat(self, table: str, selection: dict[str, Sequence[str]]) -> list[dict[str, str]]:
        params = [("valuePresentation", "Code"), ("lang", "da"),
                  *((k, ",".join(v)) for k, v in selection.items())]
        body = self._call(lambda: self._http.json("GET", f"/v1/data/{table}/JSONSTAT", params=params))
        return parse_jsonstat(table, body)

    def _call(self, fn):
        try:
            return fn()
        except HttpSourceError as exc:
            message = str(exc)
            if exc.status == 400:
                message += " (StatBank afviste forespørgslen: findes tabellen og perioden?)"
            raise StatbankError(message) from None


# -- parsing ---------------------------------------------------------------------------------------

def parse_tableinfo(table: str, body: object) -> TableInfo:
    if not isinstance(body, dict) or not isinstance(body.get("variables"), list):
        raise StatbankError(f"StatBank: beskrivelsen af {table} har en uventet form (mangler 'variables')")
    variables = []
    for v in body["variables"]:
        if not isinstance(v, dict) or not isinstance(v.get("values"), list):
            raise StatbankError(f"StatBank: en variabel i {table} har en uventet form")
        values = tuple((str(x.get("id", "")), str(x.get("text", ""))) for x in v["values"]
                       if isinstance(x, dict))
        variables.append(Variable(str(v.get("id", "")), str(v.get("text", "")),
                                  bool(v.get("elimination")), bool(v.get("time")), values))
    return TableInfo(str(body.get("id", table)), str(body.get("text", "")),
                     str(body.get("updated", "")), tuple(variables))


def parse_csv(table: str, text: str) -> list[dict[str, str]]:
    """StatBank's CSV: semicolon separated, a header row, INDHOLD holding the number."""
    text = text.lstrip("\ufeff")
    rows = list(csv.DictReader(io.StringIO(text), delimiter=";"))
    if not rows:
        return []
    if "INDHOLD" not in rows[0]:
        raise StatbankError(f"StatBank: CSV-svaret for {table} mangler kolonnen INDHOLD "
                            f"(har: {', '.join(rows[0])})")
    if any(None in r or any(v is None for v in r.values()) for r in rows):
        raise StatbankError(f"StatBank: CSV-svaret for {table} er afkortet eller ødelagt")
    return rows


def parse_jsonstat(table: str, body: object) -> list[dict[str, str]]:
    """JSON-stat (version 1 with a 'dataset' wrapper, or 2.0) as rows like parse_csv's."""
    ds = body.get("dataset", body) if isinstance(body, dict) else None
    try:
        ids = ds["id"] if "id" in ds else ds["dimension"]["id"]
        sizes = ds["size"] if "size" in ds else ds["dimension"]["size"]
        values = ds["value"]
        categories = []
        for dim in ids:
            index = ds["dimension"][dim]["category"]["index"]
            order = sorted(index, key=index.get) if isinstance(index, dict) else list(index)
            categories.append(order)
    except (KeyError, TypeError):
        raise StatbankError(f"StatBank: JSON-stat-svaret for {table} har en uventet form") from None
    if [len(c) for c in categories] != list(sizes):
        raise StatbankError(f"StatBank: JSON-stat-svaret for {table} er inkonsistent")
    total = 1
    for s in sizes:
        total *= s
    if isinstance(values, dict):
        values = [values.get(str(i)) for i in range(total)]
    if len(values) != total:
        raise StatbankError(f"StatBank: JSON-stat-svaret for {table} er afkortet")
    rows = []
    for flat, value in enumerate(values):
        row, rest = {}, flat
        for dim, cats, size in zip(reversed(ids), reversed(categories), reversed(sizes), strict=True):
            row[dim] = cats[rest % size]
            rest //= size
        row["INDHOLD"] = ".." if value is None else str(value)
        rows.append(row)
    return rows


# -- framework conditions ------------------------------------------------------------------------

@dataclass
class StatbankSource:
    """Population and people on public benefits per municipality for `year` and the year before."""

    client: StatbankClient
    year: int
    kind = "statbank"

    def framework(self, progress: Callable[[str, int, int], None] | None = None) -> pa.Table:
        years = (self.year - 1, self.year)
        steps = 5
        step = 0

        def tick(text: str) -> None:
            nonlocal step
            if progress:
                progress(text, step, steps)
            step += 1

        tick("FOLK1A: tabelbeskrivelse")
        population = self._per_year(POPULATION_TABLE, years, first_only=True, tick=tick)
        working_age = self._per_year(POPULATION_TABLE, years, first_only=True, tick=tick,
                                     ages=WORKING_AGES)
        tick("AUK01: tabelbeskrivelse")
        benefits = self._per_year(BENEFITS_TABLE, years, first_only=False, tick=tick)
        if progress:
            progress("færdig", steps, steps)
        rows = []
        for (code, year), people in sorted(population.items()):
            rows.append((code, year, "befolkning", people))
            on_benefits = benefits.get((code, year))
            base = working_age.get((code, year))
            if on_benefits is not None and base:
                rows.append((code, year, "andel_offentlig_forsoergelse", 100.0 * on_benefits / base))
        codes = set(load_geography().municipality_codes)
        for year in years:
            have = {c for c, y, v, _ in rows if y == year and v == "befolkning"}
            if have != codes:
                missing = sorted(codes - have)[:5]
                raise StatbankError(f"{POPULATION_TABLE} mangler {len(codes - have)} kommuner i "
                                    f"{year} (fx {', '.join(map(str, missing))}); intet er gemt.")
        return pa.table({"municipality_code": [r[0] for r in rows], "year": [r[1] for r in rows],
                         "variable": [r[2] for r in rows], "value": [float(r[3]) for r in rows]})

    def _per_year(self, table: str, years: tuple[int, ...], *, first_only: bool,
                  tick: Callable[[str], None], ages: range | None = None
                  ) -> dict[tuple[int, int], float]:
        """Per (municipality, year): the first period's figure (a stock on 1 January) or the
        mean over the year's periods (people on benefits through the year); with `ages`, the
        sum over those ages of the age variable."""
        info = self.client.tableinfo(table)
        area = info.variable(AREA_VARIABLE)
        times = [vid for vid, _ in info.time.values if _year_of(vid) in years]
        for year in years:
            if not any(_year_of(t) == year for t in times):
                latest = info.time.values[-1][0] if info.time.values else "ingen"
                raise StatbankError(f"StatBank har endnu ingen tal for {year} i {table} "
                                    f"(seneste periode: {latest}); intet er gemt.")
        if first_only:
            times = [min(t for t in times if _year_of(t) == y) for y in years]
        selection: dict[str, list[str]] = {area.id: ["*"], info.time.id: times}
        if ages is not None:
            selection[info.variable(AGE_VARIABLE).id] = _age_ids(info, table, ages)
        for v in info.variables:
            if v.id in selection or v.elimination:
                continue
            total = v.total()
            if total is None:
                raise StatbankError(f"{table}: variablen {v.id} kan ikke udelades og har ingen "
                                    "«i alt»-værdi")
            selection[v.id] = [total]
        tick(f"{table}: {len(times)} perioder" + (f", {ages[0]}-{ages[-1]} år" if ages else ""))
        rows = self.client.data_csv(table, selection)
        codes = set(load_geography().municipality_codes)
        sums: dict[tuple[int, int], dict[str, float]] = {}
        for r in rows:
            code_text = str(r.get(area.id, r.get(area.id.upper(), ""))).strip()
            if not code_text.isdigit() or int(code_text) not in codes:
                continue
            time = str(r.get(info.time.id, r.get("TID", ""))).strip()
            cell = r["INDHOLD"]
            if is_suppressed(cell):
                continue
            try:
                value = statbank_number(cell)
            except NotANumber:
                raise StatbankError(f"{table}: {cell!r} for {code_text} {time} er ikke et tal") from None
            if value is None:
                continue
            per_time = sums.setdefault((int(code_text), _year_of(time)), {})
            per_time[time] = per_time.get(time, 0.0) + value  # Σ over ages
        return {k: sum(v.values()) / len(v) for k, v in sums.items()}


def statbank_number(cell: object) -> float | None:
    """A StatBank cell: "644431", "1072,20" (the Danish CSV's decimal comma), "1072.2"
    (JSON-stat). StatBank writes no thousands separators, so a dot is always a decimal point."""
    text = str(cell).strip()
    if "," in text and "." not in text:
        text = text.replace(",", ".")
    return parse_number(text, decimal_comma=False)


def _age_ids(info: TableInfo, table: str, ages: range) -> list[str]:
    """The age variable's value ids for `ages` ("16", …, "66"); all must be there."""
    have = {vid for vid, _ in info.variable(AGE_VARIABLE).values}
    wanted = [str(a) for a in ages]
    missing = [a for a in wanted if a not in have]
    if missing:
        raise StatbankError(f"{table}: variablen {AGE_VARIABLE} mangler alder "
                            f"{', '.join(missing[:5])}; kan ikke opgøre befolkningen "
                            f"{ages[0]}-{ages[-1]} år")
    return wanted


def _year_of(time_code: str) -> int | None:
    """The year of a StatBank time code ("2023K1", "2023M01", "2023")."""
    head = str(time_code)[:4]
    return int(head) if head.isdigit() else None
