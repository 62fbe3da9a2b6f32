-- LOK_FLEXJOB, goal 4 (local indicator, not STAR's): number of people in flexjob in month m.
-- A person counts once in m when their employment rows of m with wage_subsidy = 'fleksjob'
-- have hours > 0 (several flexjob employers count once). The municipality is the one of
-- residence on the month's last day (a mover counts where they live at the end of the month;
-- someone not living in Denmark then is not counted), as the refugee measures.
-- A count: numerator = denominator = 1 per person and month (the engine publishes the count).
-- Inputs: employment, residence, calc_months(month, month_end, period).
WITH flexjob AS (
    SELECT e.person_id, c.month, c.month_end, c.period
    FROM employment e
    JOIN calc_months c ON c.month = e.month
    WHERE e.wage_subsidy = 'fleksjob'
    GROUP BY e.person_id, c.month, c.month_end, c.period
    HAVING SUM(e.hours) > 0
)
SELECT
    f.period,
    r.municipality_code,
    1 AS numerator,
    1 AS denominator
FROM flexjob f
JOIN residence r
  ON r.person_id = f.person_id
 AND r.valid_from <= f.month_end
 AND (r.valid_to IS NULL OR r.valid_to >= f.month_end)
