"""Persons, their static traits and their residence spells (at most three per person).

People are made municipality by municipality, each from its own random stream. A person's
life in the window is: present from `start` in one municipality, maybe one move, maybe
emigration and maybe a return. The three spell slots hold that without overlaps.
"""

from __future__ import annotations

from dataclasses import dataclass, fields
from datetime import date

import numpy as np

from jobmaal.registers.synth.common import EMPTY, OPEN, day_number, stream
from jobmaal.registers.synth.firms import Firms
from jobmaal.registers.synth.municipal import Municipal

PERSONS = 4_070_000  # non-refugees born 1954-2007 ever present, scale 1.0 (≈ 3.7 M aged 16-66)
REFUGEES = 110_000  # refugees and family-reunified to refugees (≈ 90,000 aged 18-66 present)
MIN_PERSONS = 200  # per municipality, at any scale
MIN_REFUGEES = 14
MIN_RECIPIENTS = 8  # long-term benefit recipients planted where a municipality is small

# origin codes (contract order)
DANSK, IND_V, EFT_V, IND_IV, EFT_IV = range(5)
# residence_basis codes (contract order), -1 = null
FLYGTNING, FAMSAM_FLYGTNING, FAMSAM_OEVRIG, ARBEJDE, STUDIE, EU_EOES = range(6)
# disability-type benefit statuses that last the whole window
NO_DIS, FOERTID, FLEKS, RESSOURCE, JOBAFKLARING, REVALIDERING = range(6)
# education level
EDU_NONE, EDU_VOC, EDU_HIGH = range(3)


@dataclass
class People:
    person_id: np.ndarray
    birth: np.ndarray  # day number
    sex: np.ndarray  # 0 = k, 1 = m
    origin: np.ndarray
    basis: np.ndarray  # -1 = null
    basis_date: np.ndarray  # day number, EMPTY = null
    cpr_date: np.ndarray  # day number, EMPTY = null
    edu: np.ndarray
    insured: np.ndarray
    dis: np.ndarray
    skaane: np.ndarray  # foertidspension holder in a skaanejob
    u: np.ndarray  # persistent employability (standard normal)
    planted: np.ndarray  # planted long-term recipient (keeps small municipalities non-empty)
    lp_emp: np.ndarray  # static part of the employment logit
    lp_ben: np.ndarray  # static part of the benefit logit
    hours: np.ndarray  # usual monthly hours when employed
    employer: np.ndarray
    employer2: np.ndarray  # second employer of multiple-job holders, -1 = none
    home: np.ndarray  # municipality index at first presence
    from0: np.ndarray
    to0: np.ndarray
    muni0: np.ndarray
    from1: np.ndarray
    to1: np.ndarray
    muni1: np.ndarray
    from2: np.ndarray
    to2: np.ndarray
    muni2: np.ndarray

    @property
    def refugee(self) -> np.ndarray:
        return (self.basis == FLYGTNING) | (self.basis == FAMSAM_FLYGTNING)

    def __len__(self) -> int:
        return self.person_id.size


def build_people(mun: Municipal, firms: Firms, seed: int, scale: float,
                 window: tuple[date, date], progress=None) -> People:
    share = mun.population / mun.population.sum()
    refugee_weight = mun.population * mun.framework[("andel_flygtninge", window[0].year)]
    refugee_weight = refugee_weight / refugee_weight.sum()
    samplers = [firms.employers_in(k) for k in range(len(mun.codes))]
    parts = []
    for k in range(len(mun.codes)):
        rng = stream(seed, "persons", k)
        n = max(MIN_PERSONS, round(PERSONS * share[k] * scale))
        general = _general(rng, mun, k, n, window)
        rng = stream(seed, "refugees", k)
        r = max(MIN_REFUGEES, round(REFUGEES * refugee_weight[k] * scale))
        refugees = _refugees(rng, mun, k, r, window)
        group = {f: np.concatenate([general[f], refugees[f]]) for f in general}
        _plant_recipients(group, window, n * 0.047 < 100)
        _spells(stream(seed, "spells", k), mun, k, group, window)
        _employers(stream(seed, "employers", k), mun, k, group, samplers)
        parts.append(group)
        if progress:
            progress((k + 1) / len(mun.codes))
    cols = {f: np.concatenate([p[f] for p in parts]) for f in parts[0]}
    cols["person_id"] = np.arange(1, cols["birth"].size + 1, dtype=np.int64)
    return People(**{f.name: cols[f.name] for f in fields(People)})


