"""The area pages, the comparison page, the municipality page's breakdowns, the minister's list
and the method page against the small synthetic release: the figures shown are the facts,
hidden cells are marked hidden (never 0), and /status/ shows unpublished plans only to those
who may see them.

At scale 0.003 many cells are hidden by secondary suppression, so every test picks its cells
from the facts (a shown one, a hidden one) instead of naming municipalities."""

from __future__ import annotations

import json

import pandas as pd
import pyarrow.parquet as pq
import pytest
from test_pages import DAGI_CREDIT, danish_pct, html_of, roles_in

from jobmaal.geography import load_geography
from jobmaal.web.models import ExpectedLevel, Release

pytestmark = pytest.mark.django_db
GEO = load_geography(2023)


@pytest.fixture(scope="module")
def all_facts(computed_release_dir) -> pd.DataFrame:
    return pq.read_table(computed_release_dir / "facts.parquet").to_pandas()


@pytest.fixture(scope="module")
def facts(all_facts) -> pd.DataFrame:
    return all_facts[all_facts.breakdown == "i_alt"].reset_index(drop=True)


@pytest.fixture
def release(loaded_release) -> Release:
    return Release.objects.get(pk=loaded_release.pk)


def rows_of(facts, indicator, period, level):
    return facts[(facts.indicator == indicator) & (facts.period == period) & (facts.area_level == level)]


def one(facts, indicator, period, level, code) -> dict:
    rows = rows_of(facts, indicator, period, level)
    rows = rows[rows.area_code == str(code)]
    assert len(rows) == 1, (indicator, period, level, code)
    return rows.iloc[0].to_dict()


def shown_codes(facts, indicator, period, level) -> list[str]:
    rows = rows_of(facts, indicator, period, level)
    return list(rows[~rows.suppressed & rows.value.notna()].area_code)


def hidden_codes(facts, indicator, period, level) -> list[str]:
    rows = rows_of(facts, indicator, period, level)
    return list(rows[rows.suppressed].area_code)


def block_of(context, indicator: str) -> dict:
    return next(b for g in context["goals"] for b in g["blocks"] if b["indicator"].id == indicator)


# -- area pages ----------------------------------------------------------------------------

def shared_jobcentre(facts) -> str:
    """A job centre of several municipalities whose MM13 2023 figure is shown."""
    shown = set(shown_codes(facts, "MM13", "2023", "jobcenter"))
    return next(a.code for a in GEO.areas("jobcenter")
                if a.code in shown and len(GEO.members("jobcenter", a.code)) > 1)


def test_jobcentre_page_shows_its_figure_comparison_and_members_as_in_the_facts(client, release, facts):
    code = shared_jobcentre(facts)
    response = client.get(f"/jobcenter/{code}/", {"periode": "2023"})
    assert response.status_code == 200
    block = block_of(response.context, "MM13")
    own = one(facts, "MM13", "2023", "jobcenter", code)
    assert block["own"].value == pytest.approx(own["value"])
    html = response.content.decode()
    assert danish_pct(own["value"]) in html
    by_area = {row["area"].split(":")[0]: row for row in block["comparison_table"].rows}
    region = GEO.parent_code(int(GEO.members("jobcenter", code)[0].code), "region")
    assert by_area["Region"]["value"] == pytest.approx(one(facts, "MM13", "2023", "region", region)["value"])
    members = block["members_table"].rows
    assert [int(r["code"]) for r in members] == [m.code for m in GEO.members("jobcenter", code)]
    for row in members:
        fact = one(facts, "MM13", "2023", "kommune", row["code"])
        assert row["suppressed"] == bool(fact["suppressed"])
        if fact["suppressed"]:
            assert row["value"] is None
        else:
            assert row["value"] == pytest.approx(fact["value"])
    assert DAGI_CREDIT in html
    assert 'id="map-MM13-spec"' in html


def test_area_map_draws_only_the_members(client, release, facts):
    code = shared_jobcentre(facts)
    block = block_of(client.get(f"/jobcenter/{code}/").context, "MM13")
    rows = block["map_spec"]["datasets"]["kommuner"]
    assert sorted(r["code"] for r in rows) == sorted(m.code for m in GEO.members("jobcenter", code))


