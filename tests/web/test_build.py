"""Build at publish and files served as files: pages built once per release in the shared cache,
publishing and rolling back switching what is served, bulk files and the national PDF built
once and answered with ETag/Last-Modified (304 on a conditional GET), the build and the plan
PDFs as background tasks with their progress."""

from __future__ import annotations

import io
import zipfile

import pytest
from django.core.cache import cache
from django_tasks_db.management.commands.db_worker import Worker
from django_tasks_db.models import DBTaskResult

from jobmaal.geography import load_geography
from jobmaal.web import build, tasks
from jobmaal.web.followup import documents
from jobmaal.web.models import Release
from jobmaal.web.publishing import publish_release, visible_releases
from jobmaal.web.releases import load_release

pytestmark = pytest.mark.django_db


@pytest.fixture
def release(loaded_release) -> Release:
    return Release.objects.get(pk=loaded_release.pk)


@pytest.fixture
def stub_pdf(monkeypatch):
    """The national and plan PDFs as small stand-ins: these tests are about when documents are
    built and how they are served, not how they look (tests/reports/ render the real ones)."""
    made = []

    def renderer(module, function):
        def render(report):
            made.append(function)
            return f"%PDF-stub {function} {len(made)}".encode()
        return render

    monkeypatch.setattr(documents, "renderer", renderer)
    return made


def run_queued(task_id: str) -> None:
    """Run one queued task in this process, as `jobmaal worker` would (its loop would close the
    test's transaction; the module's release fixture queued a build of its own, left alone)."""
    worker = Worker(queue_names=["*"], interval=0, batch=True, backend_name="default",
                    startup_delay=False, max_tasks=None, worker_id="test", excluded_queue_names=[])
    found = DBTaskResult.objects.ready().get(id=task_id)
    found.claim("test")
    worker.run_task(found)


# -- pages ---------------------------------------------------------------------------------------

def test_the_pages_built_are_the_overview_every_municipality_and_each_indicator(release):
    paths = build.page_paths(release)
    codes = load_geography(2023).municipality_codes
    assert len(codes) == 98
    assert paths[0] == "/" and paths[1:99] == [f"/kommune/{c}/" for c in codes]
    indicators = [p for p in paths if p.startswith("/indikator/")]
    assert "/indikator/MM13/" in indicators and "/indikator/REKRUT/" in indicators
    assert len(paths) == 1 + 98 + len(indicators)


def test_an_older_release_is_built_under_its_own_address(release, computed_release_dir):
    draft = load_release(computed_release_dir, name="Kladde")
    assert all(p.endswith(f"?udgivelse={draft.pk}") for p in build.page_paths(draft))


def test_a_page_asked_for_before_the_build_is_built_on_demand_then_served_from_the_cache(client, release):
    first = client.get("/kommune/101/")
    assert first.status_code == 200 and first["X-Jobmaal-Cache"] == "miss"
    again = client.get("/kommune/101/")
    assert again["X-Jobmaal-Cache"] == "hit" and again.content == first.content


def test_publishing_and_rolling_back_switch_the_pages_served(client, release, computed_release_dir, stub_pdf):
    build.build_pages(release, paths=["/"])
    old = client.get("/")
    assert old["X-Jobmaal-Cache"] == "hit" and release.name in old.content.decode()

    newer = load_release(computed_release_dir, name="Nyere udgivelse")
    publish_release(newer, actor="test")
    switched = client.get("/")
    assert switched["X-Jobmaal-Cache"] == "miss"  # a new release id: never the old page
    assert "Nyere udgivelse" in switched.content.decode()

    publish_release(release, actor="test")  # rollback: the first release's pages are still built
    back = client.get("/")
    assert back["X-Jobmaal-Cache"] == "hit" and back.content == old.content


def test_a_plan_change_rebuilds_the_html_but_not_the_page_data(client, release, users):
    from jobmaal.web.followup import services

    data_key = f"kommune:{release.pk}:101:2023"
    client.get("/kommune/101/")
    data = cache.get(data_key)
    assert data is not None  # the page's data is stored per release
    services.create_plan(users["editor"], 101, 2023)  # an audit entry: the plan panel may change
    after = client.get("/kommune/101/")
    assert after["X-Jobmaal-Cache"] == "miss"
    assert cache.get(data_key) == data


# -- files ---------------------------------------------------------------------------------------

def _body(response) -> bytes:
    return b"".join(response.streaming_content) if response.streaming else response.content


