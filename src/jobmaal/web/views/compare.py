"""/sammenlign/: the chosen municipalities side by side (web/compare.py builds the page)."""

from __future__ import annotations

from urllib.parse import urlencode

from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_GET

from jobmaal.web import compare, dashboards, pagecache
from jobmaal.web.queries import release_for
from jobmaal.web.views.pages import _period, find_municipalities


@require_GET
@pagecache.cached_html
def comparison(request: HttpRequest) -> HttpResponse:
    try:
        codes = compare.parse_codes(request.GET.get("kommuner"))
    except dashboards.NotFound as exc:
        raise Http404(str(exc)) from None
    added = request.GET.get("tilfoej", "").strip()
    matches = []
    if added:  # the search box (works without JavaScript): add one match and link the result
        matches = find_municipalities(added)
        if len(matches) == 1 and (matches[0].code in codes or len(codes) < compare.MAX_CHOSEN):
            if matches[0].code not in codes:
                codes.append(matches[0].code)
            return redirect(_url(request, codes))
    release = release_for(request)
    if release is None:
        return render(request, "web/empty.html", {"nav": "compare"})
    period = _period(request, release)
    data = compare.comparison_page(release, codes, period)
    removals = [{"municipality": m, "url": _url(request, [c for c in codes if c != m.code])}
                for m in data["chosen"]]
    return render(request, "web/pages/compare.html", {
        **data, "nav": "compare", "added": added, "matches": matches, "removals": removals,
        "full": len(codes) >= compare.MAX_CHOSEN,
        "share_url": request.build_absolute_uri(_url(request, codes)),
    })


def _url(request: HttpRequest, codes: list[int]) -> str:
    """The page's shareable address for these municipalities (period and release kept)."""
    params = {"kommuner": compare.codes_text(codes)}
    for key in ("periode", "udgivelse"):
        if request.GET.get(key):
            params[key] = request.GET[key]
    return "/sammenlign/?" + urlencode(params)
