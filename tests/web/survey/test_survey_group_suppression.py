"""Survey results by region and RAR area: a group under 3 answers is hidden from municipalities,
and so is whatever would reveal it by subtraction (no database needed: pure functions)."""

from __future__ import annotations

import numpy as np
from hypothesis import given, settings
from hypothesis import strategies as st

from jobmaal.geography import load_geography
from jobmaal.web.survey.results import MIN_GROUP, _groups, hidden_groups


def _answered(codes: set[int]) -> dict[tuple[str, str], int]:
    return {g: len(set(members) & codes) for g, members in _groups().items()}


def _recoverable(hidden: set, codes: set[int]) -> set:
    """Hidden groups whose answers the shown groups and the country determine: a group's
    membership vector (over the answering municipalities) in the span of the shown ones."""
    order = sorted(codes)
    groups = _groups()
    def vector(members):
        return np.array([1.0 if c in members else 0.0 for c in order])
    shown = [vector(order)] + [vector(set(m)) for g, m in groups.items() if g not in hidden]
    basis = np.array(shown)
    rank = np.linalg.matrix_rank(basis)
    found = set()
    for g in hidden:
        v = vector(set(groups[g]))
        if v.any() and np.linalg.matrix_rank(np.vstack([basis, v])) == rank:
            found.add(g)
    return found


def test_bornholm_cannot_be_worked_out_from_region_hovedstaden_minus_rar_hovedstaden():
    geo = load_geography()
    capital = {m.code for m in geo.municipalities if m.region_name == "Region Hovedstaden"}
    assert len(capital) == 29
    answered = _answered(capital)  # every capital municipality answered, Bornholm among them
    assert answered[("rar", "Bornholm")] == 1 and answered[("rar", "Hovedstaden")] == 28
    hidden = hidden_groups(answered)
    assert hidden[("rar", "Bornholm")] == "primary"
    assert "secondary" in hidden.values(), "region minus RAR area would give Bornholm"
    assert not _recoverable(set(hidden), capital)


def test_with_every_answer_in_bornholm_and_the_smaller_of_its_two_complements_are_hidden():
    codes = {m.code for m in load_geography().municipalities}
    hidden = hidden_groups(_answered(codes))
    # Bornholm alone is a RAR area (1 answer); RAR Hovedstaden (28) is hidden rather than
    # Region Hovedstaden (29): as little as possible is lost
    assert hidden == {("rar", "Bornholm"): "primary", ("rar", "Hovedstaden"): "secondary"}
    assert not _recoverable(set(hidden), codes)


def test_the_check_itself_sees_the_leak():
    codes = {m.code for m in load_geography().municipalities}
    assert _recoverable({("rar", "Bornholm")}, codes) == {("rar", "Bornholm")}


@settings(max_examples=40, deadline=None)
@given(st.sets(st.sampled_from([m.code for m in load_geography().municipalities]),
               min_size=MIN_GROUP))
def test_no_hidden_group_of_random_answers_can_be_recovered(codes):
    # (with fewer than MIN_GROUP answers in all, the national figure itself is the problem;
    # the results page does not show it then)
    answered = _answered(codes)
    hidden = hidden_groups(answered)
    for g, n in answered.items():
        assert (hidden.get(g) == "primary") is (0 < n < MIN_GROUP)
    assert not _recoverable(set(hidden), codes)
