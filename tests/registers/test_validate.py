"""Registers that cannot be right are refused before anything is computed (issue 12): empty
required tables, non-finite numbers, negative counts, dates outside the contract's window (a
setting); data ending before the year asked for gives a warning. Every error names the file,
row, column and an example row."""

from __future__ import annotations

import sys
from datetime import date
from pathlib import Path

import pyarrow as pa
import pyarrow.parquet as pq
import pytest

sys.path.insert(0, str(Path(__file__).parents[1] / "indicators"))
from builders import RegisterFolder  # noqa: E402

from jobmaal.cli import main  # noqa: E402
from jobmaal.indicators.engine import EngineSettings  # noqa: E402
from jobmaal.indicators.output import run_compute  # noqa: E402
from jobmaal.registers.contract import TABLES, DateWindow, table_path  # noqa: E402
from jobmaal.registers.io import write_empty_tables  # noqa: E402
from jobmaal.registers.validate import RegisterContractError  # noqa: E402


def complete(root: Path, name: str = "registers") -> RegisterFolder:
    """A small folder with rows in every table."""
    r = RegisterFolder(root, name)
    r.refugee(7).lives(7, 101, date(2020, 1, 1))
    r.benefit(7, "2023-03", "kontanthjaelp", 101, days=31)
    r.education(7, date(2023, 3, 1), "ordinaer_uddannelse", 101, end=date(2023, 6, 30))
    r.job(7, "2023-04", 37.5)
    r.firm(1, 2023, 101).collaboration(1, "2023-02", 101)
    r.recruitment(1, "Hovedstaden", "2023H1", 4, 1)
    r.condition(101, 2023, "ledighed", 4.2)
    return r


def refused(folder: Path, out: Path, **settings) -> RegisterContractError:
    with pytest.raises(RegisterContractError) as caught:
        run_compute(folder, 2023, out, EngineSettings(**settings))
    assert not out.exists()  # nothing written
    return caught.value


def set_cell(folder: Path, table: str, column: str, row: int, value) -> None:
    """Rewrite one cell of a written table (row 0-based), keeping the column's Arrow type."""
    path = table_path(folder, table)
    data = pq.read_table(path)
    values = data.column(column).to_pylist()
    values[row] = value
    index = data.schema.get_field_index(column)
    pq.write_table(data.set_column(index, column, pa.array(values, data.schema.field(column).type)), path)


def test_the_complete_folder_computes_without_warnings(tmp_path):
    manifest = run_compute(complete(tmp_path).write(), 2023, tmp_path / "out")
    assert manifest["warnings"] == [] and manifest["row_counts"]["total"] > 0


def test_a_folder_whose_tables_are_all_empty_is_refused(tmp_path):
    folder = tmp_path / "empty"
    folder.mkdir()
    write_empty_tables(folder, list(TABLES))
    err = refused(folder, tmp_path / "out")
    assert "every table" in str(err) and "is empty" in str(err)


@pytest.mark.parametrize("table", ["persons", "residence", "benefits", "employment", "recruitment",
                                   "framework"])
def test_an_empty_required_table_is_refused_naming_it(tmp_path, table):
    folder = complete(tmp_path).write()
    data = pq.read_table(table_path(folder, table))
    pq.write_table(data.slice(0, 0), table_path(folder, table))
    if table == "persons":  # the other tables refer to persons: empty those too
        for other in ("residence", "benefits", "education", "employment"):
            path = table_path(folder, other)
            pq.write_table(pq.read_table(path).slice(0, 0), path)
    err = refused(folder, tmp_path / "out")
    assert err.table == table and f"{table}.parquet: table is empty" in str(err)


@pytest.mark.parametrize(("table", "column", "bad"), [
    ("employment", "hours", float("nan")),
    ("employment", "hours", float("inf")),
    ("recruitment", "attempts", float("nan")),
    ("recruitment", "weight", float("nan")),
    ("firms", "avg_employees", float("inf")),
    ("framework", "value", float("nan")),
])
def test_a_number_that_is_not_finite_is_refused_naming_row_and_column(tmp_path, table, column, bad):
    folder = complete(tmp_path).write()
    set_cell(folder, table, column, 0, bad)
    err = refused(folder, tmp_path / "out")
    assert (err.table, err.column, err.row) == (table, column, 1)
    assert f"{table}.parquet, row 1, column '{column}': not a finite number" in str(err)
    assert "example row" in str(err)


