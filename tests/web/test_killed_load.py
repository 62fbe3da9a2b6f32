"""A load killed with SIGKILL between two chunks (kill -9; nothing of Python's clean-up runs)
leaves its chunks "loading": nobody sees them, the active release is unchanged, and the next
load (or `serve`, or `jobmaal cleanup-uploads`) removes them. A load whose process still runs is
left alone unless it has been silent for LOAD_STALE_MINUTES."""

from __future__ import annotations

import signal
import socket
import subprocess
import sys
from datetime import timedelta
from pathlib import Path

import pytest
from django.db import connection
from django.utils import timezone

from jobmaal.cli import main
from jobmaal.web import queries
from jobmaal.web.models import ExpectedLevel, Fact, FrameworkValue, PeerLink, Release, Revision
from jobmaal.web.publishing import PublishError, publish_release
from jobmaal.web.releases import load_release, remove_abandoned_loads

pytestmark = pytest.mark.django_db(transaction=True)

KILLER = Path(__file__).with_name("killed_load.py")
SRC = Path(__file__).parents[2] / "src"


def killed_load(folder: Path, chunk_rows: int, kill_after: int) -> subprocess.CompletedProcess:
    """Run a load in another process on the test database and SIGKILL it after a chunk."""
    import os

    env = {**os.environ, "PYTHONPATH": str(SRC)}
    # -P: not the script's folder first on the path (its concurrent.py would hide the stdlib's)
    return subprocess.run([sys.executable, "-P", str(KILLER), str(connection.settings_dict["NAME"]),
                           str(folder), str(chunk_rows), str(kill_after)],
                          env=env, capture_output=True, text=True, timeout=600)


def rows_of(pk: int) -> int:
    return sum(model.objects.filter(release_id=pk).count()
               for model in (Fact, FrameworkValue, Revision, ExpectedLevel, PeerLink))


def test_a_load_killed_between_chunks_leaves_nothing_visible_and_the_next_load_removes_it(
        computed_release_dir, client):
    active = load_release(computed_release_dir, activate=True)

    run = killed_load(computed_release_dir, chunk_rows=700, kill_after=3)

    assert run.returncode == -signal.SIGKILL, run.stderr
    # three chunks of 700 facts were committed, then the process died
    killed = Release.all_objects.get(loading=True)
    assert Fact.objects.filter(release=killed).count() == 3 * 700
    assert killed.loading_owner.startswith(f"{socket.gethostname()}:")
    # … and nobody sees them
    assert list(Release.objects.values_list("pk", flat=True)) == [active.pk]
    assert queries.active_release() == active
    assert killed.pk not in [r["id"] for r in client.get("/api/releases").json()]
    assert client.get(f"/api/releases/{killed.pk}").status_code == 404
    with pytest.raises(PublishError, match=f"udgivelse {killed.pk} findes ikke"):
        publish_release(killed, actor="test")

    second = load_release(computed_release_dir, chunk_rows=5000)

    assert not Release.all_objects.filter(pk=killed.pk).exists()
    assert rows_of(killed.pk) == 0
    assert sorted(Release.all_objects.values_list("pk", "loading")) == [(active.pk, False),
                                                                        (second.pk, False)]
    assert queries.active_release() == active  # the second load is a draft
    assert Fact.objects.count() == active.row_count + second.row_count


def test_cleanup_uploads_removes_a_killed_load(computed_release_dir, capsys):
    active = load_release(computed_release_dir, activate=True)
    assert killed_load(computed_release_dir, chunk_rows=900, kill_after=2).returncode == -signal.SIGKILL
    killed = Release.all_objects.get(loading=True)
    assert Fact.objects.filter(release=killed).count() == 1800

    assert main(["cleanup-uploads"]) == 0

    assert "1 afbrudte indlæsninger fjernet." in capsys.readouterr().out
    assert list(Release.all_objects.values_list("pk", flat=True)) == [active.pk]
    assert rows_of(killed.pk) == 0 and Fact.objects.count() == active.row_count


def a_dead_pid() -> int:
    process = subprocess.Popen([sys.executable, "-c", "pass"])
    process.wait()
    return process.pid


def loading_release(owner: str, seen_minutes_ago: float) -> Release:
    release = Release.all_objects.create(
        name="halv", year=2023, catalogue_year=2023, manifest={}, facts_sha256="x",
        created=timezone.now(), loading=True, loading_owner=owner,
        loading_seen=timezone.now() - timedelta(minutes=seen_minutes_ago))
    Fact.objects.create(release=release, indicator="MM13", period="2023", area_level="kommune",
                        area_code="101", breakdown="i_alt", breakdown_value="i_alt")
    return release


def test_only_loads_whose_process_is_gone_or_silent_too_long_are_removed(settings):
    import os

    settings.LOAD_STALE_MINUTES = 30
    host = socket.gethostname()
    loading_release(f"{host}:{a_dead_pid()}", seen_minutes_ago=1)  # killed a minute ago
    running = loading_release(f"{host}:{os.getpid()}", seen_minutes_ago=29)
    loading_release(f"{host}:{os.getpid()}", seen_minutes_ago=31)  # running but silent: hung
    elsewhere = loading_release("another-host:1", seen_minutes_ago=29)
    loading_release("another-host:1", seen_minutes_ago=31)

    assert remove_abandoned_loads() == 3

    left = set(Release.all_objects.values_list("pk", flat=True))
    assert left == {running.pk, elsewhere.pk}
    with_facts = set(Fact.objects.values_list("release_id", flat=True))
    assert with_facts == {running.pk, elsewhere.pk}
