"""Written summaries from hand-made figures: every sentence, and what is left out."""

from __future__ import annotations

from dataclasses import replace

from jobmaal.analysis.forecast import METHOD, Forecast
from jobmaal.analysis.summary import GroupFigure, SummaryFigures, summary_text_da


def _forecast(value=54.1, lower=52.0, upper=56.3, target=None, p=None) -> Forecast:
    return Forecast("MM13", 461, 2023, "2023M06", value, lower, upper, 1.3, 6, METHOD,
                    target=target, p_target=p)


ODENSE = SummaryFigures(
    area_name="Odense", indicator_name="Andel i job", period_text="2023", unit="pct",
    direction="up", value=1.23, change=0.2, rank=12, ranked_count=97, expected=2.13, gap=-0.9,
    forecast=_forecast(target=55.0, p=0.12),
    groups=[GroupFigure("Køn", "Mænd", 1.5), GroupFigure("Køn", "Kvinder", 0.96),
            GroupFigure("Alder", "30-39 år", 2.04)])


def test_every_sentence_states_the_figures_as_the_page_formats_them():
    assert summary_text_da(ODENSE) == (
        "Odense ligger på 1,2 pct. i 2023, 0,2 pct.-point højere end året før. "
        "Det giver en placering som nr. 12 af 97 kommuner (nr. 1 er bedst). "
        "Det er 0,9 pct.-point under det forventede niveau ud fra rammevilkårene (2,1 pct.). "
        "Prognosen for hele 2023 er 54,1 pct. (90 %-interval 52,0–56,3), så målet på 55,0 nås "
        "sandsynligvis ikke (sandsynlighed 12 %). "
        "Stærkest står gruppen alder: 30-39 år (2,0 pct.), svagest køn: Kvinder (1,0 pct.).")


def test_a_hidden_level_is_only_said_to_be_hidden():
    hidden = replace(ODENSE, value=None, suppressed=True)
    assert summary_text_da(hidden) == (
        "Odenses tal for andel i job i 2023 er under diskretionsgrænsen og vises ikke.")


def test_a_missing_level_is_said_missing():
    assert summary_text_da(replace(ODENSE, value=None, missing=True)).endswith("findes ikke i udgivelsen.")
    assert summary_text_da(replace(ODENSE, value=None)) == (
        "Odenses tal for andel i job i 2023 kan ikke opgøres, da ingen personer indgår.")


def test_missing_change_rank_gap_and_forecast_are_left_out():
    bare = replace(ODENSE, change=None, rank=None, gap=None, expected=None, forecast=None, groups=[])
    assert summary_text_da(bare) == "Odense ligger på 1,2 pct. i 2023."


def test_a_change_and_gap_that_round_to_zero_say_the_same_level():
    flat = replace(ODENSE, change=0.04, gap=-0.01, forecast=None, groups=[], rank=None)
    assert summary_text_da(flat) == (
        "Odense ligger på 1,2 pct. i 2023, det samme som året før. "
        "Det svarer til det forventede niveau ud fra rammevilkårene (2,1 pct.).")


def test_a_falling_level_above_the_expected_one():
    text = summary_text_da(replace(ODENSE, change=-1.26, gap=0.35))
    assert "1,3 pct.-point lavere end året før" in text
    assert "0,3 pct.-point over det forventede niveau" in text  # 0,35 rounds half to even


def test_the_strongest_group_follows_the_direction_of_the_indicator():
    down = replace(ODENSE, direction="down")
    assert summary_text_da(down).endswith(
        "Stærkest står gruppen køn: Kvinder (1,0 pct.), svagest alder: 30-39 år (2,0 pct.).")


def test_groups_are_compared_only_with_two_distinct_shown_values():
    one = replace(ODENSE, groups=[GroupFigure("Køn", "Mænd", 1.5)])
    same = replace(ODENSE, groups=[GroupFigure("Køn", "Mænd", 1.5), GroupFigure("Køn", "Kvinder", 1.5)])
    assert "Stærkest" not in summary_text_da(one) and "Stærkest" not in summary_text_da(same)


def test_a_forecast_without_target_gives_no_call_and_an_uncomputable_one_is_left_out():
    no_target = summary_text_da(replace(ODENSE, forecast=_forecast()))
    assert "Prognosen for hele 2023 er 54,1 pct. (90 %-interval 52,0–56,3)." in no_target
    assert "målet" not in no_target
    failed = replace(ODENSE, forecast=_forecast(value=None, lower=None, upper=None))
    assert "Prognose" not in summary_text_da(failed)


def test_counts_are_whole_numbers_and_never_compared_by_group():
    people = SummaryFigures(area_name="Hele landet", indicator_name="Personer i fleksjob",
                            period_text="marts 2023", unit="antal", direction="up",
                            value=61234.0, change=-1502.0,
                            groups=[GroupFigure("Køn", "Mænd", 30000.0),
                                    GroupFigure("Køn", "Kvinder", 31234.0)])
    assert summary_text_da(people) == "Hele landet ligger på 61.234 i marts 2023, 1.502 lavere end året før."
