"""Goal 3, supplementary (not a ministerial goal): people displaced from Ukraine, in work.

Two measures on one population (ukraine_months.sql), following the ministry's published
reading: the share of all of working age in unsubsidised work (ukr_besk.sql) and the share
of those available for work, i.e. working or on selvforsørgelses- og hjemrejseydelse or
overgangsydelse (ukr_raadig.sql).
"""

from jobmaal.indicators.measures.base import Dimension, Measure

UKRAINE_DIMENSIONS = (
    Dimension("koen", "sex"),
    Dimension("alder", "age_band"),
    Dimension("opholdstid", "months_band"),
)


def _ukraine_measure(measure_id: str) -> Measure:
    return Measure(
        id=measure_id,
        sql_file=f"{measure_id.lower()}.sql",
        native_period="month",
        dimensions=UKRAINE_DIMENSIONS,
        requires=("ukraine_months.sql",),
    )


UKR_BESK = _ukraine_measure("UKR_BESK")
UKR_RAADIG = _ukraine_measure("UKR_RAADIG")
