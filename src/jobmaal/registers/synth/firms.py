"""Firms, their collaborations with job centres, and the half-yearly recruitment survey."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from jobmaal.geography import load_geography
from jobmaal.registers.contract import COLLABORATION_KINDS
from jobmaal.registers.synth.common import (
    calibrate,
    categorical,
    sigmoid,
    stream,
    string_column,
)
from jobmaal.registers.synth.municipal import Municipal

FIRMS_WITH_EMPLOYEES = 125_000  # ≈ 120,000 with avg_employees >= 1 in each year (churn)
SHARE_BELOW_ONE = 0.22  # extra firms with avg_employees < 1 (owner-run, seasonal)
MIN_FIRMS = 10  # firms with avg_employees >= 1 in every municipality, at any scale
FIRST_ID = 10_000_001  # firm ids look like 8-digit CVR numbers

COLLABORATION_RATE = {0: 0.29, 1: 0.31, 2: 0.30}  # share of firms >= 1 employee, by year index
OTHER_CENTRE_SHARE = 0.06  # share of those firms also working with another job centre
MIN_COLLABORATING = 3  # collaborating firms per municipality and year, at any scale
KIND_WEIGHTS = {"loentilskud": 0.25, "virksomhedspraktik": 0.35, "jobrotation": 0.04,
                "skaanejob": 0.05, "fleksjob": 0.15, "mentor": 0.08, "voksenlaerling": 0.08}

# Failed share of recruitment attempts by survey round (half-year code; 2021H2 = postings of
# June–November 2021). STAR's survey counts a hire with a different profile than sought as
# failed: about 31 % in June–November 2021 and December 2021–May 2022, easing after.
FAILED_SHARE = {1: 0.25, 2: 0.31, 3: 0.31, 4: 0.28, 5: 0.25, 6: 0.23}
SAMPLE_FRACTION = 0.12
MIN_RESPONSES = 15


@dataclass(frozen=True)
class Firms:
    firm_id: np.ndarray  # int64
    muni: np.ndarray  # int16 index into Municipal arrays
    size: np.ndarray  # nominal size (avg employees)
    first_year: np.ndarray  # year index the firm starts (0, 1, 2)
    last_year: np.ndarray  # year index the firm ends
    avg_employees: np.ndarray  # (n_firms, n_years)

    def employers_in(self, muni: int) -> tuple[np.ndarray, np.ndarray]:
        """Firm ids that can employ people in a municipality, and their cumulative weights."""
        mask = (self.muni == muni) & self.stable
        return self.firm_id[mask], np.cumsum(self.size[mask])

    @property
    def stable(self) -> np.ndarray:
        """Firms with employees that exist in every year: the only ones people work for."""
        return (self.first_year == 0) & (self.last_year == self.avg_employees.shape[1] - 1) & (
            self.size >= 1)


def build_firms(mun: Municipal, seed: int, scale: float, n_years: int) -> Firms:
    share = mun.population / mun.population.sum()
    parts = []
    for k in range(len(mun.codes)):
        rng = stream(seed, "firms", k)
        n_big = max(MIN_FIRMS, round(FIRMS_WITH_EMPLOYEES * share[k] * scale))
        n_small = max(2, round(n_big * SHARE_BELOW_ONE))
        # Lognormal sizes, truncated at 1 for employers; small firms sit in (0, 1).
        big = np.exp(np.abs(rng.normal(0.0, 1.45, n_big)))
        big = np.minimum(big, 20000 * max(scale, 0.05))
        small = rng.uniform(0.1, 0.95, n_small)
        size = np.concatenate([big, small])
        n = size.size
        first = np.zeros(n, dtype=np.int8)
        last = np.full(n, n_years - 1, dtype=np.int8)
        churn = rng.random(n)
        churn[:MIN_FIRMS] = 1.0  # the floor of firms with employees exists in every year
        first[churn < 0.05] = rng.integers(1, n_years, (churn < 0.05).sum())
        exiting = (churn >= 0.05) & (churn < 0.10)
        last[exiting] = rng.integers(0, n_years - 1, exiting.sum())
        yearly = size[:, None] * np.exp(rng.normal(0, 0.08, (n, n_years)))
        yearly = np.where(size[:, None] >= 1, np.maximum(yearly, 1.0), np.minimum(yearly, 0.99))
        parts.append((np.full(n, k, dtype=np.int16), size, first, last, np.round(yearly, 1)))
    muni, size, first, last, yearly = (np.concatenate(x) for x in zip(*parts, strict=True))
    ids = np.arange(FIRST_ID, FIRST_ID + size.size, dtype=np.int64)
    return Firms(ids, muni, size, first, last, yearly)


def firm_columns(firms: Firms, mun: Municipal, years: list[int]) -> dict[str, np.ndarray]:
    cols: dict[str, list[np.ndarray]] = {"firm_id": [], "year": [], "municipality_code": [],
                                         "avg_employees": []}
    for y, year in enumerate(years):
        alive = (firms.first_year <= y) & (firms.last_year >= y)
        cols["firm_id"].append(firms.firm_id[alive])
        cols["year"].append(np.full(alive.sum(), year, dtype=np.int64))
        cols["municipality_code"].append(mun.codes[firms.muni[alive]])
        cols["avg_employees"].append(firms.avg_employees[alive, y])
    return {k: np.concatenate(v) for k, v in cols.items()}


def jobcentres_of_year(mun: Municipal, year: int) -> np.ndarray:
    """Each municipality's job centre in `year` (Ishøj's was Vallensbæk's until 2021)."""
    geo = load_geography(year)
    return np.array([int(geo.parent_code(int(c), "jobcenter")) for c in mun.codes], dtype=np.int64)


