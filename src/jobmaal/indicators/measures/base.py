"""What the engine needs to know about a measure besides its SQL."""

from __future__ import annotations

from dataclasses import dataclass, field
from importlib import resources


@dataclass(frozen=True)
class Dimension:
    """A breakdown whose values partition the denominator (e.g. koen: k, m)."""

    breakdown: str  # id used in facts.breakdown, e.g. 'koen'
    column: str  # unit-row column holding the value, e.g. 'sex'


@dataclass(frozen=True)
class NumeratorVariant:
    """A breakdown whose values are alternative numerators over the same denominator.

    MM10's 'samarbejde' is one: a firm can collaborate with its own job centre and with others,
    so each value counts firms out of all firms.
    """

    breakdown: str
    values: tuple[tuple[str, str], ...]  # (breakdown_value, unit-row numerator column)


@dataclass(frozen=True)
class Measure:
    """A register measure: its SQL yields one unit row per counted person/firm/response.

    Unit rows have `period` (native period code), the base area column (`municipality_code`
    or `rar`), `numerator` and `denominator` contributions, and the breakdown columns.
    """

    id: str
    sql_file: str
    native_period: str  # 'month', 'year' or 'half_year'
    base_area: str = "kommune"  # 'kommune' (column municipality_code) or 'rar' (column rar)
    dimensions: tuple[Dimension, ...] = ()
    numerator_variants: tuple[NumeratorVariant, ...] = ()
    suppress_on: str = "counts"  # 'counts': numerator/denominator 1..T-1; 'units': respondents
    # With suppress_on='units': the unit-row column identifying a respondent, counted distinct
    # in every area and period (a firm answering in two RAR areas is one firm in the country).
    unit_id: str | None = None
    register_based: bool = True  # survey measures are never provisional
    requires: tuple[str, ...] = field(default=())  # shared SQL run first, e.g. refugee_months
    # 'share': value = 100·Σnumerator/Σdenominator. 'count': value = Σnumerator, the number of
    # people in the month (numerator = denominator = 1 per person-month); published for months
    # only, since a quarter's sum of person-months is no number of people.
    kind: str = "share"

    @property
    def breakdowns(self) -> tuple[str, ...]:
        return tuple(d.breakdown for d in self.dimensions) + tuple(
            v.breakdown for v in self.numerator_variants
        )

    @property
    def published_kinds(self) -> tuple[str, ...] | None:
        """The period kinds a count is published for (None: every kind its native one rolls into)."""
        return (self.native_period,) if self.kind == "count" else None

    def sql(self) -> str:
        return read_sql(self.sql_file)


def read_sql(name: str) -> str:
    return (resources.files("jobmaal.indicators") / "measures" / name).read_text(encoding="utf-8")
