-- MM13, goal 3 (official): share of the refugee population (refugee_months.sql) in
-- unsubsidised employment in month m: hours > 0 in employment rows of m with no wage subsidy.
-- Fleksjob, løntilskud and skånejob do not count.
WITH employed AS (
    SELECT e.person_id, e.month
    FROM employment e
    JOIN refugee_months r ON r.person_id = e.person_id AND r.month = e.month
    WHERE e.wage_subsidy IS NULL
    GROUP BY e.person_id, e.month
    HAVING SUM(e.hours) > 0
)
SELECT
    r.period,
    r.municipality_code,
    CASE WHEN e.person_id IS NULL THEN 0 ELSE 1 END AS numerator,
    1 AS denominator,
    r.sex,
    r.residence_band,
    r.arrived_as
FROM refugee_months r
LEFT JOIN employed e ON e.person_id = r.person_id AND e.month = r.month
