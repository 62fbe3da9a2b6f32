"""The area hierarchy kommune → jobcenter → rar → region → land, with lookups both ways.

Job centres and RAR areas change over the years, so a `Geography` is the division of one year:
`load_geography(2021)` has Jobcenter Vallensbæk (187) serving Ishøj and Vallensbæk,
`load_geography(2022)` on has 95 job centres, and from 2025 the RAR areas are the five regions.
"""

from __future__ import annotations

import csv
from dataclasses import dataclass
from functools import cache, cached_property
from importlib import resources

AREA_LEVELS: tuple[str, ...] = ("kommune", "jobcenter", "rar", "region", "land")
COUNTRY_CODE = "DK"
COUNTRY_NAME = "Hele landet"
DEFAULT_YEAR = 2023  # the division `load_geography()` gives without a year
RAR_REFORM_YEAR = 2025  # from 2025 one regional labour-market council per region
# Job centres before the package data's (2022-on) division: (municipality, job centre, first
# year of its own). Ishøj was served by Jobcenter Vallensbæk until 31 December 2021.
EARLIER_JOBCENTRES: tuple[tuple[int, int, int], ...] = ((183, 187, 2022),)


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
    rar: str  # RAR area in the geography's year, e.g. 'Hovedstaden'
    jobcentre_code: int  # lead municipality of the job centre in the geography's year
    population_2020: int


@dataclass(frozen=True)
class Area:
    level: str
    code: str  # as written to facts.area_code
    name: str


@dataclass(frozen=True)
class Geography:
    municipalities: tuple[Municipality, ...]
    year: int = DEFAULT_YEAR  # the year whose job centres and RAR areas these are

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

    def area_by_name(self, text: str, level: str | None = None) -> Area:
        """The area a published name or code stands for, as Jobindsats, StatBank and hand-made
        files write them: "Københavns Kommune", "København", "101", "0101", "Høje Taastrup",
        "Åbenrå", "Region Hovedstaden", "RAR Fyn", "Jobcenter Aarhus", "Hele landet".

        With `level` the name is looked up at that level only. A bare name that is a
        municipality is the municipality (Bornholm is also a RAR area: write "RAR Bornholm").
        """
        raw = " ".join(str(text).split())
        if not raw:
            raise UnknownAreaError(level or "area", text)
        key = _fold(raw)
        if level is None:
            level, key = _level_prefix(key)
        if level not in (None, *AREA_LEVELS):
            raise UnknownAreaError("level", level)
        levels = (level,) if level else AREA_LEVELS
        matches = []
        for lv in levels:
            found = self._area_keys.get(lv, {}).get(key)
            if found is None and key.endswith("s"):
                found = self._area_keys.get(lv, {}).get(key[:-1])  # genitive: Københavns
            if found is not None:
                if lv == "kommune":
                    return found
                matches.append(found)
        if len(matches) == 1:
            return matches[0]
        if matches:
            raise UnknownAreaError(
                "area", f"{text} (tvetydigt: {' eller '.join(m.name for m in matches)})")
        raise UnknownAreaError(level or "area", text)

    @cached_property
    def _area_keys(self) -> dict[str, dict[str, Area]]:
        keys: dict[str, dict[str, Area]] = {}
        for level in AREA_LEVELS:
            table: dict[str, Area] = {}
            for area in self.areas(level):
                names = {area.name, area.code}
                if level == "kommune":
                    names |= {f"{int(area.code):04d}", f"{int(area.code):03d}"}
                elif level == "jobcenter":
                    names |= {self.municipality(area.code).name}
                elif level == "rar":
                    names |= {area.code}
                elif level == "region":
                    names |= {area.name.removeprefix("Region ")}
                elif level == "land":
                    names |= {"Danmark", "Landet", "Hele landet", "Landet i alt", "I alt", "Total"}
                for name in names:
                    table.setdefault(_fold(name), area)
            keys[level] = table
        return keys

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
    """A name as compared: case, "Kommune", hyphens, å/aa and spacing do not matter."""
    text = name.casefold().replace("-", " ").replace("å", "aa").replace("kommune", "")
    return " ".join(text.split())


_LEVEL_PREFIXES = (("region ", "region"), ("rar ", "rar"), ("jobcenter ", "jobcenter"),
                   ("jobcentre ", "jobcenter"))


def _level_prefix(key: str) -> tuple[str | None, str]:
    """ "rar fyn" → ('rar', 'fyn'); "region hovedstaden" keeps its whole name at region level."""
    for prefix, level in _LEVEL_PREFIXES:
        if key.startswith(prefix):
            return level, (key if level == "region" else key.removeprefix(prefix))
    return None, key


@cache
def load_geography(year: int | None = None) -> Geography:
    """The 98 municipalities of Denmark with the job centres and RAR areas of `year`
    (default 2023), from package data."""
    year = DEFAULT_YEAR if year is None else int(year)
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
            rar=_rar_of(r, year),
            jobcentre_code=_jobcentre_of(int(r["code"]), int(r["jobcentre_code"]), year),
            population_2020=population[int(r["code"])],
        )
        for r in rows
    )
    return Geography(municipalities, year)


def _rar_of(row: dict[str, str], year: int) -> str:
    """The eight RAR areas of 2015–2024; from 2025 the region's council ("Syddanmark")."""
    if year >= RAR_REFORM_YEAR:
        return row["region_name"].removeprefix("Region ")
    return row["rar_2023"]


def _jobcentre_of(code: int, jobcentre_2022: int, year: int) -> int:
    for municipality, earlier, own_from in EARLIER_JOBCENTRES:
        if code == municipality and year < own_from:
            return earlier
    return jobcentre_2022