def _birth_days(rng, years: np.ndarray) -> np.ndarray:
    starts = np.array([day_number(date(int(y), 1, 1)) for y in range(1954, 2009)])
    y = years - 1954
    return starts[y] + (rng.random(years.size) * (starts[y + 1] - starts[y])).astype(np.int64)


def _age(birth: np.ndarray, on: date) -> np.ndarray:
    return (day_number(on) - birth) / 365.25


def _general(rng, mun: Municipal, k: int, n: int, window) -> dict[str, np.ndarray]:
    w0, w1 = day_number(window[0]), day_number(window[1])
    year0 = window[0].year
    years = np.arange(1954, 2008)
    urban = max(mun.urban[k], 0.0)
    weights = (1 + 0.15 * np.exp(-(((years - 1966) / 7) ** 2))
               + (0.1 + 0.25 * urban) * np.exp(-(((years - 1994) / 6) ** 2)))
    birth = _birth_days(rng, rng.choice(years, size=n, p=weights / weights.sum()))
    sex = (rng.random(n) < 0.503).astype(np.int8)
    nonwestern = mun.framework[("andel_ikke_vestlige", year0)][k] / 100
    refugees = mun.framework[("andel_flygtninge", year0)][k] / 100
    nw = max(nonwestern - refugees, 0.01)
    western = min(0.065 * (1 + 0.3 * urban), 0.2)
    nw = min(nw, 0.4)  # keep at least ~40 % of Danish origin whatever the drawn conditions
    origin = rng.choice(5, size=n, p=_norm([1 - nw - western - 0.006, western, 0.006,
                                            0.72 * nw, 0.28 * nw])).astype(np.int8)
    # Descendants are young: most were born after 1985.
    desc = (origin == EFT_V) | (origin == EFT_IV)
    birth[desc] = np.maximum(birth[desc], day_number(date(1985, 1, 1))
                             + (rng.random(desc.sum()) * 8000).astype(np.int64))
    basis = np.full(n, -1, dtype=np.int8)
    iv, inw = origin == IND_V, origin == IND_IV
    basis[iv] = rng.choice([EU_EOES, ARBEJDE, STUDIE, FAMSAM_OEVRIG], size=iv.sum(),
                           p=[0.72, 0.12, 0.08, 0.08])
    basis[inw] = rng.choice([FAMSAM_OEVRIG, ARBEJDE, STUDIE, EU_EOES], size=inw.sum(),
                            p=[0.47, 0.28, 0.20, 0.05])
    immigrant = iv | inw
    # Arrival: long ago for most, inside the window for some (workers and students).
    back = rng.exponential(np.where(iv, 8.0, 11.0) * 365.25).astype(np.int64)
    arrival = w0 - 1 - back
    recent = immigrant & (rng.random(n) < np.where(iv, 0.14, 0.08))
    arrival[recent] = w0 + (rng.random(recent.sum()) * (w1 - w0)).astype(np.int64)
    early = arrival <= birth
    arrival[early] = birth[early] + (rng.random(early.sum()) * (w1 - birth[early])).astype(np.int64)
    cpr = np.where(immigrant, arrival, EMPTY)
    basis_date = np.where(immigrant, np.maximum(arrival - rng.integers(0, 30, n), birth), EMPTY)

    age = _age(birth, date(year0 + 1, 7, 1))
    p_none = np.where(age < 22, 0.85, np.where(age < 30, 0.35,
                      mun.framework[("andel_uden_erhvervsuddannelse", year0)][k] / 100))
    p_none = np.clip(p_none * np.where(inw, 1.6, 1.0), 0, 0.95)
    p_high = np.where(age < 22, 0.0, 0.33 + 0.05 * mun.urban[k])
    draw = rng.random(n)
    edu = np.where(draw < p_none, EDU_NONE, np.where(draw < p_none + p_high, EDU_HIGH, EDU_VOC))
    insured = rng.random(n) < np.where(edu == EDU_NONE, 0.45, 0.72) * np.where(inw, 0.7, 1.0)
    dis = _disability(rng, age, 1.0 * np.exp(0.15 * mun.deprivation[k]))

    lp_emp = (_age_effect(age) + np.select([edu == EDU_NONE, edu == EDU_HIGH], [-0.7, 0.4], 0.0)
              + np.select([origin == IND_IV, origin == EFT_IV, origin == IND_V], [-0.8, -0.3, -0.2],
                          0.0) - 0.15 * (sex == 0))
    lp_ben = (np.select([edu == EDU_NONE, edu == EDU_HIGH], [0.6, -0.5], 0.0) + 0.8 * inw
              + np.where(age < 19, -1.5, np.where(age < 30, 0.2, 0.0)))
    full_time = rng.random(n) < np.where(age < 22, 0.25, 0.72)
    hours = np.where(full_time, rng.normal(160, 6, n), rng.uniform(20, 130, n))
    return _static(rng, n, k, birth, sex, origin, basis, basis_date, cpr, edu, insured, dis,
                   lp_emp, lp_ben, hours)


