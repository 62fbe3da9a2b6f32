"""Benchmark: backtest of the year-end forecast (src/jobmaal/analysis/forecast.py).

For every monthly national indicator, every municipality and every month of the last full year
as the as-of month, the forecast is made from the months up to then and compared with the
year's actual value (Σnum/Σden of the twelve months, the facts' year row). Prints:

- mean absolute error (percentage points) by as-of month, beside two plain rules: the months
  so far (Σnum/Σden of the shown months) and last year's value;
- coverage of the 90 % interval by as-of month and overall (aim: 85–95 %);
- how often the "reached / not reached" call (P ≥ 50 %) is right as of July, against a target
  of last year's value + 1 point in the indicator's direction (the synthetic data have no plans);
- how many forecasts could not be computed, and why.

Each window (months used for the municipality's gap to the country) is run, so the model's
default can be chosen here.

    .venv/bin/python bench/forecast.py                     # scale 1.0 (generation ~15 min)
    .venv/bin/python bench/forecast.py --scale 0.1
    .venv/bin/python bench/forecast.py --facts facts.parquet   # reuse computed facts
"""

from __future__ import annotations

import argparse
import multiprocessing as mp
import shutil
import tempfile
import time
from collections import Counter
from pathlib import Path

import numpy as np
import pandas as pd


def _make_facts(registers: str, year: int, out: str, scale: float | None, seed: int) -> float:
    import pyarrow.parquet as pq

    from jobmaal.indicators.engine import compute_facts
    from jobmaal.registers.synth import generate

    started = time.perf_counter()
    if scale is not None:
        generate(Path(registers), scale=scale, seed=seed)
    pq.write_table(compute_facts(registers, year, validate=False), out)
    return time.perf_counter() - started


def monthly_indicators(year: int) -> list[tuple[str, str]]:
    """(id, direction) of the national monthly shares of the year's catalogue."""
    from jobmaal.catalogue import load_catalogue

    return [(i.id, i.direction) for i in load_catalogue(year).indicators
            if i.periodicity == "month" and i.unit == "pct" and not i.supplementary
            and "kommune" in i.area_levels]


def backtest(facts: pd.DataFrame, year: int, windows: list[int]) -> pd.DataFrame:
    """One row per indicator, municipality, as-of month and window."""
    from jobmaal.analysis.forecast import forecast_year
    from jobmaal.facts import TOTAL

    total = facts[(facts.breakdown == TOTAL) & (facts.breakdown_value == TOTAL)]
    rows = []
    for indicator, direction in monthly_indicators(year):
        ind = total[total.indicator == indicator]
        country = ind[ind.area_level == "land"]
        municipal = ind[ind.area_level == "kommune"]
        year_rows = municipal[municipal.period.isin([str(year), str(year - 1)])]
        values = {(r.area_code, r.period): (None if r.suppressed else r.value)
                  for r in year_rows.itertuples()}
        for code, own in municipal.groupby("area_code"):
            actual = values.get((code, str(year)))
            before = values.get((code, str(year - 1)))
            if actual is None or pd.isna(actual):
                continue
            target = None
            if before is not None and not pd.isna(before):
                target = before + 1.0 if direction == "up" else before - 1.0
            frame = pd.concat([own, country])
            for month in range(1, 13):
                as_of = f"{year}M{month:02d}"
                so_far = own[own.period.str.startswith(f"{year}M") & (own.period <= as_of)
                             & ~own.suppressed.astype(bool)]
                naive = (100 * so_far.numerator.sum() / so_far.denominator.sum()
                         if so_far.denominator.sum() > 0 else np.nan)
                for window in windows:
                    f = forecast_year(frame, indicator, int(code), year, as_of, target=target,
                                      window=window)
                    rows.append(dict(
                        indicator=indicator, code=code, month=month, window=window,
                        actual=actual, last_year=before, target=target,
                        forecast=f.forecast, lower=f.lower, upper=f.upper, p=f.p_target,
                        naive=naive, reason=(f.reason or "").split(" (")[0],
                        direction=direction))
    return pd.DataFrame(rows)


def report(results: pd.DataFrame, year: int) -> None:
    done = results[results.forecast.notna()].copy()
    done["error"] = (done.forecast - done.actual).abs()
    done["covered"] = (done.lower <= done.actual) & (done.actual <= done.upper)
    for window, part in done.groupby("window"):
        every = results[results.window == window]
        print(f"\nwindow {window} months: {len(part):,} forecasts, "
              f"{len(every) - len(part):,} not computable "
              f"({part.code.nunique()} municipalities, {part.indicator.nunique()} indicators)")
        print("  as of     MAE (pp)  months-so-far  last year  coverage 90 %  mean width")
        for month, m in part.groupby("month"):
            naive = (m.naive - m.actual).abs().mean()
            last = (m.last_year - m.actual).abs().mean()
            width = (m.upper - m.lower).mean()
            print(f"  {year}M{month:02d}  {m.error.mean():8.2f}  {naive:13.2f}  {last:9.2f}  "
                  f"{100 * m.covered.mean():12.1f} %  {width:10.2f}")
        print(f"  all months: MAE {part.error.mean():.2f} pp, coverage "
              f"{100 * part.covered.mean():.1f} % (as of Jan–Nov: "
              f"{100 * part[part.month < 12].covered.mean():.1f} %)")
        for indicator, m in part.groupby("indicator"):
            print(f"    {indicator:<10} MAE {m.error.mean():.2f} pp, coverage "
                  f"{100 * m.covered.mean():.1f} %")
        july = part[(part.month == 7) & part.p.notna()]
        if len(july):
            reached = np.where(july.direction == "up", july.actual >= july.target,
                               july.actual <= july.target)
            called = july.p >= 0.5
            print(f"  call as of {year}M07 (target: last year ± 1 point in the indicator's "
                  f"direction): right in {100 * (called == reached).mean():.1f} % of "
                  f"{len(july):,} ({int(reached.sum())} reached)")
        reasons = Counter(every[every.forecast.isna()].reason)
        for reason, n in reasons.most_common(3):
            print(f"  not computable {n:,}×: {reason}")


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--scale", type=float, default=1.0)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--year", type=int, default=2023)
    parser.add_argument("--registers", type=Path, help="reuse this register folder")
    parser.add_argument("--facts", type=Path, help="reuse this facts.parquet")
    parser.add_argument("--windows", default="6,12,24",
                        help="months of the municipality's gap to compare (default 6,12,24)")
    args = parser.parse_args()
    windows = [int(w) for w in args.windows.split(",")]

    tmp = Path(tempfile.mkdtemp(prefix="jobmaal-forecast-"))
    try:
        facts_path = args.facts
        if facts_path is None:
            registers = args.registers or tmp / "registers"
            registers.mkdir(exist_ok=True)
            facts_path = tmp / "facts.parquet"
            scale = None if args.registers else args.scale
            with mp.get_context("spawn").Pool(1) as pool:
                seconds = pool.apply(_make_facts, (str(registers), args.year, str(facts_path),
                                                   scale, args.seed))
            print(f"registers {'reused' if scale is None else f'scale {scale}'}, facts in "
                  f"{seconds:.0f} s")
        facts = pd.read_parquet(facts_path)
        started = time.perf_counter()
        results = backtest(facts, args.year, windows)
        print(f"backtest {args.year}: {len(results):,} forecasts in "
              f"{time.perf_counter() - started:.0f} s")
        report(results, args.year)
    finally:
        shutil.rmtree(tmp, ignore_errors=True)


if __name__ == "__main__":
    main()
