"""Benchmark: rendering the plan documents (PDF, Word, Excel) for one and for all 98 municipalities.

Prints, per format, the time of the first document in the process (cold: vl-convert and Typst
start up), of one more (warm), and of all 98 demo plans in a row with the mean per document;
then the national PDF. The 98 reports are built before timing starts.

    .venv/bin/python bench/reports.py
    .venv/bin/python bench/reports.py --count 20      # fewer municipalities
"""

from __future__ import annotations

import argparse
import os
import sys
import time
from pathlib import Path


def _time(func, *args) -> tuple[float, int]:
    started = time.perf_counter()
    data = func(*args)
    return time.perf_counter() - started, len(data)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--count", type=int, default=98, help="number of municipalities (default: all 98)")
    args = parser.parse_args()

    # The demo reports are the report tests' (tests/reports/demo_data.py); they take the plan
    # states of the app, so Django is set up (no database is used).
    sys.path.insert(0, str(Path(__file__).parents[1] / "tests"))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "jobmaal.web.settings")
    import django

    django.setup()
    from jobmaal.geography import load_geography
    from jobmaal.reports.national_pdf import render_national_pdf
    from jobmaal.reports.plan_docx import render_plan_docx
    from jobmaal.reports.plan_pdf import render_plan_pdf
    from jobmaal.reports.plan_xlsx import render_plan_xlsx
    from reports.demo_data import demo_national_report, demo_plan_report  # tests/reports/

    codes = load_geography().municipality_codes[: args.count]
    started = time.perf_counter()
    reports = [demo_plan_report(code) for code in codes]
    print(f"built {len(reports)} demo plans in {time.perf_counter() - started:.2f} s")

    for name, render in (("PDF ", render_plan_pdf), ("DOCX", render_plan_docx), ("XLSX", render_plan_xlsx)):
        cold, size = _time(render, reports[0])
        warm, _ = _time(render, reports[0])
        started = time.perf_counter()
        total_bytes = sum(len(render(r)) for r in reports)
        total = time.perf_counter() - started
        print(f"{name}  one: {cold:6.3f} s cold, {warm:6.3f} s warm ({size / 1024:5.0f} kB)   "
              f"{len(reports)}: {total:6.2f} s, {total / len(reports):6.3f} s per document "
              f"({total_bytes / len(reports) / 1024:5.0f} kB mean)")

    national = demo_national_report()
    seconds, size = _time(render_national_pdf, national)
    print(f"national PDF ({sum(len(g.indicators) for g in national.goals)} maps): {seconds:.2f} s "
          f"({size / 1024:.0f} kB)")


if __name__ == "__main__":
    main()
