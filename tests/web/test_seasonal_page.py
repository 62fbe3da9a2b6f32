"""The indicator page's seasonally adjusted line (`?saeson=1`): drawn beside the raw national
series, labelled «sæsonkorrigeret», only on request; the table keeps the raw figures.

Hand-made release: MM17 for the country over 2022M01–2023M12, 20 + 0.05·t plus a monthly
pattern summing to 0 (January +3 … July −2). With a hidden month the newest stretch is short
and the page says why instead of drawing a line."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
from django.core.cache import cache

from jobmaal.periods import Period
from jobmaal.web import dashboards, queries
from jobmaal.web.models import Fact, Release

pytestmark = pytest.mark.django_db
SEASON = [3, 2, 1, 0, -1, -2, -2, -1, 0, 0, 0, 0]


@pytest.fixture(autouse=True)
def forget_caches():
    yield
    cache.clear()
    queries._level_facts.cache_clear()


def _release(hidden: str | None = None) -> Release:
    release = Release.objects.create(
        name="Sæson", year=2023, catalogue_year=2023, manifest={}, facts_sha256="0" * 64,
        created=datetime(2024, 1, 5, tzinfo=UTC), is_active=True)
    rows = []
    for t in range(24):
        p = Period.parse("2022M01").shift(t)
        value = 20 + 0.05 * t + SEASON[p.index - 1]
        shown = p.code != hidden
        rows.append(Fact(release=release, indicator="MM17", period=p.code, area_level="land",
                         area_code="DK", breakdown="i_alt", breakdown_value="i_alt",
                         numerator=value if shown else None, denominator=100.0 if shown else None,
                         value=value if shown else None, suppressed=not shown))
    Fact.objects.bulk_create(rows)
    return release


def _lines(spec: dict) -> dict[str, dict[str, float | None]]:
    rows = spec["datasets"][spec["data"]["name"]] if "datasets" in spec else spec["data"]["values"]
    lines: dict[str, dict[str, float | None]] = {}
    for row in rows:
        lines.setdefault(row["serie"], {})[row["periode"]] = row["value"]
    return lines


def test_the_adjusted_line_is_drawn_beside_the_raw_one_without_the_season():
    data = dashboards.seasonal_trend(_release(), "MM17")
    lines = _lines(data["trend_spec"])
    assert set(lines) == {"Hele landet", "Hele landet, sæsonkorrigeret"}
    assert data["seasonal_shown"] and "Sæsonkorrigeret" in data["seasonal_note"]
    raw, adjusted = lines["Hele landet"], lines["Hele landet, sæsonkorrigeret"]
    assert raw["2023M01"] == pytest.approx(20 + 0.05 * 12 + 3)  # the raw line is untouched
    for t in range(24):
        code = Period.parse("2022M01").shift(t).code
        assert adjusted[code] == pytest.approx(20 + 0.05 * t, abs=0.3), code


def test_a_hidden_month_leaves_no_adjusted_line_and_the_reason_is_given():
    data = dashboards.seasonal_trend(_release(hidden="2022M06"), "MM17")
    lines = _lines(data["trend_spec"])
    assert set(lines) == {"Hele landet"}
    assert lines["Hele landet"]["2022M06"] is None  # a gap, never 0
    assert not data["seasonal_shown"] and "er 18 måneder" in data["seasonal_note"]


def test_the_page_shows_the_line_only_on_request_and_the_table_stays_raw(client):
    _release()
    plain = client.get("/indikator/MM17/")
    assert plain.status_code == 200
    assert "Vis sæsonkorrigeret linje" in plain.content.decode()
    assert "sæsonkorrigeret" not in str(plain.context["trend_spec"])
    adjusted = client.get("/indikator/MM17/?saeson=1")
    html = adjusted.content.decode()
    assert adjusted.status_code == 200 and "Skjul den sæsonkorrigerede linje" in html
    assert "Hele landet, sæsonkorrigeret" in str(adjusted.context["trend_spec"])
    table = adjusted.context["trend_table"]
    assert [c.label for c in table.columns] == ["Periode", "Hele landet"]
    assert table.rows[12]["s0"] == pytest.approx(20 + 0.05 * 12 + 3)


def test_a_local_count_series_page_shows_months_as_counts_and_is_marked_local(client):
    release = Release.objects.create(
        name="Fleksjob", year=2023, catalogue_year=2023, manifest={}, facts_sha256="0" * 64,
        created=datetime(2024, 1, 5, tzinfo=UTC), is_active=True)
    Fact.objects.bulk_create([
        Fact(release=release, indicator="LOK_FLEXJOB", period=f"2023M{m:02d}", area_level=level,
             area_code=code, breakdown="i_alt", breakdown_value="i_alt", numerator=n,
             denominator=n, value=n)
        for m in range(1, 13) for level, code, n in (("land", "DK", 1000.0 + m),
                                                     ("kommune", "101", 50.0 + m))])
    response = client.get("/indikator/LOK_FLEXJOB/")
    html = response.content.decode()
    assert response.status_code == 200
    assert "Lokal indikator, ikke STAR" in html
    assert response.context["period"] == "2023M12"  # a count has no year figure
    assert "Antal" in str(response.context["trend_spec"]) and "Procent" not in str(
        response.context["trend_spec"])
