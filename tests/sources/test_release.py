"""Writing imported figures as a release folder (sources/release.py): the facts schema, the
manifest, areas and periods summed only from fully shown members, and all or nothing."""

from __future__ import annotations

import json

import pytest

from jobmaal.catalogue import load_catalogue
from jobmaal.facts import FACTS_SCHEMA
from jobmaal.indicators.output import read_release
from jobmaal.sources.common import SourceError
from jobmaal.sources.release import check_unique, complete_facts, facts_table, write_release

CAT = load_catalogue(2023)


def fact(code, period="2023M01", num=10.0, den=100.0, suppressed=False, indicator="MM17"):
    hidden = suppressed
    return {"indicator": indicator, "period": period, "area_level": "kommune", "area_code": str(code),
            "breakdown": "i_alt", "breakdown_value": "i_alt",
            "numerator": None if hidden else num, "denominator": None if hidden else den,
            "value": None if hidden else 100 * num / den, "suppressed": hidden, "provisional": False}


def find(rows, level, code, period="2023M01"):
    found = [r for r in rows if (r["area_level"], r["area_code"], r["period"]) == (level, code, period)]
    return found[0] if found else None


def test_a_job_centre_is_the_sum_of_its_municipalities():
    rows = complete_facts([fact(155, num=10, den=200), fact(185, num=30, den=600)], CAT,
                          mark_provisional=False)
    centre = find(rows, "jobcenter", "185")
    assert (centre["numerator"], centre["denominator"]) == (40, 800)
    assert centre["value"] == pytest.approx(5.0)
    assert find(rows, "region", "084") is None  # Hovedstaden has many more members


def test_job_centres_are_summed_in_the_division_of_the_periods_year():
    rows = complete_facts([fact(183, p, num=10, den=200) for p in ("2021M01", "2022M01")]
                          + [fact(187, p, num=30, den=600) for p in ("2021M01", "2022M01")], CAT,
                          mark_provisional=False)
    before = find(rows, "jobcenter", "187", "2021M01")
    assert (before["numerator"], before["denominator"]) == (40, 800)  # Vallensbæk served Ishøj
    assert find(rows, "jobcenter", "183", "2021M01") is None
    assert (find(rows, "jobcenter", "183", "2022M01")["numerator"],
            find(rows, "jobcenter", "187", "2022M01")["numerator"]) == (10, 30)


def test_no_sum_over_a_suppressed_member():
    rows = complete_facts([fact(155), fact(185, suppressed=True)], CAT, mark_provisional=False)
    assert find(rows, "jobcenter", "185") is None


def test_a_sum_under_the_threshold_is_itself_suppressed():
    rows = complete_facts([fact(155, num=1, den=100), fact(185, num=2, den=100)], CAT,
                          mark_provisional=False)
    centre = find(rows, "jobcenter", "185")
    assert centre["suppressed"] and centre["value"] is None and centre["numerator"] is None
    assert centre["suppression"] == "primary"
    assert find(rows, "kommune", "155")["suppression"] is None


def test_a_hidden_source_row_is_a_primary_one_and_no_derived_sum_reveals_it():
    rows = complete_facts([fact(155), fact(185, suppressed=True)], CAT, mark_provisional=False)
    assert find(rows, "kommune", "185")["suppression"] == "primary"
    assert all(r["suppression"] is None for r in rows if not r["suppressed"])


def test_a_published_figure_is_never_replaced_by_a_sum():
    published = {**fact(185, num=99, den=999), "area_level": "jobcenter"}
    rows = complete_facts([fact(155), fact(185), published], CAT, mark_provisional=False)
    centres = [r for r in rows if r["area_level"] == "jobcenter"]
    assert [(r["numerator"], r["denominator"]) for r in centres] == [(99, 999)]


def test_a_quarter_needs_all_three_months_and_the_latest_months_are_provisional():
    rows = complete_facts([fact(400, period=p, num=10, den=100) for p in ("2023M01", "2023M02", "2023M03",
                                                                            "2023M04", "2023M05")], CAT)
    q1 = find(rows, "kommune", "400", "2023Q1")
    assert (q1["numerator"], q1["denominator"]) == (30, 300)
    assert find(rows, "kommune", "400", "2023Q2") is None
    flags = {r["period"]: r["provisional"] for r in rows if r["area_level"] == "kommune"}
    assert flags == {"2023M01": False, "2023M02": False, "2023M03": True, "2023M04": True,
                     "2023M05": True, "2023Q1": True}


def test_duplicates_are_refused():
    with pytest.raises(SourceError, match="to gange"):
        check_unique([fact(101), fact(101)])


def test_write_release_writes_the_facts_schema_and_a_manifest_that_reads_back(tmp_path):
    facts = facts_table(complete_facts([fact(400)], CAT))
    manifest = write_release(tmp_path / "out", facts, kind="file", year=2023, source={"file": "x.csv"})
    table, read = read_release(tmp_path / "out")
    assert table.schema.equals(FACTS_SCHEMA) and read == manifest
    assert manifest["kind"] == "file" and manifest["source"]["type"] == "file"
    assert manifest["fetched"] and manifest["periods"] == ["2023M01"]
    assert manifest["row_counts"]["total"] == table.num_rows == 3  # kommune, its jobcenter, RAR Bornholm


def test_nothing_is_written_when_there_are_no_figures_and_the_old_folder_stays(tmp_path):
    out = tmp_path / "out"
    out.mkdir()
    (out / "manifest.json").write_text('{"old": 1}')
    with pytest.raises(SourceError, match="ingen tal"):
        write_release(out, facts_table([]), kind="file", year=2023, source={})
    assert json.loads((out / "manifest.json").read_text()) == {"old": 1}
    with pytest.raises(ValueError, match="unknown source kind"):
        write_release(out, facts_table([fact(400)]), kind="guess", year=2023, source={})
