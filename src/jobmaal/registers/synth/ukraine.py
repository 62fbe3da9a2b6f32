"""People displaced from Ukraine: residence under the 2022 special act from March 2022.

They are made and simulated apart from everyone else, from their own random streams, so adding
them leaves every other row (and MM17, MM13, MM10, REKRUT) exactly as it was. Mostly women and
children, settled across municipalities as the quota system did (in proportion to population,
give or take), and some move on or go back. Month by month, of those aged 18-66 living here
with a permit, a rising share is in work and a falling share lives on selvforsørgelses- og
hjemrejseydelse or overgangsydelse, calibrated to what the ministry published:

- 21,775 had a permit by 12 June 2022, 7,553 of them children (scale 1.0);
- August 2022: 47.6 % of those available for work (working or on one of the two benefits) in
  work; July 2022: 43.4 %;
- July 2023: 75 % of those available in work, 50 % of all aged 18-66.

Each month the calibrated shares are met exactly (the top of a persistent score), so the
national levels do not depend on the scale; who is chosen depends on person traits, time since
arrival and the municipality's hidden job-centre effect.
"""

from __future__ import annotations

from dataclasses import dataclass, fields
from datetime import date

import numpy as np

from jobmaal.registers.contract import BENEFITS, RESIDENCE_BASES, WAGE_SUBSIDIES
from jobmaal.registers.synth.common import (
    EMPTY,
    OPEN,
    day_number,
    month_end,
    stream,
    string_column,
)
from jobmaal.registers.synth.firms import Firms
from jobmaal.registers.synth.months import _RowBuilder
from jobmaal.registers.synth.municipal import Municipal
from jobmaal.registers.synth.people import IND_IV, People

UKRAINE = RESIDENCE_BASES.index("ukraine_saerlov")
SELVF = BENEFITS.index("selvforsoergelsesydelse")
OVERG = BENEFITS.index("overgangsydelse")
LOENTILSKUD = WAGE_SUBSIDIES.index("loentilskud")

# Permits granted per month at scale 1.0 (the special act took effect on 17 March 2022).
# Up to 12 June 2022 they add up to the published 21,775 (June: 2,775 of 4,600 by the 12th).
PERMITS = {
    (2022, 3): 3_000, (2022, 4): 9_500, (2022, 5): 6_500, (2022, 6): 4_600, (2022, 7): 2_700,
    (2022, 8): 1_900, (2022, 9): 1_500, (2022, 10): 1_300, (2022, 11): 1_100, (2022, 12): 1_000,
    (2023, 1): 900, (2023, 2): 850, (2023, 3): 800, (2023, 4): 750, (2023, 5): 700,
    (2023, 6): 650, (2023, 7): 600, (2023, 8): 550, (2023, 9): 500, (2023, 10): 500,
    (2023, 11): 450, (2023, 12): 450,
}
BY_12_JUNE = 21_775
CHILD_SHARE = 7_553 / 21_775  # under 18 on arrival
OLD_SHARE = 0.05  # 67 or over on arrival
WOMEN_ADULT = 0.72  # most men of 18-60 could not leave Ukraine
MIN_PER_MUNICIPALITY = 3
P_LEAVE = 0.009  # monthly chance of leaving Denmark again (going back)
P_MOVE = 0.006  # monthly chance of moving to another municipality
P_OVERGANG = 0.2  # on overgangsydelse rather than selvforsørgelses- og hjemrejseydelse
RHO = 0.85  # month-to-month persistence of the transient score

# Targets per month among those aged 18-66 living here with a permit: the share in
# unsubsidised work (E) and the share in work of those available (A); linear in between.
# E in July 2023 and A in July/August 2022 and July 2023 are the published figures; the
# rest keeps the curves smooth (E of August 2022 gives about 5,100 in work at scale 1.0).
EMPLOYED = {(2022, 3): 0.01, (2022, 4): 0.04, (2022, 5): 0.10, (2022, 6): 0.18,
            (2022, 7): 0.31, (2022, 8): 0.32, (2022, 12): 0.41, (2023, 7): 0.50,
            (2023, 12): 0.53}
