"""The numbers the overview, the national PDF and the API show about plans: municipalities per
progress status per goal (a goal takes the least favourable status of its targets), targets per
status per indicator, and the national map. Targets are set relative to the small release's own
figures (read from its facts file here); each expected status is worked out by hand in a comment."""

from __future__ import annotations

import re

import pandas as pd
import pyarrow.parquet as pq
import pytest

from jobmaal.analysis.progress import ProgressStatus as S
from jobmaal.catalogue import load_catalogue
from jobmaal.geography import load_geography
from jobmaal.web.followup import services
from jobmaal.web.followup.report_data import _national_indicator, national_report
from jobmaal.web.followup.summary import goal_status

from .helpers import OTHER, OWN, YEAR, add_local, add_target, add_value, approved, fresh, published


def test_a_goal_takes_the_least_favourable_assessed_status():
    assert goal_status([S.ACHIEVED, S.ON_TRACK]) == S.ON_TRACK
    assert goal_status([S.ACHIEVED, S.MOVING_AWAY, S.SOME_PROGRESS]) == S.MOVING_AWAY
    assert goal_status([S.LITTLE_PROGRESS, S.SOME_PROGRESS]) == S.LITTLE_PROGRESS
    assert goal_status([S.NOT_ASSESSABLE, S.ACHIEVED]) == S.ACHIEVED  # not assessable never wins
    assert goal_status([S.NOT_ASSESSABLE]) == S.NOT_ASSESSABLE
    assert goal_status([]) == S.NOT_ASSESSABLE


@pytest.fixture(scope="module")
def facts(computed_release_dir) -> pd.DataFrame:
    table = pq.read_table(computed_release_dir / "facts.parquet").to_pandas()
    return table[table.breakdown == "i_alt"].reset_index(drop=True)


def latest(facts: pd.DataFrame, indicator: str, code: int, period: str = "2023") -> float:
    rows = facts[(facts.indicator == indicator) & (facts.period == period) & (facts.area_level == "kommune")
                 & (facts.area_code == str(code))]
    assert len(rows) == 1 and not rows.iloc[0].suppressed, (indicator, code)
    return float(rows.iloc[0].value)


@pytest.fixture
def two_plans(users, loaded_release, facts):
    """OWN (published): MM13 achieved, MM13_190 moving away → goal 3 moving away; a local goal-1
    indicator on track. OTHER (approved, not published): MM13 on track → goal 3 on track."""
    editor, other = users["editor"], users["other_editor"]
    own = services.create_plan(editor, OWN, YEAR)
    mm13 = latest(facts, "MM13", OWN)
    # target 0.5 below the 2023 figure: met, whatever the rate → achieved
    add_target(editor, own, "MM13", baseline_value=round(mm13 - 3, 6), baseline_period="2022",
               target_value=round(mm13 - 0.5, 6), target_period="2023")
    mm13_190 = latest(facts, "MM13_190", OWN)
    # baseline 2 above the 2023 figure, target 4 above: ratio (−2)/(+2) = −1 → moving away
    add_target(editor, own, "MM13_190", baseline_value=round(mm13_190 + 2, 6), baseline_period="2022",
               target_value=round(mm13_190 + 4, 6), target_period="2023")
    # 60 in 2022Q4, 65 in 2023Q2 (½ year on: 10 a year), 70 wanted in 2023Q4 (1 year: 10 a year)
    # → ratio 1.0 → on track
    local = add_local(editor, own, baseline_value=60.0, baseline_period="2022Q4", target_value=70.0,
                      target_period="2023Q4")
    add_value(editor, own, local, "2023Q2", 65.0)
    published(editor, fresh(own))

    theirs = services.create_plan(other, OTHER, YEAR)
    # Frederiksberg's yearly MM13 is hidden (secondary suppression) in this small release; its
    # second half-year is shown, so the target is set on half-years
    mm13_other = latest(facts, "MM13", OTHER, "2023H2")
    # baseline 4 below, target 0.1 above, a year apart: 4 / 4.1 = 0.976 ≥ 0.95 → on track
    add_target(other, theirs, "MM13", baseline_value=round(mm13_other - 4, 6), baseline_period="2022H2",
               target_value=round(mm13_other + 0.1, 6), target_period="2023H2")
    approved(other, fresh(theirs))
    return own, theirs


