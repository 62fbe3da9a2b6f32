"""Comparable municipalities ("sammenlignelige kommuner") from the framework conditions.

Each chosen variable is standardised across the municipalities of the year (z = (x − mean) /
standard deviation, population standard deviation; a variable that does not vary contributes
nothing), and the peers of a municipality are the k others nearest in Euclidean distance over
those z-scores; equal distances go to the lower municipality code. A peer's reasons are the
variables on which the two are closest (smallest |Δz|, ties in the order the variables were
given), written in Danish as "Ledighedsprocent: 2,1 mod 2,3" (own value first).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass

import numpy as np
import pandas as pd

from jobmaal import formats
from jobmaal.analysis.lookup import AnalysisError

# Short Danish labels for the framework variables of the register contract; a variable not
# listed falls back to its description's Danish text, then to its name.
LABELS: dict[str, str] = {
    "andel_ikke_vestlige": "Andel ikke-vestlige",
    "andel_flygtninge": "Andel flygtninge",
    "andel_offentligt_forsoergede": "Andel offentligt forsørgede",
    "ledighedsprocent": "Ledighedsprocent",
    "beskaeftigelsesfrekvens": "Beskæftigelsesfrekvens",
    "andel_uden_erhvervsuddannelse": "Andel uden erhvervsuddannelse",
    "log_befolkningstaethed": "Befolkningstæthed (log)",
    "gennemsnitsindkomst": "Gennemsnitsindkomst (1.000 kr.)",
}


class FrameworkError(AnalysisError):
    """The framework table lacks a year, a variable, or a value for some municipality."""

    def __init__(self, year: int, variable: str, codes: Sequence[int] = ()):
        where = f" for municipalities {list(codes)[:10]}" if codes else ""
        super().__init__(f"framework conditions {year}: no value of {variable!r}{where}")
        self.year = year
        self.variable = variable
        self.codes = list(codes)


@dataclass(frozen=True)
class Reason:
    """A variable on which two municipalities are close."""

    variable: str
    own_value: float
    peer_value: float
    text: str


@dataclass(frozen=True)
class Peer:
    code: int
    distance: float
    reasons: tuple[Reason, ...]


def framework_matrix(framework: pd.DataFrame, year: int, variables: Sequence[str]) -> pd.DataFrame:
    """One row per municipality (index: code, sorted), one column per variable, for `year`."""
    rows = framework.loc[framework["year"] == year]
    if rows.empty:
        raise FrameworkError(year, variables[0] if variables else "?")
    wide = rows.pivot_table(index="municipality_code", columns="variable", values="value",
                            aggfunc="first")
    wide.index = wide.index.astype(int)
    for v in variables:
        if v not in wide.columns:
            raise FrameworkError(year, v)
        lacking = wide.index[wide[v].isna()].tolist()
        if lacking:
            raise FrameworkError(year, v, lacking)
    return wide[list(variables)].sort_index()


def zscores(matrix: pd.DataFrame) -> pd.DataFrame:
    """Standardised columns (population standard deviation); a constant column becomes 0."""
    std = matrix.std(ddof=0).replace(0.0, np.inf)
    return (matrix - matrix.mean()) / std


def nearest_peers(framework: pd.DataFrame, year: int, variables: Sequence[str], k: int = 5, *,
                  reasons: int = 3, labels: Mapping[str, str] | None = None
                  ) -> dict[int, list[Peer]]:
    """The k nearest other municipalities of every municipality in the framework table."""
    if not variables:
        raise AnalysisError("nearest_peers needs at least one framework variable")
    raw = framework_matrix(framework, year, variables)
    z = zscores(raw).to_numpy()
    values = raw.to_numpy()
    codes = raw.index.to_numpy()
    names = {**LABELS, **(labels or {})}
    diff = z[:, None, :] - z[None, :, :]
    distance = np.sqrt((diff ** 2).sum(axis=2))
    out: dict[int, list[Peer]] = {}
    for i, code in enumerate(codes):
        order = sorted((j for j in range(len(codes)) if j != i),
                       key=lambda j: (distance[i, j], codes[j]))
        peers = []
        for j in order[:k]:
            close = sorted(range(len(variables)), key=lambda v: (abs(diff[i, j, v]), v))
            peers.append(Peer(
                code=int(codes[j]),
                distance=float(distance[i, j]),
                reasons=tuple(
                    Reason(variables[v], float(values[i, v]), float(values[j, v]),
                           reason_text(names.get(variables[v], variables[v]),
                                       values[i, v], values[j, v]))
                    for v in close[:reasons]
                ),
            ))
        out[int(code)] = peers
    return out


def variable_labels(descriptions: Sequence[Mapping[str, str]]) -> dict[str, str]:
    """Danish labels from framework variable descriptions ({name, danish, english, unit}):
    the short label where this module has one, otherwise the description's Danish text."""
    return {d["name"]: LABELS.get(d["name"], d.get("danish") or d["name"]) for d in descriptions}


def reason_text(label: str, own: float, peer: float) -> str:
    return f"{label}: {danish_number(own)} mod {danish_number(peer)}"


def danish_number(x: float, decimals: int = 1) -> str:
    """1234.56 → '1.234,6' (Danish thousands point and decimal comma; see jobmaal.formats)."""
    return formats.decimal(x, decimals)
