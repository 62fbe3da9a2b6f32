-- MM13_190, goal 3 (variant): share of the refugee population (refugee_months.sql) with at
-- least 190 unsubsidised hours summed over the months m-2, m-1 and m.
WITH hours_in_window AS (
    SELECT r.person_id, r.month, SUM(e.hours) AS hours
    FROM refugee_months r
    JOIN employment e
      ON e.person_id = r.person_id
     AND e.month BETWEEN r.month - INTERVAL '2 months' AND r.month
    WHERE e.wage_subsidy IS NULL
    GROUP BY r.person_id, r.month
)
SELECT
    r.period,
    r.municipality_code,
    CASE WHEN h.hours >= 190 THEN 1 ELSE 0 END AS numerator,
    1 AS denominator,
    r.sex,
    r.residence_band,
    r.arrived_as
FROM refugee_months r
LEFT JOIN hours_in_window h ON h.person_id = r.person_id AND h.month = r.month