def test_bulk_files_are_built_once_and_served_with_etag_and_last_modified(client, release):
    url = f"/udgivelser/{release.pk}/facts.csv"
    first = client.get(url)
    assert first.status_code == 200 and first.streaming
    path = build.release_dir(release) / "facts.csv"
    assert path.exists() and _body(first) == path.read_bytes()
    etag, modified = first["ETag"], first["Last-Modified"]
    assert etag.startswith('"facts.csv-') and modified
    assert first["Cache-Control"] == "public, max-age=86400"

    stamp = path.stat().st_mtime_ns
    assert client.get(url).status_code == 200 and path.stat().st_mtime_ns == stamp  # not built again

    not_modified = client.get(url, HTTP_IF_NONE_MATCH=etag)
    assert not_modified.status_code == 304 and not_modified.content == b""
    assert not_modified["ETag"] == etag
    assert client.get(url, HTTP_IF_MODIFIED_SINCE=modified).status_code == 304
    assert client.get(url, HTTP_IF_NONE_MATCH='"something-else"').status_code == 200
    assert client.get(url, HTTP_IF_MODIFIED_SINCE="Mon, 01 Jan 2001 00:00:00 GMT").status_code == 200


def test_a_draft_bulk_file_is_for_staff_and_kept_private(client, release, computed_release_dir, make_user):
    from jobmaal.web.accounts.models import Role

    draft = load_release(computed_release_dir, name="Kladde")
    assert client.get(f"/udgivelser/{draft.pk}/facts.parquet").status_code == 404
    staff = make_user("star", Role.MINISTRY, is_staff=True)
    client.force_login(staff)
    assert Release.objects.filter(visible_releases(staff), pk=draft.pk).exists()
    response = client.get(f"/udgivelser/{draft.pk}/facts.parquet")
    assert response.status_code == 200 and response["Cache-Control"] == "private, no-cache"


def test_with_accel_redirect_nginx_sends_the_built_file(client, release, settings):
    settings.ACCEL_REDIRECT = "/_built/"
    response = client.get(f"/udgivelser/{release.pk}/facts.parquet")
    assert response.status_code == 200 and response.content == b""
    folder = build.release_dir(release).name
    assert response["X-Accel-Redirect"] == f"/_built/{folder}/facts.parquet"
    assert (settings.BUILD_DIR / folder / "facts.parquet").exists()
    assert response["Content-Disposition"].endswith(f'-{release.pk}-2023.parquet"')
    assert response["ETag"] and response["Last-Modified"]


def test_the_national_pdf_is_built_once_per_plan_state_and_answers_304(client, release, users, stub_pdf):
    from jobmaal.web.followup import services

    url = "/opfoelgning/national-2023.pdf"
    first = client.get(url)
    assert first.status_code == 200 and _body(first).startswith(b"%PDF-stub render_national_pdf")
    assert first["Cache-Control"] == "public, no-cache"
    assert client.get(url, HTTP_IF_NONE_MATCH=first["ETag"]).status_code == 304
    assert stub_pdf == ["render_national_pdf"]  # built once for the public
    services.create_plan(users["editor"], 101, 2023)  # a plan change: a new state of the plans
    second = client.get(url, HTTP_IF_NONE_MATCH=first["ETag"])
    assert second.status_code == 200 and second["ETag"] != first["ETag"]
    assert len(stub_pdf) == 2
    client.force_login(users["kl"])  # every plan: another file, not cached by others
    everything = client.get(url)
    assert everything["Cache-Control"] == "private, no-cache" and len(stub_pdf) == 3


def test_building_a_release_builds_its_pages_and_files(client, release, stub_pdf, monkeypatch):
    monkeypatch.setattr(build, "page_paths", lambda r: ["/", "/kommune/101/", "/indikator/MM13/"])
    steps = []
    result = build.build_release(release, lambda label, done, total: steps.append((label, done, total)))
    assert result == {"pages": 3, "files": 3}
    assert build.is_built(release)
    assert ("Sider", 3, 3) in steps and ("Downloadfiler", 2, 2) in steps
    assert ("Landsoverblik (PDF)", 1, 1) in steps
    for path in ("/", "/kommune/101/", "/indikator/MM13/"):
        assert client.get(path)["X-Jobmaal-Cache"] == "hit", path
    folder = build.release_dir(release)
    assert {p.name for p in folder.iterdir()} >= {"facts.csv", "facts.parquet"}
    assert any(p.name.startswith("landsoverblik-2023-offentlige") for p in folder.iterdir())


