"""The shapes the open API answers with (also its OpenAPI documentation).

Field names are the facts table's English column names. A number that is missing, suppressed
or has denominator 0 is null, never 0.

Plain pydantic models, not ninja.Schema: the API always hands them dicts or models, and
ninja.Schema's per-object attribute getter costs ~50 µs a fact (a 50,000-row page: seconds).
"""

from __future__ import annotations

from datetime import datetime
from typing import Literal

from pydantic import BaseModel

AreaLevel = Literal["kommune", "jobcenter", "rar", "region", "land"]  # = geography.AREA_LEVELS
PeriodKind = Literal["month", "quarter", "half_year", "year"]  # = periods.PERIOD_KINDS


class ErrorOut(BaseModel):
    detail: str
    parameter: str | None = None


class AreaOut(BaseModel):
    level: AreaLevel
    code: str
    name: str
    jobcenter_code: str | None = None  # municipalities only
    rar_code: str | None = None
    region_code: str | None = None


class ReleaseRef(BaseModel):
    id: int
    name: str
    synthetic: bool


class ReleaseOut(BaseModel):
    id: int
    name: str
    year: int
    catalogue_year: int
    kind: str
    synthetic: bool
    created: datetime
    loaded_at: datetime
    row_count: int
    facts_sha256: str
    is_active: bool
    periods: list[str]
    fetched: datetime | None = None  # when an import fetched the figures
    previous: int | None = None  # the earlier vintage of the same source and year


class ReleaseDetailOut(ReleaseOut):
    manifest: dict


class FactOut(BaseModel):
    indicator: str
    period: str
    area_level: str
    area_code: str
    breakdown: str
    breakdown_value: str
    numerator: float | None
    denominator: float | None
    value: float | None
    suppressed: bool
    provisional: bool
    suppression: Literal["primary", "secondary"] | None  # why a suppressed row is hidden
    source: str  # computed | jobindsats | statbank | file: where this figure came from
    # A survey round's posting window (REKRUT's 2023H1: "dec. 2022–maj 2023"); null otherwise
    period_window: str | None = None


class FactsPage(BaseModel):
    count: int
    limit: int
    offset: int
    release: ReleaseRef
    items: list[FactOut]


class MunicipalityRef(BaseModel):
    code: int
    name: str


class IndicatorRef(BaseModel):
    id: str
    name_da: str
    name_en: str
    unit: str
    direction: str
    area_levels: list[str]
    supplementary: bool = False  # shown beside a goal, not a ministerial goal (UKR_*)


class AreaFigureOut(BaseModel):
    level: str
    code: str
    name: str
    numerator: float | None
    denominator: float | None
    value: float | None
    suppressed: bool
    provisional: bool
    missing: bool
    change_pp: float | None  # against the same period a year earlier


class RankOut(BaseModel):
    by: Literal["level"] = "level"
    rank: int | None  # None: no figure to rank on (suppressed, denominator 0, no row)
    ranked: int  # how many of the municipalities have a rank
    of: int  # all municipalities
    direction: str


class ExpectedOut(BaseModel):
    actual: float | None
    expected: float | None
    lower: float | None  # 90 % prediction interval
    upper: float | None
    gap: float | None  # actual − expected, percentage points
    r_squared: float | None
    n: int


class ReasonOut(BaseModel):
    variable: str
    own_value: float | None
    peer_value: float | None
    text: str


class PeerOut(BaseModel):
    code: int
    name: str
    rank: int
    distance: float
    reasons: list[ReasonOut]
    value: float | None
    suppressed: bool


class PooledOut(BaseModel):
    numerator: float | None
    denominator: float | None
    value: float | None
    suppressed: bool
    provisional: bool
    members: int  # peers in the group
    left_out: int  # peers hidden or missing; then there is no pooled figure
    reason: str | None = None  # why there is none ("Kan ikke beregnes: …"), in Danish


class ComparisonOut(BaseModel):
    release: ReleaseRef
    municipality: MunicipalityRef
    indicator: IndicatorRef
    period: str
    previous_period: str
    areas: list[AreaFigureOut]
    rank: RankOut | None
    expected: ExpectedOut | None
    peers_year: int
    peers: list[PeerOut]
    peers_pooled: PooledOut | None


class RevisionOut(BaseModel):
    change: Literal["changed", "added", "removed"]
    indicator: str
    period: str
    area_level: str
    area_code: str
    breakdown: str
    breakdown_value: str
    old_value: float | None
    new_value: float | None
    old_suppressed: bool | None
    new_suppressed: bool | None


class RevisionsPage(BaseModel):
    release: ReleaseRef
    previous: ReleaseRef | None
    count: int
    limit: int
    offset: int
    new_periods: list[str]
    items: list[RevisionOut]


class ForecastOut(BaseModel):
    """A municipality's year-end forecast (docs/forecast.md); numbers null with `reason`."""

    release: ReleaseRef
    municipality: MunicipalityRef
    indicator: IndicatorRef
    year: int
    as_of: str
    forecast: float | None
    lower: float | None  # 90 % interval
    upper: float | None
    p_target: float | None  # probability that the target is reached; null without a target
    target: float | None
    target_source: Literal["parameter", "plan"] | None
    shown_months: int  # months of the year shown up to as_of
    method: str
    reason: str | None  # "Kan ikke beregnes: …" when not computable
    text_da: str
