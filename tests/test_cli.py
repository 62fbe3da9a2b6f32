"""The `jobmaal` command end to end on a tiny generated register folder."""

import json

import pytest

from jobmaal.cli import main


@pytest.fixture(scope="module")
def demo(tmp_path_factory):
    root = tmp_path_factory.mktemp("demo")
    assert main(["demo", "--dir", str(root), "--scale", "0.003", "--seed", "7"]) == 0
    return root


def test_demo_writes_registers_and_a_labelled_release(demo, capsys):
    assert (demo / "registers" / "persons.parquet").is_file()
    assert (demo / "registers" / "ground_truth" / "jobcentre_effect.parquet").is_file()
    manifest = json.loads((demo / "release-2023" / "manifest.json").read_text())
    assert manifest["source"]["synthetic"] is True
    assert manifest["source"]["seed"] == 7
    assert manifest["source"]["scale"] == 0.003
    assert main(["summary", str(demo / "release-2023")]) == 0
    out = capsys.readouterr().out
    assert "SYNTETISKE DATA" in out
    for indicator in ("MM17", "MM13", "MM13_190", "MM13_SELV", "REKRUT", "MM10"):
        assert indicator in out


def test_compute_on_a_broken_folder_says_what_is_wrong_and_writes_nothing(demo, tmp_path, capsys):
    broken = tmp_path / "broken"
    broken.mkdir()
    for f in (demo / "registers").glob("*.parquet"):
        if f.name != "firms.parquet":
            (broken / f.name).write_bytes(f.read_bytes())
    out = tmp_path / "out"
    code = main(["compute", "--registers", str(broken), "--year", "2023", "--out", str(out)])
    assert code == 2
    assert "firms.parquet: table is missing" in capsys.readouterr().err
    assert not out.exists()
    assert sorted(p.name for p in tmp_path.iterdir()) == ["broken"]


def test_synth_refuses_a_silly_scale(tmp_path, capsys):
    assert main(["synth", "--scale", "0", "--out", str(tmp_path / "r")]) == 2
    assert "--scale must be above 0" in capsys.readouterr().err
    assert not (tmp_path / "r").exists()


def test_docs_measures_prints_the_generated_page(capsys):
    assert main(["docs-measures"]) == 0
    assert capsys.readouterr().out.startswith("# Measures of 2023")
