-- REKRUT, goal 5a: failed recruitments in percent of recruitment attempts, weighted, from
-- STAR's half-yearly recruitment survey. One row per responding firm, RAR area and half-year,
-- The engine counts distinct firm_id per area and period: the firms that answered, on which
-- suppression rests.
-- Inputs: recruitment; calc_half_years(period).
SELECT
    r.half_year AS period,
    r.rar,
    r.firm_id,
    SUM(r.weight * r.failed) AS numerator,
    SUM(r.weight * r.attempts) AS denominator
FROM recruitment r
JOIN calc_half_years h ON h.period = r.half_year
GROUP BY r.half_year, r.rar, r.firm_id
