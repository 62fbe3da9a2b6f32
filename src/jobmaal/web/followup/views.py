"""Plan pages: the list, one plan, its forms and state changes, and its history.

Who may do what is decided in accounts/roles.py and enforced again in services.py: a view
only chooses what to show. Reading a plan that the user may not see answers 404 (its existence
is not revealed); changing one answers 403.
"""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_POST

from jobmaal.catalogue import load_catalogue
from jobmaal.catalogue.models import available_years
from jobmaal.geography import UnknownAreaError, load_geography
from jobmaal.web.accounts.roles import can_edit, can_read_private, municipalities_of, reads_everything
from jobmaal.web.followup import forms, services
from jobmaal.web.followup.models import AuditEntry, LocalIndicator, LocalValue, Plan, State
from jobmaal.web.followup.status import local_statuses, target_statuses
from jobmaal.web.forecasts import target_forecasts
from jobmaal.web.queries import active_release

TRANSITIONS = {"indsend": services.submit, "tilbagetraek": services.withdraw,
               "offentliggoer": services.publish, "skjul": services.unpublish}


# --- reading -------------------------------------------------------------------------------

def visible_plan(request: HttpRequest, code: int, year: int) -> Plan:
    """The plan revision the user may see: any (newest by default) for the municipality's own
    users, the ministry and KL; the newest published one for everybody else."""
    _municipality(code)
    plans = Plan.objects.filter(municipality_code=code, year=year)
    if not can_read_private(request.user, code):
        plans = plans.filter(published=True)
    wanted = request.GET.get("revision", "")
    if wanted.isdigit():
        plans = plans.filter(revision=int(wanted))
    plan = plans.order_by("-revision").first()
    if plan is None:
        raise Http404("Ingen plan")
    return plan


def _municipality(code: int):
    try:
        return load_geography().municipality(code)
    except UnknownAreaError:
        raise Http404("Ukendt kommune") from None


def _years() -> list[int]:
    return sorted(available_years())


def index(request: HttpRequest) -> HttpResponse:
    years = _years()
    wanted = request.GET.get("aar", "")
    year = int(wanted) if wanted.isdigit() and int(wanted) in years else default_year(years)
    geo = load_geography()
    plans = Plan.objects.filter(year=year).order_by("municipality_code", "-revision")
    newest: dict[int, Plan] = {}
    for plan in plans:
        if plan.municipality_code in newest:
            continue
        if can_read_private(request.user, plan.municipality_code) or plan.published:
            newest[plan.municipality_code] = plan
    own = sorted(municipalities_of(request.user))
    rows = [{"municipality": m, "plan": newest.get(m.code), "own": m.code in own,
             "can_edit": can_edit(request.user, m.code)}
            for m in geo.municipalities if m.code in newest or m.code in own]
    counts = {state.label: sum(1 for p in newest.values() if p.state == state) for state in State}
    return render(request, "followup/index.html", {
        "nav": "followup", "year": year, "years": years, "rows": rows, "counts": counts,
        "sees_all": reads_everything(request.user), "own": own,
        "published_count": sum(1 for p in newest.values() if p.published),
    })


def default_year(years: list[int]) -> int:
    """The active release's year when plans can be made for it, else the newest catalogue year."""
    release = active_release()
    return release.year if release is not None and release.year in years else max(years)


def plan_detail(request: HttpRequest, code: int, year: int) -> HttpResponse:
    plan = visible_plan(request, code, year)
    return render(request, "followup/plan.html", plan_context(request, plan))


