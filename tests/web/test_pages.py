"""The public pages against one small synthetic release loaded once per module: every page
answers in Danish with the synthetic-data banner, charts have tables behind them, and the
numbers shown are the facts of the release."""

from __future__ import annotations

import json
import re

import pandas as pd
import pyarrow.parquet as pq
import pytest
from django.core.cache import cache

from jobmaal.geography import load_geography
from jobmaal.web import queries
from jobmaal.web.models import Release

pytestmark = pytest.mark.django_db

DAGI_CREDIT = "Indeholder data fra DAGI (Geodatastyrelsen)"
LEVEL_LABELS = {"kommune": "Kommune", "jobcenter": "Jobcenter", "rar": "RAR-område",
                "region": "Region", "land": "Hele landet"}

PAGES = [
    "/",
    "/?periode=2023Q2",
    "/kommune/101/",
    "/kommune/563/",
    "/kommune/751/?periode=2023M06",
    "/indikator/MM13/",
    "/indikator/MM17/?niveau=jobcenter&periode=2023Q2",
    "/indikator/REKRUT/?niveau=rar",
    "/indikatorer/",
    "/soeg/?q=sen",
    "/soeg/",
    "/udgivelser/",
]
CHART_PAGES = ["/", "/kommune/101/", "/kommune/563/", "/indikator/MM13/", "/indikator/REKRUT/"]
MAP_PAGES = ["/", "/indikator/MM13/", "/indikator/REKRUT/"]


@pytest.fixture(scope="module")
def facts(computed_release_dir) -> pd.DataFrame:
    """The total rows of the facts file the release was loaded from."""
    table = pq.read_table(computed_release_dir / "facts.parquet").to_pandas()
    return table[table.breakdown == "i_alt"].reset_index(drop=True)


@pytest.fixture
def release(loaded_release) -> Release:
    return Release.objects.get(pk=loaded_release.pk)


@pytest.fixture
def fresh_caches():
    """Releases made inside a test are rolled back and their ids reused; forget what was cached."""
    yield
    cache.clear()
    queries._level_facts.cache_clear()


def fact(facts: pd.DataFrame, indicator: str, period: str, level: str, code: str) -> dict:
    rows = facts[(facts.indicator == indicator) & (facts.period == period)
                 & (facts.area_level == level) & (facts.area_code == str(code))]
    assert len(rows) == 1, (indicator, period, level, code)
    return rows.iloc[0].to_dict()


def danish_pct(value: float | None) -> str:
    """Written independently of jobmaal.formats: one decimal, decimal comma; a hidden figure
    (no value) reads "Diskretioneret"."""
    if value is None or value != value:
        return "Diskretioneret"
    return f"{value:.1f}".replace(".", ",") + " pct."


def shown(row: dict, column: str = "value"):
    """What a page shows of a fact's column: nothing for a hidden fact, else (about) the number."""
    if row["suppressed"]:
        return None
    return pytest.approx(row[column])


def html_of(client, url: str, status: int = 200) -> str:
    response = client.get(url)
    assert response.status_code == status, (url, response.status_code)
    return response.content.decode("utf-8")


def article(html: str, indicator: str) -> str:
    """The <article> of one indicator block (exact id: MM13 is not MM13_190)."""
    start = html.index(f'aria-labelledby="ind-{indicator}"')
    return html[start:html.index("</article>", start)]


def figures(html: str) -> list[str]:
    return [f.strip() for f in re.findall(r'<div class="figure">(.*?)</div>', html, re.S)]


def chart_spec(html: str, chart_id: str) -> dict:
    found = re.search(rf'<script id="{re.escape(chart_id)}-spec" type="application/json">(.*?)</script>',
                      html, re.S)
    assert found, chart_id
    return json.loads(found.group(1))


def roles_in(spec) -> set[str]:
    """The 'rolle' of every data row anywhere in a Vega-Lite spec."""
    if isinstance(spec, dict):
        found = {spec["rolle"]} if "rolle" in spec else set()
        return found.union(*(roles_in(v) for v in spec.values()))
    if isinstance(spec, list):
        return set().union(*(roles_in(v) for v in spec))
    return set()


# -- every page ---------------------------------------------------------------------------------

