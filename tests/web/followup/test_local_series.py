"""Goal-4 local indicators picked from the engine's register series (LOK_FLEXJOB, …): the plan
picks one, and its monthly values are filled from each activated release, not typed, audited.

Releases here are hand-made rows. Release A (2023): LOK_FLEXJOB in 101 is 12 in 2023M01, 15 in
2023M02, hidden in 2023M03; 147 has 40 in 2023M01 (another municipality, never ours). Release B
revises 2023M02 to 16 and shows 2023M03 as 7 but hides 2023M01.
"""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from jobmaal.web.followup import services
from jobmaal.web.followup.fill import fill_from_release
from jobmaal.web.followup.models import AuditEntry, LocalValue
from jobmaal.web.models import Fact, Release
from jobmaal.web.releases import activate_release

from .helpers import OTHER, OWN, YEAR, add_local, db_state, fresh

pytestmark = pytest.mark.django_db


def _release(name: str, values: dict[tuple[int, str], float | None]) -> Release:
    release = Release.objects.create(
        name=name, year=YEAR, catalogue_year=YEAR, manifest={}, facts_sha256="0" * 64,
        created=datetime(2024, 1, 5, tzinfo=UTC))
    Fact.objects.bulk_create([
        Fact(release=release, indicator="LOK_FLEXJOB", period=period, area_level="kommune",
             area_code=str(code), breakdown="i_alt", breakdown_value="i_alt",
             numerator=value, denominator=value, value=value, suppressed=value is None)
        for (code, period), value in values.items()])
    return release


A = {(OWN, "2023M01"): 12.0, (OWN, "2023M02"): 15.0, (OWN, "2023M03"): None,
     (OTHER, "2023M01"): 40.0, (OWN, "2022M12"): 11.0}
B = {(OWN, "2023M01"): None, (OWN, "2023M02"): 16.0, (OWN, "2023M03"): 7.0}


def _pick(user, plan, series="LOK_FLEXJOB", goal_number=4):
    return add_local(user, plan, name="", goal_number=goal_number, series=series, definition="",
                     unit="", direction="", baseline_value=None, baseline_period="",
                     target_value=None, target_period="")


def _values(indicator) -> dict[str, float]:
    return dict(LocalValue.objects.filter(indicator=indicator).values_list("period", "value"))


def test_picking_a_series_takes_its_definition_and_fills_from_the_active_release(users, plan):
    release = _release("A", A)
    activate_release(release)
    indicator = _pick(users["editor"], plan)
    assert indicator.name == "Personer i fleksjob" and indicator.unit == "antal"
    assert indicator.definition.startswith("Lokal indikator, ikke STAR's")
    # Our municipality's shown months of the plan year only: no hidden month, no 2022, no 147.
    assert _values(indicator) == {"2023M01": 12.0, "2023M02": 15.0}
    assert set(LocalValue.objects.filter(indicator=indicator).values_list("release", flat=True)) == {
        release.pk}
    fill = AuditEntry.objects.get(plan=plan, action="fill")
    assert fill.username == "udgivelse: A"
    assert fill.before == {"2023M01": None, "2023M02": None}
    assert fill.after == {"2023M01": 12.0, "2023M02": 15.0}


def test_a_new_release_refills_the_values_and_a_hidden_month_becomes_a_gap(users, plan):
    activate_release(_release("A", A))
    indicator = _pick(users["editor"], plan)
    activate_release(_release("B", B))
    assert _values(indicator) == {"2023M02": 16.0, "2023M03": 7.0}  # 2023M01 hidden: no value
    fill = AuditEntry.objects.filter(plan=plan, action="fill").first()  # newest first
    assert fill.before == {"2023M01": 12.0, "2023M02": 15.0, "2023M03": None}
    assert fill.after == {"2023M01": None, "2023M02": 16.0, "2023M03": 7.0}
    # The same release again changes nothing and writes no audit entry.
    count = AuditEntry.objects.count()
    assert fill_from_release(Release.objects.get(name="B")) == 0
    assert AuditEntry.objects.count() == count


