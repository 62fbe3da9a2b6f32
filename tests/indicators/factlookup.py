"""Helpers for the hand-worked indicator tests: run the engine, look facts rows up."""

from __future__ import annotations

from pathlib import Path

import pyarrow as pa
import pytest

Key = tuple[str, str, str, str, str, str]


class Facts:
    """The engine's facts as rows keyed by (indicator, period, level, code, breakdown, value)."""

    def __init__(self, table: pa.Table):
        self.table = table
        self.rows = table.to_pylist()
        self.by_key: dict[Key, dict] = {}
        self.duplicates: list[Key] = []
        for r in self.rows:
            key = (r["indicator"], r["period"], r["area_level"], r["area_code"],
                   r["breakdown"], r["breakdown_value"])
            if key in self.by_key:
                self.duplicates.append(key)
            self.by_key[key] = r

    def get(self, indicator: str, period: str, code: str, level: str = "kommune",
            breakdown: str = "i_alt", value: str = "i_alt") -> dict:
        key = (indicator, period, level, str(code), breakdown, value)
        if key not in self.by_key:
            raise AssertionError(f"no facts row {key}")
        return self.by_key[key]

    def has(self, indicator: str, period: str, code: str, level: str = "kommune",
            breakdown: str = "i_alt", value: str = "i_alt") -> bool:
        return (indicator, period, level, str(code), breakdown, value) in self.by_key

    def where(self, **match: object) -> list[dict]:
        return [r for r in self.rows if all(r[k] == v for k, v in match.items())]


def compute(folder: Path, year: int = 2023, threshold: int | None = None, **settings) -> Facts:
    from jobmaal.indicators.engine import EngineSettings, compute_facts

    if threshold is not None:
        settings["suppression_threshold"] = threshold
    return Facts(compute_facts(folder, year, EngineSettings(**settings)))


def assert_figure(row: dict, numerator: float, denominator: float) -> None:
    """A shown (unsuppressed) figure with exactly these counts and value = 100·num/den."""
    assert row["suppressed"] is False, row
    assert row["numerator"] == pytest.approx(numerator), row
    assert row["denominator"] == pytest.approx(denominator), row
    if denominator:
        assert row["value"] == pytest.approx(100.0 * numerator / denominator), row
    else:
        assert row["value"] is None, row


def assert_suppressed(row: dict) -> None:
    assert row["suppressed"] is True, row
    assert row["numerator"] is None, row
    assert row["denominator"] is None, row
    assert row["value"] is None, row
