"""Table downloads (/tabel/<name>.<csv|xlsx|json>): each holds the rows of the table the page
showed, built from the link the page gives, with suppressed figures left empty, never 0."""

from __future__ import annotations

import csv
import html as htmllib
import io
import json
import math

import pyarrow.parquet as pq
import pytest
from openpyxl import load_workbook

from jobmaal.web.datatable import DataTable
from jobmaal.web.models import Release

pytestmark = pytest.mark.django_db

FORMATS = ("csv", "json", "xlsx")


@pytest.fixture
def release(loaded_release) -> Release:
    return Release.objects.get(pk=loaded_release.pk)


def block(context, indicator: str) -> dict:
    return next(b for g in context["goals"] for b in g["blocks"] if b["indicator"].id == indicator)


# (page, how to find the table in the page's context, the table's name)
CASES = {
    "league": ("/", lambda c: block(c, "MM17")["league"], "league"),
    "league-rar": ("/", lambda c: block(c, "REKRUT")["league"], "areas"),
    "areas": ("/indikator/MM13/?niveau=jobcenter&periode=2023Q2", lambda c: c["areas_table"], "areas"),
    "breakdown": ("/indikator/MM17/?periode=2023M03", lambda c: c["breakdown_table"], "breakdown"),
    "trend-country": ("/", lambda c: block(c, "MM13")["trend_table"], "trend"),
    "trend-municipality": ("/kommune/563/", lambda c: block(c, "MM13")["trend_table"], "trend"),
    "comparison": ("/kommune/563/?periode=2023Q2", lambda c: block(c, "MM13")["comparison_table"],
                   "comparison"),
    "comparison-rar": ("/kommune/101/", lambda c: block(c, "REKRUT")["comparison_table"], "comparison"),
    "around": ("/kommune/751/", lambda c: block(c, "MM13_190")["around"], "around"),
}


def page_table(client, url: str, pick) -> tuple[DataTable, str]:
    response = client.get(url)
    assert response.status_code == 200, url
    return pick(response.context), response.content.decode("utf-8")


def plain(value):
    return None if isinstance(value, float) and math.isnan(value) else value


def page_rows(table: DataTable) -> list[dict]:
    return [{c.key: plain(row.get(c.key)) for c in table.columns} for row in table.rows]


def download(client, url: str, fmt: str):
    response = client.get(url)
    assert response.status_code == 200, (url, response.content[:300])
    assert response["Content-Disposition"].startswith('attachment; filename="jobmaal-')
    assert response["Content-Disposition"].endswith(f'.{fmt}"')
    return response


def csv_rows(content: bytes) -> list[dict]:
    text = content.decode("utf-8")
    assert text.startswith("\ufeff")  # so Excel reads æøå
    return list(csv.DictReader(io.StringIO(text[1:])))


def xlsx_rows(content: bytes, table: DataTable) -> list[dict]:
    sheet = load_workbook(io.BytesIO(content)).active
    values = list(sheet.iter_rows(values_only=True))
    assert values[0][0] == table.title
    labels = [c.label for c in table.columns]
    header = next(i for i, row in enumerate(values) if list(row) == labels)
    return [dict(zip([c.key for c in table.columns], row, strict=True)) for row in values[header + 1:]]


# -- every table, every format ----------------------------------------------------------------

@pytest.mark.parametrize("case", CASES)
def test_json_download_holds_the_rows_the_page_showed(client, release, case):
    url, pick, name = CASES[case]
    table, page = page_table(client, url, pick)
    assert table.name == name and table.rows
    link = table.download_url("json")
    assert htmllib.escape(link) in page  # the page links to exactly this download
    body = json.loads(download(client, link, "json").content)
    assert body["table"] == name and body["title"] == table.title
    assert body["parameters"] == json.loads(json.dumps(table.params))
    assert [c["key"] for c in body["columns"]] == [c.key for c in table.columns]
    assert body["rows"] == page_rows(table)


@pytest.mark.parametrize("case", CASES)
def test_plain_csv_download_holds_the_rows_the_page_showed(client, release, case):
    url, pick, _ = CASES[case]
    table, page = page_table(client, url, pick)
    link = table.download_url("csv-standard")
    assert htmllib.escape(link) in page
    response = download(client, link, "csv")
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    rows = csv_rows(response.content)
    assert len(rows) == len(table.rows)
    for got, want in zip(rows, page_rows(table), strict=True):
        assert list(got) == list(want)
        for key, value in want.items():
            if value is None:
                assert got[key] == "", key
            elif isinstance(value, float):
                assert float(got[key]) == pytest.approx(value), key
            else:
                assert got[key] == str(value), key


@pytest.mark.parametrize("case", CASES)
def test_danish_csv_download_has_the_page_headers_and_rounded_values_with_decimal_comma(
        client, release, case):
    url, pick, _ = CASES[case]
    table, page = page_table(client, url, pick)
    link = table.download_url("csv")
    assert htmllib.escape(link) in page
    text = download(client, link, "csv").content.decode("utf-8")
    assert text.startswith("\ufeff")
    rows = list(csv.reader(io.StringIO(text[1:]), delimiter=";"))
    labels = [c.label for c in table.columns]
    assert rows[0][:len(labels)] == labels
    assert len(rows) == len(table.rows) + 1
    for got, want in zip(rows[1:], table.rows, strict=True):
        for column, cell in zip(table.columns, got, strict=False):
            value = want.get(column.key)
            if column.kind in ("pct", "pp") and isinstance(value, float):
                assert cell == str(round(value, 1)).replace(".", ","), column.key
            elif column.kind == "count" and isinstance(value, float):
                assert cell == str(int(round(value))), column.key
            elif column.kind == "bool":
                assert cell in ("ja", "nej")


