"""Secondary suppression on hand-made equations and on random small tables (hypothesis): no hidden
cell may be pinned to one value by the shown cells, the sums and what a reader knows of bounds."""

from __future__ import annotations

import itertools

import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from scipy.optimize import linprog

from jobmaal.indicators.suppression import (
    Bounds,
    Equations,
    Hierarchy,
    Partitions,
    determined_cells,
    protect,
    protect_cubes,
)

T = 5  # suppression threshold: counts 1..4 are primary


def _protect(counts, equations, keep=()):
    counts = np.asarray(counts, float)
    primary = (counts > 0) & (counts < T)
    keep_mask = np.zeros(len(counts), bool)
    keep_mask[list(keep)] = True
    bounds = Bounds(counts[:, None], primary[:, None], 1.0, T - 1.0)
    return primary, protect(counts, primary, equations, keep=keep_mask, bounds=bounds)


def test_parent_with_one_hidden_child_hides_the_smallest_sibling():
    # P = a + b + c + d with a = 2 (primary); b = 10, c = 7, d = 0: c is the smallest count
    eqs = Equations.from_lists([(0, [1, 2, 3, 4])])
    primary, secondary = _protect([19, 2, 10, 7, 0], eqs)
    assert secondary.tolist() == [False, False, False, True, False]


def test_a_zero_sibling_is_taken_only_when_no_sibling_counts_anything():
    eqs = Equations.from_lists([(0, [1, 2, 3])])
    _, secondary = _protect([8, 3, 0, 5], eqs)
    assert secondary.tolist() == [False, False, False, True]


def test_parent_is_hidden_when_no_sibling_can_be():
    # a job centre of one municipality: the centre is the municipality's number
    eqs = Equations.from_lists([(0, [1])])
    _, secondary = _protect([3.0, 3.0], eqs)  # both primary already: nothing more
    assert not secondary.any()
    eqs = Equations.from_lists([(0, [1, 2]), (1, [3, 4])])
    # region 0 = jobcentre 1 + municipality 2 (shown 20); jobcentre 1 = 3 (primary) + 4 (kept)
    primary, secondary = _protect([31, 11, 20, 2, 9], eqs, keep=(4,))
    assert secondary[1], "only the parent could protect municipality 3"
    assert secondary[2], "then the region's other child protects the job centre"


def test_country_total_is_never_hidden():
    eqs = Equations.from_lists([(0, [1, 2])])
    _, secondary = _protect([12, 3, 9], eqs, keep=(0,))
    assert secondary.tolist() == [False, False, True]


def test_hidden_parent_with_every_child_shown_gets_a_child_hidden():
    # quarter 0 = months 1, 2, 3; the quarter is hidden (primary) though the months are 0, 0, 2
    # would make month 3 primary too; use a parent hidden for another reason (keep-less):
    eqs = Equations.from_lists([(0, [1, 2]), (0, [3, 4])])  # two breakdowns of the same total
    counts = np.array([4.0, 0.0, 4.0, 1.0, 3.0])
    primary = np.array([True, False, False, False, False])  # suppose only the total is primary
    secondary = protect(counts, primary, eqs)
    assert secondary[2] and (secondary[3] or secondary[4])
    assert not determined_cells(primary | secondary, eqs).any()


def test_two_primary_counts_that_must_both_be_four_get_a_third_cell_hidden():
    # P = 8 = a + b + c with a = b = 4 hidden: each lies in 1..4 and they sum to 8, so both are 4
    eqs = Equations.from_lists([(0, [1, 2, 3])])
    primary, secondary = _protect([20, 4, 4, 12], eqs)
    assert secondary[3]


