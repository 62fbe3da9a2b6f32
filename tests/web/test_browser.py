"""The site in a real browser: Debian's Chromium driven by Playwright against `jobmaal serve`.

The app runs as the user runs it (`jobmaal serve`, in a subprocess, on a free localhost port) with the
small synthetic release of conftest.py loaded into its own SQLite database. Every test also
checks that the browser asked no host but the app and logged no console error. The tests save
full-page screenshots of three pages to var/screenshots/ (or $JOBMAAL_SCREENSHOT_DIR).
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from axecheck import PHONE
from browsing import SCREENSHOTS, app_env, run_jobmaal, served
from openpyxl import load_workbook
from playwright.sync_api import Page

pytestmark = pytest.mark.browser

CHART_TIMEOUT = 30_000  # milliseconds for vega-embed to draw every chart of a page
ODENSE = 461
DEMO_PASSWORD = "jobmaal-demo"


@pytest.fixture(scope="module")
def app_url(computed_release_dir: Path, tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """The origin of a running `jobmaal serve` with the small synthetic release active and the
    demo users and plans made."""
    folder = tmp_path_factory.mktemp("browser-app")
    env = app_env(folder)
    run_jobmaal(env, "load", str(computed_release_dir), "--publish", "--no-build")
    run_jobmaal(env, "demo-users")
    with served(env, folder) as origin:
        yield origin


def wait_for_charts(page: Page) -> None:
    """Until vega-embed has drawn an SVG in every chart at its final size (charts.js sets
    data-drawn) and every map shows its municipalities."""
    page.wait_for_function(
        """() => {
            const charts = Array.from(document.querySelectorAll('.chart'));
            return charts.length > 0 && charts.every(c => c.dataset.drawn && c.querySelector('svg'))
                && charts.filter(c => c.id.startsWith('map')).every(
                       c => c.querySelectorAll('svg path').length >= 98);
        }""",
        timeout=CHART_TIMEOUT,
    )


def chart_paths(page: Page) -> dict[str, int]:
    return page.eval_on_selector_all(
        ".chart", "els => Object.fromEntries(els.map(e => [e.id, e.querySelectorAll('svg path').length]))")


def screenshot(page: Page, name: str) -> None:
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SCREENSHOTS / name), full_page=True)


def test_overview_shows_synthetic_banner_charts_and_maps(app_url: str, page) -> None:
    page, traffic = page
    page.goto(app_url + "/")
    banner = page.locator(".banner-synthetic")
    assert banner.is_visible()
    assert "Syntetiske data" in banner.inner_text()
    wait_for_charts(page)
    paths = chart_paths(page)
    maps = {k: v for k, v in paths.items() if k.startswith("map")}
    trends = {k: v for k, v in paths.items() if k.startswith("trend")}
    assert maps and trends
    assert all(n >= 98 for n in maps.values()), maps  # one shape per municipality at least
    assert all(n > 0 for n in trends.values()), trends
    screenshot(page, "overview.png")
    traffic.assert_clean(app_url)


def test_tab_from_the_top_reaches_skip_link_first(app_url: str, page) -> None:
    page, traffic = page
    page.goto(app_url + "/")
    page.keyboard.press("Tab")
    focused = page.evaluate("() => [document.activeElement.textContent.trim(), "
                            "document.activeElement.getAttribute('href')]")
    assert focused == ["Spring til indhold", "#indhold"]
    page.keyboard.press("Enter")
    assert page.url.endswith("#indhold")
    traffic.assert_clean(app_url)


def test_search_opens_municipality_with_trend_table_and_excel_download(
        app_url: str, page, tmp_path: Path) -> None:
    page, traffic = page
    page.goto(app_url + "/")
    page.fill("#q", "Odense")
    page.press("#q", "Enter")
    page.wait_for_url(f"{app_url}/kommune/{ODENSE}/")
    assert "Odense Kommune" in page.locator("h1").inner_text()
    wait_for_charts(page)
    paths = chart_paths(page)
    assert paths and all(n > 0 for n in paths.values()), paths
    comparison = page.locator("table", has=page.locator("caption", has_text="sammenligning,")).first
    assert comparison.is_visible()
    assert "Odense" in comparison.inner_text()

    details = page.locator("details.data", has=page.locator("summary", has_text="Tabel bag grafen")).first
    table = details.locator("table")
    assert not table.is_visible()
    details.locator("summary").click()
    assert table.is_visible()
    caption = table.locator("caption").inner_text().strip()
    header = [th.strip() for th in table.locator("thead th").all_inner_texts()]

    with page.expect_download() as info:
        details.get_by_role("link", name="Excel").click()
    download = info.value
    assert download.suggested_filename.endswith(".xlsx")
    target = tmp_path / download.suggested_filename
    download.save_as(target)
    rows = list(load_workbook(target, read_only=True).active.iter_rows(values_only=True))
    assert rows[0][0] == caption
    header_rows = [i for i, row in enumerate(rows) if [str(v) for v in row if v is not None] == header]
    assert header_rows, f"no header row {header} in {rows[:5]}"
    assert len(rows) > header_rows[0] + 1  # data under the header

    screenshot(page, "municipality.png")
    traffic.assert_clean(app_url)


def test_indicator_page_shows_trend_map_and_all_areas(app_url: str, page) -> None:
    page, traffic = page
    page.goto(app_url + "/indikator/MM13/")
    assert "MM13" in page.locator("h1").inner_text()
    wait_for_charts(page)
    paths = chart_paths(page)
    assert set(paths) == {"trend", "map"}
    assert paths["map"] >= 98 and paths["trend"] > 0
    assert page.locator("table.sortable tbody tr").count() == 98
    screenshot(page, "indicator.png")
    traffic.assert_clean(app_url)


def log_in(page: Page, origin: str, username: str) -> None:
    page.goto(origin + "/konto/log-ind/")
    page.get_by_label("Brugernavn").fill(username)
    page.get_by_label("Adgangskode").fill(DEMO_PASSWORD)
    page.get_by_role("button", name="Log ind").click()
    page.wait_for_url(origin + "/opfoelgning/")


def test_editor_writes_and_submits_the_plan_and_the_ministry_sees_it(app_url: str, page) -> None:
    page, traffic = page
    log_in(page, app_url, "frb-redaktoer")
    page.get_by_role("link", name="Frederiksberg").click()
    page.wait_for_url(f"{app_url}/opfoelgning/147/2023/")
    assert "Kladde" in page.locator(".plan-facts").inner_text()

    page.get_by_role("link", name="Ret tekst til mål 2").click()
    page.get_by_label("Lokalt fokus").fill("Flere ufaglærte skal have et **fagbrev**.")
    page.get_by_role("button", name="Gem").click()
    page.wait_for_url(f"{app_url}/opfoelgning/147/2023/")
    assert page.locator("section[aria-labelledby=goal-2] .plantext strong").first.inner_text() == "fagbrev"

    page.get_by_role("link", name="Sæt måltal for MM13_SELV").click()
    page.get_by_label("Målværdi (pct.)").fill("150")
    page.get_by_role("button", name="Gem").click()
    assert "Målet skal være mellem 0 og 100" in page.locator(".form").inner_text()
    traffic.expect_error("400 (Bad Request)", "MM13_SELV")  # the refused form, logged by Chromium
    page.get_by_label("Målværdi (pct.)").fill("47,5")
    page.get_by_label("Udgangspunktets periode").fill("2022")
    page.get_by_role("button", name="Gem").click()
    page.wait_for_url(f"{app_url}/opfoelgning/147/2023/")
    row = page.locator("table.targets tr", has=page.locator("text=MM13_SELV"))
    assert "47,5 pct." in row.inner_text()

    page.get_by_role("button", name="Indsend til byrådet").click()
    page.wait_for_url(f"{app_url}/opfoelgning/147/2023/")
    assert "Indsendt til byrådet" in page.locator(".plan-facts").inner_text()
    screenshot(page, "plan.png")
    page.get_by_role("button", name="Log ud").click()

    log_in(page, app_url, "ministeriet")
    page.goto(app_url + "/opfoelgning/147/2023/")
    assert "Indsendt til byrådet" in page.locator(".plan-facts").inner_text()
    assert "47,5 pct." in page.locator("table.targets tr", has=page.locator("text=MM13_SELV")).inner_text()
    assert page.get_by_role("button", name="Registrér godkendelse").count() == 0  # reads, never edits
    page.goto(app_url + "/opfoelgning/147/2023/historik/")
    assert "frb-redaktoer" in page.locator("table.history").inner_text()
    traffic.assert_clean(app_url)


def test_pages_and_the_api_docs_work_under_the_content_security_policy(app_url: str, page) -> None:
    """The strict policy (no inline script or style, nothing from other hosts) is sent, and the
    charts (vega) and the OpenAPI docs (Swagger UI) still draw without a CSP console error."""
    page, traffic = page
    response = page.goto(app_url + f"/kommune/{ODENSE}/")
    policy = response.headers["content-security-policy"]
    assert "script-src 'self'" in policy and "unsafe" not in policy
    wait_for_charts(page)
    page.goto(app_url + "/api/docs")
    page.wait_for_selector(".swagger-ui .info .title", timeout=CHART_TIMEOUT)
    assert "Jobmål API" in page.locator(".swagger-ui .info .title").inner_text()
    page.wait_for_selector(".swagger-ui .opblock", timeout=CHART_TIMEOUT)
    traffic.assert_clean(app_url)


def check_page(page: Page, what: str) -> None:
    from axecheck import axe_violations, sideways_overflow

    assert axe_violations(page) == [], what
    assert sideways_overflow(page) == [], what


@pytest.mark.parametrize("width", [1280, 390])
def test_four_pages_meet_wcag_21_aa_and_fit_a_phone_without_sideways_scrolling(
        app_url: str, page, width: int) -> None:
    """axe-core finds no WCAG 2.1 A/AA violation on the overview, a municipality page, a plan
    form and the survey form; at 390 px nothing but a table's own box scrolls sideways."""
    page, traffic = page
    page.set_viewport_size({"width": width, "height": 844})
    page.goto(app_url + "/")
    wait_for_charts(page)
    check_page(page, "overview")
    page.goto(app_url + f"/kommune/{ODENSE}/")
    wait_for_charts(page)
    check_page(page, "municipality")
    if width < 992:  # the menu collapses into a drawer on a phone
        assert not page.locator("nav.navigation-menu-mobile").is_visible()
        page.get_by_role("button", name="Menu").click()
        assert page.locator("nav.navigation-menu-mobile").get_by_role("link", name="Planer").is_visible()
        page.get_by_role("button", name="Luk").click()
    log_in(page, app_url, "esbjerg-fanoe-redaktoer")  # Fanø has no demo plan: make a draft
    create = page.locator('form[action="/opfoelgning/563/2023/opret/"] button')
    if create.count():
        create.first.click()
    page.goto(app_url + "/opfoelgning/563/2023/maaltal/MM13/")
    assert page.get_by_label("Målværdi (pct.)").is_visible()
    check_page(page, "plan form")
    page.goto(app_url + "/undersoegelse/")
    page.get_by_role("link", name="Besvar for Fanø").first.click()
    page.wait_for_selector("main form")
    check_page(page, "survey form")
    screenshot(page, f"survey-form-{width}.png")
    traffic.assert_clean(app_url)


