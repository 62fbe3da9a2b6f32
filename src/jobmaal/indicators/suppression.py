"""Secondary (complementary) suppression: hidden cells that cannot be worked out from shown ones.

Primary suppression hides a cell whose count is 1 to threshold−1. A published table also holds
sums (a job centre is the sum of its municipalities, `i_alt` the sum of a breakdown's values, a
quarter the sum of its months), so a hidden cell could be recovered by subtracting shown cells
from a shown sum, or by a chain or combination of such subtractions. This module hides more
cells until none can be. Three ways, sharing the solver check:

- `protect_cubes` (the engine's facts; sdcTable's HYPERCUBE method): a facts table is a product
  of areas × periods × breakdown cells; every primary cell gets the cheapest "hypercube" whose
  corners are all hidden, which provably leaves each corner undetermined (see below). Fast
  enough for the national facts table; `fact_groups` builds its input from the facts and their
  additive relations.
- `protect` (any cells and equations `parent = Σ children`): the local rule statistics agencies
  apply (tau-ARGUS, sdcTable's SIMPLEHEURISTIC) — an equation never holds exactly one hidden
  cell; the cheapest shown cell of the equation is hidden too: the child with the smallest
  positive count, then a child counting zero, then the parent; `keep` cells (the country total)
  never — then, since the local rule is not enough in a table with more than one hierarchy (two
  protected cycles joined by one cell leave that cell determined), a global check
  (`determined_cells`) and more complements until nothing is determined. Used for the sums the
  importers derive.
- `protect_exhaustive` (a handful of cells: the survey's regions and RAR areas): the fewest
  further cells, found by trying every set, so that nothing is determined.

A hidden cell is determined when its unit vector lies in the row space of the equations
restricted to the hidden cells: every solution gives it the same value. `recoverable_cells`
audits a published facts table that way.
"""

from __future__ import annotations

import itertools
from dataclasses import dataclass

import duckdb
import numpy as np
import pandas as pd
import pyarrow as pa
import scipy.linalg
import scipy.sparse
from scipy.sparse.csgraph import connected_components
from scipy.sparse.linalg import lsmr

from jobmaal.facts import KEY_COLUMNS, TOTAL

PRIMARY = "primary"
SECONDARY = "secondary"
_DENSE_LIMIT = 1500  # hidden cells of a linked group solved exactly; larger ones iteratively


@dataclass(frozen=True)
class Equations:
    """Equations `parent = Σ children` over cell indices, stored flat.

    Equation k holds cells `cells[start[k]:start[k + 1]]`; the first is the parent.
    """

    start: np.ndarray  # int64, len = number of equations + 1
    cells: np.ndarray  # int64

    @classmethod
    def from_lists(cls, equations: list[tuple[int, list[int]]]) -> Equations:
        """From (parent, children) pairs."""
        cells, start = [], [0]
        for parent, children in equations:
            cells += [parent, *children]
            start.append(len(cells))
        return cls(np.asarray(start, dtype=np.int64), np.asarray(cells, dtype=np.int64))

    @property
    def count(self) -> int:
        return len(self.start) - 1

    def eq_of_member(self) -> np.ndarray:
        return np.repeat(np.arange(self.count), np.diff(self.start))

    def signs(self) -> np.ndarray:
        """+1 for children, −1 for the parent: Σ sign·x = 0 in every equation."""
        sign = np.ones(len(self.cells))
        sign[self.start[:-1]] = -1.0
        return sign


@dataclass(frozen=True)
class Bounds:
    """What an attacker knows of hidden cells' counts besides the equations.

    `values` (cells × quantities) are the true counts; where `bounded` is true the attacker
    knows the count lies in [low, high] (a primary cell's 1..threshold−1); elsewhere in [0, ∞).
    """

    values: np.ndarray
    bounded: np.ndarray
    low: float
    high: float