def test_area_page_marks_a_hidden_member_as_hidden_never_zero(client, release, facts):
    hidden = hidden_codes(facts, "MM13", "2023", "kommune")
    if not hidden:
        pytest.skip("no hidden municipality in the release")
    muni = int(hidden[0])
    region = GEO.parent_code(muni, "region")
    block = block_of(client.get(f"/region/{region}/", {"periode": "2023"}).context, "MM13")
    row = next(r for r in block["members_table"].rows if int(r["code"]) == muni)
    assert row["value"] is None and row["suppressed"]
    shown = block["members_table"].shown(row, block["members_table"].columns[2])
    assert shown == "Diskretioneret"


def test_rar_page_has_rekrut_and_region_page_says_rekrut_is_per_rar_area(client, release, facts):
    response = client.get("/rar/Fyn/")
    assert response.status_code == 200
    rekrut = block_of(response.context, "REKRUT")
    assert rekrut["computed"]
    period = rekrut["period"]
    fact = one(facts, "REKRUT", period, "rar", "Fyn")
    assert rekrut["own"].suppressed == bool(fact["suppressed"])
    if not fact["suppressed"]:
        assert rekrut["own"].value == pytest.approx(fact["value"])
    region = client.get("/region/083/")
    assert not block_of(region.context, "REKRUT")["computed"]
    assert "kun for RAR-områder" in region.content.decode()
    assert len(region.context["members"]) == len(GEO.members("region", "083"))


@pytest.mark.parametrize(("query", "target"), [
    ("Jobcenter Esbjerg", "/jobcenter/561/"), ("RAR Fyn", "/rar/Fyn/"),
    ("Region Syddanmark", "/region/083/"), ("Esbjerg", "/kommune/561/"),
])
def test_search_finds_areas_and_still_municipalities(client, query, target):
    response = client.get("/soeg/", {"q": query})
    assert response.status_code == 302 and response["Location"] == target


@pytest.mark.parametrize("url", ["/jobcenter/999/", "/rar/Atlantis/", "/region/099/",
                                 "/region/083/?periode=1999"])
def test_unknown_areas_are_404(client, release, url):
    assert client.get(url).status_code == 404


def test_area_downloads_hold_the_members_table(client, release, facts):
    code = shared_jobcentre(facts)
    response = client.get("/tabel/medlemmer.json", {"indikator": "MM13", "periode": "2023",
                                                    "niveau": "jobcenter", "kode": code})
    assert response.status_code == 200
    body = json.loads(response.content)
    assert [r["code"] for r in body["rows"]] == [str(m.code) for m in GEO.members("jobcenter", code)]
    for fmt in ("csv", "xlsx"):
        assert client.get(f"/tabel/omraade.{fmt}", {"indikator": "MM13", "periode": "2023",
                                                     "niveau": "jobcenter", "kode": code}).status_code == 200


# -- the comparison page ---------------------------------------------------------------------

def chosen_codes(facts) -> tuple[list[int], int | None]:
    """Two municipalities shown on MM13 in 2023 and in 2022, and one hidden in 2023 (if any)."""
    both = [c for c in shown_codes(facts, "MM13", "2023", "kommune")
            if c in set(shown_codes(facts, "MM13", "2022", "kommune"))]
    hidden = hidden_codes(facts, "MM13", "2023", "kommune")
    return [int(c) for c in both[:2]], (int(hidden[0]) if hidden else None)


def test_comparison_page_shows_levels_changes_and_expected_levels_from_the_facts(client, release, facts):
    shown, hidden = chosen_codes(facts)
    codes = shown + ([hidden] if hidden else [])
    url = "/sammenlign/?kommuner=" + ",".join(map(str, codes))
    response = client.get(url)
    assert response.status_code == 200
    block = next(b for b in response.context["blocks"] if b["indicator"].id == "MM13")
    rows = {r["municipality_code"]: r for r in block["table"].rows}
    assert list(rows) == codes
    for code in shown:
        now, before = one(facts, "MM13", "2023", "kommune", code), one(facts, "MM13", "2022", "kommune", code)
        assert rows[code]["value"] == pytest.approx(now["value"])
        assert rows[code]["change_pp"] == pytest.approx(now["value"] - before["value"])
        stored = ExpectedLevel.objects.get(release=release, indicator="MM13", period="2023",
                                           municipality_code=code)
        assert rows[code]["expected"] == pytest.approx(stored.expected)
    html = response.content.decode()
    assert danish_pct(one(facts, "MM13", "2023", "kommune", shown[0])["value"]) in html
    if hidden:
        assert rows[hidden]["value"] is None and rows[hidden]["suppressed"]
        assert block["table"].shown(rows[hidden], block["table"].columns[1]) == "Diskretioneret"
    assert {"valgt1", "valgt2", "land"} <= roles_in(block["trend_spec"])