@pytest.mark.parametrize("case", CASES)
def test_excel_download_holds_the_rows_the_page_showed(client, release, case):
    url, pick, _ = CASES[case]
    table, _ = page_table(client, url, pick)
    response = download(client, table.download_url("xlsx"), "xlsx")
    rows = xlsx_rows(response.content, table)
    assert len(rows) == len(table.rows)
    kinds = {c.key: c.kind for c in table.columns}
    for got, want in zip(rows, page_rows(table), strict=True):
        for key, value in want.items():
            if isinstance(value, float):
                assert got[key] == pytest.approx(value), key
            elif value is None and kinds[key] not in ("pct", "count"):
                assert got[key] is None, key


# -- suppression ------------------------------------------------------------------------------

@pytest.fixture(scope="module")
def suppressed_league(computed_release_dir) -> tuple[str, str, set[str]]:
    """A municipal indicator and period with suppressed municipalities, and their codes."""
    facts = pq.read_table(computed_release_dir / "facts.parquet").to_pandas()
    rows = facts[(facts.breakdown == "i_alt") & (facts.area_level == "kommune") & facts.suppressed
                 & (facts.period == "2023") & (facts.indicator == "MM17")]
    assert not rows.empty
    return "MM17", "2023", set(rows.area_code)


def league_url(fmt: str, indicator: str, period: str) -> str:
    return f"/tabel/league.{fmt}?indikator={indicator}&periode={period}"


def test_league_json_keeps_suppressed_rows_null(client, release, suppressed_league):
    indicator, period, codes = suppressed_league
    body = json.loads(download(client, league_url("json", indicator, period), "json").content)
    flagged = {r["code"]: r for r in body["rows"] if r["suppressed"] is True}
    assert set(flagged) == codes
    for row in flagged.values():
        assert row["value"] is None and row["numerator"] is None and row["denominator"] is None
        assert row["rank"] is None  # suppressed figures are not ranked
    assert all(r["value"] is not None for r in body["rows"] if r["code"] not in codes)


def test_league_csv_keeps_suppressed_rows_empty(client, release, suppressed_league):
    indicator, period, codes = suppressed_league
    rows = csv_rows(download(client, league_url("csv", indicator, period) + "&form=standard",
                             "csv").content)
    flagged = [r for r in rows if r["suppressed"] == "True"]
    assert {r["code"] for r in flagged} == codes
    for row in flagged:
        assert row["value"] == row["numerator"] == row["denominator"] == row["rank"] == ""


def test_league_excel_shows_suppressed_rows_in_words_not_zero(client, release, suppressed_league):
    indicator, period, codes = suppressed_league
    response = download(client, league_url("xlsx", indicator, period), "xlsx")
    sheet = load_workbook(io.BytesIO(response.content)).active
    values = list(sheet.iter_rows(values_only=True))
    header = next(i for i, row in enumerate(values) if row[0] == "Placering")
    labels = list(values[header])
    col = {label: labels.index(label) for label in ("Kode", "Værdi", "Tæller", "Nævner", "Diskretioneret")}
    flagged = [r for r in values[header + 1:] if r[col["Diskretioneret"]] == "ja"]
    assert {r[col["Kode"]] for r in flagged} == codes
    for row in flagged:
        for label in ("Værdi", "Tæller", "Nævner"):
            assert row[col[label]] in (None, "Diskretioneret"), (label, row)


# -- refusals ---------------------------------------------------------------------------------

@pytest.mark.parametrize("url", [
    "/tabel/nope.csv?indikator=MM13&periode=2023",
    "/tabel/league.pdf?indikator=MM13&periode=2023",
    "/tabel/league.csv?periode=2023",
    "/tabel/league.csv?indikator=MM13",
    "/tabel/league.csv?indikator=NOPE&periode=2023",
    "/tabel/league.csv?indikator=MM13&periode=foo",
    "/tabel/areas.csv?indikator=MM13&periode=2023&niveau=sogn",
    "/tabel/comparison.json?indikator=MM13&periode=2023&kommune=999",
    "/tabel/comparison.json?indikator=MM13&periode=2023&kommune=abc",
    "/tabel/around.json?indikator=REKRUT&periode=2023H2&kommune=101",
    "/tabel/breakdown.json?indikator=MM13&periode=2023&niveau=kommune",
    "/tabel/trend.json?indikator=MM13&niveau=kommune",
])
def test_a_table_that_cannot_be_built_is_404_not_500(client, release, url):
    assert client.get(url).status_code == 404


def test_without_a_release_table_downloads_are_404(client):
    Release.objects.update(is_active=False)  # rolled back after the test
    assert client.get(league_url("csv", "MM13", "2023")).status_code == 404


def test_rekrut_downloads_keep_round_codes_with_their_posting_windows_beside(client, release):
    url = "/tabel/trend.csv?indikator=REKRUT&niveau=land&kode=DK&form=standard"
    lines = client.get(url).content.decode("utf-8-sig").splitlines()
    assert lines[0].startswith("period,period_window,")
    assert lines[1].startswith("2022H1,dec. 2021–maj 2022,")
    assert lines[4].startswith("2023H2,jun.–nov. 2023,")
    body = json.loads(client.get(url.replace(".csv", ".json")).content)
    assert body["rows"][1]["period"] == "2022H2" and body["rows"][1]["period_window"] == "jun.–nov. 2022"