def protect(size: np.ndarray, primary: np.ndarray, equations: Equations, *,
            keep: np.ndarray | None = None, internal: np.ndarray | None = None,
            bounds: Bounds | None = None, combinations: bool = True) -> np.ndarray:
    """The cells to hide besides the primary ones (a boolean mask: the secondary cells).

    `size` orders the candidates (smaller is hidden first); `keep` cells are never hidden;
    `internal` cells are never published at all (they take part in equations but need no
    protection, e.g. the intersections of two partitions). Without `combinations` only the
    local rule runs (enough where the equations add nothing a reader could combine).
    """
    n = len(size)
    keep = np.zeros(n, bool) if keep is None else keep.astype(bool)
    internal = np.zeros(n, bool) if internal is None else internal.astype(bool)
    hidden = primary.astype(bool) | internal
    size = np.asarray(size, dtype=float)
    eq_of = equations.eq_of_member()
    while True:
        _local_rule(hidden, size, keep, equations, eq_of, bounds, primary)
        if not combinations:
            break
        determined = determined_cells(hidden, equations) & ~internal
        if not determined.any():
            break
        if not _complement_determined(determined, hidden, size, keep, equations, eq_of):
            break  # nothing left that may be hidden; the caller's audit reports the rest
    return hidden & ~primary.astype(bool) & ~internal


def _local_rule(hidden: np.ndarray, size: np.ndarray, keep: np.ndarray, eqs: Equations,
                eq_of: np.ndarray, bounds: Bounds | None, primary: np.ndarray) -> None:
    """Hide complements until no equation has exactly one hidden cell (or pinned ones)."""
    if eqs.count == 0:
        return
    parent_slot = np.zeros(len(eqs.cells), bool)
    parent_slot[eqs.start[:-1]] = True
    dead = np.zeros(eqs.count, bool)  # equations where nothing more can be hidden
    while True:
        member_hidden = hidden[eqs.cells]
        n_hidden = np.add.reduceat(member_hidden.astype(np.int64), eqs.start[:-1]) \
            if len(eqs.cells) else np.zeros(0, np.int64)
        flagged = (n_hidden == 1)
        if bounds is not None:
            flagged |= _pinned_by_bounds(hidden, eqs, eq_of, bounds, primary) & (n_hidden > 1)
        flagged &= ~dead
        if not flagged.any():
            return
        chosen = _cheapest_shown(flagged, hidden, size, keep, eqs, eq_of, parent_slot)
        done = chosen >= 0
        dead |= flagged & ~done  # nothing to hide there: left to the global check
        if not done.any():
            return
        hidden[chosen[done]] = True


def _cheapest_shown(flagged: np.ndarray, hidden: np.ndarray, size: np.ndarray, keep: np.ndarray,
                    eqs: Equations, eq_of: np.ndarray, parent_slot: np.ndarray) -> np.ndarray:
    """Per equation, the shown cell to hide (−1 where none may be): the child with the smallest
    positive size, then a child of size zero, then the parent."""
    slots = np.flatnonzero(flagged[eq_of])
    cells = eqs.cells[slots]
    ok = ~hidden[cells] & ~keep[cells]
    slots, cells = slots[ok], cells[ok]
    chosen = np.full(eqs.count, -1, dtype=np.int64)
    if len(slots) == 0:
        return chosen
    cell_size = size[cells]
    rank = np.where(parent_slot[slots], 2, np.where(cell_size > 0, 0, 1))
    order = np.lexsort((cells, cell_size, rank, eq_of[slots]))
    eq_sorted = eq_of[slots][order]
    first = np.r_[True, eq_sorted[1:] != eq_sorted[:-1]]
    chosen[eq_sorted[first]] = cells[order][first]
    return chosen


