"""The facts table: one row per indicator, period, area and breakdown value.

The one definition of its columns and of the total breakdown, shared by the engine and the
importers that write facts.parquet, the web that loads and serves it and the analysis that
reads it. It depends on nothing of Jobmål, so every layer may import it.
"""

from __future__ import annotations

import pyarrow as pa

# The breakdown id and value of a total row: `i_alt` is the sum of the values of a breakdown.
TOTAL = "i_alt"
TOTAL_BREAKDOWN: tuple[str, str] = (TOTAL, TOTAL)

FACTS_SCHEMA = pa.schema([
    pa.field("indicator", pa.string(), False),
    pa.field("period", pa.string(), False),
    pa.field("area_level", pa.string(), False),
    pa.field("area_code", pa.string(), False),
    pa.field("breakdown", pa.string(), False),
    pa.field("breakdown_value", pa.string(), False),
    pa.field("numerator", pa.float64()),
    pa.field("denominator", pa.float64()),
    pa.field("value", pa.float64()),
    pa.field("suppressed", pa.bool_(), False),
    pa.field("provisional", pa.bool_(), False),
    # why a row is hidden: 'primary' (a small count), 'secondary' (protects one), or null
    pa.field("suppression", pa.string()),
])

FACTS_COLUMNS: tuple[str, ...] = tuple(FACTS_SCHEMA.names)
# The columns that name a row: one row per key.
KEY_COLUMNS: tuple[str, ...] = FACTS_COLUMNS[:6]
# Every column but `suppression`: what a table written before that column holds, and all the
# analysis and the pages read.
CORE_COLUMNS: tuple[str, ...] = FACTS_COLUMNS[:-1]