def plan_context(request: HttpRequest, plan: Plan) -> dict:
    catalogue = load_catalogue(plan.year)
    release = active_release(plan.year) or active_release()
    targets = target_statuses(plan, release)
    locals_ = local_statuses(plan)
    newest = services.is_newest_revision(plan)
    editor = can_edit(request.user, plan.municipality_code) and newest
    texts = {t.goal_number: t for t in plan.goal_texts.all()}
    goals = []
    for goal in catalogue.goals:
        by_id = {s.indicator.id: s for s in targets if s.indicator.goal == goal.number}
        goals.append({
            "goal": goal, "text": texts.get(goal.number),
            "indicators": [{"indicator": ind, "status": by_id.get(ind.id)}
                           for ind in catalogue.target_indicators_of_goal(goal.number)],
            "locals": [s for s in locals_ if s.indicator.goal_number == goal.number],
            "takes_locals": goal.number in (1, 4),
        })
    revisions = Plan.objects.filter(municipality_code=plan.municipality_code, year=plan.year)
    if not can_read_private(request.user, plan.municipality_code):
        revisions = revisions.filter(published=True)
    return {
        "nav": "followup", "plan": plan, "municipality": _municipality(plan.municipality_code),
        "goals": goals, "release": release, "forecasts": target_forecasts(plan, release),
        "editor": editor, "can_edit_content": editor and plan.editable,
        "can_enter_values": editor, "newest": newest,
        "revisions": revisions.order_by("revision"),
        "can_unpublish_old": not newest and plan.published and can_edit(request.user, plan.municipality_code),
        "private": can_read_private(request.user, plan.municipality_code),
        "approve_form": forms.ApproveForm(plan=plan),
        "next_year_possible": editor and plan.year + 1 in _years()
        and not Plan.objects.filter(municipality_code=plan.municipality_code, year=plan.year + 1).exists(),
    }


@login_required
def history(request: HttpRequest, code: int, year: int) -> HttpResponse:
    if not can_read_private(request.user, code):
        raise Http404("Ingen plan")
    _municipality(code)
    plans = list(Plan.objects.filter(municipality_code=code, year=year))
    if not plans:
        raise Http404("Ingen plan")
    entries = AuditEntry.objects.filter(plan__in=plans).select_related("plan")
    return render(request, "followup/history.html", {
        "nav": "followup", "municipality": _municipality(code), "year": year, "entries": entries,
        "plan": max(plans, key=lambda p: p.revision),
    })


# --- changing ------------------------------------------------------------------------------

def locked_form(request: HttpRequest, plan: Plan) -> HttpResponse | None:
    """Opening an edit form of a plan that is not a draft leads back to the plan, saying why."""
    if request.method == "GET" and not plan.editable:
        messages.error(request, f"Planen er {plan.get_state_display().lower()} og kan ikke ændres. "
                                "Start en ny revision for at ændre den.")
        return redirect("followup:plan", code=plan.municipality_code, year=plan.year)
    return None


def editable_plan(request: HttpRequest, code: int, year: int) -> Plan:
    """The newest revision, for a user who may change this municipality's plans (403 otherwise)."""
    _municipality(code)
    if not can_edit(request.user, code):
        raise PermissionDenied("Kun kommunens redaktører kan ændre planen.")
    plan = services.newest_plan(code, year)
    if plan is None:
        raise Http404("Ingen plan")
    return plan


@login_required
@require_POST
def create(request: HttpRequest, code: int, year: int) -> HttpResponse:
    _municipality(code)
    if not can_edit(request.user, code):
        raise PermissionDenied("Kun kommunens redaktører kan oprette en plan.")
    try:
        if request.POST.get("fra") == "sidste-aar":
            services.start_from_last_year(request.user, code, year)
            messages.success(request, f"Planen for {year} er oprettet ud fra planen for {year - 1}.")
        else:
            services.create_plan(request.user, code, year)
            messages.success(request, f"En tom plan for {year} er oprettet.")
    except services.FollowupError as exc:
        messages.error(request, str(exc))
        return redirect("followup:index")
    return redirect("followup:plan", code=code, year=year)


