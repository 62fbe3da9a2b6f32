"""Every change to a plan goes through here: permission, state, optimistic lock, audit.

A caller passes the plan version it showed the user. The change happens only if nobody has
changed the plan since (`UPDATE … WHERE version = shown`), otherwise ConcurrentEdit carries the
other changes so the page can show them. Each change writes AuditEntry rows with the values
before and after, in the same transaction as the change itself.
"""

from __future__ import annotations

import datetime as dt
from contextlib import contextmanager

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.db.models import F, Model
from django.utils import timezone

from jobmaal.catalogue import load_catalogue
from jobmaal.periods import Period
from jobmaal.web.accounts.roles import can_edit
from jobmaal.web.followup.fill import fill_indicator
from jobmaal.web.followup.models import (
    AuditEntry,
    GoalText,
    LocalIndicator,
    LocalValue,
    Plan,
    State,
    Target,
)
from jobmaal.web.queries import active_release

TARGET_FIELDS = ["baseline_value", "baseline_period", "target_value", "target_period", "comment"]
LOCAL_FIELDS = ["goal_number", "name", "definition", "unit", "direction", "baseline_value",
                "baseline_period", "target_value", "target_period", "series"]
TEXT_FIELDS = ["focus", "efforts"]
VALUE_FIELDS = ["period", "value", "comment"]


class FollowupError(Exception):
    """A change that cannot be made; the message is Danish and shown to the user."""


class NotEditable(FollowupError):
    pass


class ConcurrentEdit(FollowupError):
    """Someone else changed the plan after this user loaded it."""

    def __init__(self, plan: Plan, shown_version: int):
        self.plan = plan
        self.shown_version = shown_version
        self.changes = list(AuditEntry.objects.filter(plan=plan, version__gt=shown_version)
                            .order_by("version", "id"))
        who = ", ".join(sorted({c.username for c in self.changes})) or "en anden"
        super().__init__(f"Planen er ændret af {who}, siden du åbnede den. Dine ændringer er ikke "
                         "gemt; se ændringerne nedenfor og prøv igen.")


def snapshot(obj: Model, fields: list[str]) -> dict:
    return {name: _json_value(getattr(obj, name)) for name in fields}


def _json_value(value):
    if isinstance(value, (dt.date, dt.datetime)):
        return value.isoformat()
    return value


def _username(user) -> str:
    return user.get_username() if user is not None and user.is_authenticated else "system"


def audit(plan: Plan, user, action: str, object_type: str, label: str,
          before: dict | None, after: dict | None) -> None:
    if before is not None and after is not None:
        changed = [k for k in after if before.get(k) != after.get(k)]
        if not changed:
            return
        before = {k: before.get(k) for k in changed}
        after = {k: after[k] for k in changed}
    AuditEntry.objects.create(plan=plan, municipality_code=plan.municipality_code,
                              user=user if user is not None and user.is_authenticated else None,
                              username=_username(user), version=plan.version, action=action,
                              object_type=object_type, object_label=label, before=before, after=after)


@contextmanager
def change(user, plan: Plan, shown_version: int, *, needs_draft: bool = True, newest_only: bool = True):
    """Check who may change the plan and that nobody else did; yield it with its new version."""
    if not can_edit(user, plan.municipality_code):
        raise PermissionDenied("Kun kommunens redaktører kan ændre planen.")
    with transaction.atomic():
        current_updated_at = Plan.objects.filter(pk=plan.pk).values_list("updated_at", flat=True).first()
        current = _claim(plan, shown_version)
        if needs_draft and not current.editable:
            raise NotEditable(f"Planen er {current.get_state_display().lower()} og kan ikke ændres. "
                              "Start en ny revision for at ændre den.")
        if newest_only and not is_newest_revision(current):
            raise NotEditable("Det er en tidligere revision af planen; den kan ikke ændres.")
        yield current
        if not AuditEntry.objects.filter(plan=current, version=current.version).exists():
            # Nothing changed (e.g. a form saved as it was): keep the version, so another
            # editor's save is not refused for a change that did not happen.
            Plan.objects.filter(pk=current.pk).update(version=shown_version, updated_at=current_updated_at)
            current.version, current.updated_at = shown_version, current_updated_at


