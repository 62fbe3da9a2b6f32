"""The measure SQL stays portable and each measure is defined in one place."""

import re
from importlib import resources

import pytest

from jobmaal.indicators.measures import MEASURES

SQL_DIR = resources.files("jobmaal.indicators") / "measures"
# DuckDB dialect that another engine (PostgreSQL, say) would not run.
NOT_PORTABLE = [
    r"::", r"\bregexp_", r"\blist_", r"\bstruct_", r"\bdate_diff\b", r"\bdatediff\b",
    r"\bQUALIFY\b", r"\bEXCLUDE\b", r"\bREPLACE\s*\(", r"\bread_parquet\b", r"\bINTERVAL\s+\d",
    r"\bANTI JOIN\b", r"\bSEMI JOIN\b", r"\bGROUP BY ALL\b", r"\bcreate_function\b",
]


def _sql_files():
    return sorted(p.name for p in SQL_DIR.iterdir() if p.name.endswith(".sql"))


@pytest.mark.parametrize("name", _sql_files())
def test_measure_sql_uses_no_duckdb_only_syntax(name):
    text = (SQL_DIR / name).read_text(encoding="utf-8")
    code = "\n".join(line.split("--")[0] for line in text.splitlines())
    found = [p for p in NOT_PORTABLE if re.search(p, code, flags=re.IGNORECASE)]
    assert not found, f"{name} uses {found}"


def test_every_sql_file_belongs_to_a_measure():
    used = {m.sql_file for m in MEASURES} | {r for m in MEASURES for r in m.requires}
    assert used == set(_sql_files())


def test_measure_ids_are_unique():
    ids = [m.id for m in MEASURES]
    assert len(ids) == len(set(ids))
