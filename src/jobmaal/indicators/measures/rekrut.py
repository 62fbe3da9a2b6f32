"""Goal 5a — failed recruitments, from STAR's half-yearly recruitment survey. Rule: rekrut.sql.

Exists only per RAR area and the country; suppressed when fewer than 5 firms answered.
"""

from jobmaal.indicators.measures.base import Measure

MEASURE = Measure(
    id="REKRUT",
    sql_file="rekrut.sql",
    native_period="half_year",
    base_area="rar",
    suppress_on="units",
    unit_id="firm_id",
    register_based=False,
)
