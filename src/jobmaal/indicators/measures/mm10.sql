-- MM10, goal 5b: share of firms with at least one employee that collaborated with a job centre
-- during the year. One row per firm and year; the firm's municipality is its firms row's.
-- 'own_jobcentre': a collaboration with the job centre serving the firm's municipality (coded
-- by its lead municipality); 'other_jobcentre': with any other. A firm can count in both.
-- Inputs: firms, collaborations; calc_years(year, period); municipalities(municipality_code,
-- jobcentre_code, year): the job centre serving the municipality in that year.
WITH firm_years AS (
    SELECT f.firm_id, f.year, y.period, f.municipality_code, m.jobcentre_code
    FROM firms f
    JOIN calc_years y ON y.year = f.year
    JOIN municipalities m ON m.municipality_code = f.municipality_code AND m.year = f.year
    WHERE f.avg_employees >= 1
),
collaborated AS (
    SELECT
        fy.firm_id,
        fy.year,
        MAX(CASE WHEN c.jobcentre_code = fy.jobcentre_code THEN 1 ELSE 0 END) AS own_jobcentre,
        MAX(CASE WHEN c.jobcentre_code <> fy.jobcentre_code THEN 1 ELSE 0 END) AS other_jobcentre
    FROM firm_years fy
    JOIN collaborations c
      ON c.firm_id = fy.firm_id
     AND EXTRACT(YEAR FROM c.month) = fy.year
    GROUP BY fy.firm_id, fy.year
)
SELECT
    fy.period,
    fy.municipality_code,
    CASE WHEN c.firm_id IS NULL THEN 0 ELSE 1 END AS numerator,
    1 AS denominator,
    COALESCE(c.own_jobcentre, 0) AS own_jobcentre,
    COALESCE(c.other_jobcentre, 0) AS other_jobcentre
FROM firm_years fy
LEFT JOIN collaborated c ON c.firm_id = fy.firm_id AND c.year = fy.year
