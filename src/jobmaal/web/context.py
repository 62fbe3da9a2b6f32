"""Template context every page gets: the active release and whether its data is synthetic."""

from __future__ import annotations

from django.http import HttpRequest

from jobmaal.geography import load_geography
from jobmaal.web.accounts.roles import role_of
from jobmaal.web.queries import release_for


def release(request: HttpRequest) -> dict:
    current = release_for(request)
    role = role_of(getattr(request, "user", None))
    return {"release": current, "synthetic": bool(current and current.synthetic),
            "all_municipalities": load_geography().municipalities,
            "user_role_label": role.label if role else ""}