@pytest.mark.parametrize(("table", "column"), [("employment", "hours"), ("recruitment", "attempts"),
                                               ("firms", "avg_employees"), ("recruitment", "weight")])
def test_a_negative_count_is_refused(tmp_path, table, column):
    folder = complete(tmp_path).write()
    set_cell(folder, table, column, 0, -1.0)
    err = refused(folder, tmp_path / "out")
    assert (err.table, err.column) == (table, column) and "below 0" in str(err)


@pytest.mark.parametrize(("table", "column", "bad"), [
    ("benefits", "month", date(9999, 1, 1)),
    ("persons", "birth_date", date(1, 1, 1)),
    ("residence", "valid_from", date(1850, 3, 1)),
    ("employment", "month", date(2100, 1, 1)),
    ("education", "start_date", date(1, 6, 1)),
])
def test_a_date_outside_the_plausible_window_is_refused(tmp_path, table, column, bad):
    folder = complete(tmp_path).write()
    row = 0
    if table == "benefits":  # the builder's filler month is written last
        row = pq.read_table(table_path(folder, table)).num_rows - 1
    set_cell(folder, table, column, row, bad)
    err = refused(folder, tmp_path / "out")
    assert (err.table, err.column, err.row) == (table, column, row + 1)
    assert "outside the plausible window 1900-01-01 to 2099-12-31" in str(err)
    assert bad.isoformat() in str(err) or str(bad.year) in str(err)


@pytest.mark.parametrize(("table", "column", "bad"), [("firms", "year", 20230), ("framework", "year", 0),
                                                      ("recruitment", "half_year", "9999H1")])
def test_a_year_outside_the_window_is_refused(tmp_path, table, column, bad):
    folder = complete(tmp_path).write()
    set_cell(folder, table, column, 0, bad)
    err = refused(folder, tmp_path / "out")
    assert (err.table, err.column) == (table, column) and "plausible window 1900–2099" in str(err)


def test_an_open_ended_residence_spell_may_end_on_9999_12_31(tmp_path):
    folder = complete(tmp_path).write()
    set_cell(folder, "residence", "valid_to", 0, date(9999, 12, 31))
    assert run_compute(folder, 2023, tmp_path / "out")["row_counts"]["total"] > 0


def test_the_window_is_a_setting(tmp_path):
    folder = complete(tmp_path).write()  # birth dates 1985 (the refugee), months in 2023
    err = refused(folder, tmp_path / "out", date_window=DateWindow(date(1990, 1, 1), date(2099, 12, 31)))
    assert (err.table, err.column) == ("persons", "birth_date") and "1990-01-01" in str(err)
    with pytest.raises(ValueError, match="before it starts"):
        DateWindow(date(2030, 1, 1), date(2020, 1, 1))


def test_compute_takes_the_window_from_the_command_line(tmp_path, capsys):
    folder = complete(tmp_path).write()
    out = tmp_path / "out"
    assert main(["compute", "--registers", str(folder), "--year", "2023", "--out", str(out),
                 "--latest-date", "2023-03-31"]) == 2
    err = " ".join(capsys.readouterr().err.split())
    assert "outside the plausible window 1900-01-01 to 2023-03-31" in err and "Traceback" not in err
    assert not out.exists()


def test_data_ending_before_the_year_asked_for_gives_a_warning(tmp_path, capsys):
    folder = complete(tmp_path).write()  # latest month 2023-12 (the builder's filler)
    out = tmp_path / "out"
    manifest = run_compute(folder, 2024, out)
    assert manifest["warnings"] == ["Dataene slutter i 2023-12, før 2024, som der er beregnet for: "
                                    "tallene for 2024 mangler eller er foreløbige."]
    assert main(["compute", "--registers", str(folder), "--year", "2024", "--out", str(out)]) == 0
    assert "Advarsel: Dataene slutter i 2023-12, før 2024" in " ".join(capsys.readouterr().err.split())
    assert run_compute(folder, 2023, tmp_path / "out2")["warnings"] == []
