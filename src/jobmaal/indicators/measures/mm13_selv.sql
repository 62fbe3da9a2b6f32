-- MM13_SELV, goal 3 (supplement, "selvforsørgende"): share of the refugee population
-- (refugee_months.sql) with no benefits row of any kind, from any municipality, in month m.
WITH on_benefit AS (
    SELECT DISTINCT b.person_id, b.month
    FROM benefits b
    JOIN refugee_months r ON r.person_id = b.person_id AND r.month = b.month
)
SELECT
    r.period,
    r.municipality_code,
    CASE WHEN b.person_id IS NULL THEN 1 ELSE 0 END AS numerator,
    1 AS denominator,
    r.sex,
    r.residence_band,
    r.arrived_as
FROM refugee_months r
LEFT JOIN on_benefit b ON b.person_id = r.person_id AND b.month = r.month
