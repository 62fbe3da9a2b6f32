"""The year-end forecast on hand-made monthly series: flat, seasonal, with hidden months, too
short, and the probability of reaching a target in the indicator's direction."""

from __future__ import annotations

import math

import pytest
from scipy.special import expit, logit
from tests.analysis.factrows import frame, row

from jobmaal.analysis.forecast import forecast_text_da, forecast_year, target_probability

CODE = 101
SEASON = [0.0, 0.1, 0.2, 0.3, 0.2, 0.0, -0.3, -0.2, 0.0, 0.1, 0.1, -0.1]  # logit offsets


def series(shares: dict[str, float], level: str, code, den: float, hidden=()) -> list[dict]:
    return [row("MM13", p, level, code, None if p in hidden else s * den,
                None if p in hidden else den, suppressed=p in hidden)
            for p, s in shares.items()]


def months(year: int) -> list[str]:
    return [f"{year}M{m:02d}" for m in range(1, 13)]


def flat(share: float, years=(2022, 2023)) -> dict[str, float]:
    return {p: share for y in years for p in months(y)}


def seasonal(base: float, year_shift: dict[int, float], years=(2022, 2023)) -> dict[str, float]:
    return {p: float(expit(logit(base) + SEASON[i] + year_shift.get(y, 0.0)))
            for y in years for i, p in enumerate(months(y))}


def test_flat_series_forecasts_its_level_with_a_narrow_interval():
    facts = frame(series(flat(0.40), "land", "DK", 100_000) + series(flat(0.30), "kommune", CODE, 1000))
    f = forecast_year(facts, "MM13", CODE, 2023, "2023M06")
    assert f.forecast == pytest.approx(30.0, abs=1e-6)
    assert f.lower < 30.0 < f.upper
    assert f.upper - f.lower < 3.0  # 6 000 person-months still to come at 30 %
    assert f.reason is None and f.shown_months == 6


def test_seasonal_series_uses_the_season_not_the_mean_so_far():
    country = seasonal(0.40, {2023: 0.1})
    gap = -0.4
    own = {p: float(expit(logit(s) + gap)) for p, s in country.items()}
    facts = frame(series(country, "land", "DK", 1_000_000) + series(own, "kommune", CODE, 100_000))
    truth = 100 * sum(own[p] for p in months(2023)) / 12
    first_half = 100 * sum(own[p] for p in months(2023)[:6]) / 6
    f = forecast_year(facts, "MM13", CODE, 2023, "2023M06")
    assert f.forecast == pytest.approx(truth, abs=0.01)
    assert abs(first_half - truth) > 0.5  # the naive mean of the months so far would miss
    assert f.lower <= truth <= f.upper


def test_hidden_months_are_forecast_never_read_as_zero():
    hidden = ("2023M02", "2023M03")
    facts = frame(series(flat(0.40), "land", "DK", 100_000)
                  + series(flat(0.30), "kommune", CODE, 1000, hidden=hidden))
    f = forecast_year(facts, "MM13", CODE, 2023, "2023M06")
    assert f.shown_months == 4
    # As zeros the year would be (10·300)/(12 000) = 25 %; as forecast months it stays 30 %.
    assert f.forecast == pytest.approx(30.0, abs=1e-6)


def test_too_short_country_series_cannot_be_computed():
    facts = frame(series(flat(0.40, years=(2023,)), "land", "DK", 100_000)
                  + series(flat(0.30, years=(2023,)), "kommune", CODE, 1000))
    f = forecast_year(facts, "MM13", CODE, 2023, "2023M06")
    assert f.forecast is None and f.lower is None and f.p_target is None
    assert f.reason.startswith("Kan ikke beregnes")
    assert "helt tidligere år" in f.reason


def test_too_sparse_municipality_cannot_be_computed():
    hidden = tuple(p for p in months(2022)[6:] + months(2023)[:6] if p not in ("2022M12", "2023M05"))
    facts = frame(series(flat(0.40), "land", "DK", 100_000)
                  + series(flat(0.30), "kommune", CODE, 1000, hidden=hidden))
    f = forecast_year(facts, "MM13", CODE, 2023, "2023M06", target=25.0)
    assert f.forecast is None and f.p_target is None
    assert "kun 2 viste måneder af de seneste 12" in f.reason


def test_a_year_not_monthly_cannot_be_forecast():
    facts = frame(series(flat(0.40), "land", "DK", 100_000))
    f = forecast_year(facts, "MM10", CODE, 2023, "2023M06")
    assert "ikke en månedlig andel" in f.reason


def test_complete_year_is_its_own_value_with_no_width():
    own = flat(0.30)
    own["2023M12"] = 0.42
    facts = frame(series(flat(0.40), "land", "DK", 100_000) + series(own, "kommune", CODE, 1000))
    f = forecast_year(facts, "MM13", CODE, 2023, "2023M12", target=31.0)
    assert f.forecast == pytest.approx(100 * (11 * 300 + 420) / 12_000)
    assert f.lower == f.upper == f.forecast
    assert f.p_target == 1.0


def test_months_after_as_of_are_not_read():
    own = flat(0.30)
    for p in months(2023)[6:]:
        own[p] = 0.90
    facts = frame(series(flat(0.40), "land", "DK", 100_000) + series(own, "kommune", CODE, 1000))
    assert forecast_year(facts, "MM13", CODE, 2023, "2023M06").forecast == pytest.approx(30.0)


def test_target_probability_respects_direction():
    assert target_probability(50.0, 2.0, 50.0, "up") == pytest.approx(0.5)
    # up: P(V ≥ 53.29) with V ~ N(50, 2²) = 1 − Φ(1.645) = 0.05
    assert target_probability(50.0, 2.0, 50 + 1.644854 * 2, "up") == pytest.approx(0.05, abs=1e-4)
    assert target_probability(50.0, 2.0, 50 + 1.644854 * 2, "down") == pytest.approx(0.95, abs=1e-4)
    assert target_probability(50.0, 2.0, None, "up") is None


def test_target_probability_on_a_forecast():
    facts = frame(series(flat(0.40), "land", "DK", 100_000) + series(flat(0.30), "kommune", CODE, 1000))
    high = forecast_year(facts, "MM13", CODE, 2023, "2023M06", target=35.0)
    low = forecast_year(facts, "MM13", CODE, 2023, "2023M06", target=25.0)
    assert high.p_target < 0.01 and low.p_target > 0.99
    assert math.isclose(high.sd, low.sd)


def test_danish_text_names_forecast_interval_target_and_call():
    facts = frame(series(flat(0.40), "land", "DK", 100_000) + series(flat(0.30), "kommune", CODE, 1000))
    f = forecast_year(facts, "MM13", CODE, 2023, "2023M06", target=35.0)
    text = forecast_text_da(f)
    assert text.startswith("Prognose for 2023: 30,0 pct. (")
    assert "— målet 35,0 nås sandsynligvis ikke (sandsynlighed 0 %)" in text
    short = frame(series(flat(0.40, years=(2023,)), "land", "DK", 100_000))
    assert forecast_text_da(forecast_year(short, "MM13", CODE, 2023, "2023M06")).startswith(
        "Prognose for 2023: Kan ikke beregnes: landets serie")
