"""The supplementary Ukraine measures on the pages and in the API, against the small synthetic
release: under goal 3 beside MM13, marked «Supplerende, ikke ministermål», with the figures of
the facts file, the comparison areas and a trend from March 2022 (their first month)."""

from __future__ import annotations

import pandas as pd
import pyarrow.parquet as pq
import pytest
from test_pages import article, chart_spec, danish_pct, figures, html_of, roles_in, shown

from jobmaal.geography import load_geography
from jobmaal.web.models import Release

pytestmark = pytest.mark.django_db
UKR = ("UKR_BESK", "UKR_RAADIG")
FLAG = "Supplerende, ikke ministermål"


@pytest.fixture(scope="module")
def ukraine_release(django_db_setup, django_db_blocker, computed_release_dir):
    from jobmaal.web.releases import load_release

    with django_db_blocker.unblock():
        release = load_release(computed_release_dir, activate=True)
    yield release
    with django_db_blocker.unblock():
        Release.objects.filter(pk=release.pk).delete()


@pytest.fixture
def release(ukraine_release) -> Release:
    return Release.objects.get(pk=ukraine_release.pk)


@pytest.fixture(scope="module")
def facts(computed_release_dir) -> pd.DataFrame:
    table = pq.read_table(computed_release_dir / "facts.parquet").to_pandas()
    return table[table.breakdown == "i_alt"].reset_index(drop=True)


def fact(facts, indicator, period, level, code) -> dict:
    rows = facts[(facts.indicator == indicator) & (facts.period == period)
                 & (facts.area_level == level) & (facts.area_code == str(code))]
    assert len(rows) == 1, (indicator, period, level, code)
    return rows.iloc[0].to_dict()


def goal3_ids(context) -> list[str]:
    return [b["indicator"].id for g in context["goals"] if g["goal"].number == 3
            for b in g["blocks"]]


def test_overview_shows_both_under_goal_3_with_the_country_figure(client, release, facts):
    response = client.get("/")
    assert goal3_ids(response.context) == ["MM13", "MM13_190", "MM13_SELV", *UKR]
    html = response.content.decode()
    for indicator in UKR:
        block = article(html, indicator)
        assert FLAG in block
        land = fact(facts, indicator, "2023", "land", "DK")
        assert figures(block)[0] == danish_pct(land["value"])
    assert FLAG not in article(html, "MM13")


def test_municipality_page_shows_both_beside_mm13_with_its_comparison_areas(client, release, facts):
    response = client.get("/kommune/101/", {"periode": "2023"})
    assert goal3_ids(response.context) == ["MM13", "MM13_190", "MM13_SELV", *UKR]
    html = response.content.decode()
    geo = load_geography()
    for indicator in UKR:
        block = article(html, indicator)
        assert FLAG in block
        own = fact(facts, indicator, "2023", "kommune", "101")
        assert figures(block)[0] == danish_pct(own["value"])
        page_block = next(b for g in response.context["goals"] for b in g["blocks"]
                          if b["indicator"].id == indicator)
        by_label = {row["area"].split(":")[0]: row for row in page_block["comparison_table"].rows}
        for level, label in (("rar", "RAR-område"), ("region", "Region"), ("land", "Hele landet")):
            expected = fact(facts, indicator, "2023", level, geo.parent_code(101, level))
            assert by_label[label]["value"] == shown(expected), level
        spec = chart_spec(html, f"trend-{indicator}")
        assert {"kommune", "rar", "region", "land"} <= roles_in(spec)


def test_the_trend_starts_in_march_2022_when_the_first_permits_came(client, release, facts):
    response = client.get("/kommune/101/")
    block = next(b for g in response.context["goals"] for b in g["blocks"]
                 if b["indicator"].id == "UKR_BESK")
    periods = [row["period"] for row in block["trend_table"].rows]
    assert periods[0] == "2022M03" and periods[-1] == "2023M12" and len(periods) == 22
    # January and February 2022 had nobody to count in the country; March has.
    assert fact(facts, "UKR_BESK", "2022M02", "land", "DK")["denominator"] == 0
    assert fact(facts, "UKR_BESK", "2022M03", "land", "DK")["suppressed"] or \
        fact(facts, "UKR_BESK", "2022M03", "land", "DK")["denominator"] > 0
    # MM13's trend keeps all 24 months
    mm13 = next(b for g in response.context["goals"] for b in g["blocks"]
                if b["indicator"].id == "MM13")
    assert len(mm13["trend_table"].rows) == 24


def test_indicator_pages_and_list_mark_them_supplementary(client, release):
    for indicator in UKR:
        html = html_of(client, f"/indikator/{indicator}/")
        assert FLAG in html
        assert "Følger Beskæftigelsesministeriets offentliggjorte opgørelse" in html
    listing = html_of(client, "/indikatorer/")
    assert listing.count(FLAG) == 2


def test_api_serves_both_with_the_numbers_of_the_facts_file(client, release, facts):
    body = client.get("/api/facts", {"indicator": list(UKR), "area_level": "land",
                                     "breakdown": "i_alt", "period_from": "2023M07",
                                     "period_to": "2023M07"}).json()
    served = {row["indicator"]: row for row in body["items"]}
    assert set(served) == set(UKR)
    for indicator in UKR:
        want = fact(facts, indicator, "2023M07", "land", "DK")
        assert served[indicator]["numerator"] == want["numerator"]
        assert served[indicator]["denominator"] == want["denominator"]
    catalogue = client.get("/api/catalogue/2023").json()
    flags = {i["id"]: i["supplementary"] for i in catalogue["indicators"]}
    assert flags["UKR_BESK"] and flags["UKR_RAADIG"] and not flags["MM13"]
    comparison = client.get("/api/municipalities/101/comparison",
                            {"indicator": "UKR_RAADIG", "period": "2023"}).json()
    assert comparison["indicator"]["supplementary"] is True
