"""Goal 2 — "Flere ledige skal opkvalificeres" — Jobindsats MM17. Rule: mm17.sql."""

from jobmaal.indicators.measures.base import Dimension, Measure

MEASURE = Measure(
    id="MM17",
    sql_file="mm17.sql",
    native_period="month",
    dimensions=(
        Dimension("ydelsesgruppe", "benefit_group"),
        Dimension("koen", "sex"),
        Dimension("alder", "age_band"),
    ),
)
