"""One careful HTTP GET/POST for the source clients: timeouts, retries with backoff, and a clear
message for every way a public API can fail (error status, HTML page, cut-off JSON).

The API key travels only in the request headers; no message, log line or repr shows it.
"""

from __future__ import annotations

import json
import re
import time
from collections.abc import Callable
from dataclasses import dataclass

import httpx

from jobmaal.sources.common import SourceError

RETRY_STATUSES = frozenset({429, 500, 502, 503, 504})


@dataclass(frozen=True)
class HttpSettings:
    """Timeouts and retries. Defaults are polite to the public services and bounded in time."""

    timeout: float = 30.0  # seconds per request (connect, read, write, pool)
    retries: int = 4  # extra attempts after the first, on 429/5xx, timeouts and lost connections
    backoff: float = 1.0  # seconds before the first retry, doubled each time
    max_wait: float = 60.0  # the longest wait, also for a server's Retry-After

    def __post_init__(self) -> None:
        if self.timeout <= 0 or self.retries < 0 or self.backoff < 0 or self.max_wait < 0:
            raise ValueError("timeout must be above 0; retries, backoff and max_wait not negative")


class HttpSourceError(SourceError):
    """A request to a public API failed for good (after its retries)."""

    def __init__(self, message: str, *, status: int | None = None):
        super().__init__(message)
        self.status = status


class Requester:
    """Sends requests with retries and returns parsed JSON or text; never stores the key."""

    def __init__(self, service: str, base_url: str, *, settings: HttpSettings | None = None,
                 headers: dict[str, str] | None = None, transport: httpx.BaseTransport | None = None,
                 sleep: Callable[[float], None] | None = None,
                 check: Callable[[httpx.Response], None] | None = None):
        self.service = service
        self.settings = settings or HttpSettings()
        self._sleep = sleep or time.sleep
        self._check = check
        self._client = httpx.Client(base_url=base_url, headers=headers or {},
                                    timeout=self.settings.timeout, transport=transport,
                                    follow_redirects=True)

    def __repr__(self) -> str:  # the default would not show the key either; be explicit
        return f"Requester({self.service!r}, {str(self._client.base_url)!r})"

    @property
    def host(self) -> str:
        return self._client.base_url.host

    def close(self) -> None:
        self._client.close()

    def json(self, method: str, path: str, **kwargs) -> object:
        response = self.send(method, path, **kwargs)
        return parse_json(response, self.service)

    def text(self, method: str, path: str, **kwargs) -> str:
        response = self.send(method, path, **kwargs)
        if _looks_like_html(response):
            raise HttpSourceError(_html_message(self.service, response), status=response.status_code)
        return response.text

    def send(self, method: str, path: str, **kwargs) -> httpx.Response:
        """The response of the first successful attempt; raises HttpSourceError otherwise."""
        s = self.settings
        wait = s.backoff
        last = ""
        for attempt in range(s.retries + 1):
            try:
                response = self._client.request(method, path, **kwargs)
            except httpx.TimeoutException:
                last = f"svarede ikke inden for {s.timeout:g} sekunder (timeout)"
            except httpx.TransportError as exc:
                last = f"kunne ikke nås ({type(exc).__name__})"
            else:
                if self._check:
                    self._check(response)
                if response.status_code not in RETRY_STATUSES:
                    if response.status_code >= 400:
                        raise HttpSourceError(_status_message(self.service, response),
                                              status=response.status_code)
                    return response
                last = _status_message(self.service, response)
                retry_after = _retry_after(response)
                if retry_after is not None:
                    wait = retry_after
            if attempt < s.retries:
                self._sleep(min(wait, s.max_wait))
                wait = max(wait * 2, s.backoff)
        tries = s.retries + 1
        raise HttpSourceError(f"{self.service} {last.removeprefix(self.service + ' ')} "
                              f"— opgivet efter {tries} forsøg. Prøv igen senere.")


def parse_json(response: httpx.Response, service: str) -> object:
    if _looks_like_html(response):
        raise HttpSourceError(_html_message(service, response), status=response.status_code)
    try:
        return json.loads(response.content.decode(response.encoding or "utf-8"))
    except (UnicodeDecodeError, json.JSONDecodeError) as exc:
        size = len(response.content)
        raise HttpSourceError(
            f"{service} sendte et svar, der ikke er gyldig JSON ({size} bytes; afkortet eller "
            f"ødelagt svar: {getattr(exc, 'msg', exc)}). Intet er gemt; prøv igen.",
            status=response.status_code) from None


def _looks_like_html(response: httpx.Response) -> bool:
    kind = response.headers.get("content-type", "")
    head = response.content[:200].lstrip().lower()
    return "html" in kind or head.startswith((b"<!doctype", b"<html"))


def _html_message(service: str, response: httpx.Response) -> str:
    match = re.search(r"<title[^>]*>(.*?)</title>", response.text[:5000], re.I | re.S)
    title = f" («{' '.join(match[1].split())[:80]}»)" if match else ""
    return (f"{service} svarede med en HTML-side{title} i stedet for data "
            f"(HTTP {response.status_code}). Tjenesten kan være nede eller adressen forkert.")


def _status_message(service: str, response: httpx.Response) -> str:
    code = response.status_code
    reason = {
        404: "findes ikke (HTTP 404)",
        429: "afviser for mange forespørgsler (HTTP 429)",
    }.get(code, f"svarede med fejl (HTTP {code})")
    return f"{service} {reason}"


def _retry_after(response: httpx.Response) -> float | None:
    value = response.headers.get("retry-after", "").strip()
    try:
        return max(0.0, float(value)) if value else None
    except ValueError:
        return None
