"""Published employment plans in the open API: the plans, their targets with progress status and
the local indicators with their values. Only what municipalities have published is served; the
API has no login."""

from __future__ import annotations

import datetime as dt

from django.http import HttpRequest
from ninja import Router, Schema, Status

from jobmaal.geography import UnknownAreaError, load_geography
from jobmaal.periods import period_window_da
from jobmaal.web.followup.models import Plan
from jobmaal.web.followup.status import local_statuses, target_statuses
from jobmaal.web.followup.summary import newest_plans, plan_goal_statuses
from jobmaal.web.queries import active_release

router = Router(tags=["beskæftigelsesplaner"])


class PlanOut(Schema):
    municipality_code: int
    municipality_name: str
    year: int
    revision: int
    state: str
    council_meeting_date: dt.date | None
    published_at: dt.datetime | None
    demo: bool
    goal_status: dict[int, str]


class TargetOut(Schema):
    indicator: str
    area_level: str
    area_name: str
    baseline_value: float | None
    baseline_period: str | None
    target_value: float
    target_period: str
    # a survey round's posting window (REKRUT: "dec. 2022–maj 2023" for 2023H1); else null
    target_period_window: str | None = None
    latest_value: float | None
    latest_period: str | None
    status: str
    status_label: str


class ValueOut(Schema):
    period: str
    value: float
    comment: str


class LocalIndicatorOut(Schema):
    goal: int
    name: str
    definition: str
    unit: str
    direction: str
    baseline_value: float | None
    baseline_period: str | None
    target_value: float | None
    target_period: str | None
    status: str
    values: list[ValueOut]


class GoalTextOut(Schema):
    goal: int
    focus: str
    efforts: str


class PlanDetailOut(PlanOut):
    release: str | None
    texts: list[GoalTextOut]
    targets: list[TargetOut]
    local_indicators: list[LocalIndicatorOut]


class NotFoundOut(Schema):
    detail: str


def _plan_out(plan: Plan, release) -> dict:
    return {
        "municipality_code": plan.municipality_code,
        "municipality_name": load_geography().municipality(plan.municipality_code).name,
        "year": plan.year, "revision": plan.revision, "state": plan.state,
        "council_meeting_date": plan.council_meeting_date, "published_at": plan.published_at,
        "demo": plan.demo,
        "goal_status": {goal: str(s) for goal, s in plan_goal_statuses(plan, release).items()},
    }


@router.get("/{year}", response=list[PlanOut], summary="Published plans of a year")
def plans(request: HttpRequest, year: int):
    """The newest published revision of every municipality's plan for `year`, with the status
    of each goal (the least favourable status of its targets)."""
    release = active_release(year) or active_release()
    return [_plan_out(p, release) for p in newest_plans(year, published_only=True)]


@router.get("/{year}/{code}", response={200: PlanDetailOut, 404: NotFoundOut},
            summary="One municipality's published plan")
def plan(request: HttpRequest, year: int, code: int):
    try:
        load_geography().municipality(code)
    except UnknownAreaError:
        return Status(404, {"detail": f"no municipality with code {code}"})
    found = (Plan.objects.filter(municipality_code=code, year=year, published=True)
             .order_by("-revision").first())
    if found is None:
        return Status(404, {"detail": f"no published plan for {code} in {year}"})
    release = active_release(year) or active_release()
    targets = [{"indicator": s.indicator.id, "area_level": s.area_level, "area_name": s.area_name,
                "baseline_value": s.baseline_value, "baseline_period": s.baseline_period,
                "target_value": s.target.target_value, "target_period": s.target.target_period,
                "target_period_window": (period_window_da(s.target.target_period)
                                         if s.indicator.survey_rounds else None),
                "latest_value": s.latest_value, "latest_period": s.latest_period,
                "status": str(s.result.status), "status_label": s.result.label_da}
               for s in target_statuses(found, release)]
    local = [_local_out(s) for s in local_statuses(found)]
    texts = [{"goal": t.goal_number, "focus": t.focus, "efforts": t.efforts} for t in found.goal_texts.all()]
    return {**_plan_out(found, release), "release": release.name if release else None, "texts": texts,
            "targets": targets, "local_indicators": local}


def _local_out(s) -> dict:
    li = s.indicator
    return {"goal": li.goal_number, "name": li.name, "definition": li.definition, "unit": li.unit,
            "direction": li.direction, "baseline_value": li.baseline_value,
            "baseline_period": li.baseline_period or None, "target_value": li.target_value,
            "target_period": li.target_period or None, "status": str(s.result.status),
            "values": [{"period": v.period, "value": v.value, "comment": v.comment} for v in s.values]}
