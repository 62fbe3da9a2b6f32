"""Goal 3 — "Flere flygtninge og familiesammenførte skal være selvforsørgende" — MM13.

Three measures on one population (refugee_months.sql): the official employment measure
(mm13.sql), at least 190 unsubsidised hours in three months (mm13_190.sql) and the
"selvforsørgende" supplement, no benefit in the month (mm13_selv.sql).
"""

from jobmaal.indicators.measures.base import Dimension, Measure

REFUGEE_DIMENSIONS = (
    Dimension("koen", "sex"),
    Dimension("opholdstid", "residence_band"),
    Dimension("indrejst", "arrived_as"),
)

MM13 = Measure(
    id="MM13",
    sql_file="mm13.sql",
    native_period="month",
    dimensions=REFUGEE_DIMENSIONS,
    requires=("refugee_months.sql",),
)
MM13_190 = Measure(
    id="MM13_190",
    sql_file="mm13_190.sql",
    native_period="month",
    dimensions=REFUGEE_DIMENSIONS,
    requires=("refugee_months.sql",),
)
MM13_SELV = Measure(
    id="MM13_SELV",
    sql_file="mm13_selv.sql",
    native_period="month",
    dimensions=REFUGEE_DIMENSIONS,
    requires=("refugee_months.sql",),
)
