"""compute → OUT folder: manifest, checksum, and nothing half-written."""

import json
from datetime import date

import pyarrow.parquet as pq
import pytest
from builders import RegisterFolder

from jobmaal.facts import FACTS_SCHEMA
from jobmaal.indicators.output import read_release, run_compute
from jobmaal.registers.validate import RegisterContractError


def _small_registers(tmp_path):
    """One row in each table `compute` requires (contract `required`)."""
    return (
        RegisterFolder(tmp_path)
        .person(1, birth=date(1990, 1, 1))
        .lives(1, 101, date(2020, 1, 1))
        .benefit(1, "2023-03", "adagpenge", 101, days=31)
        .job(1, "2023-05", 37.0)
        .recruitment(1, "Hovedstaden", "2023H1", 4, 1)
        .condition(101, 2023, "ledighed", 4.2)
        .write()
    )


def test_compute_writes_facts_with_the_contract_columns_and_a_manifest(tmp_path):
    out = tmp_path / "out"
    manifest = run_compute(_small_registers(tmp_path), 2023, out)
    facts = pq.read_table(out / "facts.parquet")
    assert facts.schema.names == FACTS_SCHEMA.names
    on_disk = json.loads((out / "manifest.json").read_text())
    assert on_disk == manifest
    assert manifest["year"] == manifest["catalogue_year"] == 2023
    assert manifest["row_counts"]["total"] == facts.num_rows
    assert sum(v for k, v in manifest["row_counts"].items() if k != "total") == facts.num_rows
    assert manifest["source"]["synthetic"] is False
    assert "2022M01" in manifest["periods"] and "2023" in manifest["periods"]
    read_back, _ = read_release(out)
    assert read_back.num_rows == facts.num_rows
    assert (out / "framework.parquet").is_file()
    # the hand-made folder has no synth.json: its variable gets its bare name
    assert manifest["framework_variables"] == [
        {"name": "ledighed", "danish": "ledighed", "english": "ledighed", "unit": ""}]
    assert manifest["warnings"] == []


def test_bad_registers_leave_the_previous_out_untouched(tmp_path):
    out = tmp_path / "out"
    good = _small_registers(tmp_path)
    run_compute(good, 2023, out)
    before = (out / "facts.parquet").read_bytes(), (out / "manifest.json").read_text()
    bad = (
        RegisterFolder(tmp_path, name="bad")
        .person(1)
        .lives(1, 101, date(2020, 1, 1))
        .benefit(1, "2023-03", "adagpenge", 999, days=31)  # no municipality 999
        .write()
    )
    with pytest.raises(RegisterContractError, match="municipality_code"):
        run_compute(bad, 2023, out)
    assert ((out / "facts.parquet").read_bytes(), (out / "manifest.json").read_text()) == before
    assert sorted(p.name for p in tmp_path.iterdir()) == ["bad", "out", "registers"]


def test_a_crash_while_writing_keeps_the_previous_out(tmp_path, monkeypatch):
    out = tmp_path / "out"
    registers = _small_registers(tmp_path)
    run_compute(registers, 2023, out)
    before = (out / "manifest.json").read_text()

    def crash(*args, **kwargs):
        raise OSError("disk full")

    monkeypatch.setattr("jobmaal.indicators.output.build_manifest", crash)
    with pytest.raises(OSError, match="disk full"):
        run_compute(registers, 2023, out)
    assert (out / "manifest.json").read_text() == before
    assert sorted(p.name for p in tmp_path.iterdir()) == ["out", "registers"]


def test_tampered_facts_fail_the_checksum(tmp_path):
    out = tmp_path / "out"
    run_compute(_small_registers(tmp_path), 2023, out)
    table = pq.read_table(out / "facts.parquet").slice(0, 10)
    pq.write_table(table, out / "facts.parquet")
    with pytest.raises(ValueError, match="checksum"):
        read_release(out)
