"""Writing imported figures as an OUT folder the web app loads like a computed one.

The folder holds facts.parquet in exactly the indicators layer's 12 columns, manifest.json
(kind, source, fetched time, periods, checksum) and, when given, framework.parquet. It is
written atomically: OUT is replaced whole or not at all.

Published tables often hold only municipalities and months; `complete_facts` adds the job
centres, RAR areas, regions, the country and the quarters, half-years and years that the
source left out, as Σ numerators / Σ denominators of their members (the engine's rule), and
only where every member is there and shown — a sum over hidden figures would be a guess.
Secondary suppression then runs on the derived sums (indicators/suppression.py): a derived sum
is hidden when it would be a shown total with exactly one hidden part. The source's own rows
are never changed.
"""

from __future__ import annotations

import json
from collections.abc import Iterable
from datetime import UTC, datetime
from pathlib import Path

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.parquet as pq

from jobmaal import __version__
from jobmaal.atomic import replace_folder
from jobmaal.catalogue import Catalogue, load_catalogue
from jobmaal.facts import FACTS_SCHEMA, KEY_COLUMNS, TOTAL
from jobmaal.geography import load_geography
from jobmaal.indicators.engine import area_relations, is_provisional, period_relations
from jobmaal.indicators.output import (
    FACTS_FILE,
    FRAMEWORK_FILE,
    MANIFEST_FILE,
    MANIFEST_FORMAT,
    read_release,
    sha256_file,
)
from jobmaal.indicators.suppression import PRIMARY, SECONDARY, fact_equations, protect
from jobmaal.periods import Period
from jobmaal.sources.common import SOURCE_KINDS, SourceError

FRAMEWORK_SCHEMA = pa.schema([
    pa.field("municipality_code", pa.int64(), False),
    pa.field("year", pa.int64(), False),
    pa.field("variable", pa.string(), False),
    pa.field("value", pa.float64(), False),
])
_LONGER = ("quarter", "half_year", "year")


def facts_table(rows: Iterable[dict]) -> pa.Table:
    """Fact rows (dicts with the 12 columns; without `suppression` a hidden row is primary) as
    a facts table, sorted, in the engine's schema."""
    frame = _with_reason(pd.DataFrame(list(rows), columns=FACTS_SCHEMA.names))
    if frame.empty:
        return FACTS_SCHEMA.empty_table()
    frame = frame.sort_values(list(KEY_COLUMNS), kind="stable").reset_index(drop=True)
    for column in ("numerator", "denominator", "value"):
        frame[column] = frame[column].astype("float64")
    return pa.Table.from_pandas(frame, schema=FACTS_SCHEMA, preserve_index=False)


def check_unique(rows: list[dict]) -> None:
    seen: set[tuple] = set()
    for row in rows:
        key = tuple(row[k] for k in KEY_COLUMNS)
        if key in seen:
            raise SourceError(f"samme tal optræder to gange: {', '.join(map(str, key))}")
        seen.add(key)


def complete_facts(rows: list[dict], catalogue: Catalogue, *, provisional_months: int = 3,
                   mark_provisional: bool = True) -> list[dict]:
    """Rows plus the areas and longer periods the source left out (see the module docstring).

    With `mark_provisional`, periods ending within the last `provisional_months` months of an
    indicator's data are flagged provisional, as the engine does for register data.
    """
    if not rows:
        return []
    frame = pd.DataFrame(rows, columns=FACTS_SCHEMA.names)
    parts = [frame]
    for ind_id, own in frame.groupby("indicator", sort=False):
        ind = catalogue.indicator(ind_id)
        threshold = ind.suppression_threshold
        areas = _derive_areas(own, ind.area_levels, threshold, ind.unit)
        with_areas = pd.concat([own, areas], ignore_index=True)
        periods = (_derive_periods(with_areas, threshold, ind.unit)
                   if ind.periodicity == "month" else with_areas.iloc[0:0])
        parts += [areas, periods]
    frame = _with_reason(pd.concat([p for p in parts if not p.empty], ignore_index=True))
    frame = _protect_derived(frame, derived=np.arange(len(frame)) >= len(rows))
    if mark_provisional:
        frame["provisional"] = frame["provisional"].astype(bool) | _provisional(frame, provisional_months)
    records = frame.to_dict("records")
    for record in records:  # NaN → None: no number is not a number
        for column in ("numerator", "denominator", "value"):
            if record[column] != record[column]:
                record[column] = None
        record["suppressed"] = bool(record["suppressed"])
        record["provisional"] = bool(record["provisional"])
        if record["suppression"] != record["suppression"]:
            record["suppression"] = None
    return records