def test_comparison_downloads_keep_hidden_figures_empty_never_zero(client, release, facts):
    shown, hidden = chosen_codes(facts)
    codes = ",".join(map(str, shown + ([hidden] if hidden else [])))
    body = json.loads(client.get("/tabel/sammenlign.json", {"kommuner": codes, "periode": "2023"}).content)
    mm13 = {r["municipality_code"]: r for r in body["rows"] if r["indicator"] == "MM13"}
    assert mm13[shown[0]]["value"] == pytest.approx(one(facts, "MM13", "2023", "kommune", shown[0])["value"])
    if hidden:
        assert mm13[hidden]["value"] is None and mm13[hidden]["suppressed"] is True
    for fmt in ("csv", "xlsx"):
        response = client.get(f"/tabel/sammenlign.{fmt}", {"kommuner": codes, "periode": "2023"})
        assert response.status_code == 200
    # the default CSV is for Danish Excel (';', Danish headers); the standard one keeps the keys
    danish = client.get("/tabel/sammenlign.csv", {"kommuner": codes, "periode": "2023"})
    assert ";" in danish.content.decode("utf-8-sig").splitlines()[0]
    csv = client.get("/tabel/sammenlign.csv", {"kommuner": codes, "periode": "2023", "form": "standard"})
    csv = csv.content.decode("utf-8-sig")
    assert csv.splitlines()[0].startswith("indicator,indicator_name,period")


def test_comparison_search_box_adds_a_municipality_without_javascript(client, release):
    response = client.get("/sammenlign/", {"kommuner": "461", "tilfoej": "Vejle"})
    assert response.status_code == 302
    assert response["Location"] == "/sammenlign/?kommuner=461%2C630"
    listed = client.get("/sammenlign/", {"kommuner": "461", "tilfoej": "sen"})
    assert listed.status_code == 200
    assert "Flere kommuner matcher" in listed.content.decode()


@pytest.mark.parametrize("codes", ["999", "101,147,151,153,155,157,159,161,163,165,167", "abc"])
def test_comparison_refuses_unknown_or_too_many_municipalities(client, release, codes):
    assert client.get("/sammenlign/", {"kommuner": codes}).status_code == 404


def test_empty_comparison_invites_a_choice(client, release):
    assert "Ingen kommuner er valgt" in html_of(client, "/sammenlign/")


# -- breakdowns on the municipality page -----------------------------------------------------

def test_municipality_page_shows_its_breakdowns_with_hidden_cells_marked(client, release, all_facts):
    rows = all_facts[(all_facts.indicator == "MM13") & (all_facts.period == "2023")
                     & (all_facts.area_level == "kommune") & (all_facts.breakdown != "i_alt")]
    with_both = rows.groupby("area_code").filter(lambda g: g.suppressed.any() and (~g.suppressed).any())
    code = int(with_both.area_code.iloc[0]) if not with_both.empty else int(rows.area_code.iloc[0])
    response = client.get(f"/kommune/{code}/", {"periode": "2023"})
    block = block_of(response.context, "MM13")
    table = block["breakdowns"]["table"]
    mine = rows[rows.area_code == str(code)]
    shown = [r for r in table.rows if r["breakdown"] != "I alt"]
    assert len(shown) == len(mine)
    assert {r["breakdown"] for r in shown} >= {"Køn"}
    for r in shown:
        if r["suppressed"]:
            assert r["value"] is None
            assert table.shown(r, table.columns[2]) == "Diskretioneret"
    for fact in mine.itertuples():
        if not fact.suppressed:
            assert any(r["value"] == pytest.approx(fact.value) for r in shown)
    assert block["breakdowns"]["chart"] is not None
    assert 'id="breakdown-MM13-spec"' in response.content.decode()


# -- the minister's list -----------------------------------------------------------------------

@pytest.fixture
def plans(release):
    from jobmaal.web.followup.models import Plan, Target

    published = Plan.objects.create(municipality_code=461, year=2023, published=True, state="approved")
    Target.objects.create(plan=published, indicator_id="MM13", baseline_period="2022",
                          target_value=99.0, target_period="2024")
    private = Plan.objects.create(municipality_code=751, year=2023, published=False)
    Target.objects.create(plan=private, indicator_id="MM17", baseline_period="2022",
                          target_value=99.0, target_period="2024")
    return published, private


