"""Properties of the facts on random small registers (hypothesis).

For every indicator, period and breakdown:
  - an area figure at jobcenter/rar/region/land that is shown equals the sum, over its member
    municipalities (for REKRUT: over the RAR areas), of their figures computed without
    suppression (threshold 1);
  - a figure is suppressed exactly when its unsuppressed numerator or denominator is 1–4
    (REKRUT: when 1–4 firms answered, checked in test_rekrut.py);
  - quarter = Σ its months, half-year = Σ its quarters, year = Σ its months;
  - value = 100·numerator/denominator wherever denominator > 0.
"""

from __future__ import annotations

import tempfile
from collections import defaultdict
from datetime import date, timedelta
from pathlib import Path

import pytest
from builders import RegisterFolder
from factlookup import Facts, compute
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from jobmaal.geography import AREA_LEVELS, load_geography
from jobmaal.indicators.engine import suppression_links
from jobmaal.indicators.suppression import recoverable_cells
from jobmaal.periods import Period, periods_of_year

MUNICIPALITIES = [101, 147, 155, 185, 183, 187, 561, 563, 813, 825, 851, 461]
JOBCENTRES = [101, 147, 185, 183, 561, 813, 851, 461]
RARS = ["Hovedstaden", "Sydjylland", "Nordjylland", "Fyn"]
BENEFITS = ["adagpenge", "kontanthjaelp", "uddannelseshjaelp", "ledighedsydelse", "sygedagpenge"]
COURSES = ["ordinaer_uddannelse", "jobrettet_uddannelse", "voksenlaerling", "kort_kursus"]
MONTHLY = ("MM17", "MM13", "MM13_190", "MM13_SELV", "LOK_LEDYD_FLEX")
COUNTS = ("LOK_FLEXJOB", "LOK_LEDYD")  # published per month only


def month_of(index: int) -> date:
    """Month index 0 = 2022-01; negative indexes reach back into 2021."""
    y, m = divmod(2022 * 12 + index, 12)
    return date(y, m + 1, 1)


@st.composite
def registers(draw) -> list:
    ops: list = []
    months = st.integers(0, 23)
    muni = st.sampled_from(MUNICIPALITIES)
    for pid in range(1, draw(st.integers(0, 10)) + 1):  # goal-2 people
        ops.append(("person", pid, dict(birth=date(draw(st.integers(1958, 2004)), 6, 15),
                                        sex=draw(st.sampled_from("km")))))
        seen = set()
        for _ in range(draw(st.integers(1, 4))):
            row = (month_of(draw(months)), draw(st.sampled_from(BENEFITS)), draw(muni))
            if row not in seen:
                seen.add(row)
                ops.append(("benefit", pid, *row, draw(st.integers(1, 31))))
        for _ in range(draw(st.integers(0, 2))):
            start = month_of(draw(months)) + timedelta(days=draw(st.integers(0, 27)))
            ops.append(("education", pid, start, draw(st.sampled_from(COURSES))))
    for pid in range(100, 100 + draw(st.integers(0, 10))):  # refugees
        ops.append(("refugee", pid, dict(
            birth=date(draw(st.integers(1955, 2006)), draw(st.integers(1, 12)), 1),
            sex=draw(st.sampled_from("km")),
            basis=draw(st.sampled_from(["flygtning", "familiesammenfoert_flygtning",
                                        "familiesammenfoert_oevrig"])),
            basis_date=date(draw(st.integers(2003, 2023)), draw(st.integers(1, 12)), 1),
            cpr_date=draw(st.none() | st.just(date(2010, 1, 1)) | st.just(date(1999, 1, 1))))))
        start = date(2019, 1, 1) + timedelta(days=draw(st.integers(0, 1500)))
        end = draw(st.none() | st.integers(0, 600).map(lambda d, s=start: s + timedelta(days=d)))
        ops.append(("lives", pid, draw(muni), start, end))
        if end is not None and draw(st.booleans()):
            ops.append(("lives", pid, draw(muni), end + timedelta(days=1), None))
        for _ in range(draw(st.integers(0, 4))):
            ops.append(("job", pid, month_of(draw(st.integers(-2, 23))),
                        draw(st.sampled_from([0, 0.5, 60, 100, 189.5])), dict(
                            employer=draw(st.integers(1, 3)),
                            subsidy=draw(st.sampled_from([None, None, "loentilskud"])))))
        if draw(st.booleans()):
            ops.append(("benefit", pid, month_of(draw(months)), "kontanthjaelp", draw(muni), 31))
    for fid in range(1, draw(st.integers(0, 8)) + 1):
        for year in draw(st.sets(st.sampled_from([2022, 2023]), min_size=1)):
            ops.append(("firm", fid, year, draw(muni), draw(st.sampled_from([0.5, 1.0, 3.0]))))
        for _ in range(draw(st.integers(0, 3))):
            ops.append(("collaboration", fid, month_of(draw(months)),
                        draw(st.sampled_from(JOBCENTRES))))
    for fid in range(1, draw(st.integers(0, 12)) + 1):
        attempts = draw(st.integers(0, 10))
        ops.append(("recruitment", fid, draw(st.sampled_from(RARS)),
                    draw(st.sampled_from(["2022H1", "2022H2", "2023H1", "2023H2"])),
                    attempts, draw(st.integers(0, attempts)), draw(st.sampled_from([0.5, 1.0, 3.0]))))
    return ops


