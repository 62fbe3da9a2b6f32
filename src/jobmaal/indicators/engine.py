"""Computes every register measure for every period, area level and breakdown.

Each measure's SQL (measures/*.sql) yields unit rows at its native period and base area. The
engine then does the same three steps for all of them, in SQL:
  1. base: sum unit rows per native period, base area and breakdown value;
  2. roll-up: sum base rows into every period and area containing them (Σnum / Σden);
  3. publish: add the empty total rows, apply primary suppression and provisional flags.
Secondary suppression (indicators/suppression.py) then runs on the whole facts table, along
every additive relation of areas, breakdowns and time, before the hidden numbers are dropped.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from pathlib import Path

import duckdb
import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc

from jobmaal.facts import FACTS_SCHEMA, KEY_COLUMNS, TOTAL
from jobmaal.geography import AREA_LEVELS, COUNTRY_CODE, load_geography
from jobmaal.indicators.measures import MEASURES, Measure
from jobmaal.indicators.measures.base import read_sql
from jobmaal.indicators.suppression import (
    PRIMARY,
    SECONDARY,
    Bounds,
    fact_equations,
    fact_groups,
    protect,
    protect_cubes,
)
from jobmaal.periods import PERIOD_KINDS, Period, periods_of_year
from jobmaal.registers.contract import DATE_WINDOW, TABLES, DateWindow, table_path
from jobmaal.registers.validate import validate_registers


def with_suppression_column(facts: pa.Table) -> pa.Table:
    """Facts in FACTS_SCHEMA; a table written before the `suppression` column (CORE_COLUMNS, up
    to `provisional`) gets it, every hidden row counting as primary."""
    if "suppression" not in facts.schema.names:
        reason = pc.if_else(facts.column("suppressed"), pa.scalar(PRIMARY),
                            pa.scalar(None, pa.string()))
        facts = facts.append_column("suppression", reason)
    return facts


# Which published periods a native period rolls up into.
_ROLLUP_KINDS = {
    "month": ("month", "quarter", "half_year", "year"),
    "half_year": ("half_year",),
    "year": ("year",),
}
_BASE_LEVELS = {"kommune": AREA_LEVELS, "rar": ("rar", "land")}


@dataclass(frozen=True)
class EngineSettings:
    """Settings of a computation. Defaults are the published rules and safe machine limits."""

    suppression_threshold: int = 5  # counts 1..threshold-1 are never shown
    provisional_months: int = 3  # periods ending in the last N months of data are provisional
    memory_limit: str = "6GB"  # DuckDB spills to disk beyond this
    threads: int = 2
    date_window: DateWindow = DATE_WINDOW  # dates a register may plausibly hold (contract)

    def __post_init__(self) -> None:
        if self.suppression_threshold < 1:
            raise ValueError("suppression_threshold must be at least 1 (1 suppresses nothing)")
        if self.provisional_months < 0:
            raise ValueError("provisional_months must not be negative")


def compute_facts(registers: str | Path, year: int,
                  settings: EngineSettings | None = None, *, validate: bool = True) -> pa.Table:
    """The facts table for `year` and the year before, from a register folder."""
    settings = settings or EngineSettings()
    registers = Path(registers)
    if validate:
        validate_registers(registers, settings.date_window)
    con = duckdb.connect(config={"memory_limit": settings.memory_limit,
                                 "threads": settings.threads})
    try:
        _register_views(con, registers)
        latest = latest_data_month(con)
        _calendar_tables(con, year, latest, settings)
        _area_tables(con, year)
        _create_facts_table(con)
        for measure in MEASURES:
            _compute_measure(con, measure, settings)
        return _collect(con, year, settings)
    finally:
        con.close()


def latest_data_month(con: duckdb.DuckDBPyConnection) -> date | None:
    """The latest month present in the registers (benefits and employment)."""
    row = con.execute(
        "SELECT MAX(month) FROM (SELECT MAX(month) AS month FROM benefits "
        "UNION ALL SELECT MAX(month) FROM employment)"
    ).fetchall()
    return row[0][0]


# -- setup ---------------------------------------------------------------------------------------
def _register_views(con: duckdb.DuckDBPyConnection, folder: Path) -> None:
    for name in TABLES:
        path = table_path(folder, name).as_posix().replace("'", "''")
        con.execute(f"CREATE VIEW {name} AS SELECT * FROM read_parquet('{path}')")


def _calendar_tables(con: duckdb.DuckDBPyConnection, year: int, latest: date | None,
                     settings: EngineSettings) -> None:
    years = (year - 1, year)
    months = [p for y in years for p in periods_of_year(y, "month")]
    con.execute("CREATE TEMP TABLE calc_months (month DATE, month_end DATE, period VARCHAR)")
    con.executemany("INSERT INTO calc_months VALUES (?, ?, ?)",
                    [(m.start, m.end, m.code) for m in months])
    con.execute("CREATE TEMP TABLE calc_years (year BIGINT, period VARCHAR)")
    con.executemany("INSERT INTO calc_years VALUES (?, ?)", [(y, str(y)) for y in years])
    con.execute("CREATE TEMP TABLE calc_half_years (period VARCHAR)")
    con.executemany("INSERT INTO calc_half_years VALUES (?)",
                    [(p.code,) for y in years for p in periods_of_year(y, "half_year")])

    published = [p for y in years for kind in PERIOD_KINDS for p in periods_of_year(y, kind)]
    con.execute("CREATE TEMP TABLE calc_periods "
                "(period VARCHAR, kind VARCHAR, sort_key BIGINT, provisional BOOLEAN, year BIGINT)")
    con.executemany("INSERT INTO calc_periods VALUES (?, ?, ?, ?, ?)", [
        (p.code, p.kind, i, is_provisional(p, latest, settings.provisional_months), p.year)
        for i, p in enumerate(sorted(published, key=lambda p: (PERIOD_KINDS.index(p.kind), p.start)))
    ])
    con.execute("CREATE TEMP TABLE period_rollup "
                "(native VARCHAR, kind VARCHAR, period VARCHAR, year BIGINT)")
    con.executemany("INSERT INTO period_rollup VALUES (?, ?, ?, ?)", [
        (p.code, p.kind, q.code, q.year)
        for p in published
        for q in published
        if q.kind in _ROLLUP_KINDS.get(p.kind, ()) and q.contains(p)
    ])


def is_provisional(period: Period, latest: date | None, months: int) -> bool:
    """A period is provisional when it ends within the last `months` months of data."""
    if latest is None or months == 0:
        return False
    first_provisional = Period.of_date(latest).shift(-(months - 1)).start
    return period.end >= first_provisional


def _area_tables(con: duckdb.DuckDBPyConnection, year: int) -> None:
    """Municipalities and the roll-up into areas, per year: job centres and RAR areas are
    those of each period's year, so a figure exists only for areas that existed then."""
    con.execute("CREATE TEMP TABLE municipalities (municipality_code BIGINT, "
                "jobcentre_code BIGINT, rar VARCHAR, region_code VARCHAR, year BIGINT)")
    con.execute("CREATE TEMP TABLE area_rollup "
                "(base_level VARCHAR, base_area VARCHAR, area_level VARCHAR, area_code VARCHAR, "
                "level_order INTEGER, year BIGINT)")
    for y in (year - 1, year):
        geo = load_geography(y)
        con.executemany("INSERT INTO municipalities VALUES (?, ?, ?, ?, ?)", [
            (m.code, m.jobcentre_code, m.rar, m.region_code, y) for m in geo.municipalities
        ])
        rows = [("kommune", str(code), level, area, AREA_LEVELS.index(level), y)
                for code, level, area in geo.membership_rows()]
        rows += sorted({("rar", m.rar, level, geo.parent_code(m.code, level),
                         AREA_LEVELS.index(level), y)
                        for m in geo.municipalities for level in _BASE_LEVELS["rar"]})
        con.executemany("INSERT INTO area_rollup VALUES (?, ?, ?, ?, ?, ?)", rows)


