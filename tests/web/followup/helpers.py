"""Helpers of the follow-up tests: a fingerprint of everything a change could touch, and
plans brought into each state through the services (as an editor would)."""

from __future__ import annotations

import datetime as dt

from jobmaal.web.followup import services
from jobmaal.web.followup.models import AuditEntry, GoalText, LocalIndicator, LocalValue, Plan, Target

OWN, OTHER = 101, 147
YEAR = 2023
MEETING = dt.date(2022, 12, 14)


def db_state() -> dict:
    """Row counts, every plan's version/state/publication and every content row: equal before
    and after a refused request means the request changed nothing."""
    return {
        "counts": {m.__name__: m.objects.count()
                   for m in (Plan, GoalText, Target, LocalIndicator, LocalValue, AuditEntry)},
        "plans": sorted(Plan.objects.values_list("pk", "version", "state", "published", "revision",
                                                 "council_meeting_date", "updated_at")),
        "texts": sorted(GoalText.objects.values_list("pk", "focus", "efforts")),
        "targets": sorted(Target.objects.values_list("pk", "indicator_id", "baseline_value",
                                                     "baseline_period", "target_value", "target_period",
                                                     "comment")),
        "locals": sorted(LocalIndicator.objects.values_list("pk", "name", "definition", "unit",
                                                            "target_value", "target_period")),
        "values": sorted(LocalValue.objects.values_list("pk", "period", "value", "comment")),
    }


def fresh(plan: Plan) -> Plan:
    return Plan.objects.get(pk=plan.pk)


def fill_texts(user, plan: Plan) -> Plan:
    """Write the local focus of every goal (what submitting needs)."""
    for text in fresh(plan).goal_texts.all():
        plan = services.save_goal_text(user, plan, text.goal_number, fresh(plan).version,
                                       focus=f"Fokus for mål {text.goal_number}", efforts="- En indsats")
    return fresh(plan)


def add_target(user, plan: Plan, indicator_id: str = "MM13", **data) -> Plan:
    values = {"baseline_value": 40.0, "baseline_period": "2022", "target_value": 50.0,
              "target_period": "2023", "comment": ""}
    values.update(data)
    services.save_target(user, plan, indicator_id, fresh(plan).version, values)
    return fresh(plan)


def add_local(user, plan: Plan, name: str = "Tilfredshed med sagsbehandlingen", **data) -> LocalIndicator:
    values = {"goal_number": 1, "name": name, "definition": "Andel tilfredse i den årlige måling.",
              "unit": "pct", "direction": "up", "baseline_value": 60.0, "baseline_period": "2022",
              "target_value": 70.0, "target_period": "2023"}
    values.update(data)
    return services.save_local_indicator(user, plan, None, fresh(plan).version, values)


def add_value(user, plan: Plan, indicator: LocalIndicator, period: str = "2023H1", value: float = 65.0,
              comment: str = "") -> LocalValue:
    services.save_local_value(user, plan, indicator, fresh(plan).version, period=period, value=value,
                              comment=comment)
    return LocalValue.objects.get(indicator=indicator, period=period)


def submitted(user, plan: Plan) -> Plan:
    plan = fill_texts(user, plan)
    return services.submit(user, plan, plan.version)


def approved(user, plan: Plan) -> Plan:
    plan = submitted(user, plan)
    return services.approve(user, plan, plan.version, MEETING)


def published(user, plan: Plan) -> Plan:
    plan = approved(user, plan)
    return services.publish(user, plan, plan.version)