def _pinned_by_bounds(hidden: np.ndarray, eqs: Equations, eq_of: np.ndarray, bounds: Bounds,
                      primary: np.ndarray) -> np.ndarray:
    """Equations whose hidden cells sit at the edge of what their bounds allow (so each is
    known exactly), for any quantity."""
    sign = eqs.signs()
    member_hidden = hidden[eqs.cells]
    pinned = np.zeros(eqs.count, bool)
    for q in range(bounds.values.shape[1]):
        value = bounds.values[eqs.cells, q]
        known = bounds.bounded[eqs.cells, q] & primary[eqs.cells]
        low = np.where(known, bounds.low, 0.0)
        high = np.where(known, bounds.high, np.inf)
        lo = np.where(sign > 0, low, -high)
        hi = np.where(sign > 0, high, -low)
        h = member_hidden
        total = np.add.reduceat(np.where(h, sign * value, 0.0), eqs.start[:-1])
        least = np.add.reduceat(np.where(h, lo, 0.0), eqs.start[:-1])
        most = np.add.reduceat(np.where(h, hi, 0.0), eqs.start[:-1])
        with np.errstate(invalid="ignore"):
            pinned |= np.isclose(total, least) | np.isclose(total, most)
    return pinned


def _complement_determined(determined: np.ndarray, hidden: np.ndarray, size: np.ndarray,
                           keep: np.ndarray, eqs: Equations, eq_of: np.ndarray) -> bool:
    """For each determined cell hide the cheapest shown cell of one equation holding it."""
    parent_slot = np.zeros(len(eqs.cells), bool)
    parent_slot[eqs.start[:-1]] = True
    holds = np.zeros(eqs.count, bool)
    holds[eq_of[determined[eqs.cells]]] = True
    chosen = _cheapest_shown(holds, hidden, size, keep, eqs, eq_of, parent_slot)
    # one complement per determined cell: the first equation (in order) that offers one
    picked = set()
    slots = np.flatnonzero(determined[eqs.cells])
    for cell, eq in sorted(zip(eqs.cells[slots].tolist(), eq_of[slots].tolist(), strict=True)):
        if cell in picked or chosen[eq] < 0:
            continue
        picked.add(cell)
        hidden[chosen[eq]] = True
    return bool(picked)


def determined_cells(hidden: np.ndarray, eqs: Equations) -> np.ndarray:
    """Hidden cells whose value follows from the equations and the shown cells alone.

    A hidden cell x is free when some z ≠ 0 on hidden cells satisfies every equation with
    z_x ≠ 0 (add z to the table and nothing shown changes). Small linked groups of hidden cells
    are solved exactly (the null space by SVD); large ones by projecting a random vector onto
    the null space with LSMR: a cell where the projection is not clearly non-zero counts as
    determined, so any doubt hides more, never less.
    """
    out = np.zeros(len(hidden), bool)
    if eqs.count == 0 or not hidden.any():
        return out
    eq_of = eqs.eq_of_member()
    member_hidden = hidden[eqs.cells]
    cols_all = np.flatnonzero(hidden)
    col_index = np.full(len(hidden), -1, dtype=np.int64)
    col_index[cols_all] = np.arange(len(cols_all))
    rows = eq_of[member_hidden]
    matrix = scipy.sparse.csr_matrix(
        (eqs.signs()[member_hidden], (rows, col_index[eqs.cells[member_hidden]])),
        shape=(eqs.count, len(cols_all)))
    matrix = matrix[np.unique(rows)].tocsc()
    # hidden cells in no equation are free; components link cells sharing an equation
    n_comp, label = connected_components((matrix.T @ matrix) != 0, directed=False)
    sizes = np.bincount(label, minlength=n_comp)
    order = np.argsort(label, kind="stable")
    edges = np.r_[0, np.cumsum(sizes)]
    for c in np.flatnonzero(sizes <= _DENSE_LIMIT):
        members = order[edges[c]:edges[c + 1]]
        sub = matrix[:, members]
        block = sub[np.unique(sub.nonzero()[0])].toarray()
        if block.size:
            out[cols_all[members[_determined_dense(block)]]] = True
    large = np.isin(label, np.flatnonzero(sizes > _DENSE_LIMIT))
    if large.any():
        members = np.flatnonzero(large)
        sub = matrix[:, members].tocsr()
        sub = sub[np.unique(sub.nonzero()[0])]
        out[cols_all[members[_determined_iterative(sub)]]] = True
    return out