# -- per measure -----------------------------------------------------------------------------------
def _compute_measure(con: duckdb.DuckDBPyConnection, measure: Measure,
                     settings: EngineSettings) -> None:
    for shared in measure.requires:
        table = shared.removesuffix(".sql")
        exists = con.execute("SELECT COUNT(*) FROM duckdb_tables() WHERE table_name = ?",
                             [table]).fetchall()[0][0]
        if not exists:
            con.execute(read_sql(shared))
    con.execute(f"CREATE OR REPLACE TEMP TABLE units AS {measure.sql()}")
    con.execute(f"CREATE OR REPLACE TEMP TABLE base AS {_base_sql(measure)}")
    if measure.unit_id:
        con.execute(f"CREATE OR REPLACE TEMP TABLE rolled_units AS {_distinct_units_sql(measure)}")
    con.execute(_publish_sql(measure, settings))


def _base_area(measure: Measure) -> str:
    return "CAST(municipality_code AS VARCHAR)" if measure.base_area == "kommune" else "rar"


def _breakdown_parts(measure: Measure) -> list[tuple[str, str, str]]:
    """(breakdown, SQL for its value, numerator column) for the total and every breakdown."""
    parts = [(TOTAL, f"'{TOTAL}'", "numerator")]
    parts += [(d.breakdown, f"CAST({d.column} AS VARCHAR)", "numerator") for d in measure.dimensions]
    parts += [(v.breakdown, f"'{value}'", column)
              for v in measure.numerator_variants for value, column in v.values]
    return parts


