"""Supplementary indicators (UKR_BESK, UKR_RAADIG: supplerende, ikke ministermål) take no plan
targets, neither through the page nor the service, and never count in a goal's status."""

from __future__ import annotations

import pytest

from jobmaal.web.followup import services
from jobmaal.web.followup.models import Target
from jobmaal.web.followup.status import target_statuses
from jobmaal.web.followup.summary import plan_goal_statuses

from .helpers import OWN, YEAR, add_target, fresh

pytestmark = pytest.mark.django_db


def test_the_plan_page_offers_no_target_for_a_supplementary_indicator(client, users, plan):
    client.force_login(users["editor"])
    html = client.get(f"/opfoelgning/{OWN}/{YEAR}/").content.decode()
    assert "(MM13)" in html and "(UKR_BESK)" not in html and "(UKR_RAADIG)" not in html
    assert client.get(f"/opfoelgning/{OWN}/{YEAR}/maaltal/UKR_BESK/").status_code == 404
    assert client.get(f"/opfoelgning/{OWN}/{YEAR}/maaltal/MM13/").status_code == 200


def test_the_service_refuses_a_target_on_a_supplementary_indicator(users, plan):
    with pytest.raises(services.FollowupError, match="supplerende"):
        add_target(users["editor"], plan, "UKR_RAADIG")
    assert not Target.objects.filter(plan=plan).exists()
    assert fresh(plan).version == plan.version  # nothing half-written


def test_a_stray_supplementary_target_does_not_count_in_the_goal_status(users, plan, loaded_release):
    plan = add_target(users["editor"], plan, "MM13", baseline_period="2022", baseline_value=1.0,
                      target_period="2023", target_value=2.0)
    # A target row written past the service (an old import, say) is left out.
    Target.objects.create(plan=plan, indicator_id="UKR_BESK", baseline_period="2022",
                          baseline_value=99.0, target_period="2023", target_value=100.0)
    statuses = target_statuses(plan, loaded_release)
    assert [s.indicator.id for s in statuses] == ["MM13"]
    only_mm13 = plan_goal_statuses(plan, loaded_release)
    Target.objects.filter(plan=plan, indicator_id="UKR_BESK").delete()
    assert only_mm13 == plan_goal_statuses(plan, loaded_release)
