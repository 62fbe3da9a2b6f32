"""A municipality's comparison on one indicator and period, built in one place.

The municipality page, the open API (`/api/municipalities/{code}/comparison`) and the
comparison page (`/sammenlign/`) all show the same things: the municipality beside its job
centre, RAR area, region and the country with each area's change on a year, its rank among the
98 (on level, change and gap to expected), its stored expected level, and its comparable
municipalities with their pooled figure. They ask `municipal_comparison` and show its answer,
so they cannot disagree.

The areas are those of the period's year (a 2021 period compares with the 94 job centres of
2021). Indicators without municipal figures (REKRUT) give the RAR area and the country only.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import pandas as pd

from jobmaal import analysis
from jobmaal.catalogue import Indicator
from jobmaal.geography import Geography, load_geography
from jobmaal.periods import Period
from jobmaal.web.models import ExpectedLevel, PeerLink, Release
from jobmaal.web.queries import suppression_threshold


@dataclass(frozen=True)
class Ranks:
    """The 98 ranked once per indicator and period, on level, change and gap to expected."""

    level: list[analysis.Ranked]
    change: list[analysis.Ranked]
    gap: list[analysis.Ranked]

    def of(self, code: int) -> tuple[int | None, int | None, int | None]:
        """The municipality's rank on level, change and gap."""
        return tuple(next(r.rank for r in ranked if r.code == code)
                     for ranked in (self.level, self.change, self.gap))

    @property
    def ranked_count(self) -> int:
        return sum(1 for r in self.level if r.rank is not None)


@dataclass(frozen=True)
class PeerFigure:
    """A comparable municipality with its reasons and its own figure in the period."""

    code: int
    name: str
    rank: int
    distance: float
    reasons: list[dict]
    value: float | None
    suppressed: bool


@dataclass(frozen=True)
class Comparison:
    indicator: Indicator
    code: int
    period: str
    previous_period: str
    own_level: str  # "kommune", or "rar" for an indicator without municipal figures
    own_code: str
    own: analysis.AreaFigure
    change: float | None  # own level, percentage points against previous_period
    areas: list[analysis.AreaFigure]  # the municipality, job centre, RAR area, region, country
    area_changes: list[float | None]  # the change of each of `areas`
    rank: int | None = None
    rank_change: int | None = None
    rank_gap: int | None = None
    ranked_count: int = 0
    ranked_of: int = 0
    ranks: Ranks | None = None
    expected: ExpectedLevel | None = None
    peers: list[PeerFigure] = field(default_factory=list)
    pooled: analysis.AreaFigure | None = None

    @property
    def municipal(self) -> bool:
        return self.own_level == "kommune"


def own_level(ind: Indicator) -> str:
    return "kommune" if "kommune" in ind.area_levels else "rar"


def geography_of(period: str) -> Geography:
    """The areas of the period's year: its job centres and RAR areas."""
    return load_geography(Period.parse(period).year)


def expected_by_code(release: Release, indicator: str, period: str) -> dict[int, ExpectedLevel]:
    return {e.municipality_code: e for e in
            ExpectedLevel.objects.filter(release=release, indicator=indicator, period=period)}


def peer_links(release: Release, year: int, code: int) -> list[PeerLink]:
    return list(PeerLink.objects.filter(release=release, year=year, municipality_code=code)
                .order_by("rank"))


def rankings(facts: pd.DataFrame, ind: Indicator, period: str,
             expected: dict[int, ExpectedLevel]) -> Ranks:
    """The 98 on level, change and gap; `facts` must hold the municipalities' rows of the
    period and of the same period a year earlier."""
    geo = geography_of(period)
    gaps = {c: e.gap for c, e in expected.items()}
    return Ranks(
        level=analysis.rank_municipalities(facts, ind.id, period, geography=geo),
        change=analysis.rank_municipalities(facts, ind.id, period, by="change", geography=geo),
        gap=analysis.rank_municipalities(facts, ind.id, period, by="gap", gaps=gaps, geography=geo),
    )


def municipal_comparison(release: Release, facts: pd.DataFrame, ind: Indicator, period: str,
                         code: int, *, ranks: Ranks | None = None,
                         expected: dict[int, ExpectedLevel] | None = None,
                         peers: list[PeerLink] | None = None) -> Comparison:
    """The comparison of municipality `code` on `ind` in `period`.

    `facts` holds the total rows of the indicator for the period and the year before: every
    municipality (for ranks and peers) and the municipality's own job centre, RAR area, region
    and the country. `ranks`, `expected` (code → stored expected level of the period) and
    `peers` may be passed in when many municipalities are compared at once; they are read or
    computed here otherwise.
    """
    geo = geography_of(period)
    before = Period.parse(period).year_earlier().code
    mine = facts[(facts.indicator == ind.id) & facts.period.isin([period, before])]
    areas = analysis.compare_areas(mine, ind.id, period, code, geo)
    area_changes = [analysis.change_pp(mine, ind.id, period, f.level, f.code) for f in areas]
    level = own_level(ind)
    own_index = next(i for i, f in enumerate(areas) if f.level == level)
    base = {"indicator": ind, "code": code, "period": period, "previous_period": before,
            "own_level": level, "own_code": areas[own_index].code, "own": areas[own_index],
            "change": area_changes[own_index], "areas": areas, "area_changes": area_changes}
    if level != "kommune":
        return Comparison(**base)
    if expected is None:
        expected = expected_by_code(release, ind.id, period)
    if ranks is None:
        ranks = rankings(mine[mine.area_level == "kommune"], ind, period, expected)
    rank, rank_change, rank_gap = ranks.of(code)
    links = peer_links(release, Period.parse(period).year, code) if peers is None else peers
    peer_figures, pool = _peers(release, mine, ind, period, links, geo)
    return Comparison(**base, rank=rank, rank_change=rank_change, rank_gap=rank_gap,
                      ranked_count=ranks.ranked_count, ranked_of=len(ranks.level), ranks=ranks,
                      expected=expected.get(code), peers=peer_figures, pooled=pool)


def _peers(release: Release, facts: pd.DataFrame, ind: Indicator, period: str,
           links: list[PeerLink], geo: Geography
           ) -> tuple[list[PeerFigure], analysis.AreaFigure | None]:
    if not links:
        return [], None
    figures = []
    for link in links:
        own = analysis.figure(facts, ind.id, period, "kommune", str(link.peer_code), "")
        figures.append(PeerFigure(code=link.peer_code, name=geo.municipality(link.peer_code).name,
                                  rank=link.rank, distance=link.distance, reasons=link.reasons,
                                  value=own.value, suppressed=own.suppressed))
    pool = analysis.pooled(facts, ind.id, period, [p.peer_code for p in links],
                           threshold=suppression_threshold(release, ind))
    return figures, pool
