"""Alert pages: one's subscriptions (add, list, remove) and unsubscribing from an e-mail's link."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_http_methods

from jobmaal.catalogue import available_years, load_catalogue
from jobmaal.geography import UnknownAreaError, load_geography
from jobmaal.web.followup.alerts import describe, subscription_of_token
from jobmaal.web.followup.models import Subscription


def _subject(post) -> dict | None:
    """The subscription's fields from the form, or None when they do not name a subject."""
    scope = post.get("scope")
    try:
        if scope == Subscription.Scope.MUNICIPALITY:
            code = int(post.get("kommune", ""))
            load_geography().municipality(code)
            return {"scope": scope, "municipality_code": code, "goal_number": None}
        if scope == Subscription.Scope.GOAL:
            goal = int(post.get("maal", ""))
            if goal not in {g.number for g in load_catalogue(max(available_years())).goals}:
                return None
            return {"scope": scope, "municipality_code": None, "goal_number": goal}
    except (ValueError, UnknownAreaError):
        return None
    if scope == Subscription.Scope.COUNTRY:
        return {"scope": scope, "municipality_code": None, "goal_number": None}
    return None


@login_required
@require_http_methods(["GET", "POST"])
def subscriptions(request: HttpRequest) -> HttpResponse:
    error = ""
    if request.method == "POST":
        if request.POST.get("slet"):
            get_object_or_404(Subscription, pk=request.POST["slet"], user=request.user).delete()
            return redirect("followup:subscriptions")
        subject = _subject(request.POST)
        if subject is None:
            error = "Vælg en kommune, et mål eller hele landet."
        else:
            Subscription.objects.get_or_create(user=request.user, **subject)
            return redirect("followup:subscriptions")
    own = [{"subscription": s, "subject": describe(s)}
           for s in Subscription.objects.filter(user=request.user)]
    return render(request, "followup/subscriptions.html", {
        "rows": own, "error": error, "municipalities": load_geography().municipalities,
        "goals": load_catalogue(max(available_years())).goals, "has_email": bool(request.user.email)},
        status=400 if error else 200)


@require_http_methods(["GET", "POST"])
def unsubscribe(request: HttpRequest, token: str) -> HttpResponse:
    """GET asks to confirm (mail scanners follow links), POST removes the subscription."""
    subscription = subscription_of_token(token)
    if subscription is None:
        raise Http404("Linket er ugyldigt, eller abonnementet er allerede afmeldt.")
    subject = describe(subscription)
    if request.method == "POST":
        subscription.delete()
        return render(request, "followup/unsubscribe.html", {"subject": subject, "done": True})
    return render(request, "followup/unsubscribe.html", {"subject": subject, "done": False})
