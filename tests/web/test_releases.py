"""Loading releases (jobmaal.web.releases): all or nothing, one active per year, the analysis
stored on load; and the bulk downloads of a whole release."""

from __future__ import annotations

import csv
import io
import json
import shutil
from collections.abc import Callable
from pathlib import Path

import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.parquet as pq
import pytest
from django.core.cache import cache

from jobmaal.facts import FACTS_SCHEMA, KEY_COLUMNS
from jobmaal.geography import load_geography
from jobmaal.indicators.output import sha256_file
from jobmaal.web import queries, releases
from jobmaal.web.models import ExpectedLevel, Fact, FrameworkValue, PeerLink, Release
from jobmaal.web.releases import ReleaseLoadError, load_release

pytestmark = pytest.mark.django_db

SORT = list(KEY_COLUMNS)


@pytest.fixture
def release(loaded_release) -> Release:
    return Release.objects.get(pk=loaded_release.pk)


@pytest.fixture(autouse=True)
def fresh_caches():
    """Releases made inside a test are rolled back and their ids reused; forget what was cached."""
    yield
    cache.clear()
    queries._level_facts.cache_clear()


@pytest.fixture(scope="module")
def facts_frame(computed_release_dir) -> pd.DataFrame:
    return pq.read_table(computed_release_dir / "facts.parquet").to_pandas()


def broken_copy(source: Path, target: Path, change: Callable[[pd.DataFrame], None],
                *, fix_checksum: bool = True) -> Path:
    """A copy of a release folder whose facts.parquet is rewritten after `change(frame)`."""
    shutil.copytree(source, target)
    frame = pq.read_table(target / "facts.parquet").to_pandas()
    change(frame)
    pq.write_table(pa.Table.from_pandas(frame, schema=FACTS_SCHEMA, preserve_index=False),
                   target / "facts.parquet")
    if fix_checksum:
        manifest = json.loads((target / "manifest.json").read_text(encoding="utf-8"))
        manifest["facts_sha256"] = sha256_file(target / "facts.parquet")
        (target / "manifest.json").write_text(json.dumps(manifest), encoding="utf-8")
    return target


def first_row(frame: pd.DataFrame, **where) -> int:
    mask = pd.Series(True, index=frame.index)
    for column, value in where.items():
        mask &= frame[column] == value
    return int(mask.idxmax())


# -- one active release per year ------------------------------------------------------------------

def test_loading_the_same_folder_again_makes_a_second_release_and_only_it_active(
        release, computed_release_dir):
    newer = load_release(computed_release_dir, activate=True)
    release.refresh_from_db()
    assert Release.objects.filter(year=2023).count() == 2
    assert newer.is_active and not release.is_active
    assert list(Release.objects.filter(is_active=True)) == [newer]
    assert Fact.objects.filter(release=newer).count() == newer.row_count == release.row_count
    releases.activate_release(release)  # going back to the earlier one
    newer.refresh_from_db()
    assert queries.active_release() == release and not newer.is_active


def test_a_release_is_stored_with_its_manifest(release, computed_release_dir):
    manifest = json.loads((computed_release_dir / "manifest.json").read_text(encoding="utf-8"))
    assert release.synthetic and release.name.startswith("Syntetiske data 2023")
    assert release.year == release.catalogue_year == 2023
    assert release.facts_sha256 == manifest["facts_sha256"]
    stored = Fact.objects.filter(release=release).count()
    assert release.row_count == manifest["row_counts"]["total"] == stored
    assert FrameworkValue.objects.filter(release=release).exists()


# -- a failed load stores nothing ----------------------------------------------------------------

def refuse(folder: Path, *words: str) -> None:
    before = Fact.objects.count(), Release.objects.count()
    active = queries.active_release()
    with pytest.raises(ReleaseLoadError) as caught:
        load_release(folder)
    message = str(caught.value)
    for word in words:
        assert word in message, (word, message)
    assert (Fact.objects.count(), Release.objects.count()) == before
    assert queries.active_release() == active