def test_two_protected_cycles_joined_by_one_cell_leave_that_cell_determined():
    # a 4 × 4 table with margins: rows r0..r3, columns c0..c3; hidden cells form two
    # rectangles (r0/r1 × c0/c1 and r2/r3 × c2/c3) and one cell (r1, c2) joining them: every row
    # and column has two or more hidden cells, yet the joining cell is determined
    def cell(r, c):
        return r * 5 + c  # column 4 and row 4 are the margins
    equations = [(cell(r, 4), [cell(r, c) for c in range(4)]) for r in range(5)]
    equations += [(cell(4, c), [cell(r, c) for r in range(4)]) for c in range(5)]
    eqs = Equations.from_lists(equations)
    hidden = np.zeros(25, bool)
    for r, c in [(0, 0), (0, 1), (1, 0), (1, 1), (2, 2), (2, 3), (3, 2), (3, 3), (1, 2)]:
        hidden[cell(r, c)] = True
    n_hidden = [sum(hidden[e] for e in [p, *ch]) for p, ch in equations]
    assert 1 not in n_hidden, "the local rule sees nothing wrong"
    determined = determined_cells(hidden, eqs)
    assert np.flatnonzero(determined).tolist() == [cell(1, 2)]
    counts = np.full(25, 10.0)
    primary = hidden.copy()
    primary[cell(1, 2)] = False
    bridge_only = protect(counts, hidden, eqs)
    assert bridge_only.any(), "protect hides more so that the joining cell is free"
    assert not determined_cells(hidden | bridge_only, eqs).any()


# -- random small tables -----------------------------------------------------------------------
# Three hierarchical dimensions as in the facts: areas (4 municipalities, 2 job centres, the
# country), periods (4 months, 2 quarters, the year) and a breakdown (i_alt = two values).
AREAS = {0: [], 1: [], 2: [], 3: [], 4: [0, 1], 5: [2, 3], 6: [0, 1, 2, 3]}
PERIODS = {0: [], 1: [], 2: [], 3: [], 4: [0, 1], 5: [2, 3], 6: [0, 1, 2, 3], 7: [4, 5]}
VALUES = {0: [], 1: [], 2: [0, 1]}  # 2 is i_alt
SHAPE = (len(AREAS), len(PERIODS), len(VALUES))


def _table_equations() -> Equations:
    index = np.arange(np.prod(SHAPE)).reshape(SHAPE)
    equations = []
    for dim, tree in enumerate((AREAS, PERIODS, VALUES)):
        for parent, children in tree.items():
            if not children:
                continue
            for other in itertools.product(*(range(n) for d, n in enumerate(SHAPE) if d != dim)):
                def at(i, other=other, dim=dim):
                    key = list(other)
                    key.insert(dim, i)
                    return int(index[tuple(key)])
                equations.append((at(parent), [at(c) for c in children]))
    return Equations.from_lists(equations)


def _full_table(leaves: np.ndarray) -> np.ndarray:
    """Fill every sum from the leaf cells (municipality × month × value)."""
    table = np.zeros(SHAPE)
    table[:4, :4, :2] = leaves
    for dim, tree in enumerate((AREAS, PERIODS, VALUES)):
        for parent, children in sorted(tree.items()):
            if children:
                idx = [slice(None)] * 3
                idx[dim] = parent
                take = [slice(None)] * 3
                take[dim] = children
                table[tuple(idx)] = table[tuple(take)].sum(axis=dim)
    # nested sums (year = Σ quarters) are filled in order: parents after their children
    return table


def _range_of(cell: int, hidden: np.ndarray, primary: np.ndarray, counts: np.ndarray,
              eqs: Equations, *, bounded: bool = True) -> tuple[float, float]:
    """The least and greatest value of a hidden cell given the shown ones and the sums (and,
    when `bounded`, primary counts in 1..T−1 and every count ≥ 0), by linear programming."""
    cols = np.flatnonzero(hidden)
    where = {c: i for i, c in enumerate(cols)}
    a_eq, b_eq = [], []
    sign = eqs.signs()
    for k in range(eqs.count):
        members = eqs.cells[eqs.start[k]:eqs.start[k + 1]]
        signs = sign[eqs.start[k]:eqs.start[k + 1]]
        row = np.zeros(len(cols))
        rhs = 0.0
        for m, s in zip(members, signs, strict=True):
            if hidden[m]:
                row[where[m]] += s
            else:
                rhs -= s * counts[m]
        if row.any():
            a_eq.append(row)
            b_eq.append(rhs)
    bounds = ([(1, T - 1) if primary[c] else (0, None) for c in cols] if bounded
              else [(None, None)] * len(cols))
    objective = np.zeros(len(cols))
    objective[where[cell]] = 1.0
    low = linprog(objective, A_eq=a_eq, b_eq=b_eq, bounds=bounds, method="highs")
    high = linprog(-objective, A_eq=a_eq, b_eq=b_eq, bounds=bounds, method="highs")
    assert low.status in (0, 3) and high.status in (0, 3)  # 3: unbounded, so not pinned
    return (low.fun if low.status == 0 else -np.inf), (-high.fun if high.status == 0 else np.inf)