def _claim(plan: Plan, shown_version: int) -> Plan:
    """Raise the version if it is still the one shown, in one conditional UPDATE: of two
    concurrent saves the database lets exactly one match (PostgreSQL re-checks the WHERE after
    the other commits; SQLite serialises writers). Call inside a transaction."""
    claimed = Plan.objects.filter(pk=plan.pk, version=shown_version).update(
        version=F("version") + 1, updated_at=timezone.now())
    if not claimed:
        raise ConcurrentEdit(Plan.objects.get(pk=plan.pk), shown_version)
    return Plan.objects.get(pk=plan.pk)


def is_newest_revision(plan: Plan) -> bool:
    return not Plan.objects.filter(municipality_code=plan.municipality_code, year=plan.year,
                                   revision__gt=plan.revision).exists()


# --- creating plans -------------------------------------------------------------------------

def create_plan(user, code: int, year: int, *, demo: bool = False) -> Plan:
    """An empty draft for a year of the catalogue, one text block per goal."""
    if not can_edit(user, code):
        raise PermissionDenied("Kun kommunens redaktører kan oprette en plan.")
    catalogue = _catalogue(year)
    with transaction.atomic():
        if Plan.objects.filter(municipality_code=code, year=year).exists():
            raise FollowupError(f"Der findes allerede en plan for {year}.")
        plan = Plan.objects.create(municipality_code=code, year=year, created_by=user, demo=demo)
        for goal in catalogue.goals:
            GoalText.objects.create(plan=plan, goal_number=goal.number)
        audit(plan, user, "create", "plan", f"Plan {year} oprettet", None, {"year": year})
    return plan


def start_from_last_year(user, code: int, year: int) -> Plan:
    """A draft for `year` with last year's texts, targets and local indicators (without values);
    the newest revision of last year's plan is the source.

    Target periods move one year on and keep their values (the editor adjusts them). A national
    target's baseline moves on too but loses a typed value, so the release's figure for the new
    period is used. A local indicator's baseline becomes its last measured value, if it has one.
    """
    if not can_edit(user, code):
        raise PermissionDenied("Kun kommunens redaktører kan oprette en plan.")
    source = newest_plan(code, year - 1)
    if source is None:
        raise FollowupError(f"Der er ingen plan for {year - 1} at starte fra.")
    catalogue = _catalogue(year)
    with transaction.atomic():
        if Plan.objects.filter(municipality_code=code, year=year).exists():
            raise FollowupError(f"Der findes allerede en plan for {year}.")
        plan = Plan.objects.create(municipality_code=code, year=year, created_by=user, based_on=source,
                                   demo=source.demo)
        texts = {t.goal_number: t for t in source.goal_texts.all()}
        for goal in catalogue.goals:
            old = texts.get(goal.number)
            GoalText.objects.create(plan=plan, goal_number=goal.number, focus=old.focus if old else "",
                                    efforts=old.efforts if old else "")
        ids = {i.id for i in catalogue.indicators}
        for target in source.targets.filter(indicator_id__in=ids):
            _copy(target, plan=plan, baseline_period=shift_year(target.baseline_period), baseline_value=None,
                  target_period=shift_year(target.target_period))
        for local in source.local_indicators.all():
            last = max(local.values.all(), key=lambda v: Period.parse(v.period).end, default=None)
            baseline = ({"baseline_period": last.period, "baseline_value": last.value} if last else
                        {"baseline_period": local.baseline_period, "baseline_value": local.baseline_value})
            _copy(local, plan=plan, target_period=shift_year(local.target_period), **baseline)
        audit(plan, user, "create", "plan", f"Plan {year} oprettet ud fra planen for {year - 1}",
              None, {"year": year, "based_on": f"{source.year} rev. {source.revision}"})
        release = active_release(year)
        for local in plan.local_indicators.exclude(series=""):  # a series takes the new year's
            fill_indicator(local, release)
    return plan


