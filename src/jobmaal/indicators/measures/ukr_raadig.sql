-- UKR_RAADIG (supplementary, goal 3; not a ministerial goal): UKR_BESK's numerator over those
-- of the same population (ukraine_months.sql) who are available for work in month m: in wage
-- employment (hours > 0 in m, subsidised or not: a person in løntilskud is at work, only not
-- in the numerator) or receiving selvforsørgelses- og hjemrejseydelse or overgangsydelse in m
-- (a benefits row of m, paid by any municipality). This is the ministry's "share of those
-- available for work"; the rest (in education, on other benefits, supported by others) are out.
WITH working AS (
    SELECT e.person_id, e.month,
           SUM(CASE WHEN e.wage_subsidy IS NULL THEN e.hours ELSE 0 END) AS unsubsidised_hours
    FROM employment e
    JOIN ukraine_months u ON u.person_id = e.person_id AND u.month = e.month
    GROUP BY e.person_id, e.month
    HAVING SUM(e.hours) > 0
),
on_benefit AS (
    SELECT DISTINCT b.person_id, b.month
    FROM benefits b
    JOIN ukraine_months u ON u.person_id = b.person_id AND u.month = b.month
    WHERE b.benefit IN ('selvforsoergelsesydelse', 'overgangsydelse')
)
SELECT
    u.period,
    u.municipality_code,
    CASE WHEN w.unsubsidised_hours > 0 THEN 1 ELSE 0 END AS numerator,
    1 AS denominator,
    u.sex,
    u.age_band,
    u.months_band
FROM ukraine_months u
LEFT JOIN working w ON w.person_id = u.person_id AND w.month = u.month
LEFT JOIN on_benefit b ON b.person_id = u.person_id AND b.month = u.month
WHERE w.person_id IS NOT NULL OR b.person_id IS NOT NULL
