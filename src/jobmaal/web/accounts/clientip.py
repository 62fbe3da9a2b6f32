"""The client's address for the login lockout (django-axes' AXES_CLIENT_IP_CALLABLE).

Without a proxy it is the connection's address. Behind a reverse proxy (settings
CLIENT_IP_HEADER, e.g. "X-Forwarded-For", and PROXY_COUNT) it is the address the outermost
trusted proxy saw: each proxy appends the address it received the request from, so of a list
"spoofed, client, proxy1" only the last PROXY_COUNT entries are trusted; what the client wrote
itself in front is ignored.
"""

from __future__ import annotations

import ipaddress

from django.conf import settings
from django.http import HttpRequest


def client_ip(request: HttpRequest) -> str | None:
    direct = request.META.get("REMOTE_ADDR")
    header = getattr(settings, "CLIENT_IP_HEADER", "")
    if not header:
        return direct
    raw = request.META.get("HTTP_" + header.upper().replace("-", "_"), "")
    addresses = [part.strip() for part in raw.split(",") if part.strip()]
    count = max(1, getattr(settings, "PROXY_COUNT", 1))
    if len(addresses) < count:
        return direct
    candidate = addresses[-count]
    try:
        return str(ipaddress.ip_address(candidate))
    except ValueError:
        return direct