def _base_sql(measure: Measure) -> str:
    """Step 1: one GROUP BY per breakdown over the unit rows."""
    area = _base_area(measure)
    parts = _breakdown_parts(measure)
    selects = [
        f"SELECT period, {area} AS base_area, '{breakdown}' AS breakdown, "
        f"{value} AS breakdown_value, SUM({numerator}) AS num, SUM(denominator) AS den, "
        f"COUNT(*) AS units FROM units GROUP BY period, {area}, {value}"
        for breakdown, value, numerator in parts
    ]
    return "\nUNION ALL\n".join(selects)


def _distinct_units_sql(measure: Measure) -> str:
    """Respondents counted distinct in every rolled-up area and period (they do not add up)."""
    selects = [
        f"SELECT r.period, a.area_level, a.area_code, '{breakdown}' AS breakdown, "
        f"{value} AS breakdown_value, COUNT(DISTINCT u.{measure.unit_id}) AS units "
        f"FROM units u JOIN period_rollup r ON r.native = u.period "
        f"JOIN area_rollup a ON a.year = r.year AND a.base_level = '{measure.base_area}' "
        f"AND a.base_area = {_base_area(measure).replace('municipality_code', 'u.municipality_code')} "
        f"GROUP BY r.period, a.area_level, a.area_code, {value}"
        for breakdown, value, _ in _breakdown_parts(measure)
    ]
    return "\nUNION ALL\n".join(selects)


def _publish_sql(measure: Measure, settings: EngineSettings) -> str:
    """Steps 2 and 3: roll up, add the empty totals, flag and suppress."""
    kinds = ", ".join(f"'{k}'" for k in
                      measure.published_kinds or _ROLLUP_KINDS[measure.native_period])
    threshold = settings.suppression_threshold
    if measure.suppress_on == "units":
        hidden = f"(units > 0 AND units < {threshold})"
    else:
        hidden = (f"((num > 0 AND num < {threshold}) OR (den > 0 AND den < {threshold}))")
    provisional = "p.provisional" if measure.register_based else "FALSE"
    # hidden rows lose their figures later, in the secondary suppression step
    value = ("CAST(num AS DOUBLE)" if measure.kind == "count"
             else "CASE WHEN den = 0 THEN NULL ELSE 100.0 * num / den END")
    # the candidates for secondary suppression are ordered by this size: people, or firms
    size = "CAST(units AS DOUBLE)" if measure.suppress_on == "units" else "CAST(den AS DOUBLE)"
    # whether a reader knows a hidden row's numerator and denominator lie in 1..threshold-1
    counts_known = "FALSE" if measure.suppress_on == "units" else "TRUE"
    units = "SUM(b.units)"
    if measure.unit_id:
        units = ("(SELECT MAX(ru.units) FROM rolled_units ru WHERE ru.period = r.period "
                 "AND ru.area_level = a.area_level AND ru.area_code = a.area_code "
                 "AND ru.breakdown = b.breakdown AND ru.breakdown_value = b.breakdown_value)")
    return f"""
    INSERT INTO facts
    WITH rolled AS (
        SELECT r.period, a.area_level, a.area_code, a.level_order, b.breakdown,
               b.breakdown_value, SUM(b.num) AS num, SUM(b.den) AS den, {units} AS units
        FROM base b
        JOIN period_rollup r ON r.native = b.period
        JOIN area_rollup a ON a.year = r.year AND a.base_level = '{measure.base_area}'
                          AND a.base_area = b.base_area
        WHERE r.period IN (SELECT period FROM calc_periods WHERE kind IN ({kinds}))
        GROUP BY r.period, a.area_level, a.area_code, a.level_order, b.breakdown,
                 b.breakdown_value
    ),
    totals AS (  -- every area and period has a total row, even with nothing to count
        SELECT p.period, a.area_level, a.area_code, a.level_order,
               '{TOTAL}' AS breakdown, '{TOTAL}' AS breakdown_value
        FROM calc_periods p
        JOIN (SELECT DISTINCT year, area_level, area_code, level_order FROM area_rollup
              WHERE base_level = '{measure.base_area}') a ON a.year = p.year
        WHERE p.kind IN ({kinds})
    ),
    complete AS (
        SELECT t.period, t.area_level, t.area_code, t.level_order, t.breakdown,
               t.breakdown_value, COALESCE(r.num, 0) AS num, COALESCE(r.den, 0) AS den,
               COALESCE(r.units, 0) AS units
        FROM totals t
        LEFT JOIN rolled r USING (period, area_level, area_code, breakdown, breakdown_value)
        UNION ALL
        SELECT * FROM rolled WHERE breakdown <> '{TOTAL}' AND den > 0
    ),
    flagged AS (
        SELECT c.*, {hidden} AS suppressed, {provisional} AS provisional, p.sort_key
        FROM complete c JOIN calc_periods p USING (period)
    )
    SELECT
        '{measure.id}', period, area_level, area_code, breakdown, breakdown_value,
        CAST(num AS DOUBLE), CAST(den AS DOUBLE),
        {value},
        suppressed, provisional,
        {MEASURES.index(measure)}, sort_key, level_order,
        {size}, {counts_known}
    FROM flagged
    """