AVAILABLE_IN_WORK = {(2022, 3): 0.02, (2022, 4): 0.06, (2022, 5): 0.15, (2022, 6): 0.26,
                     (2022, 7): 0.434, (2022, 8): 0.476, (2022, 12): 0.62, (2023, 7): 0.75,
                     (2023, 12): 0.77}


@dataclass
class Displaced:
    """The displaced as a People table (for the shared column writers), plus their own traits."""

    people: People
    lp: np.ndarray  # static part of the work score
    overgang: np.ndarray  # paid overgangsydelse rather than selvforsørgelsesydelse
    u: np.ndarray  # persistent part of the score


def build_displaced(mun: Municipal, firms: Firms, seed: int, scale: float,
                    window: tuple[date, date], first_id: int) -> Displaced:
    """The displaced persons and their residence spells, ids from `first_id`."""
    rng = stream(seed, "ukraine", 0)
    basis_date, home = _permits(rng, mun, scale, window)
    n = basis_date.size
    kind = rng.choice(3, size=n, p=[CHILD_SHARE, 1 - CHILD_SHARE - OLD_SHARE, OLD_SHARE])
    age = np.select([kind == 0, kind == 1], [rng.uniform(0, 18, n),
                    18 + np.minimum(rng.gamma(3.0, 7.0, n), 48.9)], rng.uniform(67, 80, n))
    birth = basis_date - (age * 365.25).astype(np.int64) - 1
    women = np.where(kind == 0, 0.49, np.where(kind == 1, WOMEN_ADULT, 0.65))
    sex = (rng.random(n) >= women).astype(np.int8)  # 0 = k, 1 = m
    cpr = basis_date + rng.integers(2, 26, n)  # the address follows the permit
    lp = (-0.25 * (sex == 0) + np.select([age < 25, age < 50, age < 57], [-0.3, 0.3, -0.2], -0.9)
          + rng.normal(0, 0.6, n))
    p = _as_people(rng, mun, firms, window, first_id, birth, sex, basis_date, cpr, home)
    return Displaced(p, lp.astype(np.float32), rng.random(n) < P_OVERGANG,
                     rng.standard_normal(n).astype(np.float32))


def _permits(rng, mun: Municipal, scale: float, window) -> tuple[np.ndarray, np.ndarray]:
    """Permit dates and quota municipalities: per municipality in proportion to population."""
    w0, w1 = day_number(window[0]), day_number(window[1])
    quota = mun.population * np.exp(rng.normal(0, 0.12, mun.population.size))
    quota = quota / quota.sum()
    dates, homes = [], []
    for (y, m), count in PERMITS.items():
        first = max(day_number(date(y, m, 17 if (y, m) == (2022, 3) else 1)), w0)
        last = min(day_number(month_end(date(y, m, 1))), w1 - 10)
        if first > last:
            continue
        per = np.maximum(np.round(count * quota * scale), 0).astype(np.int64)
        if (y, m) == (2022, 3):  # every municipality received some from the start
            per = np.maximum(per, MIN_PER_MUNICIPALITY)
        if (y, m) == (2022, 6):  # the first 12 days hold the rest of the 21,775
            dates.append(_june(rng, per, quota, scale))
        else:
            dates.append(first + (rng.random(per.sum()) * (last - first + 1)).astype(np.int64))
        homes.append(np.repeat(np.arange(per.size, dtype=np.int16), per))
    if not dates:
        return np.zeros(0, dtype=np.int64), np.zeros(0, dtype=np.int16)
    return np.concatenate(dates), np.concatenate(homes)


def _june(rng, per: np.ndarray, quota: np.ndarray, scale: float) -> np.ndarray:
    before = sum(c for (y, m), c in PERMITS.items() if (y, m) < (2022, 6))
    early_share = (BY_12_JUNE - before) / PERMITS[(2022, 6)]
    june1, june12, june30 = (day_number(date(2022, 6, d)) for d in (1, 12, 30))
    n = per.sum()
    early = rng.random(n) < early_share
    return np.where(early, june1 + (rng.random(n) * 12).astype(np.int64),
                    june12 + 1 + (rng.random(n) * (june30 - june12)).astype(np.int64))