def shift_year(period: str) -> str:
    if not period:
        return period
    p = Period.parse(period)
    return Period(p.year + 1, p.kind, p.index).code


def _copy(obj: Model, **changes) -> Model:
    obj.pk = None
    obj.id = None
    for name, value in changes.items():
        setattr(obj, name, value)
    obj._state.adding = True
    obj.save()
    return obj


def newest_plan(code: int, year: int) -> Plan | None:
    return Plan.objects.filter(municipality_code=code, year=year).order_by("-revision").first()


def _catalogue(year: int):
    try:
        return load_catalogue(year)
    except (KeyError, FileNotFoundError, ValueError) as exc:
        raise FollowupError(f"Der er ingen mål for {year} i kataloget.") from exc


def _target_indicator(year: int, indicator_id: str):
    try:
        return _catalogue(year).indicator(indicator_id)
    except KeyError:
        raise FollowupError(f"Indikatoren {indicator_id} findes ikke i målene for {year}.") from None


# --- plan content ---------------------------------------------------------------------------

def save_goal_text(user, plan: Plan, goal_number: int, shown_version: int, *, focus: str,
                   efforts: str) -> Plan:
    with change(user, plan, shown_version) as plan:
        text, _ = GoalText.objects.get_or_create(plan=plan, goal_number=goal_number)
        before = snapshot(text, TEXT_FIELDS)
        text.focus, text.efforts = focus, efforts
        text.save()
        audit(plan, user, "update", "goal_text", f"Mål {goal_number}: tekst", before,
              snapshot(text, TEXT_FIELDS))
    return plan


def save_target(user, plan: Plan, indicator_id: str, shown_version: int, data: dict) -> Plan:
    indicator = _target_indicator(plan.year, indicator_id)
    if indicator.supplementary:
        raise FollowupError(f"{indicator_id} er supplerende, ikke et ministermål: "
                            "planen sætter ikke måltal for den.")
    if indicator.local:
        raise FollowupError(f"{indicator_id} er en lokal indikator, ikke STAR's: vælg den som "
                            "lokal indikator under mål 4.")
    with change(user, plan, shown_version) as plan:
        target = Target.objects.filter(plan=plan, indicator_id=indicator_id).first()
        before = snapshot(target, TARGET_FIELDS) if target else None
        if target is None:
            target = Target(plan=plan, indicator_id=indicator_id)
        for name in TARGET_FIELDS:
            setattr(target, name, data.get(name, getattr(target, name)))
        target.save()
        audit(plan, user, "update" if before else "create", "target", f"Måltal for {indicator_id}",
              before, snapshot(target, TARGET_FIELDS))
    return plan


def delete_target(user, plan: Plan, indicator_id: str, shown_version: int) -> Plan:
    with change(user, plan, shown_version) as plan:
        target = Target.objects.filter(plan=plan, indicator_id=indicator_id).first()
        if target is None:
            raise FollowupError("Måltallet findes ikke.")
        before = snapshot(target, TARGET_FIELDS)
        target.delete()
        audit(plan, user, "delete", "target", f"Måltal for {indicator_id}", before, None)
    return plan


def save_local_indicator(user, plan: Plan, indicator: LocalIndicator | None, shown_version: int,
                         data: dict) -> LocalIndicator:
    with change(user, plan, shown_version) as plan:
        before = None
        if indicator is None:
            indicator = LocalIndicator(plan=plan)
        else:
            indicator = LocalIndicator.objects.get(pk=indicator.pk, plan=plan)
            before = snapshot(indicator, LOCAL_FIELDS)
        for name in LOCAL_FIELDS:
            setattr(indicator, name, data.get(name, ""))
        if indicator.series:
            _take_series(indicator, plan.year)
        indicator.save()
        audit(plan, user, "update" if before else "create", "local_indicator",
              f"Lokal indikator: {indicator.name}", before, snapshot(indicator, LOCAL_FIELDS))
        if indicator.series:
            fill_indicator(indicator, active_release(plan.year))
    return indicator