def _save(request: HttpRequest, plan: Plan, form, action, template: str, extra: dict) -> HttpResponse:
    """Validate the form and run `action(version, data)`; on a concurrent change show the other
    changes with the user's input kept (status 409); on a refused change show why (400)."""
    status = 200
    conflict = None
    if form.is_bound and form.is_valid():
        try:
            action(form.cleaned_data["version"], form.cleaned_data)
        except services.ConcurrentEdit as exc:
            conflict, status = exc, 409
            form = _rebound(form, exc.plan.version)
            plan = exc.plan  # the page's other buttons carry the current version too
        except services.FollowupError as exc:
            form.add_error(None, str(exc))
            status = 400
        else:
            messages.success(request, "Ændringen er gemt.")
            return redirect("followup:plan", code=plan.municipality_code, year=plan.year)
    elif form.is_bound:
        status = 400
    context = {"nav": "followup", "plan": plan, "municipality": _municipality(plan.municipality_code),
               "form": form, "conflict": conflict, **extra}
    return render(request, template, context, status=status)


def _rebound(form, version: int):
    """The same form with the user's input and the plan's current version, so saving again is
    a deliberate choice made after seeing the other change."""
    data = form.data.copy()
    data["version"] = str(version)
    kwargs = {k: getattr(form, k) for k in ("unit",) if hasattr(form, k)}
    rebound = type(form)(data, plan=form.plan, **kwargs)
    rebound.is_valid()
    return rebound


@login_required
def goal_text(request: HttpRequest, code: int, year: int, goal: int) -> HttpResponse:
    plan = editable_plan(request, code, year)
    if locked := locked_form(request, plan):
        return locked
    catalogue = load_catalogue(year)
    try:
        goal_def = catalogue.goal(goal)
    except KeyError:
        raise Http404("Ukendt mål") from None
    text = plan.goal_texts.filter(goal_number=goal).first()
    initial = {"focus": text.focus, "efforts": text.efforts} if text else {}
    form = forms.GoalTextForm(request.POST or None, plan=plan, initial=initial)

    def action(version, data):
        services.save_goal_text(request.user, plan, goal, version, focus=data["focus"],
                                efforts=data["efforts"])

    return _save(request, plan, form, action, "followup/goal_text.html", {"goal": goal_def})


@login_required
def target(request: HttpRequest, code: int, year: int, indicator_id: str) -> HttpResponse:
    plan = editable_plan(request, code, year)
    if locked := locked_form(request, plan):
        return locked
    try:
        indicator = load_catalogue(year).indicator(indicator_id)
    except KeyError:
        raise Http404("Ukendt indikator") from None
    if not indicator.ministerial:
        raise Http404("Supplerende og lokale indikatorer har ingen måltal")
    existing = plan.targets.filter(indicator_id=indicator_id).first()
    initial = {name: getattr(existing, name) for name in services.TARGET_FIELDS} if existing else {
        "target_period": str(year)}
    form = forms.TargetForm(request.POST or None, plan=plan, initial=initial)

    def action(version, data):
        services.save_target(request.user, plan, indicator_id, version, data)

    return _save(request, plan, form, action, "followup/target.html",
                 {"indicator": indicator, "existing": existing})


@login_required
@require_POST
def target_delete(request: HttpRequest, code: int, year: int, indicator_id: str) -> HttpResponse:
    plan = editable_plan(request, code, year)
    return _post_action(request, plan, lambda v: services.delete_target(request.user, plan, indicator_id, v),
                        "Måltallet er slettet.")


@login_required
def local_indicator(request: HttpRequest, code: int, year: int, pk: int | None = None) -> HttpResponse:
    plan = editable_plan(request, code, year)
    if locked := locked_form(request, plan):
        return locked
    indicator = get_object_or_404(LocalIndicator, pk=pk, plan=plan) if pk else None
    initial = {name: getattr(indicator, name) for name in services.LOCAL_FIELDS} if indicator else {
        "goal_number": request.GET.get("maal", 1), "target_period": str(year)}
    form = forms.LocalIndicatorForm(request.POST or None, plan=plan, initial=initial)

    def action(version, data):
        services.save_local_indicator(request.user, plan, indicator, version, data)

    return _save(request, plan, form, action, "followup/local_indicator.html", {"indicator": indicator})