def _determined_dense(block: np.ndarray) -> np.ndarray:
    """Columns x with e_x in the row space of `block` (x equal in every solution)."""
    null = scipy.linalg.null_space(block)
    if null.size == 0:
        return np.ones(block.shape[1], bool)
    return np.linalg.norm(null, axis=1) < 1e-8


def _determined_iterative(matrix: scipy.sparse.csr_matrix) -> np.ndarray:
    """As `_determined_dense` for a large sparse matrix: project random vectors onto its null
    space (the least-squares residual of Aᵀy = r) and call every near-zero coordinate
    determined."""
    norms = np.sqrt(np.asarray(matrix.multiply(matrix).sum(axis=1)).ravel())
    scaled = (scipy.sparse.diags(1.0 / norms) @ matrix).tocsr()
    transposed = scaled.T.tocsr()
    rng = np.random.default_rng(0)
    free = np.zeros(matrix.shape[1], bool)
    for _ in range(2):
        r = rng.standard_normal(matrix.shape[1])
        y = lsmr(transposed, r, atol=1e-10, btol=1e-10, maxiter=50_000)[0]
        z = r - transposed @ y
        free |= np.abs(z) > 1e-5
    return ~free


# -- facts tables ----------------------------------------------------------------------------------

# A link with a year (an area relation of that year's geography) holds for that year's periods.
_YEAR_OF = "CAST(substr({}.period, 1, 4) AS INTEGER)"


def fact_equations(keys: pa.Table | pd.DataFrame, links: pd.DataFrame, *,
                   complete_only: bool = False) -> Equations:
    """The equations of a facts table (rows in order) along its additive relations.

    `links` has columns indicator, dimension ('area', 'period' or 'breakdown'), relation, child,
    parent. Areas are written 'level:code', breakdown cells 'breakdown:value' (parent
    'i_alt:i_alt'). A parent row with its children (rows equal in the other two dimensions) is
    one equation per relation. Children missing from the table count zero (the engine writes
    no breakdown row it counted nothing in); with `complete_only` an equation missing a child
    is left out instead (an imported table leaves out what it could not show).
    """
    if "year" not in links.columns:
        links = links.assign(year=pd.array([pd.NA] * len(links), dtype="Int64"))
    con = duckdb.connect()
    try:
        con.register("keys_in", keys)
        con.register("links", links)
        con.execute(
            "CREATE TEMP TABLE cells AS SELECT row_number() OVER () - 1 AS idx, indicator, period,"
            " area_level || ':' || area_code AS area, breakdown || ':' || breakdown_value AS brk"
            " FROM keys_in")
        parts = []
        for dim, other in (("area", ("period", "brk")), ("period", ("area", "brk")),
                           ("breakdown", ("area", "period"))):
            col = "brk" if dim == "breakdown" else dim
            same = " AND ".join(f"p.{o} = c.{o}" for o in other)
            parts.append(
                f"SELECT p.idx AS parent, l.relation AS relation, c.idx AS child FROM cells c "
                f"JOIN links l ON l.indicator = c.indicator AND l.dimension = '{dim}' "
                f"AND l.child = c.{col} AND (l.year IS NULL OR l.year = {_YEAR_OF.format('c')}) "
                f"JOIN cells p ON p.indicator = c.indicator AND p.{col} = l.parent AND {same}")
        complete = ""
        if complete_only:
            complete = (
                ", wanted AS (SELECT indicator, dimension, relation, parent, year, COUNT(*) AS n "
                "FROM links GROUP BY ALL), "
                "found AS (SELECT parent, relation, COUNT(*) AS n FROM pairs GROUP BY ALL), "
                "whole AS (SELECT f.parent, f.relation FROM found f JOIN cells p ON p.idx = f.parent "
                "JOIN wanted w ON w.indicator = p.indicator AND w.relation = f.relation "
                "AND w.parent = CASE w.dimension WHEN 'area' THEN p.area "
                "WHEN 'period' THEN p.period ELSE p.brk END AND w.n = f.n "
                f"AND (w.year IS NULL OR w.year = {_YEAR_OF.format('p')})) ")
            complete_filter = " SEMI JOIN whole USING (parent, relation)"
        else:
            complete_filter = ""
        pairs = con.execute(
            "WITH pairs AS (" + " UNION ALL ".join(parts) + ")" + complete +
            " SELECT parent, child, dense_rank() OVER (ORDER BY parent, relation) - 1 AS eq "
            "FROM pairs" + complete_filter + " ORDER BY eq, child").fetchnumpy()
    finally:
        con.close()
    eq = pairs["eq"].astype(np.int64)
    if len(eq) == 0:
        return Equations(np.zeros(1, np.int64), np.zeros(0, np.int64))
    n_eq = int(eq[-1]) + 1
    first = np.r_[True, eq[1:] != eq[:-1]]
    parents = pairs["parent"].astype(np.int64)[first]
    counts = np.bincount(eq, minlength=n_eq) + 1
    start = np.r_[0, np.cumsum(counts)]
    cells = np.empty(start[-1], dtype=np.int64)
    cells[start[:-1]] = parents
    child_pos = np.arange(len(eq)) - np.searchsorted(eq, eq) + start[eq] + 1
    cells[child_pos] = pairs["child"].astype(np.int64)
    return Equations(start.astype(np.int64), cells)