def test_only_the_newest_revision_of_the_release_year_is_filled(users, plan):
    indicator = _pick(users["editor"], plan)  # no active release yet: nothing to fill
    assert _values(indicator) == {}
    release = _release("A", A)
    release.year = 2024
    release.save()
    assert fill_from_release(release) == 0  # another year's release
    assert _values(indicator) == {}


def test_typed_values_are_refused_for_a_series(users, plan):
    activate_release(_release("A", A))
    indicator = _pick(users["editor"], plan)
    before = db_state()
    with pytest.raises(services.FollowupError, match="hentes fra udgivelsen"):
        services.save_local_value(users["editor"], plan, indicator, fresh(plan).version,
                                  period="2023M04", value=99.0, comment="")
    assert db_state() == before


def test_a_series_is_never_a_target_and_only_belongs_to_goal_4(users, plan):
    with pytest.raises(services.FollowupError, match="lokal indikator"):
        services.save_target(users["editor"], plan, "LOK_FLEXJOB", fresh(plan).version,
                             {"target_value": 10.0, "target_period": "2023"})
    with pytest.raises(services.FollowupError, match="mål 1"):
        _pick(users["editor"], plan, goal_number=1)
    with pytest.raises(services.FollowupError, match="ikke en lokal registerserie"):
        _pick(users["editor"], plan, series="MM13")


def test_the_form_offers_the_goal_4_series_and_an_editor_picks_one(client, users, plan):
    activate_release(_release("A", A))
    client.force_login(users["editor"])
    url = f"/opfoelgning/{OWN}/{YEAR}/lokal/ny/?maal=4"
    html = client.get(url).content.decode()
    for series in ("LOK_FLEXJOB", "LOK_LEDYD_FLEX", "LOK_LEDYD"):
        assert f'value="{series}"' in html
    response = client.post(url, {"version": fresh(plan).version, "goal_number": 4,
                                 "series": "LOK_FLEXJOB"})
    assert response.status_code == 302
    indicator = fresh(plan).local_indicators.get()
    assert indicator.series == "LOK_FLEXJOB" and _values(indicator) == {"2023M01": 12.0,
                                                                        "2023M02": 15.0}
    page = client.get(f"/opfoelgning/{OWN}/{YEAR}/").content.decode()
    assert "Lokal indikator, ikke STAR&#x27;s" in page or "Lokal indikator, ikke STAR's" in page
    assert "Fra udgivelsen" in page


def test_an_own_indicator_still_needs_its_name_and_definition(client, users, plan):
    client.force_login(users["editor"])
    response = client.post(f"/opfoelgning/{OWN}/{YEAR}/lokal/ny/",
                           {"version": fresh(plan).version, "goal_number": 4, "series": ""})
    assert response.status_code == 400
    assert not fresh(plan).local_indicators.exists()


@pytest.mark.parametrize("who", ["reader", "other_editor", "kl", "ministry"])
def test_only_the_municipalitys_editors_may_pick_a_series(client, users, plan, who):
    activate_release(_release("A", A))
    before = db_state()
    client.force_login(users[who])
    response = client.post(f"/opfoelgning/{OWN}/{YEAR}/lokal/ny/?maal=4",
                           {"version": fresh(plan).version, "goal_number": 4,
                            "series": "LOK_FLEXJOB"})
    assert response.status_code in (403, 404)
    assert db_state() == before
    with pytest.raises(services.PermissionDenied):
        _pick(users[who], plan)


def test_next_years_plan_keeps_the_series_and_fills_it_from_that_years_release(users, plan):
    activate_release(_release("A", A))
    _pick(users["editor"], plan)
    later = _release("2024", {})
    later.year = later.catalogue_year = 2024
    later.save()
    Fact.objects.create(release=later, indicator="LOK_FLEXJOB", period="2024M01",
                        area_level="kommune", area_code=str(OWN), breakdown="i_alt",
                        breakdown_value="i_alt", numerator=20.0, denominator=20.0, value=20.0)
    activate_release(later)
    plan_2024 = services.start_from_last_year(users["editor"], OWN, 2024)
    copied = plan_2024.local_indicators.get()
    assert copied.series == "LOK_FLEXJOB"
    assert copied.baseline_period == "2023M02" and copied.baseline_value == 15.0
    assert _values(copied) == {"2024M01": 20.0}
