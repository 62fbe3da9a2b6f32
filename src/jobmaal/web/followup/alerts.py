"""Alerts by e-mail: a user subscribes to a municipality, a goal or the whole country and hears of

- a new release published (every subscription);
- a target's progress status changed between the replaced release and the new one;
- a year forecast that said "reached" (P ≥ ½) under the replaced release and says "not reached"
  under the new one;

the last two for the published plans (the newest published revision of each municipality),
sent to the subscriptions of that municipality, of the indicator's goal and of the country.

`send_alerts()` is a plain function (the background worker calls it; until then `jobmaal
send-alerts` after a publish): it looks at the newest publication of each year, sends one e-mail
per user with the events not yet sent to them, through Django's mail settings, and records each
(subscription, event) in `AlertSent` in the same transaction, so an event is sent exactly once.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.conf import settings
from django.core import signing
from django.core.mail import send_mail
from django.db import transaction
from django.urls import reverse

from jobmaal.catalogue import load_catalogue
from jobmaal.geography import load_geography
from jobmaal.web.followup.models import AlertSent, Plan, Subscription
from jobmaal.web.followup.status import target_statuses
from jobmaal.web.forecasts import forecastable, release_forecast
from jobmaal.web.models import Publication, Release

SALT = "jobmaal.alerts.unsubscribe"
REACHED = 0.5  # P(target reached) at or above this is "reached"


@dataclass(frozen=True)
class Event:
    key: str  # unique per event: what AlertSent records
    text: str  # the Danish line of the e-mail
    path: str  # the page it links to
    municipality: int | None = None  # None: concerns everyone (a release)
    goal: int | None = None


def unsubscribe_token(subscription: Subscription) -> str:
    return signing.dumps(subscription.pk, salt=SALT)


def subscription_of_token(token: str) -> Subscription | None:
    """The subscription a signed unsubscribe token names (None: forged, or already gone)."""
    try:
        pk = signing.loads(token, salt=SALT)
    except signing.BadSignature:
        return None
    return Subscription.objects.filter(pk=pk).first()


def describe(subscription: Subscription) -> str:
    """The subscription's subject in Danish."""
    if subscription.scope == Subscription.Scope.MUNICIPALITY:
        return f"{load_geography().municipality(subscription.municipality_code).name} Kommune"
    if subscription.scope == Subscription.Scope.GOAL:
        return f"Mål {subscription.goal_number}"
    return "Hele landet"


def _published_plans(year: int) -> list[Plan]:
    newest: dict[int, Plan] = {}
    for plan in Plan.objects.filter(year=year, published=True).order_by("municipality_code", "-revision"):
        newest.setdefault(plan.municipality_code, plan)
    return list(newest.values())


def release_events(release: Release, replaced: Release | None) -> list[Event]:
    """The events of publishing `release` in place of `replaced`."""
    events = [Event(f"udgivelse:{release.pk}", f"Ny udgivelse: {release.name}", reverse("overview"))]
    if replaced is None:
        return events
    catalogue = load_catalogue(release.year)
    geo = load_geography()
    for plan in _published_plans(release.year):
        code = plan.municipality_code
        name = geo.municipality(code).name
        path = reverse("municipality", args=[code])
        before = {s.indicator.id: s.result for s in target_statuses(plan, replaced)}
        for s in target_statuses(plan, release):
            old = before.get(s.indicator.id)
            if old is not None and old.status != s.result.status:
                events.append(Event(
                    f"status:{code}:{s.indicator.id}:{s.target.target_period}:{release.pk}",
                    f"{name}: status for {s.indicator.name_da} ({s.target.target_period}) er ændret fra "
                    f"«{old.label_da}» til «{s.result.label_da}»", path, code, s.indicator.goal))
        for target in plan.targets.filter(target_period=str(plan.year)):
            try:
                info = catalogue.indicator(target.indicator_id)
            except KeyError:
                continue
            if not forecastable(info):
                continue
            now = release_forecast(release, code, info.id, plan.year, target=target.target_value)
            then = release_forecast(replaced, code, info.id, plan.year, target=target.target_value)
            if (now is not None and then is not None and now.p_target is not None
                    and then.p_target is not None and then.p_target >= REACHED > now.p_target):
                events.append(Event(
                    f"prognose:{code}:{info.id}:{release.pk}",
                    f"{name}: prognosen for {info.name_da} {plan.year} siger nu, at målet "
                    f"{target.target_value:.1f}".replace(".", ",") + " ikke nås", path, code, info.goal))
    return events


def _matches(subscription: Subscription, event: Event) -> bool:
    if event.municipality is None or subscription.scope == Subscription.Scope.COUNTRY:
        return True
    if subscription.scope == Subscription.Scope.MUNICIPALITY:
        return subscription.municipality_code == event.municipality
    return subscription.goal_number == event.goal


def _newest_publications() -> list[Publication]:
    newest: dict[int, Publication] = {}
    for p in Publication.objects.filter(action="publish").select_related("release", "replaced"):
        newest.setdefault(p.year, p)  # ordered newest first
    return list(newest.values())


def send_alerts(base_url: str | None = None) -> int:
    """Send what the newest publication of each year has not yet sent; the number of e-mails."""
    base = (base_url or getattr(settings, "JOBMAAL_SITE_URL", "") or "http://localhost:8000").rstrip("/")
    events = [e for p in _newest_publications() for e in release_events(p.release, p.replaced)]
    if not events:
        return 0
    sent = 0
    subscriptions = Subscription.objects.select_related("user").order_by("user_id", "id")
    by_user: dict[int, list[Subscription]] = {}
    for s in subscriptions:
        by_user.setdefault(s.user_id, []).append(s)
    for subs in by_user.values():
        user = subs[0].user
        if not user.email or not user.is_active:
            continue
        done = set(AlertSent.objects.filter(subscription__in=subs).values_list("subscription_id", "event"))
        new = [(s, e) for e in events for s in subs if _matches(s, e) and (s.pk, e.key) not in done]
        if not new:
            continue
        with transaction.atomic():
            AlertSent.objects.bulk_create([AlertSent(subscription=s, event=e.key) for s, e in new])
            send_mail("Jobmål: nyt om det, du følger", _body(base, new, subs),
                      None, [user.email])
        sent += 1
    return sent


def _body(base: str, new: list[tuple[Subscription, Event]], subs: list[Subscription]) -> str:
    lines, seen = [], set()
    for _, e in new:
        if e.key not in seen:
            seen.add(e.key)
            lines.append(f"- {e.text}\n  {base}{e.path}")
    stop = [f"- {describe(s)}: {base}{reverse('followup:unsubscribe', args=[unsubscribe_token(s)])}"
            for s in subs]
    return ("Nyt i Jobmål:\n\n" + "\n".join(lines)
            + f"\n\nDine abonnementer: {base}{reverse('followup:subscriptions')}\n"
            + "Afmeld:\n" + "\n".join(stop) + "\n")
