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


# -- operators see messages, never tracebacks ------------------------------------------------

def _compute(registers, out) -> int:
    return main(["compute", "--registers", str(registers), "--year", "2023", "--out", str(out)])


def _copy_registers(demo, target):
    import shutil

    shutil.copytree(demo / "registers", target)
    return target


def test_compute_on_a_full_disk_says_so_and_leaves_nothing_behind(demo, tmp_path, capsys, monkeypatch):
    import errno

    from jobmaal.indicators import output

    def full(table, where, **kwargs):
        raise OSError(errno.ENOSPC, "No space left on device", str(where))

    monkeypatch.setattr(output.pq, "write_table", full)
    out = tmp_path / "out"
    assert _compute(demo / "registers", out) == 2
    err = capsys.readouterr().err
    assert "disken er fuld (errno 28). Intet er ændret. Frigør plads og kør igen." in err
    assert "facts.parquet" in err and "Traceback" not in err
    assert list(tmp_path.iterdir()) == []  # no output, no hidden staging folder


def test_compute_into_proc_says_where_it_cannot_write(demo, capsys):
    assert _compute(demo / "registers", "/proc/x") == 2
    err = capsys.readouterr().err
    assert err.startswith("Fejl: /proc/") and "Intet er ændret" in err and "Traceback" not in err


@pytest.mark.parametrize("content", ["{ikke json", "[1, 2]", '{"framework_variables": [{"danish": "x"}]}'])
def test_compute_with_a_broken_synth_json_names_the_file(demo, tmp_path, capsys, content):
    registers = _copy_registers(demo, tmp_path / "registers")
    (registers / "synth.json").write_text(content, encoding="utf-8")
    assert _compute(registers, tmp_path / "out") == 2
    err = capsys.readouterr().err
    assert "synth.json" in err and "Traceback" not in err
    assert not (tmp_path / "out").exists()


def test_staging_folders_of_a_killed_run_are_removed_on_the_next_run(demo, tmp_path):
    out = tmp_path / "out"
    killed = tmp_path / ".out.tmp-999999999-0badf00d"  # a process id no process has
    old_style = tmp_path / ".out.tmp-deadbeef"  # before staging names carried the process id
    running = tmp_path / ".out.tmp-1-cafebabe"  # process 1 is alive: its run goes on
    for folder in (killed, old_style, running):
        folder.mkdir()
        (folder / "facts.parquet").write_bytes(b"halvt skrevet")
    assert _compute(demo / "registers", out) == 0
    assert sorted(p.name for p in tmp_path.iterdir()) == [".out.tmp-1-cafebabe", "out"]


def test_an_unexpected_error_is_a_message_unless_a_traceback_is_asked_for(tmp_path, capsys, monkeypatch):
    import jobmaal.cli as cli

    def broken(args):
        raise KeyError("noget")

    monkeypatch.setattr(cli, "cmd_summary", broken)
    assert main(["summary", str(tmp_path)]) == 2
    err = capsys.readouterr().err
    assert "uventet fejl (KeyError: 'noget')" in err and "JOBMAAL_TRACEBACK=1" in err
    assert "Traceback" not in err
    monkeypatch.setenv("JOBMAAL_TRACEBACK", "1")
    with pytest.raises(KeyError):
        main(["summary", str(tmp_path)])


def test_a_full_disk_inside_duckdb_is_a_message_too(demo, tmp_path, capsys, monkeypatch):
    import duckdb

    import jobmaal.cli as cli

    def spill(args):
        raise duckdb.IOException('IO Error: Could not write file "/tmp/duckdb.tmp": No space left on device')

    monkeypatch.setattr(cli, "cmd_compute", spill)
    assert _compute(demo / "registers", tmp_path / "out") == 2
    err = capsys.readouterr().err
    assert "disken er fuld (IOException). Intet er ændret. Frigør plads og kør igen." in err
    assert "Traceback" not in err


def test_the_demo_server_sends_cookies_over_plain_http(monkeypatch):
    """`serve --demo` runs on http://localhost, so it turns secure cookies off before Django
    reads its settings; production keeps them on (tests/web/test_settings.py)."""
    import jobmaal.cli as cli
    import jobmaal.web.server as server

    monkeypatch.setenv("JOBMAAL_SECURE_COOKIES", "")  # so that the test's end removes it again
    monkeypatch.delenv("JOBMAAL_SECURE_COOKIES")
    seen = {}
    monkeypatch.setattr(cli, "_prepare_demo", lambda args: seen.setdefault(
        "at_prepare", cli.os.environ.get("JOBMAAL_SECURE_COOKIES")))
    monkeypatch.setattr(cli, "setup_django", lambda: None)
    monkeypatch.setattr(server, "serve", lambda *args, **kwargs: None)
    import jobmaal.web.releases as releases
    import jobmaal.web.uploads as uploads

    monkeypatch.setattr(uploads, "cleanup_uploads", lambda *args, **kwargs: None)  # no database here
    monkeypatch.setattr(releases, "remove_abandoned_loads", lambda *args, **kwargs: None)
    assert main(["serve", "--demo"]) == 0
    assert seen["at_prepare"] == "0"