def _refugees(rng, mun: Municipal, k: int, n: int, window) -> dict[str, np.ndarray]:
    w1 = day_number(window[1])
    # When the residence permit was granted: a few before 2004 (excluded by the measure),
    # the 2014-2017 wave, and new arrivals inside the window.
    periods = [(date(1986, 1, 1), date(2003, 12, 31), 0.12), (date(2004, 1, 1), date(2013, 12, 31),
               0.17), (date(2014, 1, 1), date(2017, 12, 31), 0.46),
               (date(2018, 1, 1), date(2020, 12, 31), 0.10), (window[0], window[1], 0.15)]
    which = rng.choice(len(periods), size=n, p=_norm([p[2] for p in periods]))
    lo = np.array([day_number(p[0]) for p in periods])[which]
    hi = np.array([day_number(p[1]) for p in periods])[which]
    basis_date = lo + (rng.random(n) * (hi - lo)).astype(np.int64)
    basis_date = np.minimum(basis_date, w1 - 50)
    minor = rng.random(n) < 0.22
    arrival_age = np.where(minor, rng.uniform(0, 17.9, n), 18 + np.minimum(rng.gamma(2.0, 7.0, n),
                                                                           44))
    birth = basis_date - (arrival_age * 365.25).astype(np.int64)
    # Keep births inside 1954-2007 without piling them up on the boundary dates.
    latest, earliest = day_number(date(2007, 12, 31)), day_number(date(1954, 1, 1))
    late, early = birth > latest, birth < earliest
    birth[late] = latest - rng.integers(0, 6 * 365, late.sum())
    birth[early] = earliest + rng.integers(0, 3 * 365, early.sum())
    basis_date = np.maximum(basis_date, birth + 1)
    famsam = rng.random(n) < 0.38
    basis = np.where(famsam, FAMSAM_FLYGTNING, FLYGTNING).astype(np.int8)
    sex = (rng.random(n) < np.where(famsam, 0.30, 0.62)).astype(np.int8)
    cpr = np.where(famsam, basis_date + rng.integers(0, 20, n), basis_date + rng.integers(0, 45, n))
    cpr = np.minimum(np.maximum(cpr, birth + 1), w1)
    origin = np.full(n, IND_IV, dtype=np.int8)
    edu = rng.choice(3, size=n, p=[0.55, 0.30, 0.15]).astype(np.int8)
    insured = rng.random(n) < 0.30
    age = _age(birth, date(window[0].year + 1, 7, 1))
    dis = _disability(rng, age, 1.6)
    lp_emp = (np.where(sex == 0, -0.7, 0.0) + np.select([age < 25, age < 50], [-0.1, 0.2], -0.7)
              + 0.5 * ((cpr - birth) < 18 * 365.25) - 0.1 * famsam
              + np.select([edu == EDU_NONE, edu == EDU_HIGH], [-0.3, 0.3], 0.0))
    lp_ben = -0.5 * lp_emp
    full_time = rng.random(n) < 0.55
    hours = np.where(full_time, rng.normal(155, 8, n), rng.uniform(15, 130, n))
    return _static(rng, n, k, birth, sex, origin, basis, basis_date, cpr, edu, insured, dis,
                   lp_emp, lp_ben, hours)