def test_facts_not_matching_the_manifest_checksum_are_refused(release, computed_release_dir, tmp_path):
    def change(frame):
        frame.loc[0, "numerator"] = 12345.0

    folder = broken_copy(computed_release_dir, tmp_path / "out", change, fix_checksum=False)
    refuse(folder, "facts.parquet", "checksum")


@pytest.mark.parametrize(("column", "bad", "where"), [
    ("area_code", "999", {"area_level": "kommune", "area_code": "751"}),
    ("indicator", "MM99", {"indicator": "MM13"}),
    ("area_level", "sogn", {"area_level": "region"}),
    ("period", "2023X1", {"period": "2023Q2"}),
])
def test_a_fact_with_an_unknown_value_is_refused_naming_file_row_and_column(
        release, computed_release_dir, facts_frame, tmp_path, column, bad, where):
    row = first_row(facts_frame, **where)

    def change(frame):
        frame.loc[row, column] = bad

    folder = broken_copy(computed_release_dir, tmp_path / "out", change)
    refuse(folder, "facts.parquet", f"row {row + 1}", f"'{column}'", repr(bad))


def test_a_suppressed_fact_with_a_value_is_refused(release, computed_release_dir, facts_frame, tmp_path):
    row = int(facts_frame.suppressed.idxmax())

    def change(frame):
        frame.loc[row, "value"] = 0.0

    folder = broken_copy(computed_release_dir, tmp_path / "out", change)
    refuse(folder, "facts.parquet", f"row {row + 1}", "'value'", "suppressed")


def test_a_load_failing_midway_stores_nothing_and_keeps_the_active_release(
        release, computed_release_dir, monkeypatch):
    def fail(_release):
        raise RuntimeError("analysis broke")

    monkeypatch.setattr(releases, "analysis_rows", fail)
    before = Fact.objects.count(), FrameworkValue.objects.count(), Release.all_objects.count()
    with pytest.raises(RuntimeError, match="analysis broke"):
        load_release(computed_release_dir)
    after = Fact.objects.count(), FrameworkValue.objects.count(), Release.all_objects.count()
    assert after == before
    assert queries.active_release() == release


def test_a_missing_folder_is_refused_naming_it(db, tmp_path):
    with pytest.raises(ReleaseLoadError, match="nowhere"):
        load_release(tmp_path / "nowhere")


# -- analysis stored on load ---------------------------------------------------------------------

def test_expected_levels_are_stored_for_every_municipality(release):
    rows = ExpectedLevel.objects.filter(release=release, indicator="MM13", period="2023")
    codes = {m.code for m in load_geography().municipalities}
    assert {e.municipality_code for e in rows} == codes and len(rows) == len(codes)
    assert any(e.expected is not None for e in rows)
    municipal = {"MM17", "MM13", "MM13_190", "MM13_SELV", "UKR_BESK", "UKR_RAADIG", "MM10"}
    stored = set(ExpectedLevel.objects.filter(release=release).values_list("indicator", flat=True))
    # REKRUT is counted for RAR areas only; a municipal indicator gets expected levels where some
    # period has enough shown municipalities for the model (its variables + 3), which this tiny
    # release lacks for some indicators
    needed = FrameworkValue.objects.filter(release=release).values("variable").distinct().count() + 3
    shown = pd.DataFrame(Fact.objects.filter(
        release=release, area_level="kommune", breakdown="i_alt", suppressed=False,
        indicator__in=municipal).values("indicator", "period", "value"))
    # the model needs `needed` shown municipalities, both above 0 % and below 100 %
    enough = shown.groupby(["indicator", "period"]).value.agg(
        lambda v: min(len(v), (v > 0).sum(), (v < 100).sum()) >= needed)
    fitted = set(enough[enough].index.get_level_values("indicator"))
    assert "MM13" in stored and stored <= municipal
    assert fitted <= stored


