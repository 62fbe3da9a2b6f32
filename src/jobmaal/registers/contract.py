"""The register contract: one Parquet file per table, these columns, these codes.

This is the single description of registers.md in code. The validator and the synthetic
generator both read it, so they cannot drift apart.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from pathlib import Path

ORIGINS = (
    "dansk",
    "indvandrer_vestlig",
    "efterkommer_vestlig",
    "indvandrer_ikke_vestlig",
    "efterkommer_ikke_vestlig",
)
RESIDENCE_BASES = (
    "flygtning",
    "familiesammenfoert_flygtning",
    "familiesammenfoert_oevrig",
    "arbejde",
    "studie",
    "eu_eoes",
    "ukraine_saerlov",  # displaced from Ukraine, the 2022 special act; not a refugee for MM13
)
BENEFITS = (
    "adagpenge",
    "kontanthjaelp",
    "uddannelseshjaelp",
    "ledighedsydelse",
    "selvforsoergelsesydelse",
    "sygedagpenge",
    "jobafklaring",
    "ressourceforloeb",
    "revalidering",
    "fleksjob",
    "foertidspension",
    "overgangsydelse",  # listed last so the generator's benefit indices stay as they were
)
COURSE_TYPES = (
    "ordinaer_uddannelse",
    "jobrettet_uddannelse",
    "voksenlaerling",
    "kort_kursus",
    "danskuddannelse",
)
WAGE_SUBSIDIES = ("fleksjob", "loentilskud", "skaanejob")
COLLABORATION_KINDS = (
    "loentilskud",
    "virksomhedspraktik",
    "jobrotation",
    "skaanejob",
    "fleksjob",
    "mentor",
    "voksenlaerling",
)
SEXES = ("k", "m")


@dataclass(frozen=True)
class Column:
    name: str
    type: str  # DuckDB type family: BIGINT, DATE, VARCHAR, DOUBLE
    nullable: bool = False
    codes: tuple[str, ...] | None = None  # allowed values for code columns
    municipality: bool = False  # holds a municipality code
    minimum: float | None = None
    maximum: float | None = None


@dataclass(frozen=True)
class Table:
    name: str
    columns: tuple[Column, ...]
    key: tuple[str, ...] = ()  # columns that are unique together
    required: bool = False  # `compute` refuses the folder when this table has no rows

    def column(self, name: str) -> Column:
        return next(c for c in self.columns if c.name == name)


TABLES: dict[str, Table] = {
    t.name: t
    for t in (
        Table(
            "persons",
            (
                Column("person_id", "BIGINT"),
                Column("birth_date", "DATE"),
                Column("sex", "VARCHAR", codes=SEXES),
                Column("origin", "VARCHAR", codes=ORIGINS),
                Column("residence_basis", "VARCHAR", nullable=True, codes=RESIDENCE_BASES),
                Column("residence_basis_date", "DATE", nullable=True),
                Column("cpr_date", "DATE", nullable=True),
            ),
            key=("person_id",),
            required=True,
        ),
        Table(
            "residence",
            (
                Column("person_id", "BIGINT"),
                Column("municipality_code", "BIGINT", municipality=True),
                Column("valid_from", "DATE"),
                Column("valid_to", "DATE", nullable=True),
            ),
            required=True,
        ),
        Table(
            "benefits",
            (
                Column("person_id", "BIGINT"),
                Column("month", "DATE"),
                Column("benefit", "VARCHAR", codes=BENEFITS),
                Column("municipality_code", "BIGINT", municipality=True),
                Column("days", "BIGINT", minimum=1, maximum=31),
            ),
            key=("person_id", "month", "benefit", "municipality_code"),
            required=True,
        ),
        Table(
            "education",
            (
                Column("person_id", "BIGINT"),
                Column("start_date", "DATE"),
                Column("end_date", "DATE"),
                Column("course_type", "VARCHAR", codes=COURSE_TYPES),
                Column("municipality_code", "BIGINT", municipality=True),
            ),
        ),
        Table(
            "employment",
            (
                Column("person_id", "BIGINT"),
                Column("month", "DATE"),
                Column("employer_id", "BIGINT"),
                Column("hours", "DOUBLE", minimum=0),
                Column("wage_subsidy", "VARCHAR", nullable=True, codes=WAGE_SUBSIDIES),
            ),
            required=True,
        ),
        Table(
            "firms",
            (
                Column("firm_id", "BIGINT"),
                Column("year", "BIGINT"),
                Column("municipality_code", "BIGINT", municipality=True),
                Column("avg_employees", "DOUBLE", minimum=0),
            ),
            key=("firm_id", "year"),
        ),
        Table(
            "collaborations",
            (
                Column("firm_id", "BIGINT"),
                Column("month", "DATE"),
                Column("jobcentre_code", "BIGINT"),
                Column("kind", "VARCHAR", codes=COLLABORATION_KINDS),
            ),
        ),
        Table(
            "recruitment",
            (
                Column("firm_id", "BIGINT"),
                Column("rar", "VARCHAR"),
                Column("half_year", "VARCHAR"),
                Column("attempts", "DOUBLE", minimum=0),
                Column("failed", "DOUBLE", minimum=0),
                Column("weight", "DOUBLE", minimum=0),
            ),
            required=True,
        ),
        Table(
            "framework",
            (
                Column("municipality_code", "BIGINT", municipality=True),
                Column("year", "BIGINT"),
                Column("variable", "VARCHAR"),
                Column("value", "DOUBLE"),
            ),
            key=("municipality_code", "year", "variable"),
            required=True,
        ),
    )
}



@dataclass(frozen=True)
class DateWindow:
    """The dates a register may plausibly hold: every DATE column, every `year` and the year of
    every half-year code must fall inside it. A setting of a computation (EngineSettings,
    `compute --earliest-date/--latest-date`); open-ended spells may end on 9999-12-31."""

    earliest: date = date(1900, 1, 1)
    latest: date = date(2099, 12, 31)

    def __post_init__(self) -> None:
        if self.latest < self.earliest:
            raise ValueError(f"the date window ends ({self.latest}) before it starts ({self.earliest})")


DATE_WINDOW = DateWindow()
OPEN_END = date(9999, 12, 31)  # how some registers write a spell that has not ended
OPEN_ENDED = {("residence", "valid_to")}

# Parquet physical types the generator writes for each contract type.
ARROW_TYPES = {"BIGINT": "int64", "DATE": "date32", "VARCHAR": "string", "DOUBLE": "float64"}


def table_path(folder: str | Path, table: str) -> Path:
    """Where a table lives inside a register folder."""
    return Path(folder) / f"{table}.parquet"
