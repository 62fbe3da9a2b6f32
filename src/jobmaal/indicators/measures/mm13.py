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


def _refugee_measure(measure_id: str) -> Measure:
    return Measure(
        id=measure_id,
        sql_file=f"{measure_id.lower()}.sql",
        native_period="month",
        dimensions=REFUGEE_DIMENSIONS,
        requires=("refugee_months.sql",),
    )


MM13 = _refugee_measure("MM13")
MM13_190 = _refugee_measure("MM13_190")
MM13_SELV = _refugee_measure("MM13_SELV")
