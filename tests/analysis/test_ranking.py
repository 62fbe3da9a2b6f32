"""rank_municipalities and around.

Seven municipalities (a cut-down geography), MM13 2023 (direction 'up'):
  101 50 %   147 60 %   151 50 % (25/50)   153 suppressed   155 denominator 0   157 no row
  159 40 %
Best first: 147 (1), 101 and 151 tied (2, 2; by code), 159 (4); then 153, 155, 157 unranked.
"""

from __future__ import annotations

import pytest

from jobmaal.analysis import AnalysisError, around, rank_municipalities
from jobmaal.geography import Geography, UnknownAreaError, load_geography

from .factrows import frame, row

CODES = (101, 147, 151, 153, 155, 157, 159)
SMALL = Geography(tuple(m for m in load_geography().municipalities if m.code in CODES))


@pytest.fixture
def facts():
    return frame([
        row("MM13", "2023", "kommune", 101, 50, 100),
        row("MM13", "2023", "kommune", 147, 60, 100),
        row("MM13", "2023", "kommune", 151, 25, 50),
        row("MM13", "2023", "kommune", 153, None, None, suppressed=True),
        row("MM13", "2023", "kommune", 155, 0, 0),
        row("MM13", "2023", "kommune", 159, 40, 100),
        row("MM13", "2023", "land", "DK", 900, 1000),  # not a municipality
        row("MM13", "2022", "kommune", 101, 45, 100),  # change +5
        row("MM13", "2022", "kommune", 147, 62, 100),  # change −2
        row("MM13", "2022", "kommune", 151, None, None, suppressed=True),  # no change
        row("MM13", "2022", "kommune", 159, 30, 100),  # change +10
    ])


def places(ranked):
    return [(r.code, r.rank) for r in ranked]


def test_level_ranks_best_first_ties_share_the_lower_number_missing_last(facts):
    ranked = rank_municipalities(facts, "MM13", "2023", geography=SMALL)
    assert places(ranked) == [(147, 1), (101, 2), (151, 2), (159, 4),
                              (153, None), (155, None), (157, None)]


def test_suppressed_and_missing_are_never_scored_as_zero(facts):
    ranked = rank_municipalities(facts, "MM13", "2023", geography=SMALL)
    unranked = {r.code: r for r in ranked if r.rank is None}
    assert all(r.score is None and r.value is None for r in unranked.values())
    assert unranked[153].suppressed and not unranked[155].suppressed


def test_direction_down_puts_the_lowest_first(facts):
    ranked = rank_municipalities(facts, "MM13", "2023", direction="down", geography=SMALL)
    assert places(ranked)[:4] == [(159, 1), (101, 2), (151, 2), (147, 4)]


def test_change_ranks_on_percentage_points_against_a_year_earlier(facts):
    ranked = rank_municipalities(facts, "MM13", "2023", by="change", geography=SMALL)
    assert places(ranked)[:4] == [(159, 1), (101, 2), (147, 3), (151, None)]
    assert [r.score for r in ranked[:3]] == pytest.approx([10.0, 5.0, -2.0])
    assert ranked[3].value == pytest.approx(50.0)  # shown level, but no change to rank on


def test_gap_ranks_on_the_given_gaps(facts):
    gaps = {101: -1.0, 147: 2.0, 151: 0.5, 159: None}
    ranked = rank_municipalities(facts, "MM13", "2023", by="gap", gaps=gaps, geography=SMALL)
    assert places(ranked) == [(147, 1), (151, 2), (101, 3),
                              (153, None), (155, None), (157, None), (159, None)]


def test_gap_ranking_without_gaps_is_refused(facts):
    with pytest.raises(AnalysisError, match="gaps"):
        rank_municipalities(facts, "MM13", "2023", by="gap", geography=SMALL)


def test_indicator_without_municipal_figures_is_refused(facts):
    with pytest.raises(AnalysisError, match="REKRUT"):
        rank_municipalities(facts, "REKRUT", "2023H1", geography=SMALL)


def test_float_noise_does_not_split_a_tie():
    # 0.1 + 0.2 = 0.30000000000000004 and 0.3 are the same figure
    facts = frame([row("MM13", "2023", "kommune", 101, None, None, value=0.1 + 0.2),
                   row("MM13", "2023", "kommune", 147, None, None, value=0.3)])
    ranked = rank_municipalities(facts, "MM13", "2023", geography=SMALL)
    assert places(ranked)[:2] == [(101, 1), (147, 1)]


def test_around_gives_n_above_and_below_fewer_at_the_ends(facts):
    ranked = rank_municipalities(facts, "MM13", "2023", geography=SMALL)
    # list order: 147 101 151 159 153 155 157
    assert [r.code for r in around(ranked, 151, n=2)] == [147, 101, 151, 159, 153]
    assert [r.code for r in around(ranked, 147, n=2)] == [147, 101, 151]
    with pytest.raises(UnknownAreaError):
        around(ranked, 860, n=2)


def test_all_98_are_ranked_and_around_shows_eleven():
    # value = code / 10, all different: rank 1 is the highest code (860 Hjørring), and the
    # municipality at rank 50 has ranks 45 … 55 around it
    geo = load_geography()
    facts = frame([row("MM13", "2023", "kommune", m.code, None, None, value=m.code / 10)
                   for m in geo.municipalities])
    ranked = rank_municipalities(facts, "MM13", "2023")
    assert len(ranked) == 98 and ranked[0].code == 860 and ranked[-1].rank == 98
    middle = ranked[49]
    assert [r.rank for r in around(ranked, middle.code)] == list(range(45, 56))
