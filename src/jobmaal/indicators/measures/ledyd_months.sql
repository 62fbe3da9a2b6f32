-- The population of LOK_LEDYD and LOK_LEDYD_FLEX (goal 4, local): one row per person and month
-- m with at least one benefits row of ledighedsydelse in m (any number of days: someone on
-- ledighedsydelse for part of the month counts in that month). The municipality is the paying
-- one with most ledighedsydelse days in m; on a tie, the lowest code (as MM17's home).
-- Inputs: benefits, calc_months(month, month_end, period).
CREATE TEMPORARY TABLE ledyd_months AS
WITH days_by_municipality AS (
    SELECT b.person_id, b.month, b.municipality_code, SUM(b.days) AS days
    FROM benefits b
    JOIN calc_months c ON c.month = b.month
    WHERE b.benefit = 'ledighedsydelse'
    GROUP BY b.person_id, b.month, b.municipality_code
)
SELECT d.person_id, d.month, c.period, d.municipality_code
FROM (
    SELECT x.*, ROW_NUMBER() OVER (
        PARTITION BY person_id, month ORDER BY days DESC, municipality_code
    ) AS rank_
    FROM days_by_municipality x
) d
JOIN calc_months c ON c.month = d.month
WHERE d.rank_ = 1