@pytest.mark.parametrize("url", PAGES)
def test_page_answers_in_danish_with_banner_one_h1_labelled_search_and_local_scripts(client, release, url):
    html = html_of(client, url)
    assert '<html lang="da">' in html
    assert "Syntetiske data." in html and 'class="banner-synthetic"' in html
    assert html.count("<h1") == 1
    assert '<label for="q"' in html and '<input id="q"' in html
    assert release.name in html  # the footer names the release shown
    # no script or style from another site
    assert not re.search(r"<script[^>]*\ssrc=\"(https?:)?//", html)
    assert not re.search(r"<link[^>]*\shref=\"(https?:)?//", html)


def test_chart_scripts_are_served_from_static(client, release):
    html = html_of(client, "/")
    sources = re.findall(r'<script[^>]*\ssrc="([^"]+)"', html)
    assert sources and all(s.startswith("/static/") for s in sources)
    for src in sources:
        response = client.get(src)
        assert response.status_code == 200, src
        body = b"".join(response.streaming_content) if response.streaming else response.content
        assert len(body) > 100, src


@pytest.mark.parametrize("url", CHART_PAGES)
def test_every_chart_has_a_table_behind_it(client, release, url):
    html = html_of(client, url)
    charts = re.findall(r'<div class="chart" id="([^"]+)"[^>]*role="img" aria-label="[^"]+"', html)
    assert charts and len(charts) == html.count('class="chart"')
    assert html.count('type="application/json"') >= len(charts)
    trends = [c for c in charts if c.startswith("trend")]
    assert html.count("Tabel bag grafen") == len(trends)
    after = html.split('<figure class="chart-figure">')[1:]
    for chart_id, rest in zip(charts, after, strict=True):
        until_next = rest.split('<figure class="chart-figure">')[0]
        assert "<table" in until_next, f"{url}: chart {chart_id} has no table after it"


@pytest.mark.parametrize("url", MAP_PAGES)
def test_pages_with_a_map_credit_dagi(client, release, url):
    html = html_of(client, url)
    maps = html.count('<div class="chart" id="map')
    assert maps >= 1
    assert html.count(f"{DAGI_CREDIT}.") >= maps


def test_boundaries_are_topojson(client):
    response = client.get("/kort/kommuner.topojson")
    assert response.status_code == 200
    assert response["Content-Type"] == "application/json"
    body = json.loads(response.content)
    assert body["type"] == "Topology" and body["arcs"]


# -- no release ---------------------------------------------------------------------------------

@pytest.mark.parametrize("url", ["/", "/kommune/101/", "/indikator/MM13/", "/?periode=2023"])
def test_without_a_release_pages_say_so(client, url):
    Release.objects.update(is_active=False)  # rolled back after the test
    html = html_of(client, url)
    assert "Ingen udgivelse er indlæst" in html
    assert "Syntetiske data." not in html


def test_without_a_release_the_release_list_says_none_are_loaded(client):
    Release.objects.all().delete()  # rolled back after the test
    html = html_of(client, "/udgivelser/")
    assert "Ingen udgivelser er indlæst endnu." in html


def test_without_a_release_the_indicator_list_still_shows_the_catalogue(client):
    Release.objects.update(is_active=False)
    html = html_of(client, "/indikatorer/")
    assert "MM13" in html and "MM17" in html


# -- numbers ------------------------------------------------------------------------------------

def test_overview_shows_the_country_figure_of_the_facts(client, release, facts):
    html = html_of(client, "/")
    land = fact(facts, "MM13", "2023", "land", "DK")
    block = article(html, "MM13")
    assert "Hele landet, 2023" in block
    assert figures(block)[0] == danish_pct(land["value"])


def test_overview_in_a_quarter_shows_the_quarter_figures(client, release, facts):
    html = html_of(client, "/?periode=2023Q2")
    assert "2. kvt. 2023" in html
    land = fact(facts, "MM13", "2023Q2", "land", "DK")
    assert figures(article(html, "MM13"))[0] == danish_pct(land["value"])
    # half-yearly REKRUT shows the half-year holding the quarter, named as the survey round
    # of postings December 2022–May 2023
    assert "dec. 2022–maj 2023" in article(html, "REKRUT")


