"""Progress status per target: hand-worked series, every threshold edge, both directions."""

from __future__ import annotations

import math

import pytest

from jobmaal.analysis.progress import (
    LABELS_DA,
    ProgressInput,
    ProgressInputError,
    ProgressResult,
    ProgressStatus,
    assess_progress,
    count_statuses,
    pace_da,
    status_of_ratio,
    years_between,
)


def _up(latest: float | None, *, baseline: float | None = 50.0, target: float | None = 60.0,
        baseline_period: str | None = "2022M06", latest_period: str | None = "2023M06",
        target_period: str | None = "2024M06", direction: str = "up", unit: str = "pct") -> ProgressResult:
    return assess_progress(ProgressInput(baseline, baseline_period, latest, latest_period,
                                         target, target_period, direction, unit))


# -- time between periods -------------------------------------------------------------------------

def test_years_between_same_month_a_year_apart_is_one():
    assert years_between("2023M06", "2024M06") == 1.0


def test_years_between_uses_midpoints_of_mixed_period_kinds():
    # 2023H1 midpoint: month 0 + 6/2 = 3 (1 April); 2024 midpoint: 12 + 12/2 = 18 (1 July 2024).
    # 18 − 3 = 15 months = 1.25 years.
    assert years_between("2023H1", "2024") == 1.25
    # 2023Q2 midpoint: 3 + 1.5 = 4.5; 2023M06 midpoint: 5 + 0.5 = 5.5 → 1 month = 1/12 year.
    assert years_between("2023Q2", "2023M06") == pytest.approx(1 / 12)


def test_years_between_is_negative_backwards():
    assert years_between("2024", "2023") == -1.0


# -- the four ratio bands, hand-worked -----------------------------------------------------------
# Baseline 50 % (June 2022), target 60 % (June 2024): required (60 − 50) / 2 years = 5 pp a year.

def test_on_track_when_actual_pace_beats_required():
    # Latest 56 % a year on: actual 6 pp/year; ratio 6 / 5 = 1.2 ≥ 0.95.
    result = _up(56.0)
    assert result.status is ProgressStatus.ON_TRACK
    assert result.label_da == "På rette vej"
    assert result.actual_rate == pytest.approx(6.0)
    assert result.required_rate == pytest.approx(5.0)
    assert result.ratio == pytest.approx(1.2)


def test_exactly_095_is_on_track():
    # Latest 54,75 %: actual 4,75 pp/year; 4,75 / 5 = 0,95 exactly → on track (≥ 0,95).
    assert _up(54.75).ratio == 0.95
    assert _up(54.75).status is ProgressStatus.ON_TRACK


def test_just_below_095_is_some_progress():
    # Latest 54,7 %: 4,7 / 5 = 0,94.
    assert _up(54.7).status is ProgressStatus.SOME_PROGRESS


def test_exactly_05_is_some_progress():
    # Latest 52,5 %: 2,5 / 5 = 0,5 exactly → some progress (≥ 0,5).
    result = _up(52.5)
    assert result.ratio == 0.5
    assert result.status is ProgressStatus.SOME_PROGRESS
    assert result.label_da == "Nogen fremgang"


def test_just_below_05_is_little_progress():
    # Latest 52,4 %: 2,4 / 5 = 0,48.
    assert _up(52.4).status is ProgressStatus.LITTLE_PROGRESS


def test_exactly_0_is_little_progress():
    # Latest 50 %: no change; 0 / 5 = 0 → little progress (≥ 0), not moving away.
    result = _up(50.0)
    assert result.ratio == 0.0
    assert result.status is ProgressStatus.LITTLE_PROGRESS
    assert result.label_da == "Lille fremgang"


def test_below_0_is_moving_away():
    # Latest 49 %: −1 / 5 = −0,2.
    result = _up(49.0)
    assert result.ratio == pytest.approx(-0.2)
    assert result.status is ProgressStatus.MOVING_AWAY
    assert result.label_da == "Bevæger sig væk fra målet"


def test_float_noise_does_not_move_a_threshold_case():
    # Baseline 0,1, target 0,5 in two years → required 0,2/year; latest 0,29 a year on gives
    # (0,29 − 0,1) / 0,2 = 0,95 in exact arithmetic but 0,9499999… in floats.
    assert (0.29 - 0.1) / 0.2 < 0.95
    result = _up(0.29, baseline=0.1, target=0.5)
    assert result.status is ProgressStatus.ON_TRACK


def test_status_of_ratio_edges():
    assert status_of_ratio(0.95) is ProgressStatus.ON_TRACK
    assert status_of_ratio(0.5) is ProgressStatus.SOME_PROGRESS
    assert status_of_ratio(0.0) is ProgressStatus.LITTLE_PROGRESS
    assert status_of_ratio(-0.0001) is ProgressStatus.MOVING_AWAY