def build(root: Path, ops: list) -> Path:
    r = RegisterFolder(root)
    for op, *args in ops:
        if isinstance(args[-1], dict):
            getattr(r, op)(*args[:-1], **args[-1])
        else:
            getattr(r, op)(*args)
    return r.write()


def members() -> dict[tuple[str, str], list[str]]:
    geo = load_geography()
    out: dict[tuple[str, str], list[str]] = defaultdict(list)
    for code, level, area in geo.membership_rows():
        out[(level, area)].append(str(code))
    return out


def figures(facts: Facts) -> dict:
    return {k: (r["numerator"], r["denominator"]) for k, r in facts.by_key.items()}


def check(raw: Facts, published: Facts) -> None:
    assert raw.duplicates == [] and published.duplicates == []
    fig = figures(raw)
    sums: dict = defaultdict(lambda: [0.0, 0.0])
    member_of = members()
    geo = load_geography()
    for (ind, period, level, code, bd, bv), (num, den) in fig.items():
        if ind == "REKRUT" and level == "rar":
            target = [("land", "DK")]
        elif ind != "REKRUT" and level == "kommune":
            target = [(lv, geo.parent_code(int(code), lv)) for lv in AREA_LEVELS[1:]]
        else:
            continue
        for lv, area in target:
            s = sums[(ind, period, lv, area, bd, bv)]
            s[0] += num
            s[1] += den
    assert set(member_of)  # the geography is loaded

    for key, row in published.by_key.items():
        ind, period, level, code, bd, bv = key
        raw_num, raw_den = fig[key]
        # the raw figure is consistent (a count's value is its numerator, 0 included)
        if ind in COUNTS:
            assert raw.by_key[key]["value"] == pytest.approx(raw_num), key
        elif raw_den > 0:
            assert raw.by_key[key]["value"] == pytest.approx(100 * raw_num / raw_den), key
        else:
            assert raw.by_key[key]["value"] is None, key
        # area = Σ members (computed without suppression)
        if level != "kommune" and not (ind == "REKRUT" and level == "rar"):
            expect = sums.get(key, [0.0, 0.0])
            assert (raw_num, raw_den) == pytest.approx(tuple(expect)), key
            if not row["suppressed"]:
                assert (row["numerator"], row["denominator"]) == pytest.approx(tuple(expect)), key
        # primary suppression exactly when a count is 1–4; secondary only on other rows
        if ind != "REKRUT":
            small = 0 < raw_num < 5 or 0 < raw_den < 5
            assert (row["suppression"] == "primary") is small, (key, raw_num, raw_den)
        assert row["suppressed"] is (row["suppression"] is not None), key
        if not row["suppressed"]:
            assert (row["numerator"], row["denominator"]) == (raw_num, raw_den), key
    # breakdown rows exist exactly where the area sums give a denominator above 0
    for key, (_num, den) in sums.items():
        if key[4] != "i_alt":
            assert (key in fig) is (den > 0), key
    assert set(published.by_key) == set(raw.by_key)

    # periods: quarter = Σ months, half = Σ quarters, year = Σ months
    for (ind, period, level, code, bd, bv), (num, den) in fig.items():
        if ind not in MONTHLY:
            continue
        p = Period.parse(period)
        if p.kind == "month":
            continue
        parts = p.months() if p.kind in ("quarter", "year") else [
            q for q in periods_of_year(p.year, "quarter") if p.contains(q)]
        total = [0.0, 0.0]
        for part in parts:
            n, d = fig.get((ind, part.code, level, code, bd, bv), (0.0, 0.0))
            total[0] += n
            total[1] += d
        assert (num, den) == pytest.approx(tuple(total)), (ind, period, level, code, bd, bv)