def test_five_peers_are_stored_per_municipality_and_year(release):
    links = pd.DataFrame(PeerLink.objects.filter(release=release).values(
        "year", "municipality_code", "peer_code", "rank"))
    years = set(FrameworkValue.objects.filter(release=release).values_list("year", flat=True))
    assert set(links.year) == years
    codes = {m.code for m in load_geography().municipalities}
    for (_, code), group in links.groupby(["year", "municipality_code"]):
        assert sorted(group["rank"]) == [1, 2, 3, 4, 5]
        assert code not in set(group.peer_code) and set(group.peer_code) <= codes
    assert len(links) == 5 * len(codes) * len(years)


# -- bulk downloads ------------------------------------------------------------------------------

def test_facts_csv_has_every_row_and_a_header(client, release, facts_frame):
    response = client.get(f"/udgivelser/{release.pk}/facts.csv")
    assert response.status_code == 200
    assert response["Content-Disposition"] == (
        f'attachment; filename="jobmaal-udgivelse-{release.pk}-2023.csv"')
    text = b"".join(response.streaming_content).decode("utf-8")
    assert text.startswith("\ufeff")
    lines = list(csv.reader(io.StringIO(text[1:])))
    assert lines[0] == [*FACTS_SCHEMA.names, "source", "period_window"]
    assert len(lines) == release.row_count + 1
    got = pd.DataFrame(lines[1:], columns=lines[0]).sort_values(SORT).reset_index(drop=True)
    want = facts_frame.sort_values(SORT).reset_index(drop=True)
    assert got[SORT].equals(want[SORT])
    assert (got.value == "").sum() == want.value.isna().sum()  # no value is written as 0
    assert set(got.suppressed) <= {"True", "False"}
    assert set(got.source) == {"computed"}  # each figure's source, here all computed
    # a survey round's posting window beside its code (2023H1: December 2022–May 2023), else empty
    windows = set(zip(got.indicator, got.period, got.period_window, strict=True))
    assert ("REKRUT", "2023H1", "dec. 2022–maj 2023") in windows
    assert ("REKRUT", "2022H2", "jun.–nov. 2022") in windows
    assert {w for i, _, w in windows if i != "REKRUT"} == {""}


def test_facts_parquet_reads_back_with_the_facts_schema_and_the_same_rows(client, release, facts_frame):
    response = client.get(f"/udgivelser/{release.pk}/facts.parquet")
    assert response.status_code == 200
    table = pq.read_table(io.BytesIO(b"".join(response.streaming_content)))
    assert table.schema.names == [*FACTS_SCHEMA.names, "period_window"]
    assert table.num_rows == release.row_count
    windows = table.to_pandas()
    rekrut = windows[(windows.indicator == "REKRUT") & (windows.period == "2023H2")]
    assert set(rekrut.period_window) == {"jun.–nov. 2023"}
    assert windows[windows.indicator != "REKRUT"].period_window.isna().all()
    got = table.drop_columns(["period_window"]).to_pandas().sort_values(SORT).reset_index(drop=True)
    assert table.drop_columns(["period_window"]).schema.equals(FACTS_SCHEMA)
    want = facts_frame.sort_values(SORT).reset_index(drop=True)
    pd.testing.assert_frame_equal(got, want)


def test_a_downloaded_facts_parquet_loads_again_as_a_release(client, release, tmp_path):
    folder = tmp_path / "again"
    folder.mkdir()
    response = client.get(f"/udgivelser/{release.pk}/facts.parquet")
    (folder / "facts.parquet").write_bytes(b"".join(response.streaming_content))
    manifest = dict(release.manifest, facts_sha256=sha256_file(folder / "facts.parquet"))
    (folder / "manifest.json").write_text(json.dumps(manifest), encoding="utf-8")
    again = load_release(folder, name="Igen")
    assert again.row_count == release.row_count
    assert Fact.objects.filter(release=again, indicator="REKRUT").count() == (
        Fact.objects.filter(release=release, indicator="REKRUT").count())