def test_quarters_and_half_years_measure_time_between_midpoints():
    # Baseline 2022H1 (midpoint April 2022), latest 2023H1 (1 year later), target 2024H1 (2 years).
    # 40 → 43 in one year: 3 pp/year; required (50 − 40) / 2 = 5; ratio 0,6 → some progress.
    result = _up(43.0, baseline=40.0, target=50.0, baseline_period="2022H1",
                 latest_period="2023H1", target_period="2024H1")
    assert result.ratio == pytest.approx(0.6)
    assert result.status is ProgressStatus.SOME_PROGRESS


# -- direction down (REKRUT: failed recruitments, lower is better) ---------------------------------

def test_down_target_improving_is_on_track():
    # Baseline 30 % (2022H1), target 24 % (2024H1): required (24 − 30) / 2 = −3 pp/year.
    # Latest 27 % (2023H1): actual −3 pp/year; ratio −3 / −3 = 1,0 → on track.
    result = _up(27.0, baseline=30.0, target=24.0, baseline_period="2022H1", latest_period="2023H1",
                 target_period="2024H1", direction="down")
    assert result.ratio == pytest.approx(1.0)
    assert result.status is ProgressStatus.ON_TRACK


def test_survey_rounds_are_explained_by_their_posting_windows():
    item = dict(baseline_value=30.0, baseline_period="2022H1", latest_value=27.0, latest_period="2023H1",
                target_value=24.0, target_period="2024H1", direction="down")
    rounds = assess_progress(ProgressInput(**item, survey_rounds=True))
    assert rounds.explanation_da == (
        "Fra 30,0 pct. (dec. 2021–maj 2022) til 27,0 pct. (dec. 2022–maj 2023) er en ændring på "
        "-3,00 pct.-point om året. Målet på 24,0 pct. (dec. 2023–maj 2024) kræver -3,00 pct.-point "
        "om året. Kommunen bevæger sig altså i netop det tempo, målet kræver.")
    halves = assess_progress(ProgressInput(**item))
    assert "(1. halvår 2022)" in halves.explanation_da and "maj" not in halves.explanation_da
    assert (rounds.status, rounds.ratio) == (halves.status, halves.ratio)  # only the wording differs


def test_down_target_rising_is_moving_away():
    # Latest 31 %: actual +1 pp/year against required −3: ratio −1/3 → moving away.
    result = _up(31.0, baseline=30.0, target=24.0, baseline_period="2022H1", latest_period="2023H1",
                 target_period="2024H1", direction="down")
    assert result.ratio == pytest.approx(-1 / 3)
    assert result.status is ProgressStatus.MOVING_AWAY


def test_down_target_exactly_05():
    # Latest 28,5 %: −1,5 / −3 = 0,5 exactly → some progress.
    result = _up(28.5, baseline=30.0, target=24.0, baseline_period="2022H1", latest_period="2023H1",
                 target_period="2024H1", direction="down")
    assert result.ratio == 0.5
    assert result.status is ProgressStatus.SOME_PROGRESS


def test_down_target_met_is_achieved():
    # Latest 23,9 % ≤ 24 %.
    result = _up(23.9, baseline=30.0, target=24.0, direction="down")
    assert result.status is ProgressStatus.ACHIEVED
    assert "under målet" in result.explanation_da


# -- achieved -------------------------------------------------------------------------------------

def test_latest_equal_to_target_is_achieved():
    result = _up(60.0)
    assert result.status is ProgressStatus.ACHIEVED
    assert result.label_da == "Målet er nået"
    assert result.ratio is None
    assert "60,0 pct." in result.explanation_da


def test_latest_beyond_target_after_the_target_period_is_achieved():
    assert _up(61.0, latest_period="2025M06").status is ProgressStatus.ACHIEVED


def test_baseline_already_beyond_target_and_still_is_achieved():
    # Baseline 62 %, target 60 %, latest 61 %: the level the target asks for still holds.
    assert _up(61.0, baseline=62.0).status is ProgressStatus.ACHIEVED


# -- target equal to or behind the baseline --------------------------------------------------------

def test_target_equal_to_baseline_and_latest_below_is_moving_away():
    # Target "hold 50 %", latest 49 %: the level fell away from the target; no ratio (0 required).
    result = _up(49.0, baseline=50.0, target=50.0)
    assert result.status is ProgressStatus.MOVING_AWAY
    assert result.ratio is None
    assert result.required_rate == 0.0
    assert "opfyldte allerede" in result.explanation_da


def test_target_equal_to_baseline_and_latest_equal_is_achieved():
    assert _up(50.0, baseline=50.0, target=50.0).status is ProgressStatus.ACHIEVED


def test_baseline_beyond_target_and_latest_short_is_moving_away():
    # Baseline 62 % already beat the 60 % target; latest 58 % no longer does.
    assert _up(58.0, baseline=62.0).status is ProgressStatus.MOVING_AWAY