# -- the facts' hypercube method -------------------------------------------------------------------
# A facts table of one indicator is a product of three dimensions (areas × periods × breakdown
# cells), each with its own sums. A vector z with z = z_area ⊗ z_period ⊗ z_breakdown, where each
# factor satisfies its own dimension's sums, satisfies every sum of the table. Hiding every cell
# where z ≠ 0 (a "hypercube", sdcTable's HYPERCUBE) leaves each of them free: add εz to the table
# and nothing shown changes. If moving by εz (ε > 0 or ε < 0) keeps every such cell within what
# a reader knows of it (primary counts in 1..threshold−1, others ≥ 0), no bound pins them either.
# Every primary cell gets the cheapest such cube (fewest newly hidden cells, then the smallest
# counts) unless an earlier cube already freed it. Adding hidden cells never makes a free cell
# determined again, so one pass suffices.


@dataclass(frozen=True)
class _Vector:
    coords: tuple[int, ...]
    signs: tuple[int, ...]


class Hierarchy:
    """A dimension whose upper coordinates are sums of leaf coordinates (areas, periods).

    `sums` maps an upper coordinate to its leaves; `weight` orders leaves (smaller first) when
    choosing partners: small areas are the likeliest to be hidden already.
    """

    def __init__(self, n: int, sums: dict[int, frozenset[int]], weight: np.ndarray,
                 limit: int = 2):
        self.sums = sums
        self.leaves = [c for c in range(n) if c not in sums]
        self.ancestors = {leaf: frozenset(x for x, s in sums.items() if leaf in s)
                          for leaf in self.leaves}
        self.weight = weight
        self.limit = limit
        self.size = n
        self._cache: dict[int, tuple[np.ndarray, np.ndarray]] = {}

    def widen(self) -> Hierarchy:
        """The same dimension offering many more vectors (for the few cells the first ones
        cannot protect)."""
        return Hierarchy(self.size, self.sums, self.weight, limit=6)

    def _vertical(self, leaf: int) -> _Vector:
        up = sorted(self.ancestors[leaf])
        return _Vector((leaf, *up), (1,) * (1 + len(up)))

    def _pair(self, one: int, other: int) -> _Vector:
        a, b = self.ancestors[one], self.ancestors[other]
        plus, minus = sorted(a - b), sorted(b - a)
        return _Vector((one, other, *plus, *minus),
                       (1, -1, *(1,) * len(plus), *(-1,) * len(minus)))

    def _partners(self, leaf: int, outside: frozenset[int] = frozenset()) -> list[int]:
        others = [x for x in self.leaves if x != leaf and x not in outside]
        shared = self.ancestors[leaf]
        others.sort(key=lambda x: (-len(shared & self.ancestors[x]), self.weight[x], x))
        return others[:self.limit]

    def candidates(self, c: int) -> tuple[np.ndarray, np.ndarray]:
        """The small vectors through coordinate c that keep every sum: (coords, signs),
        padded with coordinate `size` and sign 0."""
        if c not in self._cache:
            if c in self.sums:
                members = sorted(self.sums[c], key=lambda x: (self.weight[x], x))[:self.limit]
                found = [self._vertical(m) for m in members]
                found += [self._pair(m, p) for m in members[:self.limit]
                          for p in self._partners(m, self.sums[c])[:self.limit]]
            else:
                found = [self._pair(c, p) for p in self._partners(c)] + [self._vertical(c)]
            self._cache[c] = _padded(found, self.size)
        return self._cache[c]