@pytest.mark.parametrize("url", ["/udgivelser/{pk}/facts.xlsx", "/udgivelser/99999/facts.csv"])
def test_bulk_download_of_unknown_format_or_release_is_404(client, release, url):
    assert client.get(url.format(pk=release.pk)).status_code == 404


@pytest.mark.parametrize(("field", "bad"), [("year", None), ("source", "registre"),
                                            ("created", "i går")])
def test_a_manifest_missing_a_field_is_refused_naming_it(release, computed_release_dir, tmp_path,
                                                         field, bad):
    folder = tmp_path / "out"
    shutil.copytree(computed_release_dir, folder)
    manifest = json.loads((folder / "manifest.json").read_text())
    manifest[field] = bad
    (folder / "manifest.json").write_text(json.dumps(manifest))
    refuse(folder, "manifest.json", f"'{field}'")


# -- every row checked (issue 12) ----------------------------------------------------------------

_KEEP = object()


def rewritten(source: Path, target: Path, table: pa.Table | None = None, *,
              manifest: object = _KEEP, framework: pa.Table | None = None) -> Path:
    """A copy of a release folder with its facts, manifest or framework replaced (checksum kept
    right, so that only the change is wrong)."""
    shutil.copytree(source, target)
    if table is not None:
        pq.write_table(table, target / "facts.parquet")
    if framework is not None:
        pq.write_table(framework, target / "framework.parquet")
    if manifest is _KEEP:
        manifest = json.loads((target / "manifest.json").read_text(encoding="utf-8"))
        manifest["facts_sha256"] = sha256_file(target / "facts.parquet")
    (target / "manifest.json").write_text(json.dumps(manifest), encoding="utf-8")
    return target


def with_column(facts: pa.Table, name: str, values: list) -> pa.Table:
    return facts.set_column(facts.schema.get_field_index(name), name, pa.array(values))


@pytest.fixture
def facts_table(computed_release_dir) -> pa.Table:
    return pq.read_table(computed_release_dir / "facts.parquet")


def shown_row(frame: pd.DataFrame) -> int:
    """A row with numerator, denominator and value, the numerator below the denominator."""
    return int((~frame.suppressed & frame.value.notna() & (frame.numerator > 0)
                & (frame.numerator < frame.denominator)).idxmax())


def test_a_nan_value_is_refused_naming_file_row_and_column(release, computed_release_dir, facts_frame,
                                                           facts_table, tmp_path):
    row = shown_row(facts_frame)
    values = facts_table.column("value").to_pylist()
    values[row] = float("nan")  # pandas would write NaN as null; Parquet can hold NaN itself
    folder = rewritten(computed_release_dir, tmp_path / "out", with_column(facts_table, "value", values))
    refuse(folder, "facts.parquet", f"row {row + 1}", "'value'", "not a finite number")


@pytest.mark.parametrize(("column", "bad", "words"), [
    ("numerator", float("inf"), ["not a finite number"]),
    ("denominator", float("-inf"), ["not a finite number"]),
    ("value", 500.0, ["above 100"]),
    ("numerator", -3.0, ["negative"]),
    ("value", 0.0, ["differs from 100 × numerator / denominator"]),
])
def test_a_number_that_cannot_be_right_is_refused_naming_file_row_and_column(
        release, computed_release_dir, facts_frame, tmp_path, column, bad, words):
    row = shown_row(facts_frame)

    def change(frame):
        frame.loc[row, column] = bad

    refuse(broken_copy(computed_release_dir, tmp_path / "out", change),
           "facts.parquet", f"row {row + 1}", f"'{column}'", *words)