@pytest.mark.parametrize(("code", "indicator", "period"), [
    (751, "MM13", "2023"), (101, "MM13_190", "2023Q2"), (563, "MM13", "2023"),
])
def test_municipality_page_shows_its_figure_and_comparison_from_the_facts(
        client, release, facts, code, indicator, period):
    response = client.get(f"/kommune/{code}/", {"periode": period})
    assert response.status_code == 200
    block = article(response.content.decode(), indicator)
    own = fact(facts, indicator, period, "kommune", str(code))
    assert figures(block)[0] == danish_pct(own["value"])
    geo = load_geography()
    page_block = next(b for g in response.context["goals"] for b in g["blocks"]
                      if b["indicator"].id == indicator)
    table = page_block["comparison_table"]
    by_label = {row["area"].split(":")[0]: row for row in table.rows}
    for level, label in LEVEL_LABELS.items():
        expected = fact(facts, indicator, period, level, geo.parent_code(code, level))
        row = by_label[label]
        assert row["value"] == shown(expected), level
        assert row["numerator"] == shown(expected, "numerator")
        assert row["denominator"] == shown(expected, "denominator")
        assert danish_pct(expected["value"]) in block


def suppressed_case(facts: pd.DataFrame) -> tuple[str, int]:
    """A municipal measure and a municipality whose 2023 total is suppressed."""
    rows = facts[(facts.area_level == "kommune") & (facts.period == "2023") & facts.suppressed
                 & facts.indicator.isin(["MM17", "MM13", "MM13_190", "MM13_SELV"])]
    assert not rows.empty, "the demo release has no suppressed municipal figure for 2023"
    first = rows.sort_values(["indicator", "area_code"]).iloc[0]
    return first.indicator, int(first.area_code)


def test_suppressed_figure_shows_diskretioneret_never_zero(client, release, facts):
    indicator, code = suppressed_case(facts)
    response = client.get(f"/kommune/{code}/")
    block = article(response.content.decode(), indicator)
    assert figures(block)[0] == "Diskretioneret"
    assert "Under diskretionsgrænsen" in block
    page_block = next(b for g in response.context["goals"] for b in g["blocks"]
                      if b["indicator"].id == indicator)
    own_row = page_block["comparison_table"].rows[0]
    assert own_row["area"].startswith("Kommune:")
    assert own_row["suppressed"] is True
    assert own_row["value"] is None and own_row["numerator"] is None
    row_html = re.search(r"<tr>\s*<td>Kommune: [^<]*</td>(.*?)</tr>", block, re.S).group(1)
    cells = [c.strip() for c in re.findall(r"<td[^>]*>(.*?)</td>", row_html, re.S)]
    assert cells[0] == "Diskretioneret"
    assert not any(re.fullmatch(r"0(,0)?( pct\.)?", c) for c in cells)


def test_shared_job_centre_is_named_and_compared(client, release, facts):
    response = client.get("/kommune/563/")
    html = response.content.decode()
    assert "Jobcenter Esbjerg-Fanø" in html and "(fælles jobcenter)" in html
    block = next(b for g in response.context["goals"] for b in g["blocks"]
                 if b["indicator"].id == "MM13")
    jobcentre = next(f for f in block["comparison"] if f.level == "jobcenter")
    assert jobcentre.code == "561"
    assert jobcentre.value == pytest.approx(fact(facts, "MM13", "2023", "jobcenter", "561")["value"])
    assert "jobcenter" in roles_in(chart_spec(html, "trend-MM13"))


def test_own_job_centre_has_no_separate_line(client, release):
    html = html_of(client, "/kommune/101/")
    assert "(fælles jobcenter)" not in html
    roles = roles_in(chart_spec(html, "trend-MM13"))
    assert "kommune" in roles and "land" in roles
    assert "jobcenter" not in roles


# -- choosing what to show -----------------------------------------------------------------------

@pytest.mark.parametrize("url", ["/", "/kommune/101/", "/indikator/MM13/"])
def test_a_quarter_can_be_chosen(client, release, url):
    html = html_of(client, f"{url}?periode=2023Q2")
    assert '<option value="2023Q2" selected>2. kvt. 2023</option>' in html