def test_jobmaal_publish_builds_the_release_unless_told_to_leave_it_to_the_worker(
        release, computed_release_dir, stub_pdf, monkeypatch, capsys):
    from jobmaal.cli import main

    monkeypatch.setattr(build, "page_paths", lambda r: ["/", "/kommune/101/"])
    left = load_release(computed_release_dir, name="Til arbejderen")
    assert main(["publish", str(left.pk), "--no-build"]) == 0
    assert not build.is_built(left) and stub_pdf == []
    assert "jobmaal worker" in " ".join(capsys.readouterr().out.split())

    built = load_release(computed_release_dir, name="Bygget her")
    assert main(["publish", str(built.pk)]) == 0
    assert build.is_built(built) and stub_pdf == ["render_national_pdf"]
    assert "2 sider og 3 filer bygget" in " ".join(capsys.readouterr().out.split())


# -- background tasks ----------------------------------------------------------------------------

def test_publishing_queues_the_build_and_the_worker_runs_it_with_progress(
        client, release, computed_release_dir, users, make_user, stub_pdf, monkeypatch,
        django_capture_on_commit_callbacks):
    from jobmaal.web.accounts.models import Role

    monkeypatch.setattr(build, "page_paths", lambda r: ["/", "/kommune/101/"])
    newer = load_release(computed_release_dir, name="Nyere")
    client.force_login(make_user("star", Role.MINISTRY, is_staff=True))
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(f"/udgivelser/{newer.pk}/udgiv/", {"action": "publish", "confirm": "ja"})
    task_id = tasks.build_task_of(newer.pk)  # queued once the publication is committed
    assert task_id and response.status_code == 302
    waiting = client.get(f"/opgaver/{task_id}.json").json()
    assert waiting["status"] == "READY" and not waiting["finished"]
    assert not build.is_built(newer)

    run_queued(task_id)
    state = client.get(f"/opgaver/{task_id}.json").json()
    assert state["status"] == "SUCCESSFUL" and state["finished"]
    assert (state["label"], state["done"], state["total"]) == ("Landsoverblik (PDF)", 1, 1)
    assert build.is_built(newer)
    page = client.get(f"/opgaver/{task_id}/")
    assert page.status_code == 200 and 'data-url="/opgaver/' in page.content.decode()

    client.logout()
    assert client.get("/")["X-Jobmaal-Cache"] == "hit"  # the worker built it for the public
    assert client.get(f"/opgaver/{task_id}.json").status_code == 404  # staff's to follow
    client.force_login(users["kl"])
    assert client.get(f"/opgaver/{task_id}.json").status_code == 404


def test_the_build_task_skips_a_release_the_cli_built_already(release, stub_pdf, monkeypatch):
    monkeypatch.setattr(build, "page_paths", lambda r: ["/"])
    build.build_release(release)
    task_id = tasks.enqueue_build(release.pk)
    run_queued(task_id)
    assert tasks.progress_of(task_id)["label"] == "Allerede bygget"
    assert stub_pdf == ["render_national_pdf"]  # not rendered a second time


def test_the_plan_pdfs_are_made_by_the_worker_for_who_asked(client, release, users, stub_pdf):
    from jobmaal.web.followup import services

    for user, code in ((users["editor"], 101), (users["other_editor"], 147)):
        services.create_plan(user, code, 2023)
    client.force_login(users["editor"])
    assert client.post("/opfoelgning/planer-2023.zip").status_code == 403
    client.force_login(users["kl"])
    response = client.post("/opfoelgning/planer-2023.zip")
    task_id = response["Location"].split("/")[2]
    assert response.status_code == 302 and response["Location"] == f"/opgaver/{task_id}/"
    assert client.get(f"/opgaver/{task_id}/planer.zip").status_code == 404  # not made yet

    run_queued(task_id)
    state = client.get(f"/opgaver/{task_id}.json").json()
    assert (state["status"], state["done"], state["total"]) == ("SUCCESSFUL", 2, 2)
    assert state["download"] == f"/opgaver/{task_id}/planer.zip"
    archive = zipfile.ZipFile(io.BytesIO(_body(client.get(state["download"]))))
    assert sorted(archive.namelist()) == ["beskaeftigelsesplan-2023-101-rev1.pdf",
                                          "beskaeftigelsesplan-2023-147-rev1.pdf"]
    assert stub_pdf == ["render_plan_pdf", "render_plan_pdf"]

    client.force_login(users["ministry"])  # the ministry's users are staff: they follow every task
    assert users["ministry"].is_staff and client.get(f"/opgaver/{task_id}.json").status_code == 200
    client.force_login(users["editor"])
    assert client.get(f"/opgaver/{task_id}.json").status_code == 404
    assert client.get(f"/opgaver/{task_id}/planer.zip").status_code == 404
