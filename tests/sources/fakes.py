"""Recorded answer shapes (fixtures/) and answers built in the same shapes, for the fake
servers of the source tests. Nothing here reaches the network."""

from __future__ import annotations

import json
from pathlib import Path

from jobmaal.catalogue import load_catalogue
from jobmaal.geography import load_geography

FIXTURES = Path(__file__).parent / "fixtures"
KEY = "test-key-5f1e2c"  # never a real key


def fixture(name: str):
    path = FIXTURES / name
    return json.loads(path.read_text(encoding="utf-8")) if name.endswith(".json") else path.read_text(
        encoding="utf-8")


def table_info(indicator: str, periods: list[str]) -> list[dict]:
    """A /v2/tables/{id}/json answer for a catalogue indicator, shaped like the recorded one."""
    ind = load_catalogue(2023).indicator(indicator)
    m = ind.jobindsats
    dims = [{"Name": m.dimensions[b.id], "Label": b.name_da, "Values": ["I alt", *b.labels_da]}
            for b in ind.breakdowns if b.id in m.dimensions]
    return [{"TableID": m.table, "TableName": ind.name_da, "Period": periods, "Dimensions": dims,
             "Measurements": [{"Name": f"m{i}", "Label": label} for i, label in
                              enumerate((m.value, m.numerator, m.denominator))]}]


def data_answer(indicator: str, body: dict, value_of) -> list[dict]:
    """A /v2/data/{id}/json answer for the request `body`: every municipality plus
    "Hele landet" and an area Jobmål does not know, for each period and dimension value asked.

    `value_of(area_name, period, label)` gives (numerator, denominator) or a suppression mark.
    """
    ind = load_catalogue(2023).indicator(indicator)
    m = ind.jobindsats
    asked = [(key, values) for key, values in body.items() if key.startswith("_")]
    split = next(((k, v) for k, v in asked if v != [m.total_label]), None)
    key, labels = split if split else (asked[0] if asked else ("_kon", ["I alt"]))
    label_of = {v: b.name_da for b in ind.breakdowns for k, v in m.dimensions.items() if k == b.id}
    variables = [{"Name": "area", "Label": "Område"}, {"Name": "period", "Label": "Periode"},
                 {"Name": key, "Label": label_of.get(key, key)},
                 {"Name": "v", "Label": m.value}, {"Name": "n", "Label": m.numerator},
                 {"Name": "d", "Label": m.denominator}]
    areas = ["Hele landet", "Uoplyst kommune",
             *(f"{mu.name} Kommune" for mu in load_geography().municipalities)]
    rows = []
    for period in body["period"]:
        for area in areas:
            for label in labels:
                got = value_of(area, period, label)
                if isinstance(got, str):
                    rows.append([area, period, label, got, got, got])
                else:
                    num, den = got
                    share = f"{100 * num / den:.1f}".replace(".", ",")
                    rows.append([area, period, label, share, _dk(num), _dk(den)])
    return [{"TableID": m.table, "Variables": variables, "Data": rows}]


def _dk(number: float) -> str:
    return f"{number:,.0f}".replace(",", ".")