MIN_CHART_TEXT_PX = 11  # issue 13: no chart text smaller than this as the phone shows it


def chart_text_problems(page: Page) -> list[str]:
    """Charts wider than the viewport, chart texts whose size as rendered (the font size times
    the scale the SVG is drawn at) is under MIN_CHART_TEXT_PX, and texts cut off at the chart's
    edge; empty when all is well."""
    return page.evaluate("""(least) => {
        const width = document.documentElement.clientWidth, out = [];
        for (const chart of document.querySelectorAll('.chart')) {
            if (chart.querySelector('canvas')) out.push(chart.id + ': drawn on a canvas');
            const svg = chart.querySelector('svg');
            if (!svg) { out.push(chart.id + ': no svg'); continue; }
            const box = svg.getBoundingClientRect();
            if (box.width === 0) { out.push(chart.id + ': not shown'); continue; }
            if (box.right > width + 0.5) out.push(chart.id + ': ' + Math.round(box.right) + ' px wide');
            let texts = 0;
            for (const t of svg.querySelectorAll('text')) {
                if (!t.textContent.trim()) continue;
                texts += 1;
                const m = t.getScreenCTM(), r = t.getBoundingClientRect();
                const px = parseFloat(getComputedStyle(t).fontSize) * Math.hypot(m.a, m.b);
                const what = chart.id + ': "' + t.textContent + '"';
                if (px < least - 0.5) out.push(what + ' ' + px.toFixed(1) + ' px');
                if (r.left < box.left - 0.5 || r.right > box.right + 0.5) out.push(what + ' cut off');
            }
            if (texts === 0) out.push(chart.id + ': no text');
        }
        return out.slice(0, 20);
    }""", MIN_CHART_TEXT_PX)