def _collect(con: duckdb.DuckDBPyConnection, year: int, settings: EngineSettings) -> pa.Table:
    table = con.sql(
        "SELECT * EXCLUDE (measure_order, sort_key, level_order) FROM facts "
        "ORDER BY measure_order, sort_key, level_order, area_code, "
        f"breakdown = '{TOTAL}' DESC, breakdown, breakdown_value"
    ).to_arrow_table()
    return apply_secondary_suppression(table, suppression_links(table, year),
                                       settings.suppression_threshold)


def apply_secondary_suppression(table: pa.Table, links: pd.DataFrame, threshold: int) -> pa.Table:
    """Hide what protects the primary cells, then drop every hidden row's numbers.

    `table` has the facts columns with all numbers present, `suppressed` meaning primary, and
    `size` and `counts_known` (see `_publish_sql`).
    """
    num = table.column("numerator").to_numpy(zero_copy_only=False)
    den = table.column("denominator").to_numpy(zero_copy_only=False)
    primary = table.column("suppressed").to_numpy(zero_copy_only=False)
    known = table.column("counts_known").to_numpy(zero_copy_only=False)
    values = np.column_stack([num, den])
    small = (values > 0) & (values < threshold) & known[:, None]
    country_total = (pc.equal(table.column("area_level"), "land").to_numpy(zero_copy_only=False)
                     & pc.equal(table.column("breakdown"), TOTAL).to_numpy(zero_copy_only=False))
    size = table.column("size").to_numpy(zero_copy_only=False)
    groups = fact_groups(table.select(list(KEY_COLUMNS)).to_pandas(), links, size)
    cubes = protect_cubes(groups, size, primary, keep=country_total,
                          bounds=Bounds(values, small, 1.0, threshold - 1.0))
    secondary = cubes.secondary
    # Rare, in tiny tables: a primary cell with no hypercube gets the general rule with its
    # solver check. The solver is too slow for a national table (minutes at demo scale), where
    # the hypercubes alone left no recoverable cell in the scale-0.05 audit.
    if cubes.missed and table.num_rows <= _SOLVER_MAX_ROWS:
        equations = fact_equations(table.select(list(KEY_COLUMNS)), links)
        secondary = secondary | protect(size, primary | secondary, equations, keep=country_total)
    hidden = primary | secondary
    reason = np.where(primary, PRIMARY, np.where(secondary, SECONDARY, None))
    columns = {name: table.column(name) for name in FACTS_SCHEMA.names if name in table.schema.names}
    for name in ("numerator", "denominator", "value"):
        columns[name] = pc.if_else(pa.array(hidden), pa.scalar(None, pa.float64()), columns[name])
    columns["suppressed"] = pa.array(hidden)
    columns["suppression"] = pa.array(reason, pa.string())
    return pa.table(columns).select(FACTS_SCHEMA.names).cast(FACTS_SCHEMA)


