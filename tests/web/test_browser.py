"""The site in a real browser: Debian's Chromium driven by Playwright against `jobmaal serve`.

The app runs as the user runs it (`jobmaal serve`, in a subprocess, on a free localhost port) with the
small synthetic release of conftest.py loaded into its own SQLite database. Every test also
checks that the browser asked no host but the app and logged no console error. The tests save
full-page screenshots of three pages to var/screenshots/ (or $JOBMAAL_SCREENSHOT_DIR).
"""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

import pytest
from openpyxl import load_workbook

pytestmark = pytest.mark.browser

CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                 "--disable-background-networking", "--disable-component-update", "--disable-sync"]
# Screenshots go to var/screenshots/ (not tracked) unless JOBMAAL_SCREENSHOT_DIR says otherwise;
# docs/screenshots/ holds the ones the README shows, copied from a run by hand.
SCREENSHOTS = Path(os.environ.get("JOBMAAL_SCREENSHOT_DIR",
                                  Path(__file__).resolve().parents[2] / "var" / "screenshots"))
JOBMAAL = Path(sys.executable).with_name("jobmaal")
START_TIMEOUT = 120  # seconds for the app to load the release and answer
CHART_TIMEOUT = 30_000  # milliseconds for vega-embed to draw every chart of a page
ODENSE = 461

if not CHROMIUM.exists():
    pytest.skip(f"{CHROMIUM} is missing (apt-get install chromium)", allow_module_level=True)

from playwright.sync_api import Browser, ConsoleMessage, Page, Request, sync_playwright  # noqa: E402


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _wait_until_up(url: str, server: subprocess.Popen, log: Path) -> None:
    deadline = time.monotonic() + START_TIMEOUT
    while time.monotonic() < deadline:
        if server.poll() is not None:
            raise RuntimeError(f"jobmaal serve stopped with code {server.returncode}:\n{log.read_text()}")
        try:
            with urllib.request.urlopen(url, timeout=2) as response:
                if response.status == 200:
                    return
        except (urllib.error.URLError, ConnectionError, TimeoutError):
            pass
        time.sleep(0.3)
    raise RuntimeError(f"jobmaal serve did not answer {url} within {START_TIMEOUT} s:\n{log.read_text()}")


@pytest.fixture(scope="module")
def app_url(computed_release_dir: Path, tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """The origin of a running `jobmaal serve` with the small synthetic release active."""
    folder = tmp_path_factory.mktemp("browser-app")
    env = {**os.environ, "JOBMAAL_DATA_DIR": str(folder / "data"), "PYTHONWARNINGS": "ignore"}
    env.pop("DJANGO_SETTINGS_MODULE", None)  # the command sets its own
    env.pop("DATABASE_URL", None)  # always a fresh SQLite file, never a shared database
    loaded = subprocess.run([str(JOBMAAL), "load", str(computed_release_dir)], env=env, text=True,
                            capture_output=True, timeout=START_TIMEOUT)
    if loaded.returncode != 0:
        raise RuntimeError(f"jobmaal load failed ({loaded.returncode}):\n{loaded.stdout}{loaded.stderr}")
    port = _free_port()
    log = folder / "serve.log"
    with log.open("w") as out:
        server = subprocess.Popen([str(JOBMAAL), "serve", "--host", "127.0.0.1", "--port", str(port)],
                                  env=env, stdout=out, stderr=subprocess.STDOUT)
    origin = f"http://127.0.0.1:{port}"
    try:
        _wait_until_up(origin + "/", server, log)
        yield origin
    finally:
        server.terminate()
        try:
            server.wait(timeout=10)
        except subprocess.TimeoutExpired:
            server.kill()
            server.wait()


@pytest.fixture(scope="module")
def browser() -> Iterator[Browser]:
    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        yield chromium
        chromium.close()


@dataclass
class Traffic:
    """What the page asked for and complained about."""

    requests: list[str] = field(default_factory=list)
    console_errors: list[str] = field(default_factory=list)

    def on_request(self, request: Request) -> None:
        self.requests.append(request.url)

    def on_console(self, message: ConsoleMessage) -> None:
        if message.type != "error":
            return
        where = message.location.get("url", "")
        if ".map" in where or ".js.map" in message.text:  # vega-embed's missing source map
            return
        self.console_errors.append(f"{message.text} ({where})")

    def assert_clean(self, origin: str) -> None:
        elsewhere = [url for url in self.requests if not url.startswith(origin + "/")]
        assert elsewhere == [], f"requests to other hosts than {origin}: {elsewhere}"
        assert self.console_errors == [], f"console errors: {self.console_errors}"


@pytest.fixture
def page(browser: Browser) -> Iterator[tuple[Page, Traffic]]:
    context = browser.new_context(viewport={"width": 1280, "height": 900}, locale="da-DK",
                                  accept_downloads=True)
    page = context.new_page()
    traffic = Traffic()
    page.on("request", traffic.on_request)
    page.on("console", traffic.on_console)
    page.on("pageerror", lambda exc: traffic.console_errors.append(f"uncaught: {exc}"))
    yield page, traffic
    context.close()


def wait_for_charts(page: Page) -> None:
    """Until vega-embed has drawn an SVG in every chart and every map shows its municipalities."""
    page.wait_for_function(
        """() => {
            const charts = Array.from(document.querySelectorAll('.chart'));
            return charts.length > 0 && charts.every(c => c.querySelector('svg'))
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
