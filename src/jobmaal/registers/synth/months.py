"""The monthly simulation: benefits, employment and education, one month at a time.

Each person carries a persistent labour-market score z = 0.87·u + 0.5·e, where u is fixed and
e follows an AR(1) process month to month, so states last. In a month, a person is employed
when Φ(z) lies above 1 − p and on benefit when it lies below q, with p and q from logits of
person traits, municipality and season. Each month's intercepts are calibrated so that the
national levels hit their targets (refugee employment and self-support, goal-2 recipients,
general employment), whatever the composition.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

import numpy as np

from jobmaal.registers.contract import BENEFITS, COURSE_TYPES, WAGE_SUBSIDIES
from jobmaal.registers.synth.common import (
    calibrate,
    day_number,
    month_end,
    sigmoid,
    stream,
    string_column,
    zscore,
)
from jobmaal.registers.synth.firms import Firms
from jobmaal.registers.synth.municipal import Municipal
from jobmaal.registers.synth.people import (
    EDU_NONE,
    EU_EOES,
    FLEKS,
    IND_IV,
    IND_V,
    NO_DIS,
    People,
)

(ADAG, KONT, UDD, LEDIG, SELVF, SYGE, JOBAFKL, RESSOURCE, REVAL, FLEKSJOB, FOERTIDSP) = range(11)
DIS_BENEFIT = np.array([-1, FOERTIDSP, FLEKSJOB, RESSOURCE, JOBAFKL, REVAL], dtype=np.int8)
assert BENEFITS[FOERTIDSP] == "foertidspension" and BENEFITS[LEDIG] == "ledighedsydelse"
LOENTILSKUD, FLEKS_SUB, SKAANE = (WAGE_SUBSIDIES.index(c) for c in ("loentilskud", "fleksjob",
                                                                     "skaanejob"))
RHO = 0.9  # month-to-month persistence of the transient score
GOAL2_RATE = 180_000 / 3_800_000  # goal-2 recipients per person aged 16-66
UPSKILL_SEASON = [1.3, 1.1, 1.0, 1.0, 0.9, 0.8, 0.5, 1.3, 1.2, 1.0, 1.0, 0.6]
_2004 = day_number(date(2004, 1, 1))


@dataclass
class MonthRows:
    benefits: dict
    employment: dict
    education: dict


class Simulation:
    """Holds the state that carries from one month to the next."""

    def __init__(self, people: People, firms: Firms, mun: Municipal, seed: int):
        self.p, self.firms, self.mun, self.seed = people, firms, mun, seed
        n = len(people)
        self.e = stream(seed, "months", 0).standard_normal(n).astype(np.float32)
        self.emp_prev = np.zeros(n, dtype=bool)
        self.ben_prev = np.zeros(n, dtype=bool)
        self.sick_prev = np.zeros(n, dtype=bool)
        self.subsidy_left = np.zeros(n, dtype=np.int8)
        self.employer = people.employer.copy()
        self.sample = people.person_id % max(1, n // 60_000) == 0
        year = min(k[1] for k in mun.framework)
        self.gen_emp_shift = 0.2 * zscore(mun.framework[("beskaeftigelsesfrekvens", year)])
        self.gen_ben_shift = (0.3 * zscore(mun.framework[("ledighedsprocent", year)])
                              + 0.2 * zscore(mun.framework[("andel_offentligt_forsoergede", year)]))
        self.samplers = [firms.employers_in(k) for k in range(len(mun.codes))]
        self.first = True

    def month(self, t: int, m: date) -> MonthRows:
        p, mun = self.p, self.mun
        rng = stream(self.seed, "months", t + 1)
        ms, me = day_number(m), day_number(month_end(m))
        dim = me - ms + 1
        mi = (m.year - 2021) * 12 + m.month - 1  # months since 2021-01, drives the trends
        s_emp = np.cos(2 * np.pi * (m.month - 7) / 12)  # summer high
        s_ben = np.cos(2 * np.pi * (m.month - 1) / 12)  # winter high

        days = np.stack([_overlap(f, to, ms, me) for f, to in
                         ((p.from0, p.to0), (p.from1, p.to1), (p.from2, p.to2))])
        present = days.sum(axis=0) > 0
        muni = np.choose(days.argmax(axis=0), (p.muni0, p.muni1, p.muni2))
        age = (me - p.birth) / 365.25
        active = present & (age >= 16) & (age < 67)
        if not self.first:
            self.e = (RHO * self.e + np.sqrt(1 - RHO**2) * rng.standard_normal(self.e.size)
                      ).astype(np.float32)
        self.first = False
        v = sigmoid(1.702 * (0.866 * p.u + 0.5 * self.e))  # ≈ uniform, persistent over months

        refugee = p.refugee & active
        nd = p.dis == NO_DIS
        general = active & ~p.refugee & nd
        kind = _benefit_kind(p, age, me)
        goal2_kind = kind <= UDD

        # --- refugees: employment and self-support calibrated to the national curve ---------
        years = (me - p.basis_date) / 365.25
        ref_idx = np.flatnonzero(refugee)
        ry = years[ref_idx]
        lp_e = (p.lp_emp[ref_idx] - 2.2 + 2.5 * (1 - np.exp(-np.maximum(ry, 0) / 1.8))
                - 0.2 * (ry > 17) + mun.outcome["refugee_employment"][muni[ref_idx]])
        lp_b = p.lp_ben[ref_idx] + 1.5 * np.exp(-np.maximum(ry, 0) / 2) - 0.5 * mun.outcome[
            "refugee_employment"][muni[ref_idx]]
        den = (p.basis_date[ref_idx] >= _2004) & (p.basis_date[ref_idx] <= me) & (age[ref_idx] >= 18)
        ref_nd = nd[ref_idx]
        trend = np.clip(mi / 29, 0, 1.15)
        emp_target = 0.45 + 0.10 * trend + 0.012 * s_emp
        selv_target = 0.41 + 0.08 * trend + 0.008 * s_emp
        n_den, n_nd = den.sum(), (den & ref_nd).sum()
        a = calibrate(lp_e[den & ref_nd], min(emp_target * n_den / max(n_nd, 1), 0.97))
        p_ref = sigmoid(lp_e + a)
        supplement = np.where(p.hours[ref_idx] < 100, 0.4, 0.0)
        # + 0.05: sick pay and benefits ending early in the month also cost self-support.
        want = (n_nd - (p_ref * supplement)[den & ref_nd].sum() - (selv_target + 0.05) * n_den
                ) / max(n_nd, 1)
        cap = np.maximum(1 - p_ref - 0.01, 0)
        b = calibrate(lp_b[den & ref_nd], float(np.clip(want, 0.02, 0.95)),
                      cap=cap[den & ref_nd])
        q_ref = np.minimum(sigmoid(lp_b + b), cap)

        # --- everyone else: general employment and goal-2 benefit counts -----------------
        gen_idx = np.flatnonzero(general)
        gm = muni[gen_idx]
        lp_ge = p.lp_emp[gen_idx] + self.gen_emp_shift[gm] + 0.08 * s_emp
        lp_gb = p.lp_ben[gen_idx] + self.gen_ben_shift[gm] + 0.10 * s_ben
        smp = self.sample[gen_idx]
        a = calibrate(lp_ge[smp], 0.775 + 0.012 * np.clip(mi / 24, 0, 1))
        p_gen = sigmoid(lp_ge + a)
        level = 1.06 - 0.08 * np.clip(mi / 18, 0, 1) + 0.02 * np.clip((mi - 24) / 12, 0, 1)
        goal2 = GOAL2_RATE * active.sum() * level * (1 + 0.06 * s_ben)
        fleks_jobless = (active & (p.dis == FLEKS) & (v <= 0.18)).sum()
        ref_goal2 = (q_ref * goal2_kind[ref_idx] * nd[ref_idx]).sum()
        # Planted recipients are on benefit whatever q says.
        planted = (general & p.planted & goal2_kind).sum()
        want = max(goal2 - fleks_jobless - ref_goal2 - planted, 0) / max(gen_idx.size, 1)
        cap = np.maximum(1 - p_gen - 0.01, 0)
        b = calibrate(lp_gb[smp], want, weights=goal2_kind[gen_idx][smp].astype(float),
                      cap=cap[smp])
        q_gen = np.minimum(sigmoid(lp_gb + b), cap)

        p_emp = np.zeros(v.size)
        q_ben = np.zeros(v.size)
        p_emp[ref_idx], q_ben[ref_idx] = p_ref, q_ref
        p_emp[gen_idx], q_ben[gen_idx] = p_gen, q_gen
        emp = active & nd & (v > 1 - p_emp)
        ben = active & nd & ((v < q_ben) | p.planted)

        rows = _RowBuilder(p, mun.codes)
        self._benefit_rows(rows, rng, emp, ben, active, kind, v, refugee, dim, ms, me)
        employment = self._employment_rows(rng, emp, ben, active, v, refugee, muni, m)
        education = self._education_rows(rng, ben, kind, active, age, muni, m, ms, dim)
        self.emp_prev, self.ben_prev = emp, ben
        return MonthRows(rows.benefits(m), employment, education)

    # -- benefits ---------------------------------------------------------------------------
    def _benefit_rows(self, rows, rng, emp, ben, active, kind, v, refugee, dim, ms, me):
        p = self.p
        n = v.size
        # Goal-2 and integration benefits: partial month when starting, sometimes when ending.
        idx = np.flatnonzero(ben)
        start = ~self.ben_prev[idx]
        d = rng.integers(1, dim + 1, idx.size)
        a = np.where(start, me - d + 1, ms)
        switch = ~start & (kind[idx] <= KONT) & (rng.random(idx.size) < 0.01)
        cut = rng.integers(1, dim, idx.size)
        a = np.where(switch, ms + cut, a)
        rows.add(idx, kind[idx], a, me)
        alt = np.where(kind[idx] == ADAG, KONT, ADAG)
        rows.add(idx[switch], alt[switch], ms, ms + cut[switch] - 1)
        ended = np.flatnonzero(self.ben_prev & ~ben & active & (rng.random(n) < 0.6))
        rows.add(ended, kind[ended], ms, ms + rng.integers(0, dim - 1, ended.size))
        # Employed refugees with few hours often keep a supplementing benefit.
        was_ending = np.zeros(n, dtype=bool)
        was_ending[ended] = True
        topped = np.flatnonzero(emp & refugee & ~was_ending & (p.hours < 100)
                                & (rng.random(n) < 0.4))
        rows.add(topped, kind[topped], ms, me)
        # Disability-type benefits all month; fleksjob holders without a job get ledighedsydelse.
        dis = np.flatnonzero(active & (p.dis != NO_DIS))
        code = DIS_BENEFIT[p.dis[dis]]
        code = np.where((p.dis[dis] == FLEKS) & (v[dis] <= 0.18), LEDIG, code)
        rows.add(dis, code, ms, me)
        # Sick pay for employees: spells of a few months.
        go_on = rng.random(n) < np.where(self.sick_prev, 0.55, 0.025)
        sick = emp & go_on
        idx = np.flatnonzero(sick)
        new = ~self.sick_prev[idx]
        d = rng.integers(1, dim + 1, idx.size)
        ending = ~new & (rng.random(idx.size) < 0.3)
        rows.add(idx, SYGE, np.where(new, me - d + 1, ms), np.where(ending, ms + d - 1, me))
        self.sick_prev = sick

    # -- employment -------------------------------------------------------------------------
    def _employment_rows(self, rng, emp, ben, active, v, refugee, muni, m):
        p = self.p
        n = v.size
        out = _Rows()
        idx = np.flatnonzero(emp)
        hours = p.hours[idx] * rng.uniform(0.9, 1.08, idx.size)
        hours = np.where(self.emp_prev[idx], hours, hours * rng.uniform(0.15, 1.0, idx.size))
        # Job changes: in the month of the change both the old and the new employer pay.
        switch = self.emp_prev[idx] & (rng.random(idx.size) < 0.015)
        share = np.where(switch, rng.uniform(0.2, 0.8, idx.size), 1.0)
        out.add(idx, self.employer[idx], hours * share, -1)
        movers = idx[switch]
        self.employer[movers] = self._new_employers(rng, movers, muni)
        out.add(movers, self.employer[movers], (hours * (1 - share))[switch], -1)
        two = idx[p.employer2[idx] >= 0]
        out.add(two, p.employer2[two], rng.uniform(8, 60, two.size), -1)
        # Small unsubsidised jobs beside a benefit (not for refugees: their level is calibrated).
        side = np.flatnonzero(ben & ~p.refugee & ~emp & (rng.random(n) < 0.10))
        out.add(side, self.employer[side], rng.uniform(4, 60, side.size), -1)
        fleks = np.flatnonzero(active & (p.dis == FLEKS) & (v > 0.18))
        out.add(fleks, self.employer[fleks], 0.55 * p.hours[fleks] * rng.uniform(0.9, 1.1,
                                                                                fleks.size),
                FLEKS_SUB)
        skaane = np.flatnonzero(active & p.skaane)
        out.add(skaane, self.employer[skaane], 0.35 * p.hours[skaane], SKAANE)
        # Wage-subsidy spells (løntilskud) of 3-9 months, started from benefit.
        self.subsidy_left = np.maximum(self.subsidy_left - 1, 0).astype(np.int8)
        starts = ben & (self.subsidy_left == 0) & (rng.random(n) < np.where(refugee, 0.02, 0.012))
        self.subsidy_left[starts] = rng.integers(3, 10, starts.sum())
        sub = np.flatnonzero(active & (self.subsidy_left > 0))
        out.add(sub, self.employer[sub], np.maximum(0.9 * p.hours[sub], 60), LOENTILSKUD)
        cols = out.columns()
        order = np.argsort(cols["person"], kind="stable")
        return {
            "person_id": p.person_id[cols["person"][order]],
            "month": np.full(order.size, np.datetime64(m, "D")),
            "employer_id": cols["employer"][order],
            "hours": np.round(cols["hours"][order], 1),
            "wage_subsidy": string_column(WAGE_SUBSIDIES, cols["subsidy"][order]),
        }

    def _new_employers(self, rng, idx, muni):
        out = np.empty(idx.size, dtype=np.int64)
        where = muni[idx]
        for k in np.unique(where):
            rows = np.flatnonzero(where == k)
            ids, cum = self.samplers[k]
            pick = np.searchsorted(cum, rng.random(rows.size) * cum[-1], side="right")
            out[rows] = ids[pick.clip(0, ids.size - 1)]
        return out

    # -- education --------------------------------------------------------------------------
    def _education_rows(self, rng, ben, kind, active, age, muni, m, ms, dim):
        p, mun = self.p, self.mun
        n = ben.size
        recipients = np.flatnonzero(ben & (kind <= UDD))
        lp = (mun.outcome["upskilling"][muni[recipients]] + 0.3 * (age[recipients] < 30)
              - 0.3 * (age[recipients] >= 50) + 0.3 * (kind[recipients] == ADAG)
              + 0.2 * (p.edu[recipients] == EDU_NONE))
        a = calibrate(lp, 0.022 * UPSKILL_SEASON[m.month - 1])
        starters = recipients[rng.random(recipients.size) < sigmoid(lp + a)]
        course = rng.choice(3, size=starters.size, p=[0.35, 0.50, 0.15])
        length = np.select([course == 0, course == 1], [rng.integers(30, 700, starters.size),
                           rng.integers(5, 42, starters.size)], rng.integers(365, 1460,
                                                                             starters.size))
        courses = [(starters, course, length)]
        # Courses that do not count for goal 2: short courses and Danish lessons.
        short = np.flatnonzero((ben | self.sick_prev) & (rng.random(n) < 0.01))
        courses.append((short, np.full(short.size, 3), rng.integers(1, 11, short.size)))
        since = (ms - p.cpr_date) / 365.25
        newcomer = active & ((p.origin == IND_IV) | (p.origin == IND_V)) & (since < 5) & (since >= 0)
        rate = np.where(p.refugee, 0.05, np.where(p.origin == IND_IV, 0.03, 0.01))
        danish = np.flatnonzero(newcomer & (rng.random(n) < rate))
        courses.append((danish, np.full(danish.size, 4), rng.integers(90, 540, danish.size)))
        idx = np.concatenate([c[0] for c in courses])
        code = np.concatenate([c[1] for c in courses])
        start = ms + rng.integers(0, dim, idx.size)
        end = start + np.concatenate([c[2] for c in courses])
        order = np.argsort(idx, kind="stable")
        return {
            "person_id": p.person_id[idx[order]],
            "start_date": start[order].astype("datetime64[D]"),
            "end_date": end[order].astype("datetime64[D]"),
            "course_type": string_column(COURSE_TYPES, code[order]),
            "municipality_code": mun.codes[muni[idx[order]]],
        }


def _overlap(start: np.ndarray, end: np.ndarray, ms: int, me: int) -> np.ndarray:
    """Days of [start, end] inside [ms, me] (0 when disjoint)."""
    return np.maximum(np.minimum(end, me) - np.maximum(start, ms) + 1, 0).astype(np.int32)


def _benefit_kind(p: People, age: np.ndarray, me: int) -> np.ndarray:
    """Which benefit a person out of work would get this month."""
    recent = ((p.origin == IND_IV) | ((p.origin == IND_V) & (p.basis != EU_EOES))) & (
        (me - p.cpr_date) < 9 * 365.25)
    kind = np.where(p.insured, ADAG, np.where(recent, SELVF, np.where(
        (age < 30) & (p.edu == EDU_NONE), UDD, KONT)))
    return kind.astype(np.int8)


class _Rows:
    def __init__(self):
        self.parts: list[tuple] = []

    def add(self, person, employer, hours, subsidy):
        n = np.asarray(person).size
        self.parts.append((person, employer, np.asarray(hours, dtype=float),
                           np.broadcast_to(np.int8(subsidy), (n,))))

    def columns(self):
        person, employer, hours, subsidy = (np.concatenate(x) for x in zip(*self.parts,
                                                                             strict=True))
        return {"person": person, "employer": employer, "hours": hours, "subsidy": subsidy}


class _RowBuilder:
    """Benefit rows: a paid interval of days is split over the residence spells it crosses,
    so a mover's benefit in the move month is paid by two municipalities."""

    def __init__(self, p: People, codes: np.ndarray):
        self.p, self.codes = p, codes
        self.parts: list[tuple] = []

    def add(self, idx, code, a, b):
        idx = np.asarray(idx)
        n = idx.size
        code = np.broadcast_to(np.asarray(code, dtype=np.int8), (n,))
        a = np.broadcast_to(np.asarray(a, dtype=np.int64), (n,))
        b = np.broadcast_to(np.asarray(b, dtype=np.int64), (n,))
        self.parts.append((idx, code, a, b))

    def benefits(self, m: date) -> dict:
        p = self.p
        idx, code, a, b = (np.concatenate(x) for x in zip(*self.parts, strict=True))
        people, codes, munis, days = [], [], [], []
        for f, to, mu in ((p.from0, p.to0, p.muni0), (p.from1, p.to1, p.muni1),
                          (p.from2, p.to2, p.muni2)):
            d = np.minimum(b, to[idx]) - np.maximum(a, f[idx]) + 1
            keep = d > 0
            people.append(idx[keep])
            codes.append(code[keep])
            munis.append(mu[idx[keep]])
            days.append(d[keep])
        person, code, muni, day = (np.concatenate(x) for x in (people, codes, munis, days))
        order = np.lexsort((code, person))
        return {
            "person_id": p.person_id[person[order]],
            "month": np.full(order.size, np.datetime64(m, "D")),
            "benefit": string_column(BENEFITS, code[order]),
            "municipality_code": self.codes[muni[order]],
            "days": day[order],
        }
