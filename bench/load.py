"""Benchmark: plan saves during a `jobmaal load` on SQLite, chunked against one transaction.

Loads a computed release folder into a fresh SQLite database twice while the main thread saves
a plan's goal text over and over (a new save as soon as the last one lands):

  chunked          load_release as shipped: LOAD_CHUNK_ROWS rows per transaction
  one transaction  the same load inside one outer transaction (how loads ran before)

It prints the load time and, for the saves made during each load, how many landed or failed
and their p50/p95/max wait. Prints, never asserts.

    .venv/bin/python bench/load.py --release /tmp/release-2023   # a computed OUT folder
    .venv/bin/python bench/load.py --scale 0.02                  # generate and compute one first
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import tempfile
import threading
import time
from pathlib import Path


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--release", type=Path, help="a computed OUT folder")
    parser.add_argument("--scale", type=float, default=0.02, help="generate and compute at this scale")
    parser.add_argument("--chunk-rows", type=int, default=None, help="rows per transaction")
    parser.add_argument("--timeout", type=float, default=20.0, help="JOBMAAL_SQLITE_TIMEOUT")
    args = parser.parse_args()
    work = Path(tempfile.mkdtemp(prefix="jobmaal-bench-load-"))
    os.environ["JOBMAAL_DATA_DIR"] = str(work / "data")
    os.environ["JOBMAAL_SQLITE_TIMEOUT"] = str(args.timeout)
    os.environ.pop("DATABASE_URL", None)
    folder = args.release or _computed(work, args.scale)

    from jobmaal.cli_django import setup_django

    setup_django()
    from django.conf import settings

    editor, plan = _editor_and_plan()
    chunk = args.chunk_rows or settings.LOAD_CHUNK_ROWS
    print(f"release {folder}, SQLite busy timeout {args.timeout:g} s, chunks of {chunk:,} rows")
    for label, outer in (("chunked", False), ("one transaction", True)):
        seconds, waits, failures = _saves_during_load(folder, chunk, outer, editor, plan)
        _report(label, seconds, waits, failures)


def _computed(work: Path, scale: float) -> Path:
    from jobmaal.indicators.output import run_compute
    from jobmaal.registers.synth import generate

    generate(work / "registers", scale=scale, seed=2023)
    run_compute(work / "registers", 2023, work / "release-2023")
    return work / "release-2023"


def _editor_and_plan():
    from django.contrib.auth import get_user_model

    from jobmaal.web.accounts.models import MunicipalityGrant, Profile, Role
    from jobmaal.web.followup import services

    editor = get_user_model().objects.create_user("bench", "bench@example.dk", "x-bench-9f3k")
    Profile.objects.create(user=editor, role=Role.EDITOR)
    MunicipalityGrant.objects.create(user=editor, municipality_code=101)
    return editor, services.create_plan(editor, 101, 2023)


def _saves_during_load(folder: Path, chunk: int, outer: bool, editor, plan):
    from django.db import connection, transaction

    from jobmaal.web.followup import services
    from jobmaal.web.followup.models import Plan
    from jobmaal.web.releases import load_release

    started, done = threading.Event(), threading.Event()
    took: list[float] = []
    marks: list[tuple[float, str]] = []

    def stored(step: str, rows: int, total: int) -> None:
        marks.append((time.perf_counter(), step))
        started.set()

    def load() -> None:
        begin = time.perf_counter()
        try:
            if outer:
                with transaction.atomic():
                    started.set()
                    load_release(folder, chunk_rows=chunk)
            else:
                load_release(folder, chunk_rows=chunk, progress=stored)
        finally:
            took.append(time.perf_counter() - begin)
            done.set()
            connection.close()

    loader = threading.Thread(target=load)
    loader.start()
    started.wait()
    waits, failures = [], 0
    while not done.is_set():
        begin = time.perf_counter()
        try:
            current = Plan.objects.get(pk=plan.pk)
            services.save_goal_text(editor, current, 1, current.version, focus=f"{begin}", efforts="")
            waits.append(time.perf_counter() - begin)
        except Exception:  # noqa: BLE001 — counted: "database is locked" after the timeout
            failures += 1
    loader.join()
    if len(marks) > 1:
        gap, step = max((b[0] - a[0], b[1]) for a, b in zip(marks, marks[1:], strict=False))
        print(f"  {len(marks)} chunks; longest time from one to the next {gap * 1000:,.0f} ms "
              f"({step}; for the first expected-level chunk this includes fitting the models, "
              "which holds no lock)")
    return took[0], waits, failures


def _report(label: str, seconds: float, waits: list[float], failures: int) -> None:
    if waits:
        ordered = sorted(waits)
        p95 = ordered[min(len(ordered) - 1, int(0.95 * len(ordered)))]
        spread = (f"wait p50 {statistics.median(ordered) * 1000:,.0f} ms, p95 {p95 * 1000:,.0f} ms, "
                  f"max {ordered[-1] * 1000:,.0f} ms")
    else:
        spread = "no save landed during the load"
    print(f"{label:16} load {seconds:5.1f} s; saves during it: {len(waits)} landed, {failures} failed; "
          f"{spread}")


if __name__ == "__main__":
    sys.path.insert(0, str(Path(__file__).parents[1] / "src"))
    main()
