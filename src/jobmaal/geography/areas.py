"""The area hierarchy kommune → jobcenter → rar → region → land, with lookups both ways."""

from __future__ import annotations

import csv
from dataclasses import dataclass
from functools import cache, cached_property
from importlib import resources

AREA_LEVELS: tuple[str, ...] = ("kommune", "jobcenter", "rar", "region", "land")
COUNTRY_CODE = "DK"
COUNTRY_NAME = "Hele landet"


class UnknownAreaError(LookupError):
    """Raised when a code or name does not name an area of the given level."""

    def __init__(self, level: str, key: object):
        super().__init__(f"unknown {level} area: {key!r}")
        self.level = level
        self.key = key


@dataclass(frozen=True)
class Municipality:
    code: int  # DST's 3-digit code, e.g. 101
    name: str
    region_code: str  # '081'..'085'
    region_name: str
    rar: str  # RAR area of 2023, e.g. 'Hovedstaden'
    jobcentre_code: int  # lead municipality of the job centre
    population_2020: int


@dataclass(frozen=True)
class Area:
    level: str
    code: str  # as written to facts.area_code
    name: str


@dataclass(frozen=True)
class Geography:
    municipalities: tuple[Municipality, ...]

    # -- municipalities -------------------------------------------------------------------
    def municipality(self, code: int | str) -> Municipality:
        try:
            return self._by_code[int(code)]
        except (KeyError, ValueError):
            raise UnknownAreaError("kommune", code) from None

    def municipality_by_name(self, name: str) -> Municipality:
        key = _fold(name)
        if key not in self._by_name:
            raise UnknownAreaError("kommune", name)
        return self._by_name[key]

    @property
    def municipality_codes(self) -> tuple[int, ...]:
        return tuple(m.code for m in self.municipalities)

    # -- the hierarchy ---------------------------------------------------------------------
    def parent_code(self, municipality_code: int, level: str) -> str:
        """The code of the area at `level` that the municipality belongs to."""
        m = self.municipality(municipality_code)
        match level:
            case "kommune":
                return str(m.code)
            case "jobcenter":
                return str(m.jobcentre_code)
            case "rar":
                return m.rar
            case "region":
                return m.region_code
            case "land":
                return COUNTRY_CODE
        raise UnknownAreaError("level", level)

    def members(self, level: str, code: str) -> tuple[Municipality, ...]:
        """The municipalities inside an area."""
        found = tuple(
            m for m in self.municipalities if self.parent_code(m.code, level) == str(code)
        )
        if not found:
            raise UnknownAreaError(level, code)
        return found

    def areas(self, level: str) -> tuple[Area, ...]:
        if level not in AREA_LEVELS:
            raise UnknownAreaError("level", level)
        seen: dict[str, Area] = {}
        for m in self.municipalities:
            code = self.parent_code(m.code, level)
            if code not in seen:
                seen[code] = Area(level, code, self._area_name(level, code, m))
        return tuple(seen.values())

    def area(self, level: str, code: str) -> Area:
        for a in self.areas(level):
            if a.code == str(code):
                return a
        raise UnknownAreaError(level, code)

    def all_areas(self) -> tuple[Area, ...]:
        return tuple(a for level in AREA_LEVELS for a in self.areas(level))

    def membership_rows(self) -> list[tuple[int, str, str]]:
        """(municipality_code, area_level, area_code) for every level: the roll-up table."""
        return [
            (m.code, level, self.parent_code(m.code, level))
            for m in self.municipalities
            for level in AREA_LEVELS
        ]

    def _area_name(self, level: str, code: str, member: Municipality) -> str:
        match level:
            case "kommune":
                return member.name
            case "jobcenter":
                names = [m.name for m in self.municipalities if m.jobcentre_code == int(code)]
                return "Jobcenter " + "-".join(names)
            case "rar":
                return f"RAR {code}"
            case "region":
                return member.region_name
        return COUNTRY_NAME

    @cached_property
    def _by_code(self) -> dict[int, Municipality]:
        return {m.code: m for m in self.municipalities}

    @cached_property
    def _by_name(self) -> dict[str, Municipality]:
        return {_fold(m.name): m for m in self.municipalities}


def _fold(name: str) -> str:
    return " ".join(name.casefold().replace("kommune", "").split())


@cache
def load_geography() -> Geography:
    """The 98 municipalities of Denmark as of 2023, from package data."""
    data = resources.files("jobmaal.geography") / "data"
    with (data / "population.csv").open(encoding="utf-8") as f:
        population = {int(r["code"]): int(r["population"]) for r in csv.DictReader(f)}
    with (data / "municipalities.csv").open(encoding="utf-8") as f:
        rows = list(csv.DictReader(f))
    municipalities = tuple(
        Municipality(
            code=int(r["code"]),
            name=r["name"],
            region_code=r["region_code"],
            region_name=r["region_name"],
            rar=r["rar_2023"],
            jobcentre_code=int(r["jobcentre_code"]),
            population_2020=population[int(r["code"])],
        )
        for r in rows
    )
    return Geography(municipalities)