def status_row(context, code: int):
    return next(r for r in context["rows"] if r.code == code)


def test_status_lists_98_municipalities_with_published_plans_for_everyone(client, release, facts, plans):
    response = client.get("/status/")
    assert response.status_code == 200
    assert len(response.context["rows"]) == 98
    assert len(response.context["rows"][0].cells) == 5
    odense, aarhus = status_row(response.context, 461), status_row(response.context, 751)
    assert odense.plan is not None and odense.cells[2].label != "Ingen plan"
    assert aarhus.plan is None and aarhus.cells[1].label == "Ingen plan"
    mm13 = next(f for f in odense.cells[2].figures if f.indicator.id == "MM13")
    fact = one(facts, "MM13", "2023", "kommune", 461)
    assert mm13.suppressed == bool(fact["suppressed"])
    if not fact["suppressed"]:
        assert mm13.value == pytest.approx(fact["value"])
    stored = ExpectedLevel.objects.get(release=release, indicator="MM13", period="2023",
                                       municipality_code=461)
    assert mm13.expected == pytest.approx(stored.expected)


def test_status_shows_unpublished_plans_to_the_ministry_only(client, release, plans, users):
    from test_pages import html_of as page

    assert "ikke offentliggjort" not in page(client, "/status/")
    client.force_login(users["ministry"])
    response = client.get("/status/")
    aarhus = status_row(response.context, 751)
    assert aarhus.plan is not None and aarhus.cells[1].label != "Ingen plan"
    assert "Plan ikke offentliggjort" in response.content.decode()
    client.force_login(users["other_editor"])  # an editor of 147 sees no other unpublished plan
    assert status_row(client.get("/status/").context, 751).plan is None


def test_status_excel_follows_what_the_visitor_may_see(client, release, plans, users):
    from io import BytesIO

    from openpyxl import load_workbook

    def aarhus_plan(response) -> str:
        sheet = load_workbook(BytesIO(response.content)).active
        values = [[c.value for c in row] for row in sheet.iter_rows()]
        header = next(v for v in values if v and v[0] == "Kode")
        row = next(v for v in values if v[0] == "751")
        return row[header.index("Plan")]

    assert aarhus_plan(client.get("/tabel/status.xlsx")) == "Ingen plan"
    client.force_login(users["ministry"])
    assert "ikke offentliggjort" in aarhus_plan(client.get("/tabel/status.xlsx"))


def test_status_filters_by_region_and_rar_and_sorts(client, release, plans):
    region = client.get("/status/", {"region": "083"}).context["rows"]
    assert {r.code for r in region} == {m.code for m in GEO.members("region", "083")}
    fyn = client.get("/status/", {"rar": "Fyn"}).context["rows"]
    assert {r.code for r in fyn} == {m.code for m in GEO.members("rar", "Fyn")}
    by_name = [r.name for r in client.get("/status/", {"sorter": "navn"}).context["rows"]]
    assert by_name == sorted(by_name)
    by_goal = client.get("/status/", {"sorter": "maal3"}).context["rows"]
    assert by_goal[0].code == 461 and by_goal[-1].plan is None  # the one plan with a goal-3 target first
    assert client.get("/status/", {"region": "999"}).status_code == 404


# -- method ---------------------------------------------------------------------------------------

def test_method_page_gives_the_release_s_variables_fit_and_threshold(client, release):
    from jobmaal import formats

    html = html_of(client, "/metode/")
    for variable in release.manifest.get("framework_variables", []):
        assert variable["name"] in html or (variable.get("danish") or "") in html
    fit = ExpectedLevel.objects.filter(release=release, indicator="MM13", period="2023").first()
    assert formats.decimal(fit.r_squared, 2) in html
    threshold = release.manifest["settings"]["suppression_threshold"]
    assert f"under {threshold}" in html
    assert 'id="forventet"' in html and 'id="sammenlignelige"' in html
    assert "Diskretioneret" in html and "Foreløbig" in html


def test_expected_level_and_peer_labels_link_to_the_method(client, release):
    html = html_of(client, "/kommune/101/")
    assert 'href="/metode/#forventet"' in html
