"""A register folder that breaks the contract is refused before anything is computed.

The error names the table, the column and (for row-level breaches) an example row, both as
attributes and in its message, so the user can find and fix the row.
"""

from __future__ import annotations

from datetime import date

import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.parquet as pq
import pytest
from builders import RegisterFolder
from factlookup import compute

from jobmaal.registers.contract import table_path
from jobmaal.registers.validate import RegisterContractError


def valid(root) -> RegisterFolder:
    """A small folder with a row in every table but framework."""
    r = RegisterFolder(root)
    r.refugee(7).lives(7, 101, date(2020, 1, 1), date(2021, 12, 31)).lives(7, 147, date(2022, 1, 1))
    r.benefit(7, "2023-03", "kontanthjaelp", 147, days=31)
    r.education(7, date(2023, 3, 1), "ordinaer_uddannelse", 147, end=date(2023, 6, 30))
    r.job(7, "2023-04", 37.5)
    r.firm(1, 2023, 147).collaboration(1, "2023-02", 147)
    r.recruitment(1, "Hovedstaden", "2023H1", 4, 1)
    return r


def refused(folder) -> RegisterContractError:
    with pytest.raises(RegisterContractError) as caught:
        compute(folder, 2023)
    return caught.value


def assert_names(err: RegisterContractError, table: str, column: str | None) -> None:
    assert err.table == table
    assert table in str(err)
    if column is not None:
        assert err.column == column
        assert column in str(err)


def test_the_valid_folder_is_accepted(tmp_path):
    facts = compute(valid(tmp_path).write(), 2023)
    assert facts.get("MM17", "2023M03", "147")["denominator"] is None  # 1 person: suppressed


def test_missing_table_is_named(tmp_path):
    folder = valid(tmp_path).write()
    table_path(folder, "employment").unlink()
    assert_names(refused(folder), "employment", None)


def test_missing_column_is_named(tmp_path):
    folder = valid(tmp_path).write()
    path = table_path(folder, "benefits")
    pq.write_table(pq.read_table(path).drop_columns(["days"]), path)
    assert_names(refused(folder), "benefits", "days")


def test_wrong_type_is_named(tmp_path):
    folder = valid(tmp_path).write()
    path = table_path(folder, "persons")
    table = pq.read_table(path)
    i = table.schema.get_field_index("birth_date")
    as_text = pa.array([d.isoformat() for d in table.column("birth_date").to_pylist()])
    pq.write_table(table.set_column(i, "birth_date", as_text), path)
    assert_names(refused(folder), "persons", "birth_date")


def test_unknown_municipality_code_names_an_example_row(tmp_path):
    folder = valid(tmp_path).lives(8, 999, date(2020, 1, 1)).write()
    err = refused(folder)
    assert_names(err, "residence", "municipality_code")
    assert err.example["municipality_code"] == 999 and err.example["person_id"] == 8
    assert "999" in str(err)


def test_overlapping_residence_spells_name_the_person(tmp_path):
    # person 9: 2020-01-01..2021-12-31 and 2021-06-01..open overlap
    r = valid(tmp_path)
    r.lives(9, 101, date(2020, 1, 1), date(2021, 12, 31)).lives(9, 147, date(2021, 6, 1))
    err = refused(r.write())
    assert err.table == "residence" and "residence" in str(err)
    assert err.column in ("valid_from", "valid_to") and err.column in str(err)
    assert err.example["person_id"] == 9
    assert "person_id=9" in str(err)


def test_spells_touching_end_to_start_do_not_overlap(tmp_path):
    # person 7's spells end 2021-12-31 and start 2022-01-01: accepted
    compute(valid(tmp_path).write(), 2023)


def test_negative_hours_are_refused(tmp_path):
    err = refused(valid(tmp_path).job(7, "2023-05", -3).write())
    assert_names(err, "employment", "hours")
    assert err.example["hours"] == -3.0
    assert "-3" in str(err)


def test_unknown_code_value_is_refused(tmp_path):
    err = refused(valid(tmp_path).benefit(7, "2023-05", "foo", 101).write())
    assert_names(err, "benefits", "benefit")
    assert err.example["benefit"] == "foo"
    assert "foo" in str(err)


def test_days_above_31_are_refused(tmp_path):
    err = refused(valid(tmp_path).benefit(7, "2023-05", "adagpenge", 101, days=32).write())
    assert_names(err, "benefits", "days")
    assert err.example["days"] == 32


def test_collaboration_with_a_municipality_that_is_no_job_centre_is_refused(tmp_path):
    # Fanø 563 is served by job centre 561; 563 is not a job centre code
    err = refused(valid(tmp_path).collaboration(1, "2023-03", 563).write())
    assert_names(err, "collaborations", "jobcentre_code")
    assert err.example["jobcentre_code"] == 563


def test_person_missing_from_persons_is_refused(tmp_path):
    folder = valid(tmp_path).write()
    path = table_path(folder, "persons")
    table = pq.read_table(path)
    pq.write_table(table.filter(pc.not_equal(table.column("person_id"), 7)), path)
    err = refused(folder)
    assert err.column == "person_id" and "person_id" in str(err)
    assert err.table in ("residence", "benefits", "education", "employment")
    assert err.example["person_id"] == 7


def test_the_special_act_basis_and_overgangsydelse_are_contract_codes(tmp_path):
    r = valid(tmp_path)
    r.person(8, basis="ukraine_saerlov", basis_date=date(2022, 4, 1), cpr_date=date(2022, 4, 5))
    r.lives(8, 101, date(2022, 4, 5)).benefit(8, "2023-03", "overgangsydelse", 101)
    compute(r.write(), 2023)  # validated first: no RegisterContractError
    err = refused(valid(tmp_path / "b").person(9, basis="ukraine").lives(9, 101).write())
    assert_names(err, "persons", "residence_basis")
    assert "ukraine_saerlov" in str(err)  # the allowed codes are listed
