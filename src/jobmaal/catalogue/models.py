"""Goals and indicators per year, loaded from TOML and validated on load.

A year's file may say `based_on = <year>` to take that year's goals and indicators, and list
only what differs (goals or indicators with the same number/id replace the base's).
"""

from __future__ import annotations

import tomllib
from functools import cache
from importlib import resources
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, ValidationError, model_validator

from jobmaal.geography import AREA_LEVELS
from jobmaal.periods import PERIOD_KINDS


class CatalogueError(ValueError):
    """A catalogue file is missing or invalid; names the file and the field."""


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class Breakdown(_Strict):
    id: str = Field(pattern=r"^[a-z_]+$")
    name_da: str
    values: tuple[str, ...]
    labels_da: tuple[str, ...] = ()  # Danish text for each value, in the same order

    @model_validator(mode="after")
    def _one_label_per_value(self) -> Breakdown:
        if self.labels_da and len(self.labels_da) != len(self.values):
            raise ValueError(f"breakdown {self.id}: {len(self.values)} values but "
                             f"{len(self.labels_da)} labels_da")
        return self

    def label(self, value: str) -> str:
        """The Danish text of a value (the code itself when none is given)."""
        if value in self.values and self.labels_da:
            return self.labels_da[self.values.index(value)]
        return value

    def order(self, value: str) -> int:
        """Position of a value in the catalogue's order (unknown values last)."""
        return self.values.index(value) if value in self.values else len(self.values)


class JobindsatsMapping(_Strict):
    """Where Jobindsats.dk publishes an indicator: its table and the measures in it.

    Everything is named as the table publishes it, and the importer finds it in the table's
    metadata (`sources/jobindsats_import.py`): measures by their label, with or without their
    group ("Mindst 190 timer: Andel (pct.)"); each breakdown's dimension by its label
    ("Ydelsesgrupper", "Køn") or hierarchy id ("_kon"); its values by the breakdown's
    `labels_da`; its total is the hierarchy's own ("Køn i alt").
    """

    table: str = Field(pattern=r"^[A-Za-z0-9_]+$")  # Jobindsats' table id, e.g. "y30r21"
    value: str  # the measure holding the figure itself (the share in pct, or the count)
    numerator: str | None = None
    denominator: str | None = None
    dimensions: dict[str, str] = {}  # breakdown id → the table's dimension, e.g. "Køn"

    @model_validator(mode="after")
    def _dimension_names(self) -> JobindsatsMapping:
        for breakdown, name in self.dimensions.items():
            if not name.strip():
                raise ValueError(f"jobindsats.dimensions.{breakdown}: empty dimension name")
        return self


class Indicator(_Strict):
    id: str = Field(pattern=r"^[A-Z0-9_]+$")
    goal: int = Field(ge=1, le=5)
    name_da: str
    name_en: str
    definition_da: str
    definition_en: str
    numerator_da: str
    denominator_da: str
    unit: Literal["pct", "antal"]
    direction: Literal["up", "down"]
    area_levels: tuple[str, ...]
    periodicity: str
    source: Literal["register", "published", "local"]
    suppression_threshold: int = Field(ge=1)
    jobindsats_id: str | None = None
    breakdowns: tuple[Breakdown, ...] = ()
    jobindsats: JobindsatsMapping | None = None  # how to import it from Jobindsats.dk
    # A half-year code is one round of a survey over a six-month posting window (REKRUT:
    # 2022H1 = December 2021 to May 2022); pages and downloads show the window.
    survey_rounds: bool = False


    # Shown beside a goal's measures but no ministerial goal ("supplerende, ikke ministermål"):
    # a plan sets no target on it and it never counts in a goal's progress status.
    supplementary: bool = False
    # A register series the engine computes for a plan's local indicators (goal 4: flexjob,
    # ledighedsydelse): "lokal indikator, ikke STAR's"; a plan picks it as a local indicator,
    # never as a target, and it never counts in a goal's progress status.
    local: bool = False

    @property
    def ministerial(self) -> bool:
        """Whether a plan may set a target on it (neither supplementary nor local)."""
        return not (self.supplementary or self.local)

    @model_validator(mode="after")
    def _known_levels_and_periods(self) -> Indicator:
        unknown = set(self.area_levels) - set(AREA_LEVELS)
        if unknown:
            raise ValueError(f"unknown area levels {sorted(unknown)}")
        if self.periodicity not in PERIOD_KINDS:
            raise ValueError(f"unknown periodicity {self.periodicity!r}")
        if self.jobindsats:
            unknown = set(self.jobindsats.dimensions) - {b.id for b in self.breakdowns}
            if unknown:
                raise ValueError(f"jobindsats.dimensions names unknown breakdowns {sorted(unknown)}")
        return self


