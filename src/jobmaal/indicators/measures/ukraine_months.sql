-- The population of the two supplementary Ukraine measures (UKR_BESK, UKR_RAADIG): people
-- displaced from Ukraine, one row per person and month m in which, on the month's last day d,
--   residence_basis is ukraine_saerlov (residence under the 2022 special act),
--   residence_basis_date <= d,
--   completed age is 18..66, and
--   a residence spell covers d (its municipality is the person's municipality in m).
-- Opholdstid is completed months since residence_basis_date on d. Because d is the month's last
-- day, that is the plain difference of calendar months (a permit of 31 March has one month
-- on 30 April).
-- Inputs: persons, residence, calc_months(month, month_end, period).
CREATE TEMPORARY TABLE ukraine_months AS
WITH candidates AS (
    SELECT
        p.person_id, p.sex, p.birth_date, p.residence_basis_date,
        c.month, c.month_end, c.period
    FROM persons p
    JOIN calc_months c ON p.residence_basis_date <= c.month_end
    WHERE p.residence_basis = 'ukraine_saerlov'
),
aged AS (
    SELECT
        cand.*,
        (EXTRACT(YEAR FROM month_end) - EXTRACT(YEAR FROM birth_date))
          - CASE WHEN EXTRACT(MONTH FROM month_end) * 100 + EXTRACT(DAY FROM month_end)
                    < EXTRACT(MONTH FROM birth_date) * 100 + EXTRACT(DAY FROM birth_date)
                 THEN 1 ELSE 0 END AS age,
        (EXTRACT(YEAR FROM month_end) - EXTRACT(YEAR FROM residence_basis_date)) * 12
          + EXTRACT(MONTH FROM month_end) - EXTRACT(MONTH FROM residence_basis_date)
          AS months_resident
    FROM candidates cand
)
SELECT
    a.person_id,
    a.month,
    a.period,
    r.municipality_code,
    a.sex,
    CASE WHEN a.age < 30 THEN '18-29' WHEN a.age < 50 THEN '30-49' ELSE '50-66' END AS age_band,
    CASE
        WHEN a.months_resident < 3 THEN '0-2'
        WHEN a.months_resident < 6 THEN '3-5'
        WHEN a.months_resident < 12 THEN '6-11'
        WHEN a.months_resident < 18 THEN '12-17'
        WHEN a.months_resident < 24 THEN '18-23'
        ELSE '24+'
    END AS months_band
FROM aged a
JOIN residence r
  ON r.person_id = a.person_id
 AND r.valid_from <= a.month_end
 AND (r.valid_to IS NULL OR r.valid_to >= a.month_end)
WHERE a.age BETWEEN 18 AND 66
