"""`jobmaal load` when the database cannot take the release: a message and exit code 2, the
active release unchanged, and SQLite's write-ahead log emptied of the rolled-back rows."""

from __future__ import annotations

from pathlib import Path

import pytest

from jobmaal.cli import main


@pytest.mark.django_db(transaction=True)
def test_load_on_a_full_disk_says_so_keeps_the_active_release_and_empties_the_wal(
        computed_release_dir, capsys, monkeypatch):
    from django.db import OperationalError, connection

    from jobmaal.web import releases
    from jobmaal.web.models import Release
    from jobmaal.web.releases import load_release

    first = load_release(computed_release_dir, activate=True)
    real_insert = releases._insert_rows

    def fill_the_disk(model, columns, rows):
        real_insert(model, columns, rows)  # the rows reach the write-ahead log, then the disk is full
        raise OperationalError("database or disk is full")

    monkeypatch.setattr(releases, "_insert_rows", fill_the_disk)
    assert main(["load", str(computed_release_dir)]) == 2
    err = capsys.readouterr().err
    assert ("databasen kunne ikke gemme: disken er fuld. Intet er gemt; "
            "den aktive udgivelse er uændret.") in err
    assert "Traceback" not in err
    assert list(Release.objects.values_list("pk", "is_active")) == [(first.pk, True)]
    if connection.vendor == "sqlite":
        wal = Path(str(connection.settings_dict["NAME"]) + "-wal")
        assert not wal.exists() or wal.stat().st_size == 0