@pytest.mark.parametrize("path", ["/", f"/kommune/{ODENSE}/", "/sammenlign/?kommuner=461,751,101"])
def test_chart_text_keeps_its_size_and_charts_fit_on_a_phone(app_url: str, page, path: str) -> None:
    """At 390 px charts are drawn to the width they have, not drawn wide and shrunk: every
    chart (those in folded <details> too) fits the viewport and shows all its text at 11 px
    or more."""
    page, traffic = page
    page.set_viewport_size(PHONE)
    page.goto(app_url + path)
    wait_for_charts(page)
    assert page.locator(".chart").count() > 0
    for summary in page.locator("details:has(.chart) > summary").all():
        summary.click()
    page.evaluate("() => new Promise(done => requestAnimationFrame(() => requestAnimationFrame(done)))")
    wait_for_charts(page)
    assert chart_text_problems(page) == [], path
    traffic.assert_clean(app_url)


def test_the_accessibility_statement_is_published(app_url: str, page) -> None:
    page, traffic = page
    page.goto(app_url + "/")
    page.get_by_role("link", name="Tilgængelighedserklæring").click()
    page.wait_for_url(app_url + "/tilgaengelighed/")
    assert "Tilgængelighedserklæring for Jobmål" in page.locator("h1").inner_text()
    traffic.assert_clean(app_url)
