-- LOK_LEDYD, goal 4 (local indicator, not STAR's): number of people on ledighedsydelse in
-- month m, in the municipality paying most of their ledighedsydelse days (ledyd_months.sql).
-- A count: numerator = denominator = 1 per person and month.
SELECT
    l.period,
    l.municipality_code,
    1 AS numerator,
    1 AS denominator
FROM ledyd_months l