@pytest.mark.slow
# derandomized: the same examples in every run (CI cannot pass or fail by chance)
@settings(max_examples=15, deadline=None, derandomize=True,
          suppress_health_check=[HealthCheck.too_slow])
@given(registers())
def test_areas_and_periods_are_sums_of_their_parts(ops):
    with tempfile.TemporaryDirectory() as tmp:
        folder = build(Path(tmp), ops)
        raw = compute(folder, 2023, threshold=1)
        published = compute(folder, 2023)
    check(raw, published)
    table = published.table
    # Known limit (issue 10 stays open): where the country total itself is hidden (a country
    # of a handful of people) every cell around it may be hidden or absent, and the hypercube
    # method then finds no protecting cube; such tables are left out of the audit here.
    country_hidden = any(row["suppression"] == "primary" for key, row in published.by_key.items()
                         if key[2] == "land" and key[4] == "i_alt")
    if not country_hidden:
        assert not recoverable_cells(table, suppression_links(table, 2023)).any()


def test_the_property_check_sees_a_non_trivial_example(tmp_path):
    # a fixed example exercising every measure, so the check above is known to bite
    ops = [
        ("person", 1, dict(birth=date(1990, 6, 15), sex="k")),
        ("benefit", 1, date(2023, 3, 1), "adagpenge", 563, 31),
        ("education", 1, date(2023, 3, 3), "ordinaer_uddannelse"),
        ("person", 2, dict(birth=date(1990, 6, 15), sex="m")),
        ("benefit", 2, date(2023, 3, 1), "adagpenge", 561, 31),
        ("refugee", 100, dict(sex="m")), ("lives", 100, 825, date(2019, 1, 1), None),
        ("job", 100, date(2023, 2, 1), 100, {}),
        ("firm", 1, 2023, 155, 3.0), ("collaboration", 1, date(2023, 5, 1), 185),
        ("recruitment", 1, "Fyn", "2023H1", 10, 3, 2.0),
    ]
    folder = build(tmp_path, ops)
    raw = compute(folder, 2023, threshold=1)
    check(raw, compute(folder, 2023))
    assert raw.get("MM17", "2023M03", "561", level="jobcenter")["denominator"] == 2
    assert raw.get("MM13", "2023Q1", "813", level="jobcenter")["numerator"] == 1  # Feb only
    assert raw.get("MM10", "2023", "185", level="jobcenter")["numerator"] == 1
    assert raw.get("REKRUT", "2023H1", "DK", level="land")["numerator"] == 6
