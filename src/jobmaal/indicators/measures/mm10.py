"""Goal 5b — firms' collaboration degree with the job centres — Jobindsats MM10. Rule: mm10.sql."""

from jobmaal.indicators.measures.base import Measure, NumeratorVariant

MEASURE = Measure(
    id="MM10",
    sql_file="mm10.sql",
    native_period="year",
    numerator_variants=(
        NumeratorVariant(
            "samarbejde",
            (("eget_jobcenter", "own_jobcentre"), ("andre_jobcentre", "other_jobcentre")),
        ),
    ),
)