def _with_reason(frame: pd.DataFrame) -> pd.DataFrame:
    """Rows without a `suppression` reason: a hidden row from a source is a primary one."""
    missing = frame["suppression"].isna()
    hidden = frame["suppressed"].fillna(False).astype(bool)
    frame["suppression"] = frame["suppression"].where(~missing, np.where(hidden, PRIMARY, None))
    return frame


def _protect_derived(frame: pd.DataFrame, derived: np.ndarray) -> pd.DataFrame:
    """Hide derived sums that would leave exactly one hidden part of a shown total."""
    if not derived.any():
        return frame
    years = sorted({int(p[:4]) for p in frame.period.unique()})
    areas = pd.concat([area_relations(y) for y in years], ignore_index=True)
    areas = areas[areas.base == "kommune"].drop(columns="base")
    times = pd.concat([period_relations(y) for y in years], ignore_index=True).drop_duplicates()
    links = pd.concat([
        part.assign(indicator=ind, dimension=dim)
        for ind in frame.indicator.unique()
        for part, dim in ((areas, "area"), (times, "period"))], ignore_index=True)
    equations = fact_equations(frame[list(KEY_COLUMNS)], links, complete_only=True)
    hidden = frame.suppressed.astype(bool).to_numpy()
    size = frame.denominator.fillna(0).to_numpy(dtype=float)
    country = ((frame.area_level == "land") & (frame.breakdown == TOTAL)).to_numpy()
    secondary = protect(size, hidden, equations, keep=~derived | country, combinations=False)
    if secondary.any():
        frame.loc[secondary, ["numerator", "denominator", "value"]] = np.nan
        frame.loc[secondary, "suppressed"] = True
        frame.loc[secondary, "suppression"] = SECONDARY
    return frame


def _derive_areas(own: pd.DataFrame, levels: tuple[str, ...], threshold: int, unit: str) -> pd.DataFrame:
    base = own[own.area_level == "kommune"]
    if base.empty:
        return own.iloc[0:0]
    made = []
    years = base.period.str[:4].astype(int)
    for year in sorted(years.unique()):  # job centres and RAR areas of each period's year
        geo = load_geography(int(year))
        of_year = base[years == year]
        for level in levels:
            if level == "kommune":
                continue
            parent = {str(m.code): geo.parent_code(m.code, level) for m in geo.municipalities}
            members = pd.Series(list(parent.values())).value_counts()
            grouped = of_year.assign(area_code=of_year.area_code.map(parent), area_level=level)
            made.append(_sum_groups(grouped, members, own, threshold, unit))
    return pd.concat(made, ignore_index=True) if made else own.iloc[0:0]


def _derive_periods(frame: pd.DataFrame, threshold: int, unit: str) -> pd.DataFrame:
    months = frame[frame.period.str.contains("M")]
    if months.empty:
        return frame.iloc[0:0]
    month_period = {code: Period.parse(code) for code in months.period.unique()}
    made = []
    for kind, size in (("quarter", 3), ("half_year", 6), ("year", 12)):
        container = {code: Period.of_date(p.start, kind).code for code, p in month_period.items()}
        grouped = months.assign(period=months.period.map(container))
        made.append(_sum_groups(grouped, size, frame, threshold, unit))
    return pd.concat(made, ignore_index=True)


def _sum_groups(grouped: pd.DataFrame, members, have: pd.DataFrame, threshold: int,
                unit: str) -> pd.DataFrame:
    """Σnum/Σden per key of `grouped` where every member (`members` rows, a number or a
    Series by area code) is there and shown, and `have` holds no such row yet."""
    hidden = grouped.suppressed.astype(bool) | grouped.numerator.isna() | grouped.denominator.isna()
    work = grouped.assign(_hidden=hidden, _n=1)
    sums = work.groupby(list(KEY_COLUMNS), sort=False).agg(
        numerator=("numerator", "sum"), denominator=("denominator", "sum"),
        provisional=("provisional", "any"), _hidden=("_hidden", "any"), _n=("_n", "sum")).reset_index()
    need = (sums.area_code.map(members) if isinstance(members, pd.Series)
            else pd.Series(members, index=sums.index))
    sums = sums[(sums._n == need) & ~sums._hidden]
    existing = pd.MultiIndex.from_frame(have[list(KEY_COLUMNS)])
    sums = sums[~pd.MultiIndex.from_frame(sums[list(KEY_COLUMNS)]).isin(existing)]
    if sums.empty:
        return have.iloc[0:0]
    num, den = sums.numerator.astype(float), sums.denominator.astype(float)
    small = ((num > 0) & (num < threshold)) | ((den > 0) & (den < threshold))
    if unit == "pct":
        value = (100.0 * num / den.where(den != 0)).where(~small)
    else:
        value = num.where(~small)
    out = pd.DataFrame({
        **{k: sums[k].to_numpy() for k in KEY_COLUMNS},
        "numerator": num.where(~small).to_numpy(), "denominator": den.where(~small).to_numpy(),
        "value": value.to_numpy(), "suppressed": small.to_numpy(),
        "provisional": sums.provisional.astype(bool).to_numpy(),
        "suppression": np.where(small.to_numpy(), PRIMARY, None)})
    return out[FACTS_SCHEMA.names]


