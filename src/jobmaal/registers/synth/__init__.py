"""The synthetic register generator: writes every table of the register contract.

    from jobmaal.registers.synth import generate
    result = generate(Path("data/registers"), scale=0.01, seed=1)

Deterministic for a given (seed, scale). See docs/synthetic-data.md for what it produces.
"""

from __future__ import annotations

import json
import time
from collections.abc import Callable
from dataclasses import asdict, dataclass, field
from datetime import date
from pathlib import Path

import numpy as np

from jobmaal.geography.areas import load_geography
from jobmaal.registers.io import TableWriter, write_table
from jobmaal.registers.synth.common import GENERATOR_VERSION, month_end, month_starts
from jobmaal.registers.synth.firms import (
    build_firms,
    collaboration_columns,
    firm_columns,
    recruitment_columns,
)
from jobmaal.registers.synth.months import Simulation
from jobmaal.registers.synth.municipal import (
    EFFECT_SCALE,
    FRAMEWORK_VARIABLES,
    OUTCOME_COEFFICIENTS,
    build_municipal,
    framework_columns,
)
from jobmaal.registers.synth.people import build_people, person_columns, residence_columns
from jobmaal.registers.synth.ukraine import DisplacedMonths, build_displaced

__all__ = ["SynthResult", "generate", "GENERATOR_VERSION"]

Progress = Callable[[str, float], None]


class SynthError(ValueError):
    """Arguments the generator cannot work with."""


@dataclass(frozen=True)
class SynthResult:
    out: Path
    seed: int
    scale: float
    rows: dict[str, int] = field(default_factory=dict)
    elapsed_seconds: float = 0.0


def generate(out: Path, *, scale: float, seed: int, first_month: date = date(2021, 1, 1),
             last_month: date = date(2023, 12, 1), progress: Progress | None = None) -> SynthResult:
    """Write a full synthetic register folder into the existing folder `out`."""
    started = time.perf_counter()
    out = Path(out)
    if not out.is_dir():
        raise SynthError(f"output folder {out} does not exist")
    if not 0 < scale <= 2:
        raise SynthError(f"scale must be in (0, 2], got {scale}")
    if (first_month.day, last_month.day) != (1, 1) or last_month < first_month:
        raise SynthError("first_month and last_month must be first days of months, in order")
    report = progress or (lambda stage, fraction: None)
    months = month_starts(first_month, last_month)
    years = sorted({m.year for m in months})
    window = (first_month, month_end(last_month))
    rows: dict[str, int] = {}

    report("kommuner", 0.0)
    geo = load_geography()
    mun = build_municipal(geo, seed, years)
    rows["framework"] = _write(out, "framework", framework_columns(mun, years))
    _write_ground_truth(out, mun)

    report("virksomheder", 0.01)
    firms = build_firms(mun, seed, scale, len(years))
    rows["firms"] = _write(out, "firms", firm_columns(firms, mun, years))
    rows["collaborations"] = _write(out, "collaborations",
                                    collaboration_columns(firms, mun, seed, months))
    rows["recruitment"] = _write(out, "recruitment", recruitment_columns(firms, mun, seed, years))

    people = build_people(mun, firms, seed, scale, window,
                          progress=lambda f: report("personer", 0.02 + 0.08 * f))
    displaced = build_displaced(mun, firms, seed, scale, window,
                                first_id=int(people.person_id.max()) + 1)
    for table, columns in (("persons", person_columns), ("residence", residence_columns)):
        with TableWriter(out, table) as writer:
            writer.write(columns(people, mun))
            writer.write(columns(displaced.people, mun))  # their ids come after everyone's
        rows[table] = writer.rows

    sim = Simulation(people, firms, mun, seed)
    displaced_sim = DisplacedMonths(displaced, mun, seed)
    with (TableWriter(out, "benefits") as benefits, TableWriter(out, "employment") as employment,
          TableWriter(out, "education") as education):
        for t, m in enumerate(months):
            report("måneder", 0.1 + 0.9 * t / len(months))
            month = sim.month(t, m)
            benefits.write(month.benefits)
            employment.write(month.employment)
            education.write(month.education)
            displaced_benefits, displaced_employment = displaced_sim.month(t, m)
            benefits.write(displaced_benefits)
            employment.write(displaced_employment)
    rows.update(benefits=benefits.rows, employment=employment.rows, education=education.rows)

    result = SynthResult(out, seed, scale, dict(sorted(rows.items())),
                         round(time.perf_counter() - started, 2))
    _write_description(out, result, months)
    report("færdig", 1.0)
    return result


def _write(out: Path, table: str, columns: dict) -> int:
    write_table(out, table, columns)
    first = next(iter(columns.values()))
    return len(first)


def _write_ground_truth(out: Path, mun) -> None:
    import pyarrow as pa
    import pyarrow.parquet as pq

    folder = out / "ground_truth"
    folder.mkdir(exist_ok=True)
    table = pa.table({
        "municipality_code": pa.array(mun.codes, pa.int64()),
        "jobcentre_code": pa.array(mun.jobcentre, pa.int64()),
        "effect": pa.array(mun.effect.astype(np.float64), pa.float64()),
    })
    pq.write_table(table, folder / "jobcentre_effect.parquet")


def _write_description(out: Path, result: SynthResult, months: list[date]) -> None:
    description = {
        "generator": "jobmaal.registers.synth",
        "generator_version": GENERATOR_VERSION,
        "seed": result.seed,
        "scale": result.scale,
        "first_month": months[0].isoformat(),
        "last_month": months[-1].isoformat(),
        "months": len(months),
        "rows": result.rows,
        "elapsed_seconds": result.elapsed_seconds,
        "framework_variables": [asdict(v) for v in FRAMEWORK_VARIABLES],
        "hidden_effect": {
            "file": "ground_truth/jobcentre_effect.parquet",
            "meaning": "one standard-normal value per job centre, shared by its municipalities, "
                       "drawn independently of the framework variables",
            "logit_shift_per_unit": EFFECT_SCALE,
            "framework_logit_coefficients_per_sd": OUTCOME_COEFFICIENTS,
        },
    }
    (out / "synth.json").write_text(json.dumps(description, indent=2, ensure_ascii=False) + "\n",
                                    encoding="utf-8")