def _as_people(rng, mun, firms, window, first_id, birth, sex, basis_date, cpr, home) -> People:
    n = birth.size
    w1 = day_number(window[1])
    leave = cpr + 30 + rng.geometric(P_LEAVE, n) * 30
    move = cpr + 20 + rng.geometric(P_MOVE, n) * 30
    has_move = (move < leave) & (move <= w1)
    has_leave = leave <= w1
    dest = _destinations(rng, mun, home)
    employer = np.empty(n, dtype=np.int64)
    for k in np.unique(home):
        rows = np.flatnonzero(home == k)
        ids, cum = firms.employers_in(int(k))
        pick = np.searchsorted(cum, rng.random(rows.size) * cum[-1], side="right")
        employer[rows] = ids[pick.clip(0, ids.size - 1)]
    full_time = rng.random(n) < 0.45
    hours = np.where(full_time, rng.normal(155, 8, n), rng.uniform(30, 130, n))
    zeros = np.zeros(n, dtype=np.int8)
    cols = {
        "person_id": np.arange(first_id, first_id + n, dtype=np.int64),
        "birth": birth.astype(np.int64), "sex": sex, "origin": np.full(n, IND_IV, np.int8),
        "basis": np.full(n, UKRAINE, np.int8), "basis_date": basis_date.astype(np.int64),
        "cpr_date": cpr.astype(np.int64), "edu": zeros, "insured": np.zeros(n, bool),
        "dis": zeros, "skaane": np.zeros(n, bool), "u": np.zeros(n, np.float32),
        "planted": np.zeros(n, bool), "lp_emp": np.zeros(n, np.float32),
        "lp_ben": np.zeros(n, np.float32),
        "hours": np.clip(hours, 10, 185).astype(np.float32), "employer": employer,
        "employer2": np.full(n, -1, np.int64), "home": home,
        "from0": cpr.astype(np.int64),
        "to0": np.where(has_move, move - 1, np.where(has_leave, leave, OPEN)),
        "muni0": home,
        "from1": np.where(has_move, move, EMPTY),
        "to1": np.where(has_move & has_leave, leave, np.where(has_move, OPEN, 0)),
        "muni1": np.where(has_move, dest, home).astype(np.int16),
        "from2": np.full(n, EMPTY, np.int64), "to2": np.zeros(n, np.int64), "muni2": home,
    }
    return People(**{f.name: cols[f.name] for f in fields(People)})


def _destinations(rng, mun: Municipal, home: np.ndarray) -> np.ndarray:
    """Where a mover goes: anywhere, weighted by population, never home."""
    w = mun.population / mun.population.sum()
    dest = rng.choice(w.size, size=home.size, p=w).astype(np.int16)
    same = dest == home
    dest[same] = (dest[same] + 1 + rng.integers(0, w.size - 1, same.sum())) % w.size
    return dest


