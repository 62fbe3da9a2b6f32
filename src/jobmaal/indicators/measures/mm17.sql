-- MM17, goal 2: share of unemployed on the four goal-2 benefits who start upskilling in month m.
-- One row per person and month in the denominator.
-- Inputs: benefits, education, persons; calc_months(month, month_end, period).
WITH qualifying AS (
    SELECT b.person_id, b.month, b.municipality_code, b.benefit, b.days
    FROM benefits b
    JOIN calc_months c ON c.month = b.month
    WHERE b.benefit IN ('adagpenge', 'kontanthjaelp', 'uddannelseshjaelp', 'ledighedsydelse')
),
days_by_municipality AS (
    SELECT person_id, month, municipality_code, SUM(days) AS days
    FROM qualifying
    GROUP BY person_id, month, municipality_code
),
-- A person belongs to the municipality where their qualifying days add up to most;
-- on a tie, the lowest municipality code.
home AS (
    SELECT person_id, month, municipality_code
    FROM (
        SELECT d.*, ROW_NUMBER() OVER (
            PARTITION BY person_id, month ORDER BY days DESC, municipality_code
        ) AS rank_
        FROM days_by_municipality d
    ) ranked
    WHERE rank_ = 1
),
days_by_benefit AS (
    SELECT person_id, month, benefit, SUM(days) AS days
    FROM qualifying
    GROUP BY person_id, month, benefit
),
-- The benefit group is the qualifying benefit with most days; on a tie, the order listed.
benefit_group AS (
    SELECT person_id, month, benefit
    FROM (
        SELECT d.*, ROW_NUMBER() OVER (
            PARTITION BY person_id, month
            ORDER BY days DESC,
                CASE benefit
                    WHEN 'adagpenge' THEN 1 WHEN 'kontanthjaelp' THEN 2
                    WHEN 'uddannelseshjaelp' THEN 3 ELSE 4
                END
        ) AS rank_
        FROM days_by_benefit d
    ) ranked
    WHERE rank_ = 1
),
-- Counting starts: ordinary education, the 6-week job-targeted list and adult apprentices.
-- kort_kursus and danskuddannelse do not count. Two starts in one month count once.
starts AS (
    SELECT DISTINCT e.person_id, c.month
    FROM education e
    JOIN calc_months c ON e.start_date BETWEEN c.month AND c.month_end
    WHERE e.course_type IN ('ordinaer_uddannelse', 'jobrettet_uddannelse', 'voksenlaerling')
),
unit AS (
    SELECT
        c.period,
        h.municipality_code,
        g.benefit AS benefit_group,
        p.sex,
        (EXTRACT(YEAR FROM c.month_end) - EXTRACT(YEAR FROM p.birth_date))
          - CASE WHEN EXTRACT(MONTH FROM c.month_end) * 100 + EXTRACT(DAY FROM c.month_end)
                    < EXTRACT(MONTH FROM p.birth_date) * 100 + EXTRACT(DAY FROM p.birth_date)
                 THEN 1 ELSE 0 END AS age,
        CASE WHEN s.person_id IS NULL THEN 0 ELSE 1 END AS started
    FROM home h
    JOIN benefit_group g ON g.person_id = h.person_id AND g.month = h.month
    JOIN calc_months c ON c.month = h.month
    JOIN persons p ON p.person_id = h.person_id
    LEFT JOIN starts s ON s.person_id = h.person_id AND s.month = h.month
)
SELECT
    period,
    municipality_code,
    started AS numerator,
    1 AS denominator,
    benefit_group,
    sex,
    CASE WHEN age < 30 THEN '16-29' WHEN age < 50 THEN '30-49' ELSE '50+' END AS age_band
FROM unit