def test_municipalities_per_status_per_goal_count_every_plan_for_those_who_read_all(two_plans):
    report = national_report(YEAR, published_only=False)
    goals = {g.number: g for g in report.goals}
    assert goals[3].status_counts == {"moving_away": 1, "on_track": 1}
    assert goals[1].status_counts == {"on_track": 1}
    assert goals[2].status_counts == {} and goals[5].status_counts == {}
    by_indicator = {row.indicator_id: row.status_counts for g in report.goals for row in g.indicators}
    assert by_indicator["MM13"] == {"achieved": 1, "on_track": 1}  # targets, one per plan
    assert by_indicator["MM13_190"] == {"moving_away": 1}
    assert report.plans_by_state == {"Kladde": 0, "Indsendt til byrådet": 0, "Godkendt af byrådet": 2,
                                     "Ingen plan": 96}


def test_the_public_counts_only_published_plans(two_plans):
    goals = {g.number: g for g in national_report(YEAR, published_only=True).goals}
    assert goals[3].status_counts == {"moving_away": 1}
    assert goals[1].status_counts == {"on_track": 1}


def _goal_counts(html: str, goal: int) -> dict[str, str]:
    section = html.split(f'id="goal-{goal}"')[1].split("</section>")[0]
    table = section.split('class="progress-summary"')[1].split("</table>")[0]
    labels = re.findall(r'<span class="status [^"]+">([^<]+)</span>', table)
    numbers = re.findall(r'<td class="num">(\d+) kommuner?</td>', table)
    return dict(zip(labels, numbers, strict=True))


def test_the_overview_shows_the_counts_each_reader_may_see(client, users, two_plans):
    public = _goal_counts(client.get("/").content.decode(), 3)
    assert public["Bevæger sig væk fra målet"] == "1" and public["På rette vej"] == "0"
    client.force_login(users["ministry"])
    everything = _goal_counts(client.get("/").content.decode(), 3)
    assert everything["Bevæger sig væk fra målet"] == "1" and everything["På rette vej"] == "1"


def test_the_api_gives_each_published_plans_goal_status(client, two_plans):
    plans = client.get(f"/api/plans/{YEAR}").json()
    assert [(p["municipality_code"], p["goal_status"]) for p in plans] == [
        (OWN, {"1": "on_track", "3": "moving_away"})]


def test_the_national_map_keeps_suppression_direction_and_rar_areas(db, loaded_release, facts):
    catalogue = load_catalogue(YEAR)
    geo = load_geography()
    rekrut = _national_indicator(loaded_release, catalogue.indicator("REKRUT"), {})
    # REKRUT is published per RAR area only: each municipality shows its RAR area's latest half-year
    half = facts[(facts.indicator == "REKRUT") & (facts.area_level == "rar")]
    assert rekrut.period == max(half.period) and rekrut.direction == "down"
    rows = half[half.period == rekrut.period].set_index("area_code")
    for code in (OWN, 461, 851):
        rar = rows.loc[geo.parent_code(code, "rar")]
        assert (code in rekrut.suppressed) == bool(rar.suppressed)
        assert rekrut.map_values[code] == (None if rar.suppressed else pytest.approx(rar.value))

    mm17 = _national_indicator(loaded_release, catalogue.indicator("MM17"), {})
    now = facts[(facts.indicator == "MM17") & (facts.period == mm17.period) & (facts.area_level == "kommune")]
    hidden = {int(c) for c in now[now.suppressed].area_code}
    assert hidden and mm17.suppressed == hidden  # the small release suppresses some: never shown as 0
    assert all(mm17.map_values[c] is None for c in hidden)


