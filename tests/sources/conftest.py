"""Fixtures of the source tests: a small release folder made by the file importer."""

from __future__ import annotations

from pathlib import Path

import pytest

from jobmaal.catalogue import load_catalogue
from jobmaal.sources.files import parse_bytes
from jobmaal.sources.release import complete_facts, facts_table, write_release


@pytest.fixture
def computed_release_copy(tmp_path: Path) -> Path:
    """A release folder of a few MM17 figures (written by the file importer)."""
    text = "indikator;periode;område;tæller;nævner\n" + "\n".join(
        f"MM17;2023M0{m};{code};{10 + m};{200 + code}" for m in (1, 2) for code in (101, 147, 400))
    parsed = parse_bytes(text.encode(), "lille.csv", 2023)
    facts = facts_table(complete_facts(parsed.facts(), load_catalogue(2023)))
    out = tmp_path / "release"
    write_release(out, facts, kind="file", year=2023, source={"file": "lille.csv"})
    return out
