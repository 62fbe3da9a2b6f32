"""Hand-made register folders for indicator tests.

    folder = (
        RegisterFolder(tmp_path)
        .person(1, birth=date(1990, 5, 1), sex="k")
        .lives(1, 101, date(2020, 1, 1))
        .benefit(1, "2023-03", "adagpenge", 101, days=31)
        .write()
    )

Every contract table is written (empty ones with the right schema). Any person referred to by
another table but not declared with `.person()` gets a default persons row, so the folder
always passes the cross-table check.

The engine takes "the latest month of data" L as the max `month` over benefits and employment.
To make provisional flags predictable, the folder is pinned by default at L = 2023-12: a filler
person (FILLER_ID, not a refugee, never on a goal-2 benefit) gets a `foertidspension` row in
that month, which no measure counts. `latest=None` turns the filler off.
"""

from __future__ import annotations

from datetime import date
from pathlib import Path

from jobmaal.registers.contract import TABLES
from jobmaal.registers.io import write_empty_tables, write_table

FILLER_ID = 999_999_999
FILLER_MUNICIPALITY = 101

_DEFAULT_PERSON = {
    "birth_date": date(1980, 1, 1),
    "sex": "k",
    "origin": "dansk",
    "residence_basis": None,
    "residence_basis_date": None,
    "cpr_date": None,
}


def month(text: str | date) -> date:
    """'2023-03' (or any date) → the first day of that month."""
    if isinstance(text, date):
        return text.replace(day=1)
    year, mon = text.split("-")[:2]
    return date(int(year), int(mon), 1)


class RegisterFolder:
    """Collects rows table by table; `write()` puts the folder on disk and returns its path."""

    def __init__(self, root: Path, name: str = "registers", latest: str | None = "2023-12"):
        self.path = Path(root) / name
        self.latest = latest
        self.rows: dict[str, list[dict]] = {t: [] for t in TABLES}
        self._declared: set[int] = set()

    # -- persons ---------------------------------------------------------------------------
    def person(
        self,
        pid: int,
        birth: date = date(1980, 1, 1),
        sex: str = "k",
        origin: str = "dansk",
        basis: str | None = None,
        basis_date: date | None = None,
        cpr_date: date | None = None,
    ) -> RegisterFolder:
        self._declared.add(pid)
        self.rows["persons"].append({
            "person_id": pid, "birth_date": birth, "sex": sex, "origin": origin,
            "residence_basis": basis, "residence_basis_date": basis_date, "cpr_date": cpr_date,
        })
        return self

    def refugee(
        self,
        pid: int,
        birth: date = date(1985, 1, 1),
        sex: str = "k",
        basis: str = "flygtning",
        basis_date: date = date(2015, 1, 1),
        cpr_date: date | None = date(2014, 6, 1),
    ) -> RegisterFolder:
        """A person with a refugee residence basis (goal 3's population)."""
        return self.person(pid, birth=birth, sex=sex, origin="indvandrer_ikke_vestlig",
                           basis=basis, basis_date=basis_date, cpr_date=cpr_date)

    def displaced(
        self,
        pid: int,
        birth: date = date(1985, 1, 1),
        sex: str = "k",
        basis_date: date = date(2022, 4, 1),
        cpr_date: date | None = None,
    ) -> RegisterFolder:
        """A person displaced from Ukraine, residence under the 2022 special act."""
        return self.person(pid, birth=birth, sex=sex, origin="indvandrer_ikke_vestlig",
                           basis="ukraine_saerlov", basis_date=basis_date,
                           cpr_date=cpr_date or basis_date)

    def lives(
        self, pid: int, municipality: int, valid_from: date = date(2000, 1, 1),
        valid_to: date | None = None,
    ) -> RegisterFolder:
        self.rows["residence"].append({
            "person_id": pid, "municipality_code": municipality,
            "valid_from": valid_from, "valid_to": valid_to,
        })
        return self

    # -- person-months ---------------------------------------------------------------------
    def benefit(
        self, pid: int, mon: str | date, benefit: str, municipality: int, days: int = 31
    ) -> RegisterFolder:
        self.rows["benefits"].append({
            "person_id": pid, "month": month(mon), "benefit": benefit,
            "municipality_code": municipality, "days": days,
        })
        return self

    def education(
        self, pid: int, start: date, course_type: str = "ordinaer_uddannelse",
        municipality: int = 101, end: date | None = None,
    ) -> RegisterFolder:
        self.rows["education"].append({
            "person_id": pid, "start_date": start, "end_date": end or start,
            "course_type": course_type, "municipality_code": municipality,
        })
        return self

    def job(
        self, pid: int, mon: str | date, hours: float, employer: int = 1,
        subsidy: str | None = None,
    ) -> RegisterFolder:
        self.rows["employment"].append({
            "person_id": pid, "month": month(mon), "employer_id": employer,
            "hours": float(hours), "wage_subsidy": subsidy,
        })
        return self

    # -- firms -----------------------------------------------------------------------------
    def firm(
        self, fid: int, year: int, municipality: int, avg_employees: float = 5.0
    ) -> RegisterFolder:
        self.rows["firms"].append({
            "firm_id": fid, "year": year, "municipality_code": municipality,
            "avg_employees": float(avg_employees),
        })
        return self

    def collaboration(
        self, fid: int, mon: str | date, jobcentre: int, kind: str = "mentor"
    ) -> RegisterFolder:
        self.rows["collaborations"].append({
            "firm_id": fid, "month": month(mon), "jobcentre_code": jobcentre, "kind": kind,
        })
        return self

    def recruitment(
        self, fid: int, rar: str, half_year: str, attempts: float, failed: float,
        weight: float = 1.0,
    ) -> RegisterFolder:
        self.rows["recruitment"].append({
            "firm_id": fid, "rar": rar, "half_year": half_year, "attempts": float(attempts),
            "failed": float(failed), "weight": float(weight),
        })
        return self

    def condition(self, municipality: int, year: int, variable: str, value: float) -> RegisterFolder:
        """A framework condition (rammevilkår) of a municipality in a year."""
        self.rows["framework"].append({"municipality_code": municipality, "year": year,
                                       "variable": variable, "value": float(value)})
        return self

    # -- output ----------------------------------------------------------------------------
    def write(self) -> Path:
        rows = {t: list(r) for t, r in self.rows.items()}
        if self.latest is not None:
            rows["benefits"].append({
                "person_id": FILLER_ID, "month": month(self.latest), "benefit": "foertidspension",
                "municipality_code": FILLER_MUNICIPALITY, "days": 31,
            })
        declared = set(self._declared)
        for table in ("residence", "benefits", "education", "employment"):
            for r in rows[table]:
                if r["person_id"] not in declared:
                    declared.add(r["person_id"])
                    rows["persons"].append({"person_id": r["person_id"], **_DEFAULT_PERSON})
        self.path.mkdir(parents=True, exist_ok=True)
        empty = [t for t, r in rows.items() if not r]
        write_empty_tables(self.path, empty)
        for table, table_rows in rows.items():
            if table_rows:
                names = [c.name for c in TABLES[table].columns]
                write_table(self.path, table, {n: [r[n] for r in table_rows] for n in names})
        return self.path
