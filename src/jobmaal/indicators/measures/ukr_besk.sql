-- UKR_BESK (supplementary, goal 3; not a ministerial goal): share of people displaced from
-- Ukraine aged 18-66 and living in Denmark (ukraine_months.sql) in unsubsidised wage
-- employment in month m: hours > 0 in employment rows of m with no wage subsidy, as MM13.
-- This is the ministry's "share of all of working age".
WITH employed AS (
    SELECT e.person_id, e.month
    FROM employment e
    JOIN ukraine_months u ON u.person_id = e.person_id AND u.month = e.month
    WHERE e.wage_subsidy IS NULL
    GROUP BY e.person_id, e.month
    HAVING SUM(e.hours) > 0
)
SELECT
    u.period,
    u.municipality_code,
    CASE WHEN e.person_id IS NULL THEN 0 ELSE 1 END AS numerator,
    1 AS denominator,
    u.sex,
    u.age_band,
    u.months_band
FROM ukraine_months u
LEFT JOIN employed e ON e.person_id = u.person_id AND e.month = u.month