def _take_series(indicator: LocalIndicator, year: int) -> None:
    """A picked register series brings its catalogue definition, unit and direction."""
    try:
        series = load_catalogue(year).indicator(indicator.series)
    except KeyError:
        series = None
    if series is None or not series.local or series.goal != indicator.goal_number:
        raise FollowupError(f"{indicator.series} er ikke en lokal registerserie for "
                            f"mål {indicator.goal_number}.")
    indicator.name = indicator.name or series.name_da
    indicator.definition = series.definition_da
    indicator.unit, indicator.direction = series.unit, series.direction


def delete_local_indicator(user, plan: Plan, indicator: LocalIndicator, shown_version: int) -> Plan:
    with change(user, plan, shown_version) as plan:
        indicator = LocalIndicator.objects.get(pk=indicator.pk, plan=plan)
        before = snapshot(indicator, LOCAL_FIELDS)
        before["values"] = [snapshot(v, VALUE_FIELDS) for v in indicator.values.all()]
        indicator.delete()
        audit(plan, user, "delete", "local_indicator", f"Lokal indikator: {before['name']}", before, None)
    return plan


def save_local_value(user, plan: Plan, indicator: LocalIndicator, shown_version: int, *, period: str,
                     value: float, comment: str) -> Plan:
    """Record a measured value; allowed in any state of the newest revision (it is follow-up)."""
    with change(user, plan, shown_version, needs_draft=False) as plan:
        indicator = LocalIndicator.objects.get(pk=indicator.pk, plan=plan)
        if indicator.from_release:
            raise FollowupError("Værdierne hentes fra udgivelsen og kan ikke tastes.")
        row = LocalValue.objects.filter(indicator=indicator, period=period).first()
        before = snapshot(row, VALUE_FIELDS) if row else None
        row = row or LocalValue(indicator=indicator, period=period)
        row.value, row.comment = value, comment
        row.save()
        audit(plan, user, "update" if before else "create", "local_value",
              f"{indicator.name}, {Period.parse(period).label_da()}", before, snapshot(row, VALUE_FIELDS))
    return plan


def delete_local_value(user, plan: Plan, value: LocalValue, shown_version: int) -> Plan:
    with change(user, plan, shown_version, needs_draft=False) as plan:
        value = LocalValue.objects.select_related("indicator").get(pk=value.pk, indicator__plan=plan)
        before = snapshot(value, VALUE_FIELDS)
        value.delete()
        audit(plan, user, "delete", "local_value",
              f"{value.indicator.name}, {Period.parse(value.period).label_da()}", before, None)
    return plan


# --- state changes --------------------------------------------------------------------------

def _state_change(user, plan: Plan, shown_version: int, allowed_from: set[str], to: str,
                  label: str, verb: str, newest_only: bool = True, **fields) -> Plan:
    """`label` completes "Planen er …" in the history; `verb` completes "den kan ikke …"."""
    with change(user, plan, shown_version, needs_draft=False, newest_only=newest_only) as plan:
        if plan.state not in allowed_from:
            raise FollowupError(f"Planen er {plan.get_state_display().lower()}; den kan ikke {verb}.")
        before = {"state": plan.state, **snapshot(plan, list(fields))}
        plan.state = to
        for name, value in fields.items():
            setattr(plan, name, value)
        plan.save()
        audit(plan, user, "state", "plan", f"Planen er {label}", before,
              {"state": plan.state, **snapshot(plan, list(fields))})
    return plan


