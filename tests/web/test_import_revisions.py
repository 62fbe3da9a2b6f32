"""Imported releases in the app: vintages with their revisions (page and API), earlier vintages
still served, mixed releases whose figures keep their source on screen and in downloads."""

from __future__ import annotations

import csv
import io
from pathlib import Path

import pytest
from django.core.cache import cache
from django.utils import timezone

from jobmaal.cli import main
from jobmaal.sources.release import facts_table, write_release
from jobmaal.web import queries, releases
from jobmaal.web.models import Fact, Release, Revision
from jobmaal.web.releases import load_release
from jobmaal.web.vintages import CombineError, combine_releases

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def fresh_caches():
    yield
    cache.clear()
    queries._level_facts.cache_clear()


def row(code, period, num, den, *, suppressed=False):
    return {"indicator": "MM17", "period": period, "area_level": "kommune", "area_code": str(code),
            "breakdown": "i_alt", "breakdown_value": "i_alt",
            "numerator": None if suppressed else float(num),
            "denominator": None if suppressed else float(den),
            "value": None if suppressed else 100.0 * num / den, "suppressed": suppressed,
            "provisional": False}


# The first vintage, and the later one with exactly four revisions in the periods both hold:
# 101 in January changed, 147 in February now suppressed, 400 in January gone, 751 in January
# new; March is a new period (not a revision); everything else is the same.
OLD = [row(101, "2023M01", 11, 200), row(101, "2023M02", 12, 200), row(147, "2023M01", 20, 400),
       row(147, "2023M02", 21, 400), row(400, "2023M01", 30, 600), row(400, "2023M02", 31, 600)]
NEW = [row(101, "2023M01", 12, 200), row(101, "2023M02", 12, 200), row(147, "2023M01", 20, 400),
       row(147, "2023M02", 0, 0, suppressed=True), row(400, "2023M02", 31, 600),
       row(751, "2023M01", 40, 800), row(101, "2023M03", 13, 200)]


def vintage(tmp_path: Path, name: str, rows: list[dict]) -> Path:
    out = tmp_path / name
    write_release(out, facts_table(rows), kind="file", year=2023, source={"file": f"{name}.csv"})
    return out


def serve(release: Release) -> None:
    """Set up: `release` published and active, whatever else this module loaded (publishing
    itself, with its refusal of a release lacking indicators, is tested in test_publishing.py)."""
    Release.objects.filter(year=release.year, is_active=True).update(is_active=False)
    Release.objects.filter(pk=release.pk).update(is_active=True, published_at=timezone.now())
    release.refresh_from_db()


@pytest.fixture
def vintages(tmp_path):
    first = load_release(vintage(tmp_path, "v1", OLD))
    serve(first)
    second = load_release(vintage(tmp_path, "v2", NEW))
    serve(second)
    first.refresh_from_db()
    return first, second


def test_a_later_vintage_records_exactly_what_it_revised(vintages):
    first, second = vintages
    assert second.previous == first and first.previous is None
    got = {(r.change, r.period, r.area_code, r.old_value, r.new_value, r.old_suppressed, r.new_suppressed)
           for r in Revision.objects.filter(release=second)}
    assert got == {
        ("changed", "2023M01", "101", 5.5, 6.0, False, False),
        ("changed", "2023M02", "147", 5.25, None, False, True),
        ("removed", "2023M01", "400", 5.0, None, False, None),
        ("added", "2023M01", "751", None, 5.0, None, False),
    }
    assert {r.previous_id for r in Revision.objects.filter(release=second)} == {first.pk}


def test_a_vintage_of_another_source_is_not_the_previous_one(vintages, loaded_release, tmp_path):
    third = load_release(vintage(tmp_path, "v3", NEW))
    assert third.previous == vintages[1]  # the computed release in between is another source
    assert Revision.objects.filter(release=third).count() == 0


def test_the_revisions_page_lists_the_changes_in_danish(client, vintages):
    first, second = vintages
    response = client.get(f"/udgivelser/{second.pk}/revisioner/")
    assert response.status_code == 200
    html = response.content.decode()
    for text in ("Revisioner i udgivelse", "Ændret", "Tilføjet", "Fjernet", "Diskretioneret",
                 "København", "Aarhus", "Bornholm", "Nye perioder i denne udgave: marts 2023",
                 f"udgivelse {first.pk}"):
        assert text in html, text
    assert "<td>Aalborg</td>" not in html and "<td>København</td>" in html  # only changed areas
    assert client.get(f"/udgivelser/{first.pk}/revisioner/").content.decode().count(
        "ingen tidligere udgave") == 1


def test_the_api_lists_revisions_and_the_new_periods(client, vintages):
    first, second = vintages
    body = client.get(f"/api/releases/{second.pk}/revisions").json()
    assert body["count"] == 4 and body["previous"]["id"] == first.pk
    assert body["new_periods"] == ["2023M03"]
    changed = [i for i in body["items"] if i["area_code"] == "101"]
    assert changed == [{"change": "changed", "indicator": "MM17", "period": "2023M01",
                        "area_level": "kommune", "area_code": "101", "breakdown": "i_alt",
                        "breakdown_value": "i_alt", "old_value": 5.5, "new_value": 6.0,
                        "old_suppressed": False, "new_suppressed": False}]
    detail = client.get(f"/api/releases/{second.pk}").json()
    assert detail["kind"] == "file" and detail["previous"] == first.pk and detail["fetched"]
    assert client.get("/api/releases/999999/revisions").status_code == 404