@pytest.mark.parametrize("url", [
    "/?periode=2019", "/?periode=foo", "/kommune/101/?periode=2019", "/kommune/101/?periode=foo",
    "/indikator/MM13/?periode=2019", "/indikator/MM13/?periode=2023Q9",
    "/indikator/MM13/?niveau=sogn",
    "/kommune/999/", "/indikator/NOPE/",
])
def test_unknown_things_are_404_not_500(client, release, url):
    assert client.get(url).status_code == 404


def test_indicator_page_at_a_level_lists_that_level(client, release, facts):
    response = client.get("/indikator/MM13/", {"niveau": "region", "periode": "2023Q2"})
    assert response.status_code == 200
    table = response.context["areas_table"]
    assert table.params == {"indikator": "MM13", "periode": "2023Q2", "niveau": "region"}
    assert len(table.rows) == 5
    for row in table.rows:
        assert row["value"] == pytest.approx(fact(facts, "MM13", "2023Q2", "region", row["code"])["value"])


def test_chosen_release_is_the_one_shown(client, release, computed_release_dir, fresh_caches):
    from jobmaal.web.releases import activate_release, load_release

    other = load_release(computed_release_dir, name="Anden", activate=True)
    activate_release(release)  # back to the first: "Anden" is an earlier publication now
    release.refresh_from_db()
    other.refresh_from_db()
    assert release.is_active and not other.is_active
    chosen = html_of(client, f"/?udgivelse={other.pk}")
    assert "Udgivelse: <a" in chosen and ">Anden</a>" in chosen
    assert f'name="udgivelse" value="{other.pk}"' in chosen  # the period form keeps the choice
    assert ">Anden</a>" in html_of(client, f"/kommune/101/?udgivelse={other.pk}")
    default = html_of(client, "/")
    assert f">{release.name}</a>" in default and ">Anden</a>" not in default
    listing = html_of(client, "/udgivelser/")
    assert "Anden" in listing and "Aktiv" in listing and "Tidligere" in listing


# -- search ------------------------------------------------------------------------------------

@pytest.mark.parametrize(("query", "target"), [
    ("Aarhus", "/kommune/751/"), ("aarhus", "/kommune/751/"), ("101", "/kommune/101/"),
    ("Fanø", "/kommune/563/"),
])
def test_search_with_one_match_goes_to_the_municipality(client, query, target):
    response = client.get("/soeg/", {"q": query})
    assert response.status_code == 302
    assert response["Location"] == target


def test_search_by_part_of_a_name_lists_the_matches(client):
    html = html_of(client, "/soeg/?q=sen")
    assert "2 kommuner matcher «sen»" in html
    assert '<a href="/kommune/615/">Horsens</a>' in html
    assert '<a href="/kommune/420/">Assens</a>' in html


@pytest.mark.parametrize("query", ["xyzzy", "999"])
def test_search_without_matches_helps(client, query):
    html = html_of(client, f"/soeg/?q={query}")
    assert f"Ingen kommune matcher «{query}»" in html
    assert "kommunekoden" in html


def test_a_page_is_served_from_the_html_cache_the_second_time(client, loaded_release):
    first = client.get("/kommune/751/", HTTP_HOST="localhost")
    second = client.get("/kommune/751/", HTTP_HOST="localhost")
    assert first.status_code == second.status_code == 200
    assert first.context is not None and second.context is None  # not rendered again
    assert first.content == second.content
    other_period = client.get("/kommune/751/?periode=2023Q2", HTTP_HOST="localhost")
    assert other_period.context is not None and other_period.content != first.content


def test_building_renders_pages_into_the_cache_before_the_first_visitor(client, loaded_release):
    from jobmaal.web.build import build_pages

    assert build_pages(loaded_release, paths=["/", "/kommune/101/"]) == 2
    overview = client.get("/", HTTP_HOST="localhost")
    page = client.get("/kommune/101/", HTTP_HOST="localhost")
    assert overview.status_code == page.status_code == 200
    assert overview.context is None and page.context is None  # served from the cache
    assert overview["X-Jobmaal-Cache"] == page["X-Jobmaal-Cache"] == "hit"
    assert "København Kommune" in page.content.decode()