def _require_editor(user, plan: Plan) -> None:
    """Refuse a non-editor before telling them anything about the plan's content or state."""
    if not can_edit(user, plan.municipality_code):
        raise PermissionDenied("Kun kommunens redaktører kan ændre planen.")


def submit(user, plan: Plan, shown_version: int) -> Plan:
    _require_editor(user, plan)
    missing = [t.goal_number for t in plan.goal_texts.all() if not t.focus.strip()]
    if missing:
        numbers = ", ".join(str(n) for n in missing)
        raise FollowupError(f"Skriv det lokale fokus for mål {numbers}, før planen indsendes.")
    return _state_change(user, plan, shown_version, {State.DRAFT}, State.SUBMITTED, "indsendt",
                         "indsendes", submitted_at=timezone.now())


def withdraw(user, plan: Plan, shown_version: int) -> Plan:
    return _state_change(user, plan, shown_version, {State.SUBMITTED}, State.DRAFT,
                         "trukket tilbage til kladde", "trækkes tilbage", submitted_at=None)


def approve(user, plan: Plan, shown_version: int, meeting_date: dt.date) -> Plan:
    """Record the city council's approval at the meeting on `meeting_date`."""
    _require_editor(user, plan)
    today = timezone.localdate()
    if meeting_date > today:
        raise FollowupError("Byrådsmødets dato kan ikke ligge i fremtiden.")
    if meeting_date.year < plan.year - 1:
        raise FollowupError(f"Byrådsmødet skal ligge i {plan.year - 1} eller senere.")
    return _state_change(user, plan, shown_version, {State.SUBMITTED}, State.APPROVED,
                         "godkendt af byrådet", "godkendes", council_meeting_date=meeting_date,
                         approved_at=timezone.now())


def publish(user, plan: Plan, shown_version: int) -> Plan:
    _require_editor(user, plan)
    if plan.state != State.APPROVED:
        raise FollowupError("Kun en plan, byrådet har godkendt, kan offentliggøres.")
    if plan.published:
        raise FollowupError("Planen er allerede offentliggjort.")
    return _state_change(user, plan, shown_version, {State.APPROVED}, State.APPROVED, "offentliggjort",
                         "offentliggøres", published=True, published_at=timezone.now())


def unpublish(user, plan: Plan, shown_version: int) -> Plan:
    _require_editor(user, plan)
    if not plan.published:
        raise FollowupError("Planen er ikke offentliggjort.")
    # Also an older revision: once revised, a published revision 1 can still be taken down.
    return _state_change(user, plan, shown_version, {State.APPROVED}, State.APPROVED,
                         "ikke længere offentlig", "gøres ikke-offentlig", newest_only=False,
                         published=False, published_at=None)


def revise(user, plan: Plan, shown_version: int) -> Plan:
    """Open a new draft revision of an approved plan, copying all its content and values."""
    if not can_edit(user, plan.municipality_code):
        raise PermissionDenied("Kun kommunens redaktører kan ændre planen.")
    with transaction.atomic():
        current = _claim(plan, shown_version)
        if current.state != State.APPROVED or not is_newest_revision(current):
            raise FollowupError("Kun den nyeste godkendte plan kan revideres.")
        new = Plan.objects.create(municipality_code=current.municipality_code, year=current.year,
                                  revision=current.revision + 1, based_on=current, created_by=user,
                                  demo=current.demo)
        for text in current.goal_texts.all():
            _copy(text, plan=new)
        for target in current.targets.all():
            _copy(target, plan=new)
        for local in current.local_indicators.all():
            values = list(local.values.all())
            local = _copy(local, plan=new)
            for value in values:
                _copy(value, indicator=local)
        audit(current, user, "state", "plan", f"Revision {new.revision} er startet", None,
              {"revision": new.revision})
        audit(new, user, "create", "plan", f"Revision {new.revision} startet ud fra revision "
              f"{current.revision}", None, {"revision": new.revision})
    return new
