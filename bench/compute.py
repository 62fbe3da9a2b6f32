"""Benchmark: synthetic generation and the 2023 computation at national scale.

Prints generation time, validation and compute time, peak memory of each phase (each phase runs
in its own process so its peak is its own), and the ratio of compute time to the floor: one
DuckDB pass that reads every column the measures read, run in the same process just before.
Also how many cells primary and secondary suppression hide, and the time of the secondary step.

    .venv/bin/python bench/compute.py                 # scale 1.0, temporary folder
    .venv/bin/python bench/compute.py --scale 0.1
    .venv/bin/python bench/compute.py --registers DIR # reuse generated registers
"""

from __future__ import annotations

import argparse
import json
import multiprocessing as mp
import resource
import shutil
import tempfile
import time
from pathlib import Path

# Columns the measures read, per table (see src/jobmaal/indicators/measures/*.sql).
COLUMNS_READ = {
    "persons": ["person_id", "birth_date", "sex", "residence_basis", "residence_basis_date", "cpr_date"],
    "residence": ["person_id", "municipality_code", "valid_from", "valid_to"],
    "benefits": ["person_id", "month", "benefit", "municipality_code", "days"],
    "education": ["person_id", "start_date", "course_type"],
    "employment": ["person_id", "month", "hours", "wage_subsidy"],
    "firms": ["firm_id", "year", "municipality_code", "avg_employees"],
    "collaborations": ["firm_id", "month", "jobcentre_code"],
    "recruitment": ["half_year", "rar", "weight", "failed", "attempts"],
}


def _peak_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def _generate(out: str, scale: float, seed: int) -> dict:
    from jobmaal.registers.synth import generate

    started = time.perf_counter()
    result = generate(Path(out), scale=scale, seed=seed)
    return {"seconds": time.perf_counter() - started, "peak_mb": _peak_mb(),
            "rows": dict(result.rows)}


def _floor_pass(con, folder: Path) -> float:
    started = time.perf_counter()
    for table, columns in COLUMNS_READ.items():
        # hash() forces every value to be read and decoded; MIN/MAX would come from metadata.
        aggregates = ", ".join(f"SUM(hash({c}) % 1024)" for c in columns)
        con.execute(f"SELECT COUNT(*), {aggregates} FROM read_parquet('{folder}/{table}.parquet')")
        con.fetchall()
    return time.perf_counter() - started


def _compute(registers: str, year: int) -> dict:
    import duckdb

    from jobmaal.indicators.engine import EngineSettings, compute_facts
    from jobmaal.registers.validate import validate_registers

    settings = EngineSettings()
    con = duckdb.connect(config={"memory_limit": settings.memory_limit, "threads": settings.threads})
    floor = _floor_pass(con, Path(registers))
    con.close()
    started = time.perf_counter()
    validate_registers(registers)
    validation = time.perf_counter() - started
    import jobmaal.indicators.engine as engine

    secondary_step = []
    step = engine.apply_secondary_suppression

    def timed(*args, **kwargs):
        begun = time.perf_counter()
        out = step(*args, **kwargs)
        secondary_step.append(time.perf_counter() - begun)
        return out

    engine.apply_secondary_suppression = timed
    started = time.perf_counter()
    facts = compute_facts(registers, year, settings, validate=False)
    compute = time.perf_counter() - started
    reasons = facts.column("suppression").value_counts().to_pylist()
    hidden = {r["values"]: r["counts"] for r in reasons if r["values"] is not None}
    return {"floor": floor, "validation": validation, "compute": compute,
            "rows": facts.num_rows, "peak_mb": _peak_mb(), "ukraine": _ukraine_levels(facts),
            "primary": hidden.get("primary", 0), "secondary": hidden.get("secondary", 0),
            "secondary_seconds": sum(secondary_step)}


# The ministry's published national levels of the displaced from Ukraine (see
# registers/synth/ukraine.py): (indicator, period) → (in work, share in pct).
UKRAINE_PUBLISHED = {
    ("UKR_RAADIG", "2022M08"): (5_096, 47.6),
    ("UKR_BESK", "2023M07"): (10_371, 50.0),
    ("UKR_RAADIG", "2023M07"): (10_371, 75.0),
}


def _scale_of(registers: Path) -> object:
    meta = registers / "synth.json"
    return json.loads(meta.read_text(encoding="utf-8"))["scale"] if meta.is_file() else "?"


def _ukraine_levels(facts) -> list[tuple]:
    """National (indicator, period, numerator, denominator, value) of the published levels."""
    from jobmaal.facts import TOTAL

    rows = []
    for r in facts.to_pylist():
        key = (r["indicator"], r["period"])
        if key in UKRAINE_PUBLISHED and r["area_level"] == "land" and r["breakdown"] == TOTAL:
            rows.append((*key, r["numerator"], r["denominator"], r["value"]))
    return sorted(rows, key=lambda row: (row[1], row[0]))


def _in_child(func, *args) -> dict:
    with mp.get_context("spawn").Pool(1) as pool:
        return pool.apply(func, args)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--scale", type=float, default=1.0)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--year", type=int, default=2023)
    parser.add_argument("--registers", type=Path, help="reuse this register folder")
    args = parser.parse_args()

    tmp = None
    registers = args.registers
    if registers is None:
        tmp = Path(tempfile.mkdtemp(prefix="jobmaal-bench-"))
        registers = tmp / "registers"
        registers.mkdir()
        gen = _in_child(_generate, str(registers), args.scale, args.seed)
        size = sum(p.stat().st_size for p in registers.rglob("*.parquet")) / 2**20
        print(f"generation   scale {args.scale}: {gen['seconds']:.1f} s, peak {gen['peak_mb']:,.0f} MB, "
              f"{sum(gen['rows'].values()):,} rows, {size:,.0f} MB Parquet")
        for table, rows in gen["rows"].items():
            print(f"  {table:<15}{rows:>14,}")
    try:
        res = _in_child(_compute, str(registers), args.year)
        total = res["validation"] + res["compute"]
        print(f"floor pass (read every column the measures read): {res['floor']:.2f} s")
        print(f"validation:  {res['validation']:.2f} s  ({res['validation'] / res['floor']:.1f}x floor)")
        print(f"compute:     {res['compute']:.2f} s  ({res['compute'] / res['floor']:.1f}x floor)")
        print(f"total:       {total:.2f} s  ({total / res['floor']:.1f}x floor), "
              f"peak {res['peak_mb']:,.0f} MB, {res['rows']:,} facts")
        print(f"suppression: {res['primary']:,} cells primary, {res['secondary']:,} secondary "
              f"({res['secondary'] / max(res['primary'], 1):.2f} per primary); the secondary "
              f"step took {res['secondary_seconds']:.2f} s of the compute")
        print(f"displaced from Ukraine, national (published figures at scale 1.0; "
              f"this run scale {_scale_of(registers)}):")
        for indicator, period, num, den, value in res["ukraine"]:
            count, share = UKRAINE_PUBLISHED[(indicator, period)]
            shown = "suppressed" if value is None else f"{num:,.0f} / {den:,.0f} = {value:.1f} %"
            print(f"  {indicator:<11}{period}: {shown}  (published {count:,} in work, {share} %)")
    finally:
        if tmp is not None:
            shutil.rmtree(tmp, ignore_errors=True)


if __name__ == "__main__":
    main()