def test_an_earlier_vintage_is_still_served_when_asked_for(client, vintages):
    first, second = vintages
    assert second.is_active and not Release.objects.get(pk=first.pk).is_active
    old = client.get(f"/api/facts?release={first.pk}&area_code=400&period_from=2023M01"
                     "&period_to=2023M01").json()
    assert [i["value"] for i in old["items"]] == [5.0]
    new = client.get("/api/facts?area_code=400&period_from=2023M01&period_to=2023M01").json()
    assert new["items"] == []


def test_a_failed_load_stores_no_release_and_no_revisions(vintages, tmp_path, monkeypatch):
    def fail(release):
        raise RuntimeError("analysis broke")

    monkeypatch.setattr(releases, "analysis_rows", fail)  # after the revisions were stored
    with pytest.raises(RuntimeError):
        load_release(vintage(tmp_path, "v3", OLD))
    assert Release.all_objects.filter(kind="file").count() == 2 and Revision.objects.count() == 4
    assert Release.objects.get(is_active=True) == vintages[1]


# -- mixed sources --------------------------------------------------------------------------------

def test_a_mixed_release_keeps_each_figures_source(client, vintages, loaded_release):
    _, imported = vintages
    mixed = combine_releases(2023, {"MM17": imported.pk, "MM13": loaded_release.pk}, activate=True)
    assert mixed.kind == "mixed" and mixed.is_active
    sources = dict(Fact.objects.filter(release=mixed).values_list("indicator", "source").distinct())
    assert sources == {"MM17": "file", "MM13": "computed"}
    assert mixed.row_count == (Fact.objects.filter(release=imported).count()
                               + Fact.objects.filter(release=loaded_release, indicator="MM13").count())
    items = client.get(f"/api/facts?release={mixed.pk}&indicator=MM13&limit=1").json()["items"]
    assert items[0]["source"] == "computed"
    text = b"".join(client.get(f"/udgivelser/{mixed.pk}/facts.csv").streaming_content).decode()
    lines = list(csv.DictReader(io.StringIO(text.lstrip("\ufeff"))))
    assert {(r["indicator"], r["source"]) for r in lines} == {("MM17", "file"), ("MM13", "computed")}


def test_pages_and_table_downloads_say_where_each_figure_came_from(client, vintages, loaded_release):
    _, imported = vintages
    mixed = combine_releases(2023, {"MM17": imported.pk, "MM13": loaded_release.pk}, activate=True)
    page = client.get(f"/indikator/MM17/?udgivelse={mixed.pk}&periode=2023M02").content.decode()
    assert f"Kilde: Fil (udgivelse {imported.pk}" in page
    for path in ("/kommune/101/", "/"):
        page = client.get(f"{path}?udgivelse={mixed.pk}&periode=2023M02").content.decode()
        assert f"Kilde: Fil (udgivelse {imported.pk}" in page, path
        assert f"Kilde: Beregnet fra registre (udgivelse {loaded_release.pk}" in page, path
    download = client.get(f"/tabel/league.json?udgivelse={mixed.pk}&indikator=MM13&periode=2023M02")
    assert download.json()["note"].endswith(
        f"Kilde: Beregnet fra registre (udgivelse {loaded_release.pk}, "
        f"{mixed.manifest['source']['parts'][0]['fetched'][:10]}).")


def test_combining_refuses_what_it_cannot_honour(vintages, loaded_release):
    _, imported = vintages
    with pytest.raises(CombineError, match="ingen tal for MM13"):
        combine_releases(2023, {"MM13": imported.pk})
    with pytest.raises(CombineError, match="ikke 2024"):
        combine_releases(2024, {"MM17": imported.pk})
    with pytest.raises(CombineError, match="findes ikke"):
        combine_releases(2023, {"MM17": 999999})
    assert not Release.objects.filter(kind="mixed").exists()


def test_cli_imports_a_file_and_loads_it_with_its_revisions(tmp_path, capsys, vintages):
    path = tmp_path / "tal.csv"
    path.write_text("indikator;periode;område;tæller;nævner\nMM17;2023M01;København;14;200\n"
                    "MM17;2023M02;Frederiksberg;21;400\n", encoding="latin-1")
    assert main(["import", "file", str(path), "--year", "2023", "--out", str(tmp_path / "ud"),
                 "--load"]) == 0
    printed = " ".join(capsys.readouterr().out.split())
    newest = Release.objects.order_by("-pk").first()
    assert newest.kind == "file" and newest.previous == vintages[1] and newest.is_draft
    assert f"jobmaal publish {newest.pk}" in printed
    assert f"revisioner mod udgivelse {vintages[1].pk}" in printed
    change = Revision.objects.get(release=newest, area_level="kommune", area_code="101", period="2023M01")
    assert (change.old_value, change.new_value) == (6.0, 7.0)


def test_cli_preview_shows_every_error_and_stores_nothing(tmp_path, capsys):
    path = tmp_path / "fejl.csv"
    path.write_text("indikator;periode;område;værdi\nMM17;2023M01;Atlantis;5\nMM17;2019M01;Odense;5\n",
                    encoding="utf-8")
    assert main(["import", "file", str(path), "--year", "2023", "--preview"]) == 2
    err = capsys.readouterr().err
    assert "2 fejl" in err and "række 2" in err and "række 3" in err
    assert main(["import", "file", str(path), "--year", "2023", "--out", str(tmp_path / "ud")]) == 2
    assert not (tmp_path / "ud").exists() and not Release.objects.filter(kind="file").exists()
