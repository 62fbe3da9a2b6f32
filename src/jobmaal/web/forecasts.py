"""Year-end forecasts for the web: the release's facts of one municipality and the country,
the newest month of the year in the release, and the plan's target for the year
(analysis/forecast.py does the numbers)."""

from __future__ import annotations

from jobmaal.analysis.forecast import Forecast, forecast_text_da, forecast_year
from jobmaal.catalogue import Indicator, load_catalogue
from jobmaal.geography import COUNTRY_CODE
from jobmaal.periods import Period
from jobmaal.web.models import Release
from jobmaal.web.queries import facts_frame, periods_of


def latest_month(release: Release, indicator: str, year: int) -> str | None:
    """The newest month of `year` the release has figures of (None: no month of that year)."""
    months = [p for p in periods_of(release, indicator)
              if p.startswith(f"{year}M") and Period.parse(p).kind == "month"]
    return max(months) if months else None


def plan_target(code: int, indicator: str, year: int, *, published_only: bool) -> float | None:
    """The target for the year's value of the newest plan of `year` (published only, for the
    public); a target of another period (a month, a half-year) is not a year-end target."""
    from jobmaal.web.followup.models import Plan, Target

    plans = Plan.objects.filter(municipality_code=code, year=year)
    if published_only:
        plans = plans.filter(published=True)
    plan = plans.order_by("-revision").first()
    if plan is None:
        return None
    target = Target.objects.filter(plan=plan, indicator_id=indicator,
                                   target_period=str(year)).first()
    return None if target is None else target.target_value


def release_forecast(release: Release, code: int, indicator: str, year: int,
                     as_of: str | None = None, target: float | None = None) -> Forecast | None:
    """The forecast as of `as_of` (the release's newest month of the year when left out);
    None when the release has no month of that year."""
    as_of = as_of or latest_month(release, indicator, year)
    if as_of is None:
        return None
    facts = facts_frame(release, indicators=[indicator],
                        areas=[("kommune", str(code)), ("land", COUNTRY_CODE)])
    return forecast_year(facts, indicator, code, year, as_of, target=target)


def forecastable(indicator: Indicator) -> bool:
    """A monthly share with municipal figures (not a supplementary indicator)."""
    return (indicator.periodicity == "month" and indicator.unit == "pct"
            and "kommune" in indicator.area_levels and not indicator.supplementary)


def target_forecasts(plan, release: Release | None) -> dict[str, str]:
    """The Danish forecast line per indicator of the plan's year targets (target period = the
    plan's year), from the release's newest month of that year; none without such months."""
    if release is None:
        return {}
    catalogue = load_catalogue(plan.year)
    out = {}
    for target in plan.targets.filter(target_period=str(plan.year)):
        try:
            info = catalogue.indicator(target.indicator_id)
        except KeyError:
            continue
        if not forecastable(info):
            continue
        result = release_forecast(release, plan.municipality_code, info.id, plan.year,
                                  target=target.target_value)
        if result is not None:
            out[info.id] = forecast_text_da(result)
    return out
