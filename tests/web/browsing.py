"""What the browser tests share: Debian's Chromium, `jobmaal serve` in a subprocess on a free
port, and a record of what a page asked for and complained about."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                 "--disable-background-networking", "--disable-component-update", "--disable-sync"]
# Screenshots go to var/screenshots/ (not tracked) unless JOBMAAL_SCREENSHOT_DIR says otherwise;
# docs/screenshots/ holds the ones the README shows, copied from a run by hand.
SCREENSHOTS = Path(os.environ.get("JOBMAAL_SCREENSHOT_DIR",
                                  Path(__file__).resolve().parents[2] / "var" / "screenshots"))
JOBMAAL = Path(sys.executable).with_name("jobmaal")
START_TIMEOUT = 120  # seconds for the app to load the release and answer


def app_env(folder: Path) -> dict[str, str]:
    """The environment of an app with its own fresh SQLite database in `folder`."""
    env = {**os.environ, "JOBMAAL_DATA_DIR": str(folder / "data"), "PYTHONWARNINGS": "ignore",
           "JOBMAAL_SECURE_COOKIES": "0"}  # plain http on localhost
    env.pop("DJANGO_SETTINGS_MODULE", None)  # the command sets its own
    env.pop("DATABASE_URL", None)  # always a fresh SQLite file, never a shared database
    return env


def run_jobmaal(env: dict[str, str], *args: str) -> None:
    done = subprocess.run([str(JOBMAAL), *args], env=env, text=True, capture_output=True,
                          timeout=START_TIMEOUT)
    if done.returncode != 0:
        raise RuntimeError(f"jobmaal {' '.join(args)} failed ({done.returncode}):\n"
                           f"{done.stdout}{done.stderr}")


@contextmanager
def served(env: dict[str, str], folder: Path) -> Iterator[str]:
    """`jobmaal serve` on a free localhost port; yields its origin and stops it afterwards."""
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


@dataclass
class Traffic:
    """What the page asked for and complained about."""

    requests: list[str] = field(default_factory=list)
    console_errors: list[str] = field(default_factory=list)

    def on_request(self, request) -> None:
        self.requests.append(request.url)

    def on_console(self, message) -> None:
        if message.type != "error":
            return
        where = message.location.get("url", "")
        if ".map" in where or ".js.map" in message.text:  # vega-embed's missing source map
            return
        self.console_errors.append(f"{message.text} ({where})")

    def expect_error(self, *parts: str) -> None:
        """Take one console error that a test caused on purpose (e.g. a form refused with 400)."""
        matches = [e for e in self.console_errors if all(p in e for p in parts)]
        assert len(matches) == 1, (parts, self.console_errors)
        self.console_errors.remove(matches[0])

    def assert_clean(self, origin: str) -> None:
        elsewhere = [url for url in self.requests if not url.startswith(origin + "/")]
        assert elsewhere == [], f"requests to other hosts than {origin}: {elsewhere}"
        assert self.console_errors == [], f"console errors: {self.console_errors}"
