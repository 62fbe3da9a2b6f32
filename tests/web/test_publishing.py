"""Drafts and publishing (jobmaal.web.publishing, the page /udgivelser/<id>/udgiv/, the admin
action and `jobmaal publish`): a load is a draft only staff see; publishing is one confirmed
POST by staff, audited, and the same action rolls back; a release lacking indicators the
active one has is refused until it is combined with the active one."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pyarrow.parquet as pq
import pytest
from django.core.cache import cache
from django.test import Client

from jobmaal.cli import main
from jobmaal.indicators.output import sha256_file
from jobmaal.sources.release import facts_table, write_release
from jobmaal.web import queries
from jobmaal.web.models import Fact, Publication, Release
from jobmaal.web.publishing import PublishError, compare_releases, publish_release
from jobmaal.web.releases import load_release

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def fresh_caches():
    yield
    cache.clear()
    queries._level_facts.cache_clear()


@pytest.fixture
def active(loaded_release) -> Release:
    return Release.objects.get(pk=loaded_release.pk)


@pytest.fixture
def staff(django_user_model):
    return django_user_model.objects.create_user("stab", "stab@example.dk", "x-9f3k-long", is_staff=True)


@pytest.fixture
def staff_client(staff) -> Client:
    client = Client()
    client.force_login(staff)
    return client


@pytest.fixture
def reader_client(django_user_model) -> Client:
    client = Client()
    client.force_login(django_user_model.objects.create_user("borger", "b@example.dk", "x-9f3k-long"))
    return client


def edited_copy(source: Path, target: Path) -> tuple[Path, dict]:
    """A copy of a release whose MM13 total of København in 2023 has 1 more in the numerator
    (value recomputed) and whose first MM17 breakdown row is gone: 1 changed, 1 removed."""
    shutil.copytree(source, target)
    frame = pq.read_table(target / "facts.parquet").to_pandas()
    mask = ((frame.indicator == "MM13") & (frame.period == "2023") & (frame.area_level == "kommune")
            & (frame.area_code == "101") & (frame.breakdown == "i_alt"))
    row = int(mask.idxmax())
    frame.loc[row, "numerator"] += 1
    frame.loc[row, "value"] = 100 * frame.loc[row, "numerator"] / frame.loc[row, "denominator"]
    gone = int(((frame.indicator == "MM17") & (frame.breakdown != "i_alt")
                & ~frame.suppressed).idxmax())
    frame = frame.drop(index=gone).reset_index(drop=True)
    table = facts_table(frame.to_dict("records"))
    pq.write_table(table, target / "facts.parquet")
    manifest = json.loads((target / "manifest.json").read_text(encoding="utf-8"))
    manifest["facts_sha256"] = sha256_file(target / "facts.parquet")
    (target / "manifest.json").write_text(json.dumps(manifest), encoding="utf-8")
    return target, {"row": frame.loc[row].to_dict()}


def mm17_only(tmp_path: Path) -> Path:
    rows = [{"indicator": "MM17", "period": "2023M01", "area_level": "kommune", "area_code": "101",
             "breakdown": "i_alt", "breakdown_value": "i_alt", "numerator": 12.0,
             "denominator": 200.0, "value": 6.0, "suppressed": False, "provisional": False}]
    out = tmp_path / "mm17"
    write_release(out, facts_table(rows), kind="file", year=2023, source={"file": "mm17.csv"})
    return out


# -- drafts ---------------------------------------------------------------------------------------

def test_a_load_is_a_draft_and_the_public_still_sees_the_active_release(active, computed_release_dir):
    draft = load_release(computed_release_dir, name="Kladden")
    assert draft.is_draft and not draft.is_active and draft.published_at is None
    assert queries.active_release(2023) == active
    assert not Publication.objects.filter(release=draft).exists()


DRAFT_URLS = ["/?udgivelse={pk}", "/kommune/101/?udgivelse={pk}", "/indikator/MM13/?udgivelse={pk}",
              "/api/facts?release={pk}&limit=1", "/api/releases/{pk}", "/api/releases/{pk}/revisions",
              "/udgivelser/{pk}/facts.csv", "/udgivelser/{pk}/revisioner/",
              "/tabel/league.csv?udgivelse={pk}&indikator=MM13&periode=2023"]


def test_a_draft_is_404_for_anonymous_and_for_users_who_are_not_staff_but_staff_preview_it(
        active, computed_release_dir, reader_client, staff_client):
    draft = load_release(computed_release_dir, name="Kladden")
    for url in (u.format(pk=draft.pk) for u in DRAFT_URLS):
        for client in (Client(), reader_client):
            response = client.get(url)
            assert response.status_code == 404, (url, response.status_code)
            assert "Kladden" not in response.content.decode()
        assert staff_client.get(url).status_code == 200, url
        # asked again after staff: nothing is shared through the page or API caches
        assert Client().get(url).status_code == 404, url
    banner = staff_client.get(f"/?udgivelse={draft.pk}").content.decode()
    assert "Kladde:" in banner and f"/udgivelser/{draft.pk}/udgiv/" in banner
    assert "Kladde:" not in staff_client.get("/").content.decode()


def test_the_public_list_of_releases_leaves_drafts_out(client, active, computed_release_dir, staff_client):
    draft = load_release(computed_release_dir, name="Kladden")
    assert "Kladden" not in client.get("/udgivelser/").content.decode()
    assert [r["id"] for r in client.get("/api/releases").json()] == [active.pk]
    page = staff_client.get("/udgivelser/").content.decode()
    assert "Kladden" in page and "Kladde" in page and f"/udgivelser/{draft.pk}/udgiv/" in page
    assert {r["id"] for r in staff_client.get("/api/releases").json()} == {active.pk, draft.pk}


# -- comparing -------------------------------------------------------------------------------------

def test_the_comparison_counts_what_changed_and_what_is_missing(active, computed_release_dir, tmp_path,
                                                               staff_client):
    folder, _ = edited_copy(computed_release_dir, tmp_path / "edited")
    draft = load_release(folder, name="Rettet")
    got = {r["indicator"]: r for r in compare_releases(draft, active)["rows"]}
    mm13 = Fact.objects.filter(release=active, indicator="MM13").count()
    mm17 = Fact.objects.filter(release=active, indicator="MM17").count()
    assert got["MM13"] == {"indicator": "MM13", "changed": 1, "added": 0, "removed": 0,
                           "same": mm13 - 1, "state": ""}
    assert got["MM17"] == {"indicator": "MM17", "changed": 0, "added": 0, "removed": 1,
                           "same": mm17 - 1, "state": ""}
    assert all(r["changed"] == r["added"] == r["removed"] == 0
               for ind, r in got.items() if ind not in ("MM13", "MM17"))
    page = staff_client.get(f"/udgivelser/{draft.pk}/udgiv/")
    html = page.content.decode()
    assert page.status_code == 200 and "Sammenlignet med den aktive udgivelse" in html
    assert 'name="confirm"' in html and f"i stedet for nr. {active.pk}" in html


def test_a_release_lacking_indicators_shows_what_is_missing(active, tmp_path, staff_client):
    draft = load_release(mm17_only(tmp_path))
    comparison = compare_releases(draft, active)
    assert comparison["missing"] == ["LOK_FLEXJOB", "LOK_LEDYD", "LOK_LEDYD_FLEX", "MM10", "MM13",
                                     "MM13_190", "MM13_SELV", "REKRUT", "UKR_BESK", "UKR_RAADIG"]
    html = staff_client.get(f"/udgivelser/{draft.pk}/udgiv/").content.decode()
    assert "Mangler:" in html and 'value="combine"' in html and 'name="confirm"' not in html


# -- publishing and rolling back ------------------------------------------------------------------

def test_only_staff_may_publish_and_only_with_a_confirmed_post(active, computed_release_dir, reader_client,
                                                               staff_client, staff):
    draft = load_release(computed_release_dir)
    url = f"/udgivelser/{draft.pk}/udgiv/"
    anonymous = Client().post(url, {"action": "publish", "confirm": "ja"})
    assert anonymous.status_code == 302 and "/konto/" in anonymous["Location"]
    assert reader_client.post(url, {"action": "publish", "confirm": "ja"}).status_code == 403
    assert reader_client.get(url).status_code == 403
    strict = Client(enforce_csrf_checks=True)
    strict.force_login(staff)
    assert strict.post(url, {"action": "publish", "confirm": "ja"}).status_code == 403
    unconfirmed = staff_client.post(url, {"action": "publish"})
    assert unconfirmed.status_code == 400 and "bekræfte" in unconfirmed.content.decode()
    assert queries.active_release(2023) == active
    assert not Publication.objects.filter(release=draft).exists()
    done = staff_client.post(url, {"action": "publish", "confirm": "ja"})
    assert done.status_code == 302 and done["Location"] == f"/udgivelser/?udgivet={draft.pk}"
    assert queries.active_release(2023) == draft
    entry = Publication.objects.get(release=draft)
    assert (entry.release, entry.replaced, entry.action, entry.user, entry.actor, entry.year) == (
        draft, active, "publish", staff, "stab", 2023)
    assert Client().get(f"/?udgivelse={draft.pk}").status_code == 200  # public now


def test_publishing_an_earlier_release_again_is_an_audited_rollback(active, computed_release_dir,
                                                                  staff_client):
    newer = load_release(computed_release_dir)
    publish_release(newer, actor="stab")
    response = staff_client.post(f"/udgivelser/{active.pk}/udgiv/", {"action": "publish", "confirm": "ja"})
    assert response.status_code == 302 and queries.active_release(2023) == active
    back = Publication.objects.order_by("-pk").first()
    assert (back.action, back.release, back.replaced, back.actor) == ("rollback", active, newer, "stab")
    log = staff_client.get("/udgivelser/").content.decode()
    assert "Udgivelseslog" in log and "Tilbage til tidligere" in log
    assert "Udgivelseslog" not in Client().get("/udgivelser/").content.decode()


def test_publishing_the_active_release_again_is_refused(active):
    with pytest.raises(PublishError, match="allerede den aktive"):
        publish_release(active, actor="stab")


def test_a_release_lacking_indicators_is_refused_until_combined_with_the_active_one(
        active, tmp_path, staff_client):
    draft = load_release(mm17_only(tmp_path))
    with pytest.raises(PublishError) as refused:
        publish_release(draft, actor="stab")
    message = str(refused.value)
    assert ("mangler LOK_FLEXJOB, LOK_LEDYD, LOK_LEDYD_FLEX, MM10, MM13, MM13_190, MM13_SELV, "
            "REKRUT, UKR_BESK, UKR_RAADIG") in message
    assert f"jobmaal combine --year 2023 --pick MM17={draft.pk} " in message
    assert f"--pick MM10={active.pk}" in message and f"--pick LOK_FLEXJOB={active.pk}" in message
    page = staff_client.post(f"/udgivelser/{draft.pk}/udgiv/", {"action": "publish", "confirm": "ja"})
    assert page.status_code == 400 and queries.active_release(2023) == active
    made = staff_client.post(f"/udgivelser/{draft.pk}/udgiv/", {"action": "combine"})
    mixed = Release.objects.get(kind="mixed")
    assert made.status_code == 302 and made["Location"].startswith(f"/udgivelser/{mixed.pk}/udgiv/")
    assert mixed.is_draft
    sources = dict(Fact.objects.filter(release=mixed).values_list("indicator", "source").distinct())
    assert sources == {"MM17": "file", "MM10": "computed", "MM13": "computed", "MM13_190": "computed",
                       "MM13_SELV": "computed", "REKRUT": "computed", "UKR_BESK": "computed",
                       "UKR_RAADIG": "computed", "LOK_FLEXJOB": "computed", "LOK_LEDYD": "computed",
                       "LOK_LEDYD_FLEX": "computed"}
    publish_release(mixed, actor="stab")
    assert queries.active_release(2023) == mixed


def test_load_with_activate_publishes_through_the_same_checks_and_stores_nothing_if_refused(
        active, tmp_path):
    before = Release.objects.count()
    with pytest.raises(PublishError, match="mangler"):
        load_release(mm17_only(tmp_path), activate=True)
    assert Release.objects.count() == before and queries.active_release(2023) == active


def test_the_admin_action_publishes_through_the_same_service(active, computed_release_dir,
                                                            django_user_model):
    admin = django_user_model.objects.create_superuser("admin", "a@example.dk", "x-9f3k-long")
    client = Client()
    client.force_login(admin)
    draft = load_release(computed_release_dir)
    response = client.post("/admin/web/release/", {"action": "activate", "_selected_action": [draft.pk]})
    assert response.status_code == 302 and queries.active_release(2023) == draft
    entry = Publication.objects.get(release=draft)
    assert (entry.actor, entry.user, entry.replaced) == ("admin", admin, active)


def test_jobmaal_publish_publishes_and_rolls_back_from_the_command_line(active, computed_release_dir,
                                                                       tmp_path, capsys):
    draft = load_release(computed_release_dir)
    assert main(["publish", str(draft.pk), "--no-build"]) == 0  # building: tests/web/test_build.py
    assert queries.active_release(2023) == draft
    assert f"i stedet for nr. {active.pk}" in " ".join(capsys.readouterr().out.split())
    assert main(["publish", str(active.pk), "--no-build"]) == 0
    assert "gjort aktiv igen" in " ".join(capsys.readouterr().out.split())
    assert Publication.objects.order_by("-pk").first().actor.startswith("kommandolinje")
    lacking = load_release(mm17_only(tmp_path))
    assert main(["publish", str(lacking.pk)]) == 2
    assert main(["publish", "999999"]) == 2
    err = " ".join(capsys.readouterr().err.split())
    assert "mangler" in err and "findes ikke" in err and "Traceback" not in err
    assert queries.active_release(2023) == active


def test_jobmaal_load_makes_a_draft_unless_told_to_publish(active, computed_release_dir, capsys):
    assert main(["load", str(computed_release_dir)]) == 0
    draft = Release.objects.order_by("-pk").first()
    assert draft.is_draft and f"jobmaal publish {draft.pk}" in " ".join(capsys.readouterr().out.split())
    assert main(["load", str(computed_release_dir), "--publish", "--no-build"]) == 0
    assert queries.active_release(2023) == Release.objects.order_by("-pk").first() != draft


def test_the_demo_publishes_its_own_release_and_keeps_it_on_the_next_start(
        active, computed_release_dir, tmp_path, monkeypatch, capsys):
    """`serve --demo` publishes the release it computed (audited as the demo's) and, started
    again over the same figures, loads nothing more. Generating and computing are stubbed: the
    release folder is the test release with its rows in another order, so its checksum differs."""
    import argparse

    import jobmaal.cli as cli

    folder = tmp_path / "demo" / "release-2023"
    shutil.copytree(computed_release_dir, folder)
    table = pq.read_table(folder / "facts.parquet")
    pq.write_table(table.take(list(range(table.num_rows - 1, -1, -1))), folder / "facts.parquet")
    manifest = json.loads((folder / "manifest.json").read_text(encoding="utf-8"))
    manifest["facts_sha256"] = sha256_file(folder / "facts.parquet")
    (folder / "manifest.json").write_text(json.dumps(manifest), encoding="utf-8")
    for step in ("cmd_synth", "cmd_compute", "_prepare_demo_followup"):
        monkeypatch.setattr(cli, step, lambda *a, **k: 0)
    args = argparse.Namespace(dir=tmp_path / "demo", scale=0.003, seed=1)

    cli._prepare_demo(args)
    shown = queries.active_release(2023)
    assert shown != active and shown.facts_sha256 == manifest["facts_sha256"]
    entry = Publication.objects.get(release=shown)
    assert (entry.actor, entry.replaced) == ("demo", active)

    releases = Release.objects.count()
    cli._prepare_demo(args)
    assert Release.objects.count() == releases and queries.active_release(2023) == shown
    assert "allerede indlæst og aktiv" in " ".join(capsys.readouterr().out.split())