def collaboration_columns(firms: Firms, mun: Municipal, seed: int, months: list) -> dict:
    """Collaboration rows; returns columns with month as datetime64[D]."""
    years = sorted({m.year for m in months})
    out: dict[str, list] = {"firm_id": [], "month": [], "jobcentre_code": [], "kind": []}
    kinds = COLLABORATION_KINDS
    for y, year in enumerate(years):
        rng = stream(seed, "collaborations", y)
        year_centres = jobcentres_of_year(mun, year)
        centres = year_centres[firms.muni]
        year_months = np.array([np.datetime64(m, "D") for m in months if m.year == year])
        alive = (firms.first_year <= y) & (firms.last_year >= y)
        lp = (mun.outcome["collaboration"][firms.muni] + 0.35 * np.log1p(firms.size)
              + 0.5 * rng.standard_normal(firms.size.size))
        employing = alive & (firms.avg_employees[:, y] >= 1)
        intercept = calibrate(lp[employing], COLLABORATION_RATE.get(y, 0.30))
        p = sigmoid(lp + intercept)
        works = alive & (rng.random(p.size) < p)
        works |= _minimum_per_municipality(firms, employing, works, p)
        other = works & (rng.random(p.size) < OTHER_CENTRE_SHARE / COLLABORATION_RATE.get(y, 0.3))
        # A few firms work only with another job centre (a branch across the border).
        own = works & ~(other & (rng.random(p.size) < 0.25))
        for mask, other_centre in ((own, False), (other, True)):
            idx = np.flatnonzero(mask)
            n_rows = 1 + rng.poisson(1.5, idx.size)
            firm_rows = np.repeat(idx, n_rows)
            centre = centres[firm_rows]
            if other_centre:
                centre = other_centres(mun, year_centres, firms.muni[firm_rows], rng)
            out["firm_id"].append(firms.firm_id[firm_rows])
            out["month"].append(year_months[rng.integers(0, year_months.size, firm_rows.size)])
            out["jobcentre_code"].append(centre)
            out["kind"].append(categorical(rng, firm_rows.size, [KIND_WEIGHTS[k] for k in kinds]))
    cols = {k: np.concatenate(v) for k, v in out.items()}
    # One row per firm, month, job centre and kind: drop repeated draws.
    order = np.lexsort((cols["kind"], cols["jobcentre_code"], cols["month"], cols["firm_id"]))
    cols = {k: v[order] for k, v in cols.items()}
    key = np.stack([cols["firm_id"], cols["month"].astype(np.int64), cols["jobcentre_code"],
                    cols["kind"].astype(np.int64)])
    keep = np.ones(key.shape[1], dtype=bool)
    keep[1:] = (key[:, 1:] != key[:, :-1]).any(axis=0)
    cols = {k: v[keep] for k, v in cols.items()}
    cols["kind"] = string_column(COLLABORATION_KINDS, cols["kind"])
    return cols