EQUATIONS = _table_equations()
COUNTRY_TOTALS = [int(i) for i in np.arange(np.prod(SHAPE)).reshape(SHAPE)[6, :, 2]]


def _leaf_sums(tree: dict[int, list[int]]) -> dict[int, frozenset[int]]:
    def leaves(c):
        return {c} if not tree[c] else set().union(*(leaves(x) for x in tree[c]))
    return {c: frozenset(leaves(c)) for c, children in tree.items() if children}


def _cubes(counts: np.ndarray):
    primary = (counts > 0) & (counts < T)
    keep = np.zeros(len(counts), bool)
    keep[COUNTRY_TOTALS] = True
    weight = np.zeros(8)
    dims = (Hierarchy(len(AREAS), _leaf_sums(AREAS), weight, limit=3),
            Hierarchy(len(PERIODS), _leaf_sums(PERIODS), weight, limit=3),
            Partitions(len(VALUES), 2, [[0, 1]], weight))
    grid = np.arange(np.prod(SHAPE)).reshape(SHAPE)
    result = protect_cubes([(grid, dims)], counts, primary, keep=keep,
                           bounds=Bounds(counts[:, None], primary[:, None], 1.0, T - 1.0))
    return primary, result


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(st.sampled_from([0, 0, 1, 2, 3, 4, 5, 6, 8, 12, 20]), min_size=32, max_size=32))
def test_no_hidden_cell_of_a_random_table_can_be_worked_out(leaves):
    counts = _full_table(np.array(leaves, float).reshape(4, 4, 2)).ravel()
    assert np.allclose(  # the sums hold before anything is hidden
        [np.dot(EQUATIONS.signs()[EQUATIONS.start[k]:EQUATIONS.start[k + 1]],
                counts[EQUATIONS.cells[EQUATIONS.start[k]:EQUATIONS.start[k + 1]]])
         for k in range(EQUATIONS.count)], 0)
    primary, result = _cubes(counts)
    hidden = primary | result.secondary
    assert not result.secondary[COUNTRY_TOTALS].any()
    n_hidden = np.add.reduceat(hidden[EQUATIONS.cells].astype(int), EQUATIONS.start[:-1])
    assert 1 not in n_hidden, "a sum with exactly one hidden cell gives it away"
    # no combination of sums determines a hidden cell (the solver without bounds) ...
    for cell in np.flatnonzero(hidden):
        low, high = _range_of(cell, hidden, primary, counts, EQUATIONS, bounded=False)
        assert high - low > 1e-6, f"cell {np.unravel_index(cell, SHAPE)} is determined"
    # ... and where every cube kept its corners off their bounds, neither do the bounds
    if result.unprotected == 0:
        for cell in np.flatnonzero(hidden):
            low, high = _range_of(cell, hidden, primary, counts, EQUATIONS)
            assert high - low > 1e-6, f"cell {np.unravel_index(cell, SHAPE)} is pinned to {low}"


@pytest.mark.parametrize("leaf", [1, 2, 4])
def test_a_single_primary_cell_among_shown_counts_is_protected_within_its_bounds(leaf):
    leaves = np.full((4, 4, 2), 9.0)
    leaves[0, 0, 0] = leaf
    counts = _full_table(leaves).ravel()
    primary, result = _cubes(counts)
    hidden = primary | result.secondary
    assert primary.sum() == 1 and result.unprotected == 0
    assert result.secondary.sum() == 7, "a 2 × 2 × 2 cube: municipality, month and value pairs"
    for cell in np.flatnonzero(hidden):
        low, high = _range_of(cell, hidden, primary, counts, EQUATIONS)
        assert high - low > 1e-6