class Partitions:
    """The breakdown dimension: the total equals the sum of each partition's values; other
    coordinates (values that do not partition the total) are in no sum."""

    def __init__(self, n: int, total: int | None, partitions: list[list[int]],
                 weight: np.ndarray, limit: int = 3):
        self.size = n
        self.weight = weight
        self.total = total
        self.partitions = [sorted(p, key=lambda x: (weight[x], x)) for p in partitions if p]
        self.part_of = {v: i for i, p in enumerate(self.partitions) for v in p}
        self.limit = limit
        self._cache: dict[int, tuple[np.ndarray, np.ndarray]] = {}

    def widen(self) -> Partitions:
        """As `Hierarchy.widen`."""
        return Partitions(self.size, self.total, self.partitions, self.weight, limit=12)

    def _verticals(self, fixed: dict[int, int]) -> list[_Vector]:
        choices = [[fixed[i]] if i in fixed else p[:self.limit] for i, p in enumerate(self.partitions)]
        found = []
        for combo in itertools.islice(itertools.product(*choices), self.limit):
            found.append(_Vector((self.total, *combo), (1,) * (1 + len(combo))))
        return found

    def candidates(self, c: int) -> tuple[np.ndarray, np.ndarray]:
        """As `Hierarchy.candidates`."""
        if c not in self._cache:
            if c == self.total:
                found = self._verticals({}) if self.partitions else [_Vector((c,), (1,))]
            elif c in self.part_of:
                part = self.partitions[self.part_of[c]]
                found = [_Vector((c, o), (1, -1)) for o in part if o != c][:self.limit]
                found += self._verticals({self.part_of[c]: c})
            else:
                found = [_Vector((c,), (1,))]
            self._cache[c] = _padded(found, self.size)
        return self._cache[c]


def _padded(vectors: list[_Vector], pad: int) -> tuple[np.ndarray, np.ndarray]:
    width = max(len(v.coords) for v in vectors)
    coords = np.full((len(vectors), width), pad, dtype=np.int64)
    signs = np.zeros((len(vectors), width), dtype=np.int8)
    for i, v in enumerate(vectors):
        coords[i, :len(v.coords)] = v.coords
        signs[i, :len(v.signs)] = v.signs
    return coords, signs


@dataclass
class CubeResult:
    secondary: np.ndarray  # the cells hidden to protect the primary ones
    # primary cells whose cube could not also keep every corner off the bounds a reader knows
    # (typically a count of 1 among zeros): no sum determines them, but bounds may
    unprotected: int
    missed: list[int]  # primary cells with no cube at all (the caller falls back to `protect`)