def test_a_numerator_above_its_denominator_is_refused(release, computed_release_dir, facts_frame, tmp_path):
    row = shown_row(facts_frame)

    def change(frame):
        frame.loc[row, "numerator"] = frame.loc[row, "denominator"] + 1
        frame.loc[row, "value"] = 100.0  # would be 100·(d+1)/d otherwise; the order is checked first

    refuse(broken_copy(computed_release_dir, tmp_path / "out", change),
           "facts.parquet", f"row {row + 1}", "'numerator'", "larger than the denominator")


def test_a_value_within_rounding_of_its_share_is_accepted(release, computed_release_dir, facts_frame,
                                                          tmp_path):
    row = shown_row(facts_frame)

    def change(frame):  # published to one decimal: at most 0.05 off
        frame.loc[row, "value"] = round(frame.loc[row, "value"], 1)

    loaded = load_release(broken_copy(computed_release_dir, tmp_path / "out", change))
    assert loaded.is_draft and loaded.row_count == len(facts_frame)


@pytest.mark.parametrize("column", ["value", "numerator"])
def test_numbers_stored_as_text_are_refused_naming_the_column(release, computed_release_dir,
                                                              facts_table, tmp_path, column):
    texts = [None if v is None else str(v) for v in facts_table.column(column).to_pylist()]
    folder = rewritten(computed_release_dir, tmp_path / "out", with_column(facts_table, column, texts))
    refuse(folder, "facts.parquet", f"'{column}'", "stored as string", "expected double")


def test_an_empty_facts_file_is_refused(release, computed_release_dir, tmp_path):
    refuse(rewritten(computed_release_dir, tmp_path / "out", FACTS_SCHEMA.empty_table()),
           "facts.parquet", "holds no facts")


def test_duplicate_facts_are_refused_naming_the_first_duplicate_row(release, computed_release_dir,
                                                                    facts_table, tmp_path):
    doubled = pa.concat_tables([facts_table, facts_table.slice(7, 1)])
    refuse(rewritten(computed_release_dir, tmp_path / "out", doubled),
           "facts.parquet", "row 8", "more than once")


def test_an_indicator_the_manifest_claims_but_the_facts_lack_is_refused(release, computed_release_dir,
                                                                        facts_table, tmp_path):
    without = facts_table.filter(pc.not_equal(facts_table.column("indicator"), "MM10"))
    refuse(rewritten(computed_release_dir, tmp_path / "out", without),
           "manifest.json", "claims MM10", "holds no fact of it")


@pytest.mark.parametrize(("change", "words"), [
    (lambda m: m.__setitem__("year", 99999), ["'year'", "99999", "not a year the catalogue has"]),
    (lambda m: m.__setitem__("catalogue_year", 1999), ["'catalogue_year'", "1999"]),
    (lambda m: m.__setitem__("year", True), ["'year'", "not a int"]),
    (lambda m: m.__setitem__("indicators", "MM17"), ["'indicators'"]),
])
def test_a_manifest_field_that_cannot_be_right_is_refused(release, computed_release_dir, tmp_path,
                                                          change, words):
    manifest = json.loads((computed_release_dir / "manifest.json").read_text(encoding="utf-8"))
    change(manifest)
    refuse(rewritten(computed_release_dir, tmp_path / "out", manifest=manifest), "manifest.json", *words)


@pytest.mark.parametrize("manifest", [[1, 2, 3], "2023", None])
def test_a_manifest_that_is_not_a_json_object_is_refused(release, computed_release_dir, tmp_path, manifest):
    refuse(rewritten(computed_release_dir, tmp_path / "out", manifest=manifest),
           "manifest.json", "must be a JSON object")


def test_a_manifest_that_is_not_json_is_refused(release, computed_release_dir, tmp_path):
    folder = rewritten(computed_release_dir, tmp_path / "out")
    (folder / "manifest.json").write_text("{year: 2023", encoding="utf-8")
    refuse(folder, "manifest.json", "cannot be read as JSON")


