-- LOK_LEDYD_FLEX, goal 4 (local indicator, not STAR's): share of the people on ledighedsydelse
-- in month m (ledyd_months.sql) who start a flexjob in m. Starting a flexjob in m means
-- flexjob employment with hours > 0 in m (rows with wage_subsidy = 'fleksjob') and none in the
-- month before; someone already in flexjob the month before is not a start.
WITH flexjob AS (
    SELECT e.person_id, e.month
    FROM employment e
    WHERE e.wage_subsidy = 'fleksjob'
    GROUP BY e.person_id, e.month
    HAVING SUM(e.hours) > 0
),
starts AS (
    SELECT f.person_id, f.month
    FROM flexjob f
    LEFT JOIN flexjob before
      ON before.person_id = f.person_id
     AND before.month = CAST(f.month - INTERVAL '1' MONTH AS DATE)
    WHERE before.person_id IS NULL
)
SELECT
    l.period,
    l.municipality_code,
    CASE WHEN s.person_id IS NULL THEN 0 ELSE 1 END AS numerator,
    1 AS denominator
FROM ledyd_months l
LEFT JOIN starts s ON s.person_id = l.person_id AND s.month = l.month