def protect_cubes(groups: list[tuple[np.ndarray, tuple]], size: np.ndarray, primary: np.ndarray,
                  *, keep: np.ndarray, bounds: Bounds) -> CubeResult:
    """Hypercube secondary suppression (see above) over groups of a table.

    Each group is (grid, (dim_area, dim_period, dim_breakdown)): `grid[a, t, b]` is the row of
    the cell at those coordinates, or −1 where the table has no such row (a shown zero).
    """
    n = len(size)
    pad, missing = n, n + 1  # two extra "cells": padding (harmless) and a row not in the table
    hidden = np.r_[primary.astype(bool), True, False]  # a missing row can never be hidden
    free = np.zeros(n + 2, bool)
    blocked = np.r_[keep.astype(bool), False, True]  # cells a cube may not newly hide
    size = np.r_[np.asarray(size, float), 0.0, 0.0]
    can_up, can_down = _movable(bounds, n)
    unprotected = 0
    missed: list[int] = []
    for grid, dims in groups:
        full = np.full(tuple(s + 1 for s in grid.shape), pad, dtype=np.int64)
        full[:grid.shape[0], :grid.shape[1], :grid.shape[2]] = np.where(grid < 0, missing, grid)
        rows = grid[grid >= 0]
        where = np.argwhere(grid >= 0)
        coords_of = dict(zip(rows.tolist(), map(tuple, where.tolist()), strict=True))
        targets = [r for r in rows[primary[rows]].tolist()]
        targets.sort(key=lambda r: (size[r], r))
        wide = None
        for row in targets:
            if free[row]:
                continue
            corners, feasible = _best_cube(full, dims, coords_of[row], hidden, blocked, size,
                                           can_up, can_down)
            if corners is None:  # rare: look further (missing rows, the kept country total)
                wide = wide or tuple(d.widen() for d in dims)
                corners, feasible = _best_cube(full, wide, coords_of[row], hidden, blocked,
                                               size, can_up, can_down)
            if corners is None:
                unprotected += 1
                missed.append(row)
                continue
            hidden[corners] = True
            free[corners] = True  # no sum determines them any more
            unprotected += not feasible
    secondary = hidden[:n] & ~primary.astype(bool)
    return CubeResult(secondary, unprotected, missed)


def _movable(bounds: Bounds, n: int) -> tuple[np.ndarray, np.ndarray]:
    """Per cell and quantity: may it grow a little, or shrink a little, within its bounds?"""
    values, bounded = bounds.values, bounds.bounded
    up = ~bounded | (values < bounds.high)
    down = np.where(bounded, values > bounds.low, values > 0)
    pad = np.ones((2, values.shape[1]), bool)
    return np.vstack([up, pad]), np.vstack([down, pad])


def _best_cube(full, dims, at, hidden, blocked, size, can_up, can_down):
    """The cheapest cube through cell `at` (its corners and whether it keeps them within their
    bounds), or (None, False) when every cube would hide a kept cell or a missing row."""
    ca, sa = dims[0].candidates(at[0])
    ct, st = dims[1].candidates(at[1])
    cb, sb = dims[2].candidates(at[2])
    corners = full[ca[:, None, None, :, None, None], ct[None, :, None, None, :, None],
                   cb[None, None, :, None, None, :]]
    signs = (sa[:, None, None, :, None, None] * st[None, :, None, None, :, None]
             * sb[None, None, :, None, None, :])
    corners = corners.reshape(corners.shape[:3] + (-1,))
    signs = np.broadcast_to(signs, corners.shape[:3] + signs.shape[3:]).reshape(corners.shape)
    used = signs != 0
    new = used & ~hidden[corners]
    valid = ~(new & blocked[corners]).any(axis=-1)
    if not valid.any():
        return None, False
    cost = new.sum(axis=-1) * 1e9 + np.where(new, size[corners], 0.0).sum(axis=-1)
    feasible = np.ones(valid.shape, bool)
    for q in range(can_up.shape[1]):
        up, down = can_up[corners, q], can_down[corners, q]
        plus = np.where(signs > 0, up, np.where(signs < 0, down, True)).all(axis=-1)
        minus = np.where(signs > 0, down, np.where(signs < 0, up, True)).all(axis=-1)
        feasible &= plus | minus
    rank = np.where(valid & feasible, cost, np.where(valid, cost + 1e15, np.inf))
    best = np.unravel_index(np.argmin(rank), rank.shape)
    chosen = corners[best][used[best]]
    return chosen, bool(feasible[best])