class DisplacedMonths:
    """Benefits and employment of the displaced, one month at a time."""

    def __init__(self, d: Displaced, mun: Municipal, seed: int):
        self.d, self.mun, self.seed = d, mun, seed
        self.e = stream(seed, "ukraine", 1).standard_normal(len(d.people)).astype(np.float32)
        self.worked = np.zeros(len(d.people), dtype=bool)

    def month(self, t: int, m: date) -> tuple[dict, dict]:
        rng = stream(self.seed, "ukraine", 2, t)
        ms, me = day_number(m), day_number(month_end(m))
        self.e = (RHO * self.e + np.sqrt(1 - RHO**2) * rng.standard_normal(self.e.size)
                  ).astype(np.float32)
        rows = _RowBuilder(self.d.people, self.mun.codes)
        jobs: list[tuple[np.ndarray, np.ndarray, int]] = []
        pop, muni = self._population(ms, me)
        if pop.size and (m.year, m.month) >= (2022, 3):
            employed, available = self._draw(pop, muni, m, ms, me)
            self._work(rng, employed, available, rows, jobs, ms, me)
        else:
            employed = np.zeros(0, dtype=np.int64)
        self.worked[:] = False
        self.worked[employed] = True
        if not rows.parts:
            rows.add(np.zeros(0, np.int64), SELVF, 0, 0)
        return rows.benefits(m), self._employment(jobs, m)

    def _population(self, ms: int, me: int) -> tuple[np.ndarray, np.ndarray]:
        """Aged 18-66 on the month's last day, permit by then, living here that day."""
        p = self.d.people
        age = (me - p.birth) / 365.25  # close enough for choosing; the measure counts exactly
        here0 = (p.from0 <= me) & (p.to0 >= me)
        here1 = (p.from1 <= me) & (p.to1 >= me)
        keep = (p.basis_date <= me) & (age >= 18) & (age < 67) & (here0 | here1)
        idx = np.flatnonzero(keep)
        return idx, np.where(here1[idx], p.muni1[idx], p.muni0[idx])

    def _draw(self, pop, muni, m, ms, me) -> tuple[np.ndarray, np.ndarray]:
        """Who is in work and who, without work, lives on one of the two benefits."""
        p, d = self.d.people, self.d
        e_share, a_share = _target(EMPLOYED, m), _target(AVAILABLE_IN_WORK, m)
        months_here = np.maximum((me - p.basis_date[pop]) / 30.44, 0)
        effect = self.mun.outcome["refugee_employment"][muni]
        score = (d.lp[pop] + 1.2 * d.u[pop] + 0.9 * self.e[pop] + 0.8 * effect
                 - 2.5 * np.exp(-months_here / 3) + 0.6 * self.worked[pop])
        k = int(round(e_share * pop.size))
        order = np.argsort(-score, kind="stable")
        employed = pop[order[:k]]
        rest = pop[order[k:]]
        # Without work: the job-ready (higher score, newer arrivals) take the benefits.
        b = int(round(min(e_share * (1 / a_share - 1), 0.98) * pop.size))
        rest_score = score[order[k:]] + 1.5 * np.exp(-months_here[order[k:]] / 8)
        benefit = rest[np.argsort(-rest_score, kind="stable")[:min(b, rest.size)]]
        return employed, benefit

    def _work(self, rng, employed, available, rows, jobs, ms, me) -> None:
        p, d = self.d.people, self.d
        first = ~self.worked[employed]
        hours = p.hours[employed] * np.where(first, rng.uniform(0.2, 1.0, employed.size),
                                             rng.uniform(0.9, 1.08, employed.size))
        jobs.append((employed, np.round(hours, 1), -1))
        # Few hours: often topped up by the benefit.
        topped = employed[(p.hours[employed] < 100) & (rng.random(employed.size) < 0.3)]
        rows.add(topped, np.where(d.overgang[topped], OVERG, SELVF), ms, me)
        # A few of the available are in wage-subsidised work instead of on benefit.
        subsidised = rng.random(available.size) < 0.03
        sub = available[subsidised]
        jobs.append((sub, np.maximum(0.9 * p.hours[sub], 60), LOENTILSKUD))
        paid = available[~subsidised]
        start = np.maximum(ms, p.basis_date[paid])
        rows.add(paid, np.where(d.overgang[paid], OVERG, SELVF), start, me)

    def _employment(self, jobs, m: date) -> dict:
        p = self.d.people
        person = np.concatenate([j[0] for j in jobs] or [np.zeros(0, np.int64)])
        hours = np.concatenate([np.broadcast_to(j[1], j[0].shape) for j in jobs]
                               or [np.zeros(0)]).astype(float)
        subsidy = np.concatenate([np.full(j[0].size, j[2], np.int8) for j in jobs]
                                 or [np.zeros(0, np.int8)])
        order = np.argsort(person, kind="stable")
        return {
            "person_id": p.person_id[person[order]],
            "month": np.full(order.size, np.datetime64(m, "D")),
            "employer_id": p.employer[person[order]],
            "hours": hours[order],
            "wage_subsidy": string_column(WAGE_SUBSIDIES, subsidy[order]),
        }


def _target(anchors: dict[tuple[int, int], float], m: date) -> float:
    """The anchored curve at month m, linear between anchors, flat outside them."""
    keys = sorted(anchors)
    x = m.year * 12 + m.month
    xs = [y * 12 + mo for y, mo in keys]
    return float(np.interp(x, xs, [anchors[k] for k in keys]))