def _static(rng, n, k, birth, sex, origin, basis, basis_date, cpr, edu, insured, dis, lp_emp,
            lp_ben, hours) -> dict[str, np.ndarray]:
    return {
        "birth": birth.astype(np.int64), "sex": sex.astype(np.int8),
        "origin": origin.astype(np.int8), "basis": basis.astype(np.int8),
        "basis_date": np.asarray(basis_date, dtype=np.int64), "cpr_date": cpr.astype(np.int64),
        "edu": edu.astype(np.int8), "insured": insured, "dis": dis,
        "skaane": (dis == FOERTID) & (rng.random(n) < 0.03),
        "u": rng.standard_normal(n).astype(np.float32),
        "lp_emp": lp_emp.astype(np.float32), "lp_ben": lp_ben.astype(np.float32),
        "hours": np.clip(hours, 5, 185).astype(np.float32),
        "home": np.full(n, k, dtype=np.int16),
    }


def _disability(rng, age: np.ndarray, level: float) -> np.ndarray:
    """Persons on a disability-type benefit for the whole window (førtidspension, fleksjob …)."""
    x = np.clip((age - 16) / 50, 0, 1)
    p = np.stack([0.004 + 0.16 * x**2.2, 0.004 + 0.035 * x, np.full_like(x, 0.008),
                  np.full_like(x, 0.005), np.full_like(x, 0.0015)]) * level
    p[:, age < 18] = 0
    cum = np.cumsum(p, axis=0)
    draw = rng.random(age.size)
    dis = np.zeros(age.size, dtype=np.int8)
    for i in range(cum.shape[0] - 1, -1, -1):
        dis[draw < cum[i]] = i + 1
    return dis


def _age_effect(age: np.ndarray) -> np.ndarray:
    return np.select([age < 20, age < 25, age < 55, age < 60, age < 65],
                     [-1.2, -0.3, 0.4, 0.0, -0.8], -1.8)


def _plant_recipients(group: dict[str, np.ndarray], window, needed: bool) -> None:
    """Give small municipalities a core of long-term recipients so they never run dry."""
    age = _age(group["birth"], window[0])
    pool = np.flatnonzero((group["origin"] == DANSK) & (group["dis"] == NO_DIS)
                          & (age > 25) & (age < 55) & (group["cpr_date"] >= EMPTY))
    chosen = pool[:MIN_RECIPIENTS if needed else 0]
    group["u"][chosen] = -3.0
    group["insured"][chosen] = False
    group["planted"] = np.zeros(group["u"].size, dtype=bool)
    group["planted"][chosen] = True


def _spells(rng, mun: Municipal, k: int, g: dict[str, np.ndarray], window) -> None:
    w0, w1 = day_number(window[0]), day_number(window[1])
    n = g["birth"].size
    born_here = g["cpr_date"] >= EMPTY
    first = np.where(born_here, g["birth"], g["cpr_date"])
    # Before the window, many have moved to their current address at some point.
    earlier = (first < w0) & (rng.random(n) < 0.6)
    since = np.maximum(first, day_number(date(1995, 1, 1)))
    moved_in = since + (rng.random(n) * np.maximum(w0 - since, 0)).astype(np.int64)
    start = np.where(earlier & (moved_in > first), moved_in, first)
    age = _age(g["birth"], window[0])
    refugee = (g["basis"] == FLYGTNING) | (g["basis"] == FAMSAM_FLYGTNING)
    fixed = g["planted"]

    p_move = np.where(refugee, 0.07, np.where((age > 17) & (age < 31), 0.20, 0.08))
    p_leave = np.select([refugee, g["origin"] == IND_V, g["origin"] == IND_IV,
                         g["origin"] == DANSK], [0.02, 0.15, 0.05, 0.015], 0.02)
    span = lambda lo: np.maximum(w1 - lo, 0)  # noqa: E731
    lo = np.maximum(start, w0) + 1
    move = np.where((rng.random(n) < p_move) & ~fixed, lo + (rng.random(n) * span(lo)).astype(
        np.int64), EMPTY)
    lo_leave = np.maximum(start, w0) + 30
    leave = np.where((rng.random(n) < p_leave) & ~fixed & (lo_leave < w1),
                     lo_leave + (rng.random(n) * span(lo_leave)).astype(np.int64), EMPTY)
    move[(move >= EMPTY) | (move > w1) | (move >= leave)] = EMPTY
    back = (leave < w1 - 120) & (rng.random(n) < 0.15)
    ret = np.where(back, leave + 90 + (rng.random(n) * np.maximum(w1 - leave - 90, 0)).astype(
        np.int64), EMPTY)
    dest = _destination(rng, mun, k, n)

    has_move, has_leave, has_ret = move < EMPTY, leave < EMPTY, ret < EMPTY
    g["from0"] = start
    g["to0"] = np.where(has_move, move - 1, np.where(has_leave, leave, OPEN))
    g["muni0"] = np.full(n, k, dtype=np.int16)
    g["from1"] = np.where(has_move, move, np.where(has_ret, ret, EMPTY))
    g["to1"] = np.where(has_move, np.where(has_leave, leave, OPEN), np.where(has_ret, OPEN, 0))
    g["muni1"] = np.where(has_move, dest, k).astype(np.int16)
    g["from2"] = np.where(has_move & has_ret, ret, EMPTY)
    g["to2"] = np.where(has_move & has_ret, OPEN, 0)
    g["muni2"] = g["muni1"].copy()


