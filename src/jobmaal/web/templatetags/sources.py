"""Where figures came from, on the pages: the source of an indicator's figures in a release, and
the StatBank context of a municipality (population, share on public benefits)."""

from __future__ import annotations

from django import template

from jobmaal import formats
from jobmaal.web.models import FrameworkValue, Release
from jobmaal.web.vintages import indicator_sources, source_label

register = template.Library()
_CONTEXT_VARIABLES = {"befolkning": "Befolkning 1. januar",
                      "andel_offentlig_forsoergelse": "På offentlig forsørgelse"}


@register.simple_tag
def figure_source(release: Release | None, indicator_id: str) -> str:
    """"Jobindsats.dk (hentet 3. marts 2025)" for the indicator's figures in the release."""
    if release is None:
        return ""
    kinds = _sources(release).get(indicator_id, [release.kind])
    labels = " og ".join(source_label(k) for k in kinds)
    if release.kind == "mixed":
        part = next((p for p in release.manifest.get("source", {}).get("parts", [])
                     if p.get("indicator") == indicator_id), None)
        when = (part or {}).get("fetched", "")[:10]
        return f"{labels} (udgivelse {part['release']}, {when})" if part else labels
    when = release.fetched or release.created
    verb = "beregnet" if kinds == ["computed"] else "hentet"
    return f"{labels} ({verb} {formats.date_da(when)})"


def _sources(release: Release) -> dict[str, list[str]]:
    cache = getattr(release, "_jobmaal_sources", None)
    if cache is None:
        cache = indicator_sources(release)
        release._jobmaal_sources = cache
    return cache


@register.inclusion_tag("web/_statbank_context.html")
def statbank_context(release: Release | None, code: int) -> dict:
    """The municipality's population and share on public benefits, when the release has them."""
    if release is None:
        return {"facts": []}
    rows = (FrameworkValue.objects.filter(release=release, municipality_code=code,
                                          variable__in=list(_CONTEXT_VARIABLES))
            .order_by("-year").values_list("year", "variable", "value"))
    latest: dict[str, tuple[int, float]] = {}
    for year, variable, value in rows:
        latest.setdefault(variable, (year, value))
    facts = []
    for variable, label in _CONTEXT_VARIABLES.items():
        if variable in latest:
            year, value = latest[variable]
            shown = (formats.count(value) if variable == "befolkning"
                     else f"{formats.decimal(value)} pct.")
            facts.append({"label": label, "year": year, "value": shown})
    return {"facts": facts}
