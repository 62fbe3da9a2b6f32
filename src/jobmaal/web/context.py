"""Template context every page gets: the active release and whether its data is synthetic."""

from __future__ import annotations

from django.http import HttpRequest

from jobmaal.geography import load_geography
from jobmaal.web.queries import release_for


def release(request: HttpRequest) -> dict:
    current = release_for(request)
    return {"release": current, "synthetic": bool(current and current.synthetic),
            "all_municipalities": load_geography().municipalities}