_SOLVER_MAX_ROWS = 20_000


def suppression_links(table: pa.Table, year: int) -> pd.DataFrame:
    """The additive relations of each measure (see indicators/suppression.py for their form).

    Areas: every municipality-based measure adds up from municipalities to job centres, RAR
    areas, regions and the country; REKRUT from RAR areas to the country. Sums of units
    (firms) are not additive (a firm in two RAR areas counts once in the country), but the
    numerator and denominator are, so the areas are related on those.
    Time: only monthly measures add up (quarter = Σ months, half-year = Σ quarters, year =
    Σ half-years); firm-years and survey half-years are not summed.
    Breakdowns: `i_alt` = Σ the values of each dimension (a partition of the units); MM10's
    'samarbejde' values are alternative numerators (a firm can be in both), not a partition.
    """
    areas = pd.concat([area_relations(y) for y in (year - 1, year)], ignore_index=True)
    times = period_relations(year)
    present = (table.select(["indicator", "breakdown", "breakdown_value"])
               .group_by(["indicator", "breakdown", "breakdown_value"]).aggregate([])
               .to_pandas())
    frames = []
    for measure in MEASURES:
        base = areas[areas.base == measure.base_area].drop(columns="base")
        frames.append(base.assign(indicator=measure.id, dimension="area"))
        if measure.native_period == "month":
            frames.append(times.assign(indicator=measure.id, dimension="period"))
        dims = {d.breakdown for d in measure.dimensions}
        own = present[(present.indicator == measure.id) & present.breakdown.isin(dims)]
        frames.append(pd.DataFrame({
            "indicator": measure.id, "dimension": "breakdown", "relation": own.breakdown,
            "child": own.breakdown + ":" + own.breakdown_value, "parent": f"{TOTAL}:{TOTAL}"}))
    links = pd.concat(frames, ignore_index=True)
    links["year"] = links["year"].astype("Int64")  # null: the relation holds in every year
    return links[["indicator", "dimension", "relation", "child", "parent", "year"]]


def area_relations(year: int) -> pd.DataFrame:
    """(base, relation, child 'level:code', parent 'level:code', year) of the year's geography:
    job centres and RAR areas change, so each period sums into the areas of its own year."""
    geo = load_geography(year)
    rows = []
    for m in geo.municipalities:
        for parent in AREA_LEVELS[1:]:
            rows.append(("kommune", f"kommune>{parent}", f"kommune:{m.code}",
                         f"{parent}:{geo.parent_code(m.code, parent)}"))
    for level in ("jobcenter", "rar", "region"):
        for code in {geo.parent_code(m.code, level) for m in geo.municipalities}:
            rows.append(("kommune", f"{level}>land", f"{level}:{code}", f"land:{COUNTRY_CODE}"))
    for rar in {m.rar for m in geo.municipalities}:
        rows.append(("rar", "rar>land", f"rar:{rar}", f"land:{COUNTRY_CODE}"))
    return pd.DataFrame(rows, columns=["base", "relation", "child", "parent"]).assign(year=year)


def period_relations(year: int) -> pd.DataFrame:
    """Monthly measures: each period = Σ each shorter kind of period inside it."""
    kinds = ("month", "quarter", "half_year", "year")
    rows = []
    for y in (year - 1, year):
        for i, parent_kind in enumerate(kinds[1:], start=1):
            for parent in periods_of_year(y, parent_kind):
                for child_kind in kinds[:i]:
                    rows += [(f"{child_kind}>{parent_kind}", child.code, parent.code)
                             for child in periods_of_year(y, child_kind) if parent.contains(child)]
    return pd.DataFrame(rows, columns=["relation", "child", "parent"])


def _create_facts_table(con: duckdb.DuckDBPyConnection) -> None:
    con.execute(
        "CREATE TEMP TABLE facts (indicator VARCHAR, period VARCHAR, area_level VARCHAR, "
        "area_code VARCHAR, breakdown VARCHAR, breakdown_value VARCHAR, numerator DOUBLE, "
        "denominator DOUBLE, value DOUBLE, suppressed BOOLEAN, provisional BOOLEAN, "
        "measure_order INTEGER, sort_key BIGINT, level_order INTEGER, size DOUBLE, "
        "counts_known BOOLEAN)"
    )