def _destination(rng, mun: Municipal, k: int, n: int) -> np.ndarray:
    """Where a mover goes: usually within the region, weighted by population, never home."""
    same = rng.random(n) < 0.6
    out = np.empty(n, dtype=np.int16)
    for mask, pool in ((same, (mun.region == mun.region[k])), (~same, np.ones_like(mun.region,
                                                                                   dtype=bool))):
        pool = pool.copy()
        pool[k] = False
        idx = np.flatnonzero(pool)
        w = mun.population[idx]
        out[mask] = rng.choice(idx, size=mask.sum(), p=w / w.sum())
    return out


def _employers(rng, mun: Municipal, k: int, g: dict[str, np.ndarray], samplers) -> None:
    """A usual employer for everyone (used when they work): mostly in the home municipality,
    otherwise in another municipality of the same RAR area (commuting)."""
    n = g["birth"].size
    commute = rng.random(n) < 0.25
    work = np.full(n, k, dtype=np.int16)
    pool = np.flatnonzero(mun.rar == mun.rar[k])
    w = mun.population[pool]
    work[commute] = rng.choice(pool, size=commute.sum(), p=w / w.sum())
    employer = np.empty(n, dtype=np.int64)
    employer2 = np.full(n, -1, dtype=np.int64)
    second = rng.random(n) < 0.06
    for m in np.unique(work):
        rows = np.flatnonzero(work == m)
        ids, cum = samplers[m]
        employer[rows] = ids[np.searchsorted(cum, rng.random(rows.size) * cum[-1], side="right")
                             .clip(0, ids.size - 1)]
        two = rows[second[rows]]
        employer2[two] = ids[np.searchsorted(cum, rng.random(two.size) * cum[-1], side="right")
                             .clip(0, ids.size - 1)]
    employer2[employer2 == employer] = -1
    g["employer"] = employer
    g["employer2"] = employer2


def _norm(p: list[float]) -> np.ndarray:
    a = np.asarray(p, dtype=float)
    return a / a.sum()


def person_columns(p: People, mun: Municipal) -> dict:
    from jobmaal.registers.contract import ORIGINS, RESIDENCE_BASES, SEXES
    from jobmaal.registers.synth.common import string_column, to_dates

    return {
        "person_id": p.person_id,
        "birth_date": to_dates(p.birth),
        "sex": string_column(SEXES, p.sex),
        "origin": string_column(ORIGINS, p.origin),
        "residence_basis": string_column(RESIDENCE_BASES, p.basis),
        "residence_basis_date": to_dates(p.basis_date, missing=EMPTY),
        "cpr_date": to_dates(p.cpr_date, missing=EMPTY),
    }


def residence_columns(p: People, mun: Municipal) -> dict:
    from jobmaal.registers.synth.common import to_dates

    ids, muni, start, end = [], [], [], []
    for f, t, m in ((p.from0, p.to0, p.muni0), (p.from1, p.to1, p.muni1),
                    (p.from2, p.to2, p.muni2)):
        used = f < EMPTY
        ids.append(p.person_id[used])
        muni.append(mun.codes[m[used]])
        start.append(f[used])
        end.append(t[used])
    ids, muni, start, end = (np.concatenate(x) for x in (ids, muni, start, end))
    order = np.lexsort((start, ids))
    return {"person_id": ids[order], "municipality_code": muni[order],
            "valid_from": to_dates(start[order]), "valid_to": to_dates(end[order], missing=OPEN)}