class Goal(_Strict):
    number: int = Field(ge=1, le=9)
    title_da: str
    title_en: str
    description_da: str
    description_en: str
    follow_up: Literal["national", "local"]


class Catalogue(_Strict):
    year: int
    letter: str
    goals: tuple[Goal, ...]
    indicators: tuple[Indicator, ...]

    @model_validator(mode="after")
    def _consistent(self) -> Catalogue:
        numbers = [g.number for g in self.goals]
        if len(set(numbers)) != len(numbers):
            raise ValueError("goal numbers repeat")
        ids = [i.id for i in self.indicators]
        if len(set(ids)) != len(ids):
            raise ValueError("indicator ids repeat")
        for ind in self.indicators:
            if ind.goal not in numbers:
                raise ValueError(f"indicator {ind.id} names goal {ind.goal}, which is not defined")
        return self

    def goal(self, number: int) -> Goal:
        for g in self.goals:
            if g.number == number:
                return g
        raise KeyError(f"no goal {number} in {self.year}")

    def indicator(self, indicator_id: str) -> Indicator:
        for i in self.indicators:
            if i.id == indicator_id:
                return i
        raise KeyError(f"no indicator {indicator_id} in {self.year}")

    def indicators_of_goal(self, number: int) -> tuple[Indicator, ...]:
        return tuple(i for i in self.indicators if i.goal == number)

    def target_indicators_of_goal(self, number: int) -> tuple[Indicator, ...]:
        """The goal's indicators a plan may set targets on (supplementary and local left out)."""
        return tuple(i for i in self.indicators_of_goal(number) if i.ministerial)

    def local_series(self, goal: int) -> tuple[Indicator, ...]:
        """The register series a plan may pick for a local indicator of the goal."""
        return tuple(i for i in self.indicators_of_goal(goal) if i.local)


def _data_dir():
    return resources.files("jobmaal.catalogue") / "data"


def available_years() -> tuple[int, ...]:
    return tuple(sorted(int(p.name.removesuffix(".toml")) for p in _data_dir().iterdir()
                        if p.name.endswith(".toml")))


def _raw(year: int) -> dict:
    path = _data_dir() / f"{year}.toml"
    if not path.is_file():
        raise CatalogueError(f"no catalogue for {year} (have {list(available_years())})")
    try:
        raw = tomllib.loads(path.read_text(encoding="utf-8"))
    except tomllib.TOMLDecodeError as exc:
        raise CatalogueError(f"catalogue/data/{year}.toml: {exc}") from None
    base_year = raw.pop("based_on", None)
    if base_year is None:
        return raw
    base = _raw(base_year)
    for key, ident in (("goals", "number"), ("indicators", "id")):
        own = {item[ident]: item for item in raw.get(key, [])}
        merged = [own.pop(item[ident], item) for item in base[key]]
        raw[key] = merged + list(own.values())
    return raw


@cache
def load_catalogue(year: int) -> Catalogue:
    """The validated catalogue of one year."""
    try:
        return Catalogue.model_validate(_raw(year))
    except ValidationError as exc:
        problems = "; ".join(
            f"{'.'.join(str(p) for p in e['loc'])}: {e['msg']}" for e in exc.errors()
        )
        raise CatalogueError(f"catalogue/data/{year}.toml is invalid: {problems}") from None