def _minimum_per_municipality(firms: Firms, employing: np.ndarray, works: np.ndarray,
                              p: np.ndarray) -> np.ndarray:
    """Force the likeliest firms to collaborate where a municipality would have too few."""
    forced = np.zeros(works.size, dtype=bool)
    for k in np.unique(firms.muni):
        members = np.flatnonzero((firms.muni == k) & employing)
        have = (works[members]).sum()
        if have < MIN_COLLABORATING:
            free = members[~works[members]]
            forced[free[np.argsort(-p[free])][: MIN_COLLABORATING - have]] = True
    return forced


def other_centres(mun: Municipal, centres: np.ndarray, muni: np.ndarray,
                  rng: np.random.Generator) -> np.ndarray:
    """For firms in municipalities `muni`, a job centre other than their own, mostly in the same
    RAR area; `centres` holds each municipality's job centre in the year, so only that year's
    job centres are named."""
    out = np.empty(muni.size, dtype=np.int64)
    for k in np.unique(muni):
        rows = np.flatnonzero(muni == k)
        elsewhere = centres != centres[k]
        same_rar = (mun.rar == mun.rar[k]) & elsewhere
        pool = same_rar if same_rar.any() else elsewhere
        out[rows] = rng.choice(centres[pool], size=rows.size,
                               p=mun.population[pool] / mun.population[pool].sum())
    return out


def recruitment_columns(firms: Firms, mun: Municipal, seed: int, years: list[int]) -> dict:
    out: dict[str, list] = {"firm_id": [], "rar": [], "half_year": [], "attempts": [],
                            "failed": [], "weight": []}
    rar_of_firm = mun.rar[firms.muni]
    for y, year in enumerate(years):
        for half in (1, 2):
            period = 2 * (year - 2021) + half
            base = FAILED_SHARE.get(period, 0.20)
            for r, rar in enumerate(mun.rar_names):
                rng = stream(seed, "recruitment", year, half, r)
                frame = np.flatnonzero((rar_of_firm == r) & (firms.first_year <= y)
                                       & (firms.last_year >= y) & (firms.avg_employees[:, y] >= 1))
                n = min(frame.size, max(MIN_RESPONSES, round(SAMPLE_FRACTION * frame.size)))
                sample = np.sort(rng.choice(frame, size=n, replace=False))
                size = firms.avg_employees[sample, y]
                tried = rng.random(n) < sigmoid(-0.3 + 0.5 * np.log(size))
                attempts = np.where(tried, 1 + rng.poisson(0.5 * size**0.6), 0)
                rate = np.clip(base + 0.02 * rng.standard_normal() + 0.0, 0.05, 0.5)
                firm_rate = rng.beta(10 * rate, 10 * (1 - rate), n)
                failed = rng.binomial(attempts, firm_rate)
                out["firm_id"].append(firms.firm_id[sample])
                out["rar"] += [rar] * n
                out["half_year"] += [f"{year}H{half}"] * n
                out["attempts"].append(attempts.astype(float))
                out["failed"].append(failed.astype(float))
                out["weight"].append(np.full(n, frame.size / n))
    return {k: (np.concatenate(v) if isinstance(v[0], np.ndarray) else v) for k, v in out.items()}