def _provisional(frame: pd.DataFrame, months: int) -> pd.Series:
    flags = pd.Series(False, index=frame.index)
    for _ind, own in frame.groupby("indicator", sort=False):
        monthly = [Period.parse(p) for p in own.period.unique() if "M" in p]
        if not monthly:
            continue
        latest = max(monthly).end
        for code in own.period.unique():
            if is_provisional(Period.parse(code), latest, months):
                flags[own.index[own.period == code]] = True
    return flags


def write_release(out: str | Path, facts: pa.Table, *, kind: str, year: int, source: dict,
                  fetched: datetime | None = None, catalogue_year: int | None = None,
                  framework: pa.Table | None = None, framework_variables: list[dict] | None = None,
                  extra: dict | None = None) -> dict:
    """Write facts (+ framework) and the manifest into OUT atomically; returns the manifest."""
    if kind not in SOURCE_KINDS:
        raise ValueError(f"unknown source kind {kind!r} (known: {SOURCE_KINDS})")
    if facts.schema.names != FACTS_SCHEMA.names:
        raise ValueError(f"facts columns {facts.schema.names}, expected {FACTS_SCHEMA.names}")
    if facts.num_rows == 0:
        raise SourceError("kilden gav ingen tal; intet er skrevet")
    fetched = fetched or datetime.now(UTC)
    catalogue_year = catalogue_year or year
    load_catalogue(catalogue_year)
    with replace_folder(out) as staging:
        facts_path = staging / FACTS_FILE
        pq.write_table(facts.cast(FACTS_SCHEMA), facts_path, compression="zstd")
        if framework is not None:
            pq.write_table(framework.cast(FRAMEWORK_SCHEMA), staging / FRAMEWORK_FILE,
                           compression="zstd")
        manifest = build_manifest(facts, facts_path, kind=kind, year=year, source=source,
                                  fetched=fetched, catalogue_year=catalogue_year)
        if framework is not None:
            manifest["framework_variables"] = framework_variables or [
                {"name": n, "danish": n, "english": n, "unit": ""}
                for n in sorted(set(framework.column("variable").to_pylist()))]
        manifest.update(extra or {})
        (staging / MANIFEST_FILE).write_text(
            json.dumps(manifest, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
    return manifest


def build_manifest(facts: pa.Table, facts_path: Path, *, kind: str, year: int, source: dict,
                   fetched: datetime, catalogue_year: int) -> dict:
    per_indicator: dict[str, int] = {}
    for ind in facts.column("indicator").to_pylist():
        per_indicator[ind] = per_indicator.get(ind, 0) + 1
    return {
        "format": MANIFEST_FORMAT,
        "kind": kind,
        "year": year,
        "catalogue_year": catalogue_year,
        "periods": sorted(set(facts.column("period").to_pylist())),
        "indicators": sorted(per_indicator),
        "source": {"type": kind, "synthetic": False, **source},
        "fetched": fetched.isoformat(timespec="seconds"),
        "engine_version": __version__,
        "created": fetched.isoformat(timespec="seconds"),
        "row_counts": {"total": facts.num_rows, **dict(sorted(per_indicator.items()))},
        "facts_sha256": sha256_file(facts_path),
    }


def add_framework(folder: str | Path, framework: pa.Table, variables: list[dict],
                  source: dict) -> dict:
    """Put framework conditions into an existing OUT folder (atomically); returns its manifest."""
    folder = Path(folder)
    facts, manifest = read_release(folder)
    with replace_folder(folder) as staging:
        pq.write_table(facts, staging / FACTS_FILE, compression="zstd")
        pq.write_table(framework.cast(FRAMEWORK_SCHEMA), staging / FRAMEWORK_FILE, compression="zstd")
        manifest = {**manifest, "framework_variables": variables, "framework_source": source,
                    "facts_sha256": sha256_file(staging / FACTS_FILE)}
        (staging / MANIFEST_FILE).write_text(
            json.dumps(manifest, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
    return manifest