@login_required
@require_POST
def local_delete(request: HttpRequest, code: int, year: int, pk: int) -> HttpResponse:
    plan = editable_plan(request, code, year)
    indicator = get_object_or_404(LocalIndicator, pk=pk, plan=plan)
    return _post_action(request, plan,
                        lambda v: services.delete_local_indicator(request.user, plan, indicator, v),
                        "Den lokale indikator er slettet.")


@login_required
def local_value(request: HttpRequest, code: int, year: int, pk: int) -> HttpResponse:
    plan = editable_plan(request, code, year)
    indicator = get_object_or_404(LocalIndicator, pk=pk, plan=plan)
    initial = {}
    period = request.GET.get("periode", "")
    existing = indicator.values.filter(period=period).first() if period else None
    if existing:
        initial = {"period": existing.period, "value": existing.value, "comment": existing.comment}
    form = forms.LocalValueForm(request.POST or None, plan=plan, unit=indicator.unit, initial=initial)

    def action(version, data):
        services.save_local_value(request.user, plan, indicator, version, period=data["period"],
                                  value=data["value"], comment=data["comment"])

    return _save(request, plan, form, action, "followup/local_value.html", {"indicator": indicator})


@login_required
@require_POST
def local_value_delete(request: HttpRequest, code: int, year: int, pk: int) -> HttpResponse:
    plan = editable_plan(request, code, year)
    value = get_object_or_404(LocalValue, pk=pk, indicator__plan=plan)
    return _post_action(request, plan, lambda v: services.delete_local_value(request.user, plan, value, v),
                        "Værdien er slettet.")


@login_required
@require_POST
def transition(request: HttpRequest, code: int, year: int, action: str) -> HttpResponse:
    plan = editable_plan(request, code, year)
    if action == "godkend":
        form = forms.ApproveForm(request.POST, plan=plan)
        if not form.is_valid():
            messages.error(request, "Angiv byrådsmødets dato (dd-mm-åååå).")
            return redirect("followup:plan", code=code, year=year)
        date = form.cleaned_data["meeting_date"]
        return _post_action(request, plan, lambda v: services.approve(request.user, plan, v, date),
                            "Byrådets godkendelse er registreret.")
    if action == "revider":
        return _post_action(request, plan, lambda v: services.revise(request.user, plan, v),
                            "En ny revision er startet som kladde.")
    if action not in TRANSITIONS:
        raise Http404("Ukendt handling")
    wanted = request.POST.get("revision", "")
    if action == "skjul" and wanted.isdigit():  # an older published revision may be taken down
        plan = get_object_or_404(Plan, municipality_code=code, year=year, revision=int(wanted))
    done = {"indsend": "Planen er indsendt til byrådet.",
            "tilbagetraek": "Planen er trukket tilbage til kladde.",
            "offentliggoer": "Planen er offentliggjort.", "skjul": "Planen er ikke længere offentlig."}
    return _post_action(request, plan, lambda v: TRANSITIONS[action](request.user, plan, v), done[action])


def _post_action(request: HttpRequest, plan: Plan, action, done: str) -> HttpResponse:
    """A button press: run it with the version the page showed; on a conflict or a refused
    change, say why on the plan page."""
    shown = request.POST.get("version", "")
    if not shown.isdigit():
        messages.error(request, "Siden mangler planens version; genindlæs siden og prøv igen.")
        return redirect("followup:plan", code=plan.municipality_code, year=plan.year)
    try:
        action(int(shown))
    except services.ConcurrentEdit as exc:
        changes = "; ".join(f"{c.username}: {c.object_label}" for c in exc.changes)
        messages.error(request, f"{exc} ({changes})")
    except services.FollowupError as exc:
        messages.error(request, str(exc))
    else:
        messages.success(request, done)
    return redirect("followup:plan", code=plan.municipality_code, year=plan.year)
