"""Fuzz `jobmaal load` and `jobmaal compute` with broken releases and registers (issue 12).

    python tests/fuzz_load_compute.py [--seed N] [--random N] [--keep DIR]

Generates a small synthetic register folder, computes and publishes a good release in a
fresh SQLite database of its own, then runs the real command on every broken copy: the named
cases of issue 12 and N random ones (a random cell of facts.parquet set to a random bad value).
Every case must exit non-zero with a «Fejl:» message and no traceback, leave no OUT folder
(compute), and leave the active release as it was (load). Prints one line per case and exits
1 if any case misbehaved. tests/test_fuzz_load_compute.py runs it in the suite.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import shutil
import sqlite3
import subprocess
import sys
import tempfile
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from datetime import date
from pathlib import Path

import pyarrow as pa
import pyarrow.parquet as pq

SRC = Path(__file__).resolve().parents[1] / "src"
sys.path.insert(0, str(SRC))

from jobmaal.indicators.output import sha256_file  # noqa: E402

SCALE = 0.002


@dataclass
class Outcome:
    case: str
    ok: bool
    detail: str


class Runner:
    def __init__(self, root: Path):
        self.root = root
        self.env = {k: v for k, v in os.environ.items() if k != "DATABASE_URL"}
        self.env.update(JOBMAAL_DATA_DIR=str(root / "data"), PYTHONPATH=str(SRC),
                        COLUMNS="200", NO_COLOR="1")

    def jobmaal(self, *args: str) -> subprocess.CompletedProcess:
        return subprocess.run([sys.executable, "-m", "jobmaal.cli", *args], env=self.env,
                              capture_output=True, text=True, timeout=600, cwd=self.root)

    def active(self) -> list[tuple]:
        con = sqlite3.connect(self.root / "data" / "jobmaal.sqlite3")
        try:
            return con.execute("SELECT id, year FROM web_release WHERE is_active").fetchall()
        finally:
            con.close()

    def releases(self) -> int:
        con = sqlite3.connect(self.root / "data" / "jobmaal.sqlite3")
        try:
            return con.execute("SELECT COUNT(*) FROM web_release").fetchone()[0]
        finally:
            con.close()


def refused_cleanly(done: subprocess.CompletedProcess) -> str:
    """'' when the command failed as it should; otherwise what was wrong."""
    if done.returncode == 0:
        return "exit code 0"
    if "Traceback" in done.stderr or "Traceback" in done.stdout:
        return "traceback: " + done.stderr.strip().splitlines()[-1][:200]
    if "Fejl:" not in done.stderr:
        return "no «Fejl:» message: " + (done.stderr.strip() or done.stdout.strip())[:200]
    return ""


# -- broken releases ----------------------------------------------------------------------------

def _manifest(folder: Path) -> dict:
    return json.loads((folder / "manifest.json").read_text(encoding="utf-8"))


def _write_manifest(folder: Path, manifest: object) -> None:
    (folder / "manifest.json").write_text(json.dumps(manifest), encoding="utf-8")


def _write_facts(folder: Path, table: pa.Table) -> None:
    pq.write_table(table, folder / "facts.parquet")
    manifest = _manifest(folder)
    manifest["facts_sha256"] = sha256_file(folder / "facts.parquet")
    _write_manifest(folder, manifest)


def _facts(folder: Path) -> pa.Table:
    return pq.read_table(folder / "facts.parquet")


def _set(table: pa.Table, column: str, row: int, value) -> pa.Table:
    values = table.column(column).to_pylist()
    values[row] = value
    kind = pa.string() if isinstance(value, str) else table.schema.field(column).type
    if isinstance(value, str):
        values = [None if v is None else str(v) for v in values]
    return table.set_column(table.schema.get_field_index(column), column, pa.array(values, kind))


def _shown_row(table: pa.Table) -> int:
    rows = table.select(["numerator", "denominator", "suppressed"]).to_pylist()
    return next(i for i, r in enumerate(rows)
                if not r["suppressed"] and r["numerator"] and r["numerator"] < r["denominator"])


def _framework_set(folder: Path, column: str, value) -> None:
    table = pq.read_table(folder / "framework.parquet")
    pq.write_table(_set(table, column, 3, value), folder / "framework.parquet")


def _mm17_only(folder: Path) -> None:
    table = _facts(folder)
    keep = [i for i, ind in enumerate(table.column("indicator").to_pylist()) if ind == "MM17"]
    _write_facts(folder, table.take(keep))
    manifest = _manifest(folder)
    manifest["row_counts"] = {"total": len(keep), "MM17": len(keep)}
    _write_manifest(folder, manifest)


def release_cases() -> dict[str, Callable[[Path], None]]:
    def manifest_field(field, value):
        def change(folder):
            manifest = _manifest(folder)
            manifest[field] = value
            _write_manifest(folder, manifest)
        return change

    def cell(column, value):
        return lambda folder: _write_facts(folder, _set(_facts(folder), column, _shown_row(_facts(folder)),
                                                        value))

    def as_text(column):
        def change(folder):
            table = _facts(folder)
            texts = [None if v is None else str(v) for v in table.column(column).to_pylist()]
            _write_facts(folder, table.set_column(table.schema.get_field_index(column), column,
                                                  pa.array(texts, pa.string())))
        return change

    def numerator_above_denominator(folder):
        table = _facts(folder)
        row = _shown_row(table)
        den = table.column("denominator")[row].as_py()
        _write_facts(folder, _set(_set(table, "numerator", row, den + 1), "value", row, 100.0))

    return {
        "manifest year 99999": manifest_field("year", 99999),
        "manifest catalogue_year 1999": manifest_field("catalogue_year", 1999),
        "manifest is a JSON list": lambda f: _write_manifest(f, [1, 2, 3]),
        "manifest is not JSON": lambda f: (f / "manifest.json").write_text("{year: 2023"),
        "manifest is missing": lambda f: (f / "manifest.json").unlink(),
        "manifest created is no time": manifest_field("created", "i går"),
        "facts checksum mismatch": lambda f: pq.write_table(_facts(f).slice(0, 10), f / "facts.parquet"),
        "facts.parquet is not Parquet": lambda f: (
            (f / "facts.parquet").write_bytes(b"PAR1 not really"),
            _write_manifest(f, {**_manifest(f), "facts_sha256": sha256_file(f / "facts.parquet")})),
        "empty facts": lambda f: _write_facts(f, _facts(f).slice(0, 0)),
        "value stored as text": as_text("value"),
        "numerator stored as text": as_text("numerator"),
        "value NaN": cell("value", float("nan")),
        "numerator Infinity": cell("numerator", float("inf")),
        "value 500 %": cell("value", 500.0),
        "negative numerator": cell("numerator", -4.0),
        "numerator above denominator": numerator_above_denominator,
        "value not 100 × num / den": cell("value", 0.0),
        "unknown indicator": cell("indicator", "MM99"),
        "unknown period": cell("period", "2023X1"),
        "unknown municipality": lambda f: _write_facts(f, _set(_facts(f), "area_code", next(
            i for i, lv in enumerate(_facts(f).column("area_level").to_pylist()) if lv == "kommune"),
            "999")),
        "duplicate facts": lambda f: _write_facts(f, pa.concat_tables([_facts(f), _facts(f).slice(5, 1)])),
        "claimed indicator without facts": lambda f: _write_facts(f, _facts(f).filter(
            pa.compute.not_equal(_facts(f).column("indicator"), "MM10"))),
        "framework value NaN": lambda f: _framework_set(f, "value", float("nan")),
        "framework of another shape": lambda f: pq.write_table(
            pq.read_table(f / "framework.parquet").rename_columns(["a", "b", "c", "d"]),
            f / "framework.parquet"),
        "framework unknown municipality": lambda f: _framework_set(f, "municipality_code", 999),
        "framework not Parquet": lambda f: (f / "framework.parquet").write_bytes(b"garbage"),
        "lacks indicators the active release has": _mm17_only,
    }


BAD_VALUES = [float("nan"), float("inf"), float("-inf"), -1.0, 1e12, "tekst", None]


def random_case(rng: random.Random) -> Callable[[Path], None]:
    def change(folder):
        table = _facts(folder)
        row = _shown_row(table) if rng.random() < 0.5 else rng.randrange(table.num_rows)
        column = rng.choice(["numerator", "denominator", "value", "indicator", "period", "area_code",
                             "suppressed"])
        value = rng.choice(BAD_VALUES)
        if column in ("indicator", "period", "area_code"):
            value = rng.choice(["", "X" * 40, "ÆØÅ", None, "2023M13"])
        if column == "suppressed":
            value = None
        if column in ("numerator", "denominator", "value") and value is None:
            value = -2.0
        _write_facts(folder, _set(table, column, row, value))
    return change


# -- broken registers ---------------------------------------------------------------------------

def _table_set(folder: Path, name: str, column: str, value, row: int = 0) -> None:
    path = folder / f"{name}.parquet"
    table = pq.read_table(path)
    pq.write_table(_set(table, column, row, value), path)


def _empty(folder: Path, *names: str) -> None:
    for name in names:
        path = folder / f"{name}.parquet"
        pq.write_table(pq.read_table(path).slice(0, 0), path)


def register_cases() -> dict[str, Callable[[Path], None]]:
    every = ["persons", "residence", "benefits", "education", "employment", "firms",
             "collaborations", "recruitment", "framework"]
    return {
        "all tables empty": lambda f: _empty(f, *every),
        "benefits empty": lambda f: _empty(f, "benefits"),
        "employment empty": lambda f: _empty(f, "employment"),
        "recruitment empty": lambda f: _empty(f, "recruitment"),
        "framework empty": lambda f: _empty(f, "framework"),
        "benefit month in 9999": lambda f: _table_set(f, "benefits", "month", date(9999, 1, 1)),
        "recruitment weight NaN": lambda f: _table_set(f, "recruitment", "weight", float("nan")),
        "birth date in year 1": lambda f: _table_set(f, "persons", "birth_date", date(1, 1, 1)),
        "residence from 1850": lambda f: _table_set(f, "residence", "valid_from", date(1850, 1, 1)),
        "hours NaN": lambda f: _table_set(f, "employment", "hours", float("nan")),
        "hours Infinity": lambda f: _table_set(f, "employment", "hours", float("inf")),
        "attempts NaN": lambda f: _table_set(f, "recruitment", "attempts", float("nan")),
        "avg_employees Infinity": lambda f: _table_set(f, "firms", "avg_employees", float("inf")),
        "negative hours": lambda f: _table_set(f, "employment", "hours", -7.5),
        "firm year 20230": lambda f: _table_set(f, "firms", "year", 20230),
        "benefits not Parquet": lambda f: (f / "benefits.parquet").write_bytes(b"garbage"),
        "firms missing": lambda f: (f / "firms.parquet").unlink(),
    }


# -- running ------------------------------------------------------------------------------------

def fuzz(root: Path, seed: int, n_random: int) -> list[Outcome]:
    run = Runner(root)
    registers, good = root / "registers", root / "good"
    for args in (["synth", "--scale", str(SCALE), "--seed", str(seed), "--out", str(registers)],
                 ["compute", "--registers", str(registers), "--year", "2023", "--out", str(good)],
                 ["load", str(good), "--publish", "--no-build"]):
        done = run.jobmaal(*args)
        if done.returncode != 0:
            raise SystemExit(f"setting up failed: jobmaal {' '.join(args)}\n{done.stderr}")
    active, count = run.active(), run.releases()
    rng = random.Random(seed)
    cases = release_cases() | {f"random {i + 1}": random_case(rng) for i in range(n_random)}
    loads = []
    for name, change in cases.items():
        folder = root / "cases" / name.replace(" ", "_").replace("%", "pct").replace("/", "_")
        shutil.copytree(good, folder)
        change(folder)
        loads.append((f"load: {name}", ["load", str(folder), "--publish", "--no-build"], None))
    loads.append(("load: missing folder", ["load", str(root / "nowhere"), "--publish"], None))
    computes = []
    for name, change in register_cases().items():
        folder = root / "registers-cases" / name.replace(" ", "_")
        shutil.copytree(registers, folder)
        change(folder)
        out = root / "outs" / folder.name
        computes.append((f"compute: {name}", ["compute", "--registers", str(folder), "--year", "2023",
                                              "--out", str(out)], out))
    # two at a time: the machine's cores; a refused load writes nothing, so they cannot collide
    with ThreadPoolExecutor(2) as pool:
        done = list(pool.map(lambda case: (case, run.jobmaal(*case[1])), loads + computes))
    outcomes = []
    for (name, _args, out), result in done:
        problem = refused_cleanly(result)
        if not problem and out is not None and out.exists():
            problem = "OUT was written"
        outcomes.append(Outcome(name, not problem, problem or _last_line(result.stderr)))
    if run.active() != active or run.releases() != count:
        outcomes.append(Outcome("active release after all cases", False,
                                f"was {active} ({count} releases), now {run.active()} "
                                f"({run.releases()} releases)"))
    else:
        outcomes.append(Outcome("active release after all cases", True, f"unchanged: {active}"))
    return outcomes


def _last_line(text: str) -> str:
    return " ".join(text.split())[:160]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seed", type=int, default=12)
    parser.add_argument("--random", type=int, default=8, help="random broken releases besides the named")
    parser.add_argument("--keep", type=Path, help="work in this folder and keep it")
    args = parser.parse_args(argv)
    if args.keep:
        args.keep.mkdir(parents=True, exist_ok=True)
        outcomes = fuzz(args.keep, args.seed, args.random)
    else:
        with tempfile.TemporaryDirectory(prefix="jobmaal-fuzz-") as tmp:
            outcomes = fuzz(Path(tmp), args.seed, args.random)
    for o in outcomes:
        print(f"{'ok  ' if o.ok else 'FAIL'} {o.case}: {o.detail}")
    failed = [o for o in outcomes if not o.ok]
    print(f"{len(outcomes) - len(failed)} of {len(outcomes)} cases refused cleanly")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