def test_the_national_report_lists_the_municipalities_per_status(two_plans):
    report = national_report(YEAR, published_only=False)
    goals = {g.number: g for g in report.goals}
    # OWN = København (goal 3 moving away), OTHER = Frederiksberg (goal 3 on track)
    assert goals[3].status_municipalities == {"moving_away": ["København"], "on_track": ["Frederiksberg"]}
    mm13 = next(row for row in goals[3].indicators if row.indicator_id == "MM13")
    assert mm13.status_municipalities == {"achieved": ["København"], "on_track": ["Frederiksberg"]}


def test_the_national_report_uses_the_national_pages_period_the_year(db, loaded_release, facts):
    """The national page shows the release's year; the PDF showed December (the latest month)."""
    catalogue = load_catalogue(YEAR)
    mm17 = _national_indicator(loaded_release, catalogue.indicator("MM17"), {})
    assert mm17.period == "2023"
    land = facts[(facts.indicator == "MM17") & (facts.area_level == "land")].set_index("period")
    assert mm17.country_value == pytest.approx(land.loc["2023"].value)
    assert mm17.change_pp == pytest.approx(land.loc["2023"].value - land.loc["2022"].value)
    rekrut = _national_indicator(loaded_release, catalogue.indicator("REKRUT"), {})
    assert rekrut.period == "2023H2"  # the page's choice for a half-yearly indicator in a year


def test_the_plans_api_gives_a_survey_round_target_its_posting_window(client, users, loaded_release):
    editor = users["editor"]
    plan = services.create_plan(editor, OWN, YEAR)
    add_target(editor, plan, "REKRUT", baseline_value=None, baseline_period="2022H2",
               target_value=20.0, target_period="2023H2")
    add_target(editor, plan, "MM13", target_period="2023")
    published(editor, fresh(plan))
    targets = {t["indicator"]: t for t in client.get(f"/api/plans/{YEAR}/{OWN}").json()["targets"]}
    # REKRUT's 2023H2 is the survey round of postings from June to November 2023
    assert targets["REKRUT"]["target_period"] == "2023H2"
    assert targets["REKRUT"]["target_period_window"] == "jun.–nov. 2023"
    assert targets["MM13"]["target_period_window"] is None


# -- written summaries in the documents ----------------------------------------------------------

def test_the_national_report_has_the_countrys_written_summary(db, loaded_release, facts):
    from jobmaal.formats import decimal, pct

    mm17 = _national_indicator(loaded_release, load_catalogue(YEAR).indicator("MM17"), {})
    land = facts[(facts.indicator == "MM17") & (facts.area_level == "land")].set_index("period")
    now, before = land.loc["2023"].value, land.loc["2022"].value
    way = "højere" if now > before else "lavere"
    assert mm17.summary.startswith(f"Hele landet ligger på {pct(now)} i 2023, "
                                   f"{decimal(abs(now - before))} pct.-point {way} end året før.")


def test_the_plan_documents_carry_the_municipality_pages_summary(two_plans, loaded_release):
    from jobmaal.reports.plan_docx import render_plan_docx
    from jobmaal.web import dashboards, summaries
    from jobmaal.web.followup.report_data import plan_report

    own, _ = two_plans
    report = plan_report(fresh(own), loaded_release)
    data = dashboards.municipality(loaded_release, OWN, "2023")
    expected = summaries.goal_summaries(loaded_release, data, summaries.year_targets(fresh(own)))
    goals = {g.number: g for g in report.goals}
    assert goals[3].summary == expected[3] and goals[3].summary.startswith("København ")
    assert "målet på" in goals[3].summary  # the plan's year target of MM13 with its forecast
    assert goals[4].summary == expected.get(4, "")  # the goal-4 local series, where shown
    import io

    import docx
    text = "\n".join(p.text for p in docx.Document(io.BytesIO(render_plan_docx(report))).paragraphs)
    assert expected[3] in text
