-- REKRUT, goal 5a: failed recruitments in percent of recruitment attempts, weighted, from
-- STAR's half-yearly recruitment survey. One row per survey response.
-- Inputs: recruitment; calc_half_years(period).
SELECT
    r.half_year AS period,
    r.rar,
    r.weight * r.failed AS numerator,
    r.weight * r.attempts AS denominator
FROM recruitment r
JOIN calc_half_years h ON h.period = r.half_year
