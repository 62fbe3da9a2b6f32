-- The population of goal 3 (MM13, MM13_190, MM13_SELV): refugees and family-reunified to
-- refugees, one row per person and month m in which, on the month's last day d,
--   residence_basis is flygtning or familiesammenfoert_flygtning,
--   2004-01-01 <= residence_basis_date <= d,
--   completed age is 18..66, and
--   a residence spell covers d (its municipality is the person's municipality in m).
-- Inputs: persons, residence, calc_months(month, month_end, period).
CREATE TEMPORARY TABLE refugee_months AS
WITH candidates AS (
    SELECT
        p.person_id, p.sex, p.birth_date, p.residence_basis_date, p.cpr_date,
        c.month, c.month_end, c.period
    FROM persons p
    JOIN calc_months c
      ON p.residence_basis_date BETWEEN DATE '2004-01-01' AND c.month_end
    WHERE p.residence_basis IN ('flygtning', 'familiesammenfoert_flygtning')
),
aged AS (
    SELECT
        cand.*,
        (EXTRACT(YEAR FROM month_end) - EXTRACT(YEAR FROM birth_date))
          - CASE WHEN EXTRACT(MONTH FROM month_end) * 100 + EXTRACT(DAY FROM month_end)
                    < EXTRACT(MONTH FROM birth_date) * 100 + EXTRACT(DAY FROM birth_date)
                 THEN 1 ELSE 0 END AS age,
        (EXTRACT(YEAR FROM month_end) - EXTRACT(YEAR FROM residence_basis_date))
          - CASE WHEN EXTRACT(MONTH FROM month_end) * 100 + EXTRACT(DAY FROM month_end)
                    < EXTRACT(MONTH FROM residence_basis_date) * 100
                      + EXTRACT(DAY FROM residence_basis_date)
                 THEN 1 ELSE 0 END AS years_resident,
        (EXTRACT(YEAR FROM cpr_date) - EXTRACT(YEAR FROM birth_date))
          - CASE WHEN EXTRACT(MONTH FROM cpr_date) * 100 + EXTRACT(DAY FROM cpr_date)
                    < EXTRACT(MONTH FROM birth_date) * 100 + EXTRACT(DAY FROM birth_date)
                 THEN 1 ELSE 0 END AS age_at_arrival
    FROM candidates cand
)
SELECT
    a.person_id,
    a.month,
    a.period,
    r.municipality_code,
    a.sex,
    CASE
        WHEN a.years_resident < 1 THEN '0-1'
        WHEN a.years_resident < 2 THEN '1-2'
        WHEN a.years_resident < 3 THEN '2-3'
        WHEN a.years_resident < 5 THEN '3-5'
        WHEN a.years_resident < 10 THEN '5-10'
        ELSE '10+'
    END AS residence_band,
    CASE
        WHEN a.age_at_arrival IS NULL THEN 'ukendt'
        WHEN a.age_at_arrival < 18 THEN 'mindreaarig'
        ELSE 'voksen'
    END AS arrived_as
FROM aged a
JOIN residence r
  ON r.person_id = a.person_id
 AND r.valid_from <= a.month_end
 AND (r.valid_to IS NULL OR r.valid_to >= a.month_end)
WHERE a.age BETWEEN 18 AND 66
