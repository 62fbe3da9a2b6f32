"""Recorded answer shapes (fixtures/) and a fake Jobindsats that answers API v3 and v2 in exactly
the real services' shapes, from small tables built here. Nothing here reaches the network.

The fake's tables have real-style ids, group-prefixed measure labels and hierarchies with
`/…/` value ids:
  y30r21  MM17: Ydelsesgrupper (_ygrp_y30r21, "Ydelsesgrupper i alt"), Køn, Alder and a
          required Herkomst hierarchy; months 2021M12, 2022M12, 2023M01–2023M03
  y25i01  MM13 and MM13_190: two measure groups sharing the denominator's label; 2023M01
  y60a02  MM10 by Samarbejde; years 2022 and 2023
Areas: "Hele landet", every municipality as "<name> Kommune", "Jobcenter Vallensbæk",
"Jobcenter Ishøj" and "Uoplyst kommune". Læsø's cells are "-", Fanø's "..".
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import parse_qsl, urlencode

from werkzeug import Request, Response

from jobmaal.geography import load_geography

FIXTURES = Path(__file__).parent / "fixtures"
KEY = "test-key-5f1e2c"  # never a real key
PAGE_SIZE = 400  # rows per page of a v3 data answer


def fixture(name: str):
    path = FIXTURES / name
    return json.loads(path.read_text(encoding="utf-8")) if name.endswith(".json") else path.read_text(
        encoding="utf-8")


@dataclass(frozen=True)
class FakeHierarchy:
    id: str
    label: str  # the dimension's label, as the data answer's column names it
    total: str  # the `/` value's name
    values: tuple[str, ...]
    required: bool = False


@dataclass(frozen=True)
class FakeTable:
    id: str
    name: str
    group: str
    periods: tuple[str, ...]
    periodtype: str
    measures: tuple[tuple[str, str], ...]  # (group, measure) per (share, numerator, denominator)…
    hierarchies: tuple[FakeHierarchy, ...]
    rar: bool = False  # published for RAR areas instead of municipalities


def _areas(rar: bool = False) -> list[tuple[str, str]]:
    """(value id, name) of the area hierarchy _nykom (_rar for a RAR table)."""
    if rar:
        return [("/", "Hele landet"), *((f"/{i + 1}/", a.name) for i, a in
                                        enumerate(load_geography().areas("rar")))]
    return [("/", "Hele landet"),
            *((f"/{m.code}/", f"{m.name} Kommune") for m in load_geography().municipalities),
            ("/jc187/", "Jobcenter Vallensbæk"), ("/jc183/", "Jobcenter Ishøj"),
            ("/999/", "Uoplyst kommune")]


KOEN = FakeHierarchy("_kon", "Køn", "Køn i alt", ("Kvinder", "Mænd"))
TABLES = {
    "y30r21": FakeTable(
        "y30r21", "Ministerens mål: Opkvalificering af ledige", "Ministerens mål", (
            "2021M12", "2022M12", "2023M01", "2023M02", "2023M03"), "M",
        (("Ydelsesmodtagere", "Andel der starter opkvalificering (pct.)"),
         ("Ydelsesmodtagere", "Personer der starter opkvalificering"),
         ("Ydelsesmodtagere", "Personer på ydelse")),
        (FakeHierarchy("_ygrp_y30r21", "Ydelsesgrupper", "Ydelsesgrupper i alt",
                       ("A-dagpenge", "Kontanthjælp", "Uddannelseshjælp", "Ledighedsydelse",
                        "Sygedagpenge")),
         KOEN,
         FakeHierarchy("_alder", "Alder", "Alder i alt", ("16-29 år", "30-49 år", "50 år og derover")),
         FakeHierarchy("_herkomst", "Herkomst", "Herkomst i alt", ("Dansk oprindelse", "Indvandrere"),
                       required=True))),
    "y25i01": FakeTable(
        "y25i01", "Flygtninge og familiesammenførte i beskæftigelse", "Integration", ("2023M01",), "M",
        (("Ustøttet beskæftigelse", "Andel i ustøttet beskæftigelse (pct.)"),
         ("Ustøttet beskæftigelse", "Personer i ustøttet beskæftigelse"),
         ("Ustøttet beskæftigelse", "Flygtninge og familiesammenførte"),
         ("Mindst 190 timer", "Andel med mindst 190 ustøttede timer (pct.)"),
         ("Mindst 190 timer", "Personer med mindst 190 ustøttede timer"),
         ("Mindst 190 timer", "Flygtninge og familiesammenførte")),
        (KOEN,
         FakeHierarchy("_opholdstid", "Opholdstid", "Opholdstid i alt",
                       ("Under 1 år", "1 år", "2 år", "3-4 år", "5-9 år", "10 år og derover")),
         FakeHierarchy("_indrejst", "Indrejst som", "Indrejst som i alt",
                       ("Mindreårig", "Voksen", "Ukendt")))),
    "y60a02": FakeTable(
        "y60a02", "Virksomheders samarbejde med jobcentre", "Virksomheder", ("2022", "2023"), "Å",
        (("Virksomheder", "Samarbejdsgrad (pct.)"), ("Virksomheder", "Virksomheder med samarbejde"),
         ("Virksomheder", "Virksomheder")),
        (FakeHierarchy("_samarbejde", "Samarbejde", "Samarbejde i alt",
                       ("Med eget jobcenter", "Med andre jobcentre")),)),
    "y60c07": FakeTable(
        "y60c07", "Rekrutteringssurvey: forgæves rekrutteringer", "Virksomheder", (
            "2021M06-2021M11", "2021M12-2022M05", "2022M06-2022M11", "2022M12-2023M05",
            "2023M06-2023M11"), "H",
        (("Rekrutteringer", "Andel forgæves rekrutteringer (pct.)"),
         ("Rekrutteringer", "Forgæves rekrutteringer"), ("Rekrutteringer", "Rekrutteringsforsøg")),
        (), rar=True),
}


def counts(area: str, label: str, measure_index: int) -> tuple[int, int] | str:
    """The fake's (numerator, denominator) for an area and a breakdown label, or a hidden mark.
    The second measure group (index ≥ 3: MM13_190) has half the numerator."""
    if area.startswith("Læsø"):
        return "-"
    if area.startswith("Fanø"):
        return ".."
    if area == "Hele landet":
        return (5000, 100000)
    num = 20 + len(area) + len(label)
    return (num // 2 if measure_index >= 3 else num, 1000 + 7 * len(area))


def _cells(area: str, label: str, table: FakeTable) -> list:
    out: list = []
    for start in range(0, len(table.measures), 3):
        got = counts(area, label, start)
        if isinstance(got, str):
            out += [got, got, got]
        else:
            num, den = got
            share = f"{100 * num / den:.1f}".replace(".", ",")  # Danish text
            out += [share, num, f"{den:,}".replace(",", ".")]  # number, then text "1.103"
    return out


def _labels(table: FakeTable) -> list[str]:
    return [f"{group}: {name}" for group, name in table.measures]


# -- the metadata --------------------------------------------------------------------------------

def v3_subjects() -> list[dict]:
    groups: dict[str, list[dict]] = {}
    for t in TABLES.values():
        groups.setdefault(t.group, []).append({"table_id": t.id, "table_name": t.name})
    return [{"subject_id": "1", "subject_name": "Beskæftigelsesindsats",
             "table_groups": [{"table_group_id": str(i), "table_group_name": name, "tables": tables}
                              for i, (name, tables) in enumerate(groups.items())]}]


def v3_table(table: FakeTable) -> dict:
    area = {"hierarchy_id": "_nykom", "required": False, "levels": [
        {"level_id": 0, "values": [{"value_id": "/", "value_name": "Hele landet"}]},
        {"level_id": 1, "values": [{"value_id": i, "value_name": n}
                                   for i, n in _areas(table.rar)[1:]]}]}
    dims = [{"dimension_id": "omr", "hierarchies": [area]}]
    for h in table.hierarchies:
        dims.append({"dimension_id": h.id.strip("_")[:4], "hierarchies": [{
            "hierarchy_id": h.id, "required": h.required, "levels": [
                {"level_id": 0, "values": [{"value_id": "/", "value_name": h.total}]},
                {"level_id": 1, "values": [{"value_id": f"/{i + 1}/", "value_name": v}
                                           for i, v in enumerate(h.values)]}]}]})
    return {"table_id": table.id, "table_name": table.name,
            "periods": [{"periodtype_id": table.periodtype,
                         "values": [{"period_id": p} for p in table.periods]}],
            "dimensions": dims}


def v2_table(table: FakeTable) -> list[dict]:
    return [{"TableID": table.id, "TableName": table.name, "Period": list(table.periods),
             "Area": [n for _, n in _areas(table.rar)],
             "Dimensions": [{"Name": h.id, "Label": h.label, "Values": [h.total, *h.values]}
                            for h in table.hierarchies],
             "Measurements": [{"Name": f"m{i}", "Label": label}
                              for i, label in enumerate(_labels(table))]}]


# -- the data ------------------------------------------------------------------------------------

def _value_name(h: FakeHierarchy, value_id: str) -> str:
    if value_id in ("/", h.total):
        return h.total
    if value_id.startswith("/"):
        return h.values[int(value_id.strip("/")) - 1]
    if value_id not in h.values:
        raise KeyError(value_id)
    return value_id


def data_rows(table: FakeTable, periods: list[str], chosen: dict[str, list[str]]) -> tuple[list, list]:
    """Columns and rows for the hierarchies `chosen` (id → value names), every area."""
    hs = [h for h in table.hierarchies if h.id in chosen]
    columns = ["Periode", "Område", *(h.label for h in hs), *_labels(table)]
    rows = []
    for period in periods:
        for _, area in _areas(table.rar):
            combos: list[list[str]] = [[]]
            for h in hs:
                combos = [c + [v] for c in combos for v in chosen[h.id]]
            for combo in combos:
                label = next((v for v in combo if not v.endswith(" i alt")), "I alt")
                rows.append([period, area, *combo, *_cells(area, label, table)])
    return columns, rows


@dataclass
class FakeJobindsats:
    """The fake server's state: what it was asked, and which failure to give once."""

    fail: str | None = None  # "429", "html", "cutoff", "500" on the first data request
    failing_table: str | None = None  # every data request of this table answers 500
    requests: list[Request] = field(default_factory=list)

    def install(self, httpserver) -> FakeJobindsats:
        from pytest_httpserver.httpserver import URIPattern

        class Any(URIPattern):
            def match(self, uri: str) -> bool:
                return True

        httpserver.clear()
        httpserver.expect_request(Any()).respond_with_handler(self.handle)
        return self

    def data_requests(self) -> list[Request]:
        return [r for r in self.requests if "/data/" in r.path]

    def handle(self, request: Request) -> Response:
        if request.path.startswith("/v1/"):  # StatBank on the same server
            return statbank_handler()(request)
        self.requests.append(request)
        version = request.path.strip("/").split("/")[0]
        wanted = KEY if version == "v2" else f"Bearer {KEY}"
        if request.headers.get("Authorization") != wanted:
            return _json({"Forkert nøgle eller nøglen er udløbet.": ""})
        parts = request.path.strip("/").split("/")
        if version == "v3" and request.args.get("format") != "json":
            return Response("format mangler", status=400)
        if parts[1:] in (["subjects"], ["tables"]):
            return _json(v3_subjects() if version == "v3" else [
                {"TableID": t.id, "TableName": t.name} for t in TABLES.values()])
        table = TABLES.get(parts[2]) if len(parts) > 2 else None
        if table is None:
            return Response("", status=404)
        if parts[1] == "table" and version == "v3":
            return _json(v3_table(table))
        if parts[1] == "tables" and version == "v2":
            return _json(v2_table(table))
        if parts[1] == "data":
            return self._data(request, version, table)
        return Response("", status=404)

    def _data(self, request: Request, version: str, table: FakeTable) -> Response:
        if table.id == self.failing_table:
            return Response("intern fejl", status=500)
        if self.fail and len(self.data_requests()) == 1:
            failure, self.fail = self.fail, None if self.fail == "429" else self.fail
            if failure == "429":
                return Response("for mange", status=429, headers={"Retry-After": "7"})
            if failure == "html":
                return Response(fixture("jobindsats_error_page.html"), status=200,
                                content_type="text/html")
            if failure == "500":
                return Response("intern fejl", status=500)
        if version == "v2":
            body = request.get_json()
            chosen = {k: list(v) for k, v in body.items() if k.startswith("_")}
            columns, rows = data_rows(table, body["period"], chosen)
            variables = [{"Name": "period", "Label": c} if c == "Periode" else
                         {"Name": "area", "Label": c} if c == "Område" else {"Label": c}
                         for c in columns]
            # v2 puts area before period
            variables[0], variables[1] = variables[1], variables[0]
            rows = [[r[1], r[0], *r[2:]] for r in rows]
            return _json([{"TableID": table.id, "Variables": variables, "Data": rows}])
        return self._v3_data(request, table)

    def _v3_data(self, request: Request, table: FakeTable) -> Response:
        args = dict(parse_qsl(request.query_string.decode(), keep_blank_values=True))
        if args.get("mgroup.*") != "*":
            return Response("mgroup mangler", status=400)
        periods = args.get(f"period.{table.periodtype}", "").split(",")
        if any(p not in table.periods for p in periods):
            return Response("ukendt periode", status=400)
        if args.get("hierarchy._nykom") != "*":
            return Response("område mangler", status=400)
        chosen = {}
        for h in table.hierarchies:
            asked = args.get(f"hierarchy.{h.id}")
            if asked is None:
                if h.required:
                    return Response(f"{h.id} er påkrævet", status=400)
                continue
            chosen[h.id] = [_value_name(h, v) for v in asked.split(",")]
        columns, rows = data_rows(table, periods, chosen)
        page = int(args.get("page", "1"))
        body: dict = {"columns": columns, "rows": rows[(page - 1) * PAGE_SIZE: page * PAGE_SIZE]}
        if page * PAGE_SIZE < len(rows):
            body["next"] = f"{request.path}?{urlencode({**args, 'page': str(page + 1)})}"
        text = json.dumps(body, ensure_ascii=False)
        if self.fail == "cutoff":
            return Response(text[: len(text) // 2], content_type="application/json")
        return Response(text, content_type="application/json")


def _json(body) -> Response:
    return Response(json.dumps(body, ensure_ascii=False), content_type="application/json")


# -- a fake StatBank ------------------------------------------------------------------------------

def statbank_handler(*, population_missing: int | None = None):
    """Answers /v1/tableinfo/{FOLK1A,AUK01} from the fixtures and /v1/data/…/CSV for all 98
    municipalities: population 1000 × code (all ages), 10 × code at each age 16–66 (so
    510 × code aged 16–66), people on benefits "<code>,50" (a decimal comma) every quarter."""
    codes = load_geography().municipality_codes

    def handle(request: Request) -> Response:
        parts = request.path.strip("/").split("/")
        if parts[1] == "tableinfo":
            return _json(fixture(f"statbank_tableinfo_{parts[2].lower()}.json"))
        table = parts[2]
        times = request.args["Tid"].split(",")
        assert request.args["OMRÅDE"] == "*" and request.args["valuePresentation"] == "Code"
        if table == "FOLK1A":
            assert request.args["CIVILSTAND"] == "TOT"  # not eliminable: set to its total
            assert "KØN" not in request.args  # eliminable: left out
        else:
            assert request.args["YDELSESTYPE"] == "TOT"
        ages = request.args["ALDER"].split(",") if "ALDER" in request.args else [None]
        if ages != [None]:
            assert ages == [str(a) for a in range(16, 67)]
        lines = ["OMRÅDE;ALDER;TID;INDHOLD", *(f"000;IALT;{t};1" for t in times)]
        for code in codes:
            if code == population_missing and table == "FOLK1A":
                continue
            for t in times:
                for age in ages:
                    value = (f"{code},50" if table == "AUK01" else
                             1000 * code if age is None else 10 * code)
                    lines.append(f"{code};{age or 'IALT'};{t};{value}")
        return Response("\n".join(lines), content_type="text/csv; charset=utf-8")

    return handle