def test_a_release_without_framework_conditions_still_shows_every_page(client, computed_release_dir,
                                                                        tmp_path):
    # Real data may come without framework conditions: no peers and no expected level, but
    # the pages must still work and say so.
    import shutil

    from jobmaal.web.releases import load_release

    bare = tmp_path / "bare"
    bare.mkdir()
    for name in ("facts.parquet", "manifest.json"):
        shutil.copy(computed_release_dir / name, bare / name)
    load_release(bare, name="Uden rammevilkår", activate=True)
    page = client.get("/kommune/101/", HTTP_HOST="localhost")
    assert page.status_code == 200
    text = page.content.decode()
    assert "Kan ikke beregnes for perioden" in text
    assert "Sammenlignelige kommuner og hvorfor" not in text
    assert client.get("/", HTTP_HOST="localhost").status_code == 200
    api = client.get("/api/municipalities/101/comparison?indicator=MM13", HTTP_HOST="localhost")
    assert api.status_code == 200 and api.json()["peers"] == []


def test_rekrut_page_says_a_different_profile_counts_as_failed_and_shows_posting_windows(
        client, release):
    page = client.get("/indikator/REKRUT/?niveau=rar&periode=2023H1")
    html = page.content.decode("utf-8")
    assert "anden profil end den søgte" in html
    assert ("2023H1", "dec. 2022–maj 2023") in page.context["periods"]
    assert ("2022H2", "jun.–nov. 2022") in page.context["periods"]
    assert page.context["areas_table"].title.endswith("dec. 2022–maj 2023")
    trend = page.context["trend_table"]
    assert [trend.shown(r, trend.columns[0]) for r in trend.rows] == [
        "dec. 2021–maj 2022", "jun.–nov. 2022", "dec. 2022–maj 2023", "jun.–nov. 2023"]
    assert [r["period"] for r in trend.rows] == ["2022H1", "2022H2", "2023H1", "2023H2"]  # codes kept


def test_calendar_half_years_of_other_indicators_keep_their_names(client, release):
    page = client.get("/indikator/MM17/?periode=2023H1")
    assert ("2023H1", "1. halvår 2023") in page.context["periods"]
    assert "–maj 2023" not in page.content.decode("utf-8")


def test_ishoj_and_vallensbaek_job_centres_each_have_their_own_figures_as_in_the_facts(
        client, release, facts):
    page = client.get("/indikator/MM13/?niveau=jobcenter&periode=2023")
    rows = {r["code"]: r for r in page.context["areas_table"].rows}
    assert len(rows) == 95
    assert set(facts[(facts.indicator == "MM13") & (facts.period == "2023")
                     & (facts.area_level == "jobcenter")].area_code) == set(rows)
    for code, name in (("183", "Jobcenter Ishøj"), ("187", "Jobcenter Vallensbæk")):
        assert name in page.content.decode("utf-8")
        centre = fact(facts, "MM13", "2023", "jobcenter", code)
        own = fact(facts, "MM13", "2023", "kommune", code)
        # a job centre of one municipality is that municipality: shown or hidden alike
        assert centre["suppressed"] == own["suppressed"]
        if not own["suppressed"]:
            assert (centre["numerator"], centre["denominator"]) == (own["numerator"], own["denominator"])
        assert rows[code]["value"] == shown(centre)


def test_the_releases_page_shows_the_server_folder_to_staff_only(client, release, make_user):
    assert release.source_folder and release.source_folder not in client.get("/udgivelser/").content.decode()
    client.force_login(make_user("stab2", is_staff=True))
    assert release.source_folder in client.get("/udgivelser/").content.decode()


def test_overview_and_municipality_page_name_rekrut_by_its_posting_window(client, release):
    overview = client.get("/?periode=2023").content.decode("utf-8")
    assert "Hele landet, jun.–nov. 2023" in overview and "Ændring fra jun.–nov. 2022" in overview
    assert "Hele landet, 2023" in overview  # the yearly indicators keep their year
    page = client.get("/kommune/101/?periode=2023").content.decode("utf-8")
    assert "(REKRUT, jun.–nov. 2023)" in page and "(MM17, 2023)" in page
