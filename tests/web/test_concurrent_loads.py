"""Two `jobmaal load --publish` at once on PostgreSQL (issue 12): both end cleanly (exit 0, no
IntegrityError), one after the other, and exactly one release is active, each publication
audited. SQLite runs one writer at a time, so the race this guards against needs PostgreSQL."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.db import connection

from jobmaal.web.models import Publication, Release

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.slow]


def database_url() -> str:
    s = connection.settings_dict
    return (f"postgres://{s['USER']}:{s['PASSWORD']}@{s['HOST'] or 'localhost'}:{s['PORT'] or 5432}/"
            f"{s['NAME']}")


def test_two_loads_publishing_at_once_both_succeed_and_one_release_is_active(computed_release_dir,
                                                                            tmp_path):
    if connection.vendor != "postgresql":
        pytest.skip("the concurrent-load race is PostgreSQL's (SQLite has one writer at a time)")
    env = {**os.environ, "DATABASE_URL": database_url(), "JOBMAAL_DATA_DIR": str(tmp_path),
           "PYTHONPATH": str(Path(__file__).parents[2] / "src")}
    command = [sys.executable, "-m", "jobmaal.cli", "load", str(computed_release_dir), "--publish",
               "--no-build"]
    runs = [subprocess.Popen(command, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
            for _ in range(2)]
    results = [(run.wait(timeout=600), run.stdout.read(), run.stderr.read()) for run in runs]
    for code, out, err in results:
        assert code == 0, (out, err)
        assert "Traceback" not in err and "udgivet og aktiv" in " ".join(out.split())
    assert Release.objects.count() == 2
    assert Release.objects.filter(is_active=True).count() == 1
    first, second = Publication.objects.order_by("pk")
    assert first.replaced is None and second.replaced == first.release  # one after the other
    assert Release.objects.get(is_active=True) == second.release
