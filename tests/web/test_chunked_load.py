"""A load stores its release in short transactions (jobmaal.web.releases): every row exactly
once, whatever the chunk size; while it runs, the release is seen by nobody (pages, API, staff
preview, publishing); a load failing between two chunks removes what it stored."""

from __future__ import annotations

import math

import pyarrow.parquet as pq
import pytest
from django.core.cache import cache
from django.test import Client

from jobmaal.facts import KEY_COLUMNS
from jobmaal.web import queries, releases
from jobmaal.web.models import ExpectedLevel, Fact, FrameworkValue, PeerLink, Release, Revision
from jobmaal.web.publishing import PublishError, publish_release
from jobmaal.web.releases import load_release

pytestmark = pytest.mark.django_db

KEY = list(KEY_COLUMNS)


@pytest.fixture(autouse=True)
def fresh_caches():
    yield
    cache.clear()
    queries._level_facts.cache_clear()


@pytest.fixture
def active(loaded_release) -> Release:
    return Release.objects.get(pk=loaded_release.pk)


@pytest.fixture
def staff_client(django_user_model) -> Client:
    client = Client()
    client.force_login(django_user_model.objects.create_user("stab", "stab@example.dk", "x-9f3k-long",
                                                             is_staff=True))
    return client


def counts() -> tuple[int, ...]:
    return tuple(model.objects.count() for model in
                 (Fact, FrameworkValue, Revision, ExpectedLevel, PeerLink)) + (Release.all_objects.count(),)


def test_a_chunked_load_stores_every_fact_exactly_once_in_chunks_of_the_size_asked(
        active, computed_release_dir):
    facts = pq.read_table(computed_release_dir / "facts.parquet").to_pandas()
    chunk = 997  # a size that divides nothing, so the last chunk is short
    calls: list[tuple[str, int, int]] = []

    loaded = load_release(computed_release_dir, chunk_rows=chunk, progress=lambda *a: calls.append(a))

    n = len(facts)
    fact_calls = [c for c in calls if c[0] == "facts"]
    assert len(fact_calls) == math.ceil(n / chunk)
    assert [done for _, done, _ in fact_calls] == [*range(chunk, n, chunk), n]
    assert {total for _, _, total in fact_calls} == {n}
    stored = (Fact.objects.filter(release=loaded).values(*KEY, "numerator", "denominator", "value")
              .order_by(*KEY))
    expected = facts.sort_values(KEY)[[*KEY, "numerator", "denominator", "value"]]
    assert len(stored) == n == loaded.row_count
    assert [tuple(r.values()) for r in stored[:50]] == [
        tuple(None if v != v else v for v in row) for row in expected.head(50).itertuples(index=False)]
    framework = pq.read_table(computed_release_dir / "framework.parquet").num_rows
    assert FrameworkValue.objects.filter(release=loaded).count() == framework
    assert [c for c in calls if c[0] == "framework"][-1][1:] == (framework, framework)
    # the same analysis and (no) revisions as the one-chunk load of the same folder
    for model in (ExpectedLevel, PeerLink):
        ours, theirs = (model.objects.filter(release=r).count() for r in (loaded, active))
        assert ours == theirs > 0
    assert Revision.objects.filter(release=loaded).count() == 0  # same figures as the previous vintage
    assert [c[0] for c in calls if c[0] == "revisions"]  # … and it did compare them
    assert not loaded.loading and loaded.is_draft and not loaded.is_active
    assert Release.objects.filter(pk=loaded.pk).exists()
    assert queries.active_release() == active


def test_a_release_being_loaded_is_seen_by_nobody_until_its_last_transaction(
        active, computed_release_dir, staff_client):
    seen: list[dict] = []

    def look(step: str, done: int, total: int) -> None:
        if seen and seen[-1]["step"] == step:
            return  # once per step: the pages are slow to build
        loading = Release.all_objects.get(loading=True)
        cache.clear()  # build each page anew (with its context)
        api = staff_client.get("/api/releases").json()
        try:
            publish_release(loading, actor="test")
            published = "udgivet"
        except PublishError as exc:
            published = str(exc)
        seen.append({
            "step": step,
            "stored": Fact.objects.filter(release=loading).count(),
            "in Release.objects": Release.objects.filter(pk=loading.pk).exists(),
            "in the API list": loading.pk in [r["id"] for r in api],
            "API detail": staff_client.get(f"/api/releases/{loading.pk}").status_code,
            # an unknown release id shows the active release, as for any id that does not exist
            "staff preview": staff_client.get(f"/?udgivelse={loading.pk}").context["release"].pk,
            "on the releases page": (f'udgivelse={loading.pk}"'
                                     in staff_client.get("/udgivelser/").content.decode()),
            "publish": published,
            "active": queries.active_release().pk,
        })

    loaded = load_release(computed_release_dir, activate=True, chunk_rows=5000, progress=look)

    assert {s["step"] for s in seen} >= {"facts", "framework", "revisions", "expected", "peers"}
    assert seen[0]["stored"] == 5000  # the first chunk was stored when it was looked at
    for s in seen:
        assert s["in Release.objects"] is False, s
        assert s["in the API list"] is False, s
        assert s["API detail"] == 404 and s["staff preview"] == active.pk, s
        assert s["on the releases page"] is False, s
        assert s["publish"] == f"udgivelse {loaded.pk} findes ikke", s
        assert s["active"] == active.pk, s
    # the last transaction made it complete and published it
    assert queries.active_release() == loaded and not loaded.loading
    assert staff_client.get(f"/api/releases/{loaded.pk}").status_code == 200


@pytest.mark.parametrize("failing_step", ["facts", "revisions", "peers"])
def test_a_load_failing_between_chunks_removes_what_it_stored(active, computed_release_dir, failing_step):
    before = counts()
    chunks = {"n": 0}

    def fail(step: str, done: int, total: int) -> None:
        chunks["n"] += 1
        if step == failing_step:
            raise RuntimeError(f"stopped after {step} chunk")

    with pytest.raises(RuntimeError, match=f"stopped after {failing_step} chunk"):
        load_release(computed_release_dir, activate=True, chunk_rows=3000, progress=fail)

    assert chunks["n"] >= 1
    assert counts() == before
    assert queries.active_release() == active


def test_a_refused_publication_at_the_end_of_a_chunked_load_stores_nothing(
        active, computed_release_dir, monkeypatch):
    before = counts()

    def refuse(release, **kwargs):
        raise PublishError("afvist")

    monkeypatch.setattr(releases, "publish_release", refuse)
    with pytest.raises(PublishError, match="afvist"):
        load_release(computed_release_dir, activate=True, chunk_rows=4000)
    assert counts() == before
    assert queries.active_release() == active
