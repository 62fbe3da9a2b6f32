"""/metode/: how the expected level and the comparable municipalities are made, and what
"Diskretioneret" and "Foreløbig" mean, with the numbers of the release shown.

The numbers come from what the release stored when it was loaded (web/analysis_store.py): the
framework variables of its manifest, each indicator's fit (R² and number of municipalities,
the same on every row of one indicator and period) and the release's suppression threshold
and provisional months.
"""

from __future__ import annotations

from jobmaal.analysis.expected import INTERVAL, PSEUDO_TRIALS
from jobmaal.analysis.peers import variable_labels
from jobmaal.catalogue import available_years, load_catalogue
from jobmaal.web import dashboards
from jobmaal.web.analysis_store import PEERS, framework_variables
from jobmaal.web.models import ExpectedLevel, Release
from jobmaal.web.queries import suppression_threshold

DEFAULT_PROVISIONAL_MONTHS = 3  # EngineSettings.provisional_months; imports carry none


def method_page(release: Release | None) -> dict:
    base = {"peers": PEERS, "interval": round(INTERVAL * 100), "pseudo_trials": PSEUDO_TRIALS}
    if release is None:
        return {**base, "catalogue": load_catalogue(max(available_years())), "fits": [],
                "variables": []}
    catalogue = load_catalogue(release.catalogue_year)
    descriptions = framework_variables(release)
    labels = variable_labels(descriptions)
    variables = [{"name": d["name"], "label": labels[d["name"]],
                  "description": d.get("danish") or "", "unit": d.get("unit") or ""}
                 for d in descriptions]
    settings = (release.manifest or {}).get("settings", {})
    chosen = dashboards.default_period(release)
    fits = []
    for ind in catalogue.indicators:
        if "kommune" not in ind.area_levels or not dashboards.series_periods(ind, release):
            continue
        period = dashboards.period_for(ind, chosen)
        fit = (ExpectedLevel.objects.filter(release=release, indicator=ind.id, period=period)
               .values_list("r_squared", "n").first())
        fits.append({"indicator": ind, "period": period,
                     "r_squared": fit[0] if fit else None, "n": fit[1] if fit else None})
    first = next((i for i in catalogue.indicators), None)
    return {**base, "catalogue": catalogue, "variables": variables, "fits": fits,
            "period": chosen,
            "threshold": suppression_threshold(release, first) if first else None,
            "provisional_months": settings.get("provisional_months", DEFAULT_PROVISIONAL_MONTHS)}