@pytest.fixture
def framework(computed_release_dir) -> pa.Table:
    return pq.read_table(computed_release_dir / "framework.parquet")


def test_a_framework_value_that_is_nan_is_refused_naming_its_row(release, computed_release_dir,
                                                                  framework, tmp_path):
    values = framework.column("value").to_pylist()
    values[4] = float("nan")
    broken = with_column(framework, "value", values)
    refuse(rewritten(computed_release_dir, tmp_path / "out", framework=broken),
           "framework.parquet", "row 5", "'value'", "not a finite number")


def test_a_framework_of_another_shape_is_refused_naming_what_is_missing(release, computed_release_dir,
                                                                       framework, tmp_path):
    other = framework.rename_columns(["kommune" if n == "municipality_code" else n
                                      for n in framework.schema.names])
    refuse(rewritten(computed_release_dir, tmp_path / "out", framework=other),
           "framework.parquet", "missing municipality_code")


def test_a_framework_with_text_values_is_refused(release, computed_release_dir, framework, tmp_path):
    texts = with_column(framework, "value", [str(v) for v in framework.column("value").to_pylist()])
    refuse(rewritten(computed_release_dir, tmp_path / "out", framework=texts),
           "framework.parquet", "'value'", "stored as string")


def test_a_framework_with_an_unknown_municipality_or_a_duplicate_is_refused(
        release, computed_release_dir, framework, tmp_path):
    codes = framework.column("municipality_code").to_pylist()
    codes[2] = 999
    refuse(rewritten(computed_release_dir, tmp_path / "a", framework=with_column(
        framework, "municipality_code", pa.array(codes, pa.int64()))),
        "framework.parquet", "row 3", "'municipality_code'", "not a municipality", "999")
    doubled = pa.concat_tables([framework, framework.slice(0, 1)])
    refuse(rewritten(computed_release_dir, tmp_path / "b", framework=doubled),
           "framework.parquet", "row 1", "more than once")


@pytest.mark.parametrize("column", ["numerator", "denominator"])
def test_a_suppressed_fact_with_a_number_is_refused(release, computed_release_dir, facts_frame, tmp_path,
                                                    column):
    row = int(facts_frame.suppressed.idxmax())

    def change(frame):
        frame.loc[row, column] = 1e12

    refuse(broken_copy(computed_release_dir, tmp_path / "out", change),
           "facts.parquet", f"row {row + 1}", f"'{column}'", "suppressed row carries a number")


def test_a_shown_share_without_a_value_is_refused(release, computed_release_dir, facts_frame, tmp_path):
    row = shown_row(facts_frame)

    def change(frame):
        frame.loc[row, "value"] = None

    refuse(broken_copy(computed_release_dir, tmp_path / "out", change),
           "facts.parquet", f"row {row + 1}", "'value'", "no value")


def test_a_release_written_before_the_suppression_column_loads_with_hidden_rows_as_primary(
        release, computed_release_dir, tmp_path):
    target = tmp_path / "old"
    shutil.copytree(computed_release_dir, target)
    table = pq.read_table(target / "facts.parquet")
    assert "secondary" in table.column("suppression").to_pylist()
    pq.write_table(table.drop_columns(["suppression"]), target / "facts.parquet")
    manifest = json.loads((target / "manifest.json").read_text(encoding="utf-8"))
    manifest["facts_sha256"] = sha256_file(target / "facts.parquet")
    (target / "manifest.json").write_text(json.dumps(manifest), encoding="utf-8")
    old = load_release(target, activate=True)
    hidden = Fact.objects.filter(release=old, suppressed=True)
    assert hidden.count() == table.column("suppressed").to_pylist().count(True)
    assert set(hidden.values_list("suppression", flat=True)) == {"primary"}
    assert not Fact.objects.filter(release=old, suppressed=False, suppression__isnull=False).exists()