# -- not assessable -------------------------------------------------------------------------------

@pytest.mark.parametrize("kwargs, words", [
    ({"baseline": None}, "udgangspunkt"),
    ({"baseline": math.nan}, "udgangspunkt"),
    ({"target": None}, "måltal"),
    ({"baseline_period": None}, "udgangsperiode"),
    ({"latest_period": None}, "seneste periode"),
])
def test_missing_input_is_not_assessable(kwargs, words):
    result = _up(55.0, **kwargs)
    assert result.status is ProgressStatus.NOT_ASSESSABLE
    assert result.label_da == "Kan ikke vurderes"
    assert words in result.explanation_da


def test_suppressed_latest_is_not_assessable():
    result = _up(None)
    assert result.status is ProgressStatus.NOT_ASSESSABLE
    assert "seneste tal" in result.explanation_da


def test_latest_before_baseline_is_not_assessable():
    result = _up(55.0, latest_period="2022M01")
    assert result.status is ProgressStatus.NOT_ASSESSABLE
    assert "før udgangspunktet" in result.explanation_da


def test_latest_before_baseline_is_not_assessable_even_if_it_meets_the_target():
    assert _up(65.0, latest_period="2022M01").status is ProgressStatus.NOT_ASSESSABLE


def test_no_time_elapsed_is_not_assessable():
    result = _up(50.0, latest_period="2022M06")
    assert result.status is ProgressStatus.NOT_ASSESSABLE
    assert "ingen tal efter udgangspunktet" in result.explanation_da


def test_no_time_elapsed_but_target_met_is_achieved():
    assert _up(60.0, baseline=60.0, target=58.0, latest_period="2022M06").status is ProgressStatus.ACHIEVED


def test_target_period_not_after_baseline_is_not_assessable():
    result = _up(55.0, target_period="2022M06")
    assert result.status is ProgressStatus.NOT_ASSESSABLE
    assert "Målperioden" in result.explanation_da


def test_unknown_direction_raises():
    with pytest.raises(ProgressInputError, match="direction"):
        _up(55.0, direction="sideways")


def test_bad_period_code_raises():
    with pytest.raises(ProgressInputError, match="2023-06"):
        _up(55.0, latest_period="2023-06")


# -- counts and explanation -----------------------------------------------------------------------

def test_explanation_gives_the_rates_in_danish():
    text = _up(56.0).explanation_da
    assert "+6,00 pct.-point om året" in text
    assert "+5,00 pct.-point om året" in text
    assert "juni 2024" in text
    assert "1,2 gange så hurtigt, som målet kræver" in text


def test_counts_unit_is_worded_without_pct():
    result = _up(130.0, baseline=100.0, target=150.0, unit="antal")
    assert "pct" not in result.explanation_da
    assert "+30,00 om året" in result.explanation_da


def test_count_statuses_has_every_status_in_order():
    results = [_up(56.0), _up(56.0), _up(60.0), _up(None), "moving_away"]
    counts = count_statuses(results)
    assert list(counts) == list(ProgressStatus)
    assert counts == {
        ProgressStatus.ACHIEVED: 1, ProgressStatus.ON_TRACK: 2, ProgressStatus.SOME_PROGRESS: 0,
        ProgressStatus.LITTLE_PROGRESS: 0, ProgressStatus.MOVING_AWAY: 1, ProgressStatus.NOT_ASSESSABLE: 1,
    }
    assert counts["on_track"] == 2  # StrEnum keys look up by their string value too


def test_every_status_has_a_danish_label():
    assert set(LABELS_DA) == set(ProgressStatus)


def test_achieved_explanation_ends_with_one_full_stop_after_pct():
    result = assess_progress(ProgressInput(1.0, "2022", 1.24, "2023", 1.2, "2023", "up", "pct"))
    assert result.explanation_da == ("Seneste tal, 1,2 pct. (2023), er på eller over målet på 1,2 pct.")
    counts = assess_progress(ProgressInput(40, "2022", 60, "2023", 50, "2023", "up", "antal"))
    assert counts.explanation_da.endswith("målet på 50.")


@pytest.mark.parametrize(("ratio", "words"), [
    (-0.08, "Udviklingen går altså den modsatte vej af målet."),
    (0.0, "Der er altså ingen fremgang mod målet."),
    (0.8, "Kommunen bevæger sig altså med 80 pct. af det tempo, målet kræver."),
    (0.996, "Kommunen bevæger sig altså i netop det tempo, målet kræver."),
    (2.5, "Kommunen bevæger sig altså 2,5 gange så hurtigt, som målet kræver."),
])
def test_the_ratio_of_rates_is_said_in_words(ratio, words):
    assert pace_da(ratio) == words