def fact_groups(keys: pd.DataFrame, links: pd.DataFrame, size: np.ndarray) -> list[tuple]:
    """The groups `protect_cubes` takes, one per indicator of a facts table (key columns, rows
    in order), with each dimension's sums from `links` (see `fact_equations`)."""
    frame = pd.DataFrame({
        "indicator": np.asarray(keys["indicator"]), "period": np.asarray(keys["period"]),
        "area": np.char.add(np.char.add(np.asarray(keys["area_level"], str), ":"),
                            np.asarray(keys["area_code"], str)),
        "brk": np.char.add(np.char.add(np.asarray(keys["breakdown"], str), ":"),
                           np.asarray(keys["breakdown_value"], str)),
        "size": size, "row": np.arange(len(size))})
    frame["year"] = frame["period"].str[:4].astype(int)
    years = links["year"] if "year" in links.columns else pd.Series(pd.NA, index=links.index)
    groups = []
    # one cube per indicator and year: areas are those of the period's year, and no period
    # relation crosses a year
    for (indicator, year), own in frame.groupby(["indicator", "year"], sort=False):
        rel = links[(links.indicator == indicator) & (years.isna() | (years == year)).to_numpy()]
        codes, dims = [], []
        for column, dimension in (("area", "area"), ("period", "period"), ("brk", "breakdown")):
            index, values = np.unique(own[column].to_numpy(), return_inverse=True)
            codes.append(values)
            weight = np.bincount(values, weights=own["size"].to_numpy(), minlength=len(index))
            weight /= np.maximum(np.bincount(values, minlength=len(index)), 1)
            position = {c: i for i, c in enumerate(index.tolist())}
            dim_links = rel[rel.dimension == dimension]
            if dimension == "breakdown":
                parts = [[position[c] for c in part.child if c in position]
                         for _, part in dim_links.groupby("relation", sort=True)]
                total = position.get(f"{TOTAL}:{TOTAL}")
                dims.append(Partitions(len(index), total, parts if total is not None else [],
                                       weight))
            else:
                dims.append(Hierarchy(len(index), _leaf_sums(dim_links, position), weight))
        grid = np.full(tuple(d.size for d in dims), -1, dtype=np.int64)
        grid[codes[0], codes[1], codes[2]] = own["row"].to_numpy()
        groups.append((grid, tuple(dims)))
    return groups


def _leaf_sums(links: pd.DataFrame, position: dict[str, int]) -> dict[int, frozenset[int]]:
    """Each upper coordinate's leaves: the children that are nobody's parent."""
    parents = set(links.parent)
    sums: dict[int, set[int]] = {}
    for child, parent in zip(links.child, links.parent, strict=True):
        if child in parents or child not in position or parent not in position:
            continue
        sums.setdefault(position[parent], set()).add(position[child])
    return {k: frozenset(v) for k, v in sums.items()}


def recoverable_cells(facts: pa.Table, links: pd.DataFrame) -> np.ndarray:
    """The audit: hidden rows of a published facts table that its shown rows and sums determine
    (none, after secondary suppression)."""
    hidden = facts.column("suppressed").to_numpy(zero_copy_only=False)
    return determined_cells(hidden, fact_equations(facts.select(list(KEY_COLUMNS)), links))


def protect_exhaustive(size: np.ndarray, primary: np.ndarray, equations: Equations, *,
                       keep: np.ndarray | None = None,
                       internal: np.ndarray | None = None) -> np.ndarray:
    """For a handful of cells (a survey's regions and RAR areas): the fewest more cells to hide,
    then the smallest total size, so that no hidden published cell is determined. Tries every
    set of candidates, smallest first; the secondary cells are returned."""
    n = len(size)
    keep = np.zeros(n, bool) if keep is None else keep.astype(bool)
    internal = np.zeros(n, bool) if internal is None else internal.astype(bool)
    base = primary.astype(bool) | internal
    if not primary.any():
        return np.zeros(n, bool)
    candidates = [c for c in range(n) if not base[c] and not keep[c]]
    for k in range(len(candidates) + 1):
        options = sorted(itertools.combinations(candidates, k),
                         key=lambda combo: (sum(size[c] for c in combo), combo))
        for combo in options:
            hidden = base.copy()
            hidden[list(combo)] = True
            if not (determined_cells(hidden, equations) & ~internal).any():
                return hidden & ~base
    return ~base & ~keep  # not reached: hiding every candidate leaves nothing to subtract