def test_the_api_says_why_a_fact_is_hidden(client, release):
    secondary = Fact.objects.filter(release=release, suppression="secondary").first()
    assert secondary is not None and secondary.suppressed and secondary.value is None
    body = client.get("/api/facts", {"release": release.pk, "indicator": secondary.indicator,
                                     "period_from": secondary.period, "period_to": secondary.period,
                                     "area_level": secondary.area_level,
                                     "area_code": secondary.area_code,
                                     "breakdown": secondary.breakdown}).json()
    row = next(r for r in body["items"] if r["breakdown_value"] == secondary.breakdown_value)
    assert row["suppression"] == "secondary" and row["suppressed"] and row["value"] is None
    shown = [r for r in body["items"] if not r["suppressed"]]
    assert all(r["suppression"] is None for r in shown)


def test_text_columns_written_as_categories_are_read_as_text(release, computed_release_dir, facts_table,
                                                            tmp_path):
    encoded = facts_table.set_column(0, "indicator", pc.dictionary_encode(facts_table.column("indicator")))
    loaded = load_release(rewritten(computed_release_dir, tmp_path / "out", encoded))
    assert loaded.row_count == facts_table.num_rows
    assert set(Fact.objects.filter(release=loaded).values_list("indicator", flat=True)) == set(
        facts_table.column("indicator").to_pylist())


@pytest.mark.parametrize(("reason_of", "words"), [
    (lambda hidden: "tertiary" if hidden else None, ["neither 'primary' nor 'secondary'"]),
    (lambda hidden: "primary", ["exactly for the hidden rows"]),  # a shown row with a reason
])
def test_a_suppression_reason_that_cannot_be_right_is_refused(release, computed_release_dir, facts_table,
                                                              tmp_path, reason_of, words):
    reasons = [reason_of(h) for h in facts_table.column("suppressed").to_pylist()]
    folder = rewritten(computed_release_dir, tmp_path / "out",
                       with_column(facts_table, "suppression", reasons))
    refuse(folder, "facts.parquet", "'suppression'", *words)


# -- count-kind measures: the value is the count ------------------------------------------------

def shown_count_row(frame: pd.DataFrame) -> int:
    """A shown LOK_FLEXJOB row (people in flexjob: numerator = denominator = value)."""
    return int(((frame.indicator == "LOK_FLEXJOB") & ~frame.suppressed
                & (frame.numerator > 0)).idxmax())


def test_shown_counts_carry_their_numerator_as_value(facts_frame):
    counts = facts_frame[facts_frame.indicator.isin(["LOK_FLEXJOB", "LOK_LEDYD"]) & ~facts_frame.suppressed]
    assert len(counts) > 0 and (counts.value > 100).any()  # a count, not a share
    assert (counts.value == counts.numerator).all() and (counts.numerator == counts.denominator).all()


@pytest.mark.parametrize(("column", "words"), [
    ("value", ["'value'", "differs from the numerator of a count"]),
    ("denominator", ["'denominator'", "differs from the numerator of a count"]),
])
def test_a_count_whose_value_is_a_share_or_whose_denominator_differs_is_refused(
        release, computed_release_dir, facts_frame, tmp_path, column, words):
    row = shown_count_row(facts_frame)

    def change(frame):
        if column == "value":
            frame.loc[row, "value"] = 100.0  # 100 × numerator / denominator: a share, not the count
        else:
            frame.loc[row, "denominator"] = frame.loc[row, "numerator"] + 1

    refuse(broken_copy(computed_release_dir, tmp_path / "out", change),
           "facts.parquet", f"row {row + 1}", *words)


def test_a_shown_count_without_a_value_is_refused(release, computed_release_dir, facts_frame, tmp_path):
    row = shown_count_row(facts_frame)

    def change(frame):
        frame.loc[row, "value"] = None

    refuse(broken_copy(computed_release_dir, tmp_path / "out", change),
           "facts.parquet", f"row {row + 1}", "'value'", "no value, though the count is shown")
