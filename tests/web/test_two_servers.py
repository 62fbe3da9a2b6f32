"""Two app servers over one PostgreSQL database and one Redis, as behind a load balancer: a
page built by one is served by the other without being built again, publishing on one switches
both, and a plan saved on one is seen on the other at once. Runs in CI's PostgreSQL pass (Redis
from JOBMAAL_TEST_REDIS_URL, or a redis-server this test starts)."""

from __future__ import annotations

import os
import re
import shutil
import socket
import subprocess
import sys
import time
from pathlib import Path

import httpx
import pytest
from django.db import connection

import jobmaal
from jobmaal.web.releases import load_release

pytestmark = [
    pytest.mark.slow, pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(not os.environ.get("DATABASE_URL", "").startswith("postgres"),
                       reason="two servers share PostgreSQL (CI's PostgreSQL pass sets DATABASE_URL)"),
]
PASSWORD = "to-servere-samme-data"


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture
def redis_url(tmp_path):
    if os.environ.get("JOBMAAL_TEST_REDIS_URL"):
        yield os.environ["JOBMAAL_TEST_REDIS_URL"]
        return
    binary = shutil.which("redis-server")
    assert binary, "redis-server is missing (apt-get install redis-server)"
    port = _free_port()
    process = subprocess.Popen([binary, "--port", str(port), "--save", "", "--dir", str(tmp_path)],
                               stdout=subprocess.DEVNULL)
    time.sleep(0.5)
    yield f"redis://127.0.0.1:{port}/0"
    process.terminate()
    process.wait(10)


def _wait(url: str, process: subprocess.Popen, seconds: float = 90) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        assert process.poll() is None, f"server for {url} ended with {process.returncode}"
        try:
            httpx.get(url, timeout=5)
            return
        except httpx.TransportError:
            time.sleep(0.3)
    raise AssertionError(f"{url} did not answer within {seconds} s")


@pytest.fixture
def two_servers(redis_url, tmp_path):
    settings = connection.settings_dict
    database = (f"postgres://{settings['USER']}:{settings['PASSWORD']}@{settings['HOST'] or 'localhost'}:"
                f"{settings['PORT'] or 5432}/{settings['NAME']}")
    env = {**os.environ, "DATABASE_URL": database, "REDIS_URL": redis_url,
           "JOBMAAL_DATA_DIR": str(tmp_path / "data"), "JOBMAAL_BUILD_DIR": str(tmp_path / "built"),
           "JOBMAAL_SECURE_COOKIES": "0", "JOBMAAL_BUILD_AT_START": "0",
           "PYTHONPATH": str(Path(jobmaal.__file__).parents[1])}  # this jobmaal, not tests/
    import redis

    redis.Redis.from_url(redis_url).flushdb()  # nothing left from an earlier run
    command = [sys.executable, "-c", "import sys; from jobmaal.cli import main; sys.exit(main())"]
    servers, processes = [], []
    for _ in range(2):
        port = _free_port()
        process = subprocess.Popen([*command, "serve", "--port", str(port), "--workers", "1",
                                    "--threads", "2"], env=env, stdout=subprocess.DEVNULL)
        processes.append(process)
        servers.append(f"http://127.0.0.1:{port}")
    try:
        for url, process in zip(servers, processes, strict=True):
            _wait(url + "/soeg/", process)
        yield servers
    finally:
        for process in processes:
            process.terminate()
            process.wait(30)


def _login(base: str, username: str) -> httpx.Client:
    client = httpx.Client(base_url=base, timeout=120, follow_redirects=False)
    client.get("/konto/log-ind/")
    answer = client.post("/konto/log-ind/", data={
        "username": username, "password": PASSWORD,
        "csrfmiddlewaretoken": client.cookies["csrftoken"]})
    assert answer.status_code == 302, answer.text[:500]
    return client


def _token(client: httpx.Client, path: str) -> str:
    return re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', client.get(path).text).group(1)


def test_two_servers_share_pages_publishing_and_plans(two_servers, computed_release_dir,
                                                     django_user_model):
    from jobmaal.web.accounts.models import MunicipalityGrant, Profile, Role

    first = load_release(computed_release_dir, name="Første udgivelse", activate=True)
    second = load_release(computed_release_dir, name="Anden udgivelse")
    staff = django_user_model.objects.create_user("star", "star@example.dk", PASSWORD, is_staff=True)
    Profile.objects.create(user=staff, role=Role.MINISTRY)
    editor = django_user_model.objects.create_user("redaktoer", "r@example.dk", PASSWORD)
    Profile.objects.create(user=editor, role=Role.EDITOR)
    MunicipalityGrant.objects.create(user=editor, municipality_code=101)
    a, b = two_servers

    # a page built by A is served by B from the shared cache, not built again
    built = httpx.get(a + "/kommune/101/", timeout=120)
    assert built.status_code == 200 and built.headers["X-Jobmaal-Cache"] == "miss"
    served = httpx.get(b + "/kommune/101/", timeout=120)
    assert served.headers["X-Jobmaal-Cache"] == "hit" and served.text == built.text
    assert "Første udgivelse" in served.text

    # publishing on A switches both
    publisher = _login(a, "star")
    answer = publisher.post(f"/udgivelser/{second.pk}/udgiv/", data={
        "action": "publish", "confirm": "ja",
        "csrfmiddlewaretoken": _token(publisher, f"/udgivelser/{second.pk}/udgiv/")})
    assert answer.status_code == 302
    for base in (a, b):
        page = httpx.get(base + "/kommune/101/", timeout=120).text
        assert "Anden udgivelse" in page and "Første udgivelse" not in page, base
    assert first.pk != second.pk

    # a plan saved on A is seen on B at once (the session is in the shared database too)
    writer = _login(a, "redaktoer")
    reader = httpx.Client(base_url=b, cookies=writer.cookies, timeout=120)
    assert reader.get("/opfoelgning/101/2023/").status_code == 404
    made = writer.post("/opfoelgning/101/2023/opret/",
                       data={"csrfmiddlewaretoken": _token(writer, "/opfoelgning/")})
    assert made.status_code == 302
    seen = reader.get("/opfoelgning/101/2023/")
    assert seen.status_code == 200 and "Kladde" in seen.text
