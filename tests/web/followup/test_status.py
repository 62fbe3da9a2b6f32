"""Progress of a plan's targets on the plan page, against the small synthetic release: the
figures are read from the release's facts file here, the targets are set relative to them, and
the expected ratio is worked out by hand (ratio = actual rate / required rate, thresholds 0.95,
0.5 and 0; linear rates between period midpoints, see analysis/progress.py)."""

from __future__ import annotations

import re

import pandas as pd
import pyarrow.parquet as pq
import pytest

from jobmaal.web.followup import services
from jobmaal.web.followup.status import target_statuses

from .helpers import OWN, YEAR, add_target, fresh

BASE = f"/opfoelgning/{OWN}/{YEAR}/"


@pytest.fixture(scope="module")
def facts(computed_release_dir) -> pd.DataFrame:
    table = pq.read_table(computed_release_dir / "facts.parquet").to_pandas()
    return table[table.breakdown == "i_alt"].reset_index(drop=True)


def fact(facts: pd.DataFrame, indicator: str, period: str, level: str, code: str) -> float:
    rows = facts[(facts.indicator == indicator) & (facts.period == period) & (facts.area_level == level)
                 & (facts.area_code == code)]
    assert len(rows) == 1 and not rows.iloc[0].suppressed, (indicator, period, level, code)
    return float(rows.iloc[0].value)


def danish_pct(value: float) -> str:
    """Written independently of jobmaal.formats: one decimal, decimal comma."""
    return f"{value:.1f}".replace(".", ",") + " pct."


@pytest.fixture
def page(client, users, loaded_release):
    def get(code: int = OWN) -> str:
        client.force_login(users["editor"])
        response = client.get(f"/opfoelgning/{code}/{YEAR}/")
        assert response.status_code == 200
        return response.content.decode()
    return get


def target_row(html: str, indicator_id: str) -> str:
    """The table row of one national indicator's target."""
    match = re.search(r"<tr>(?:(?!</tr>).)*\(" + indicator_id + r"\)(?:(?!</tr>).)*</tr>", html, flags=re.S)
    assert match, indicator_id
    return match.group(0)


def status_label(row: str) -> str:
    match = re.search(r'<span class="status status-[a-z-]+">([^<]+)</span>', row)
    assert match, row
    return match.group(1)


@pytest.mark.parametrize(("below", "above", "label"), [
    # latest L = MM13 for 101 in 2023 (yearly figure); baseline B = L − below in 2022, target
    # T = L + above in 2023. One year from 2022 to 2023 both for what happened and what is needed:
    # ratio = (L − B) / (T − B) = below / (below + above)
    (3.0, 1.0, "Nogen fremgang"),  # 3 / 4 = 0.75
    (4.0, 0.1, "På rette vej"),  # 4 / 4.1 = 0.976 ≥ 0.95
    (1.0, 4.0, "Lille fremgang"),  # 1 / 5 = 0.2
    (-2.0, 4.0, "Bevæger sig væk fra målet"),  # B above L: −2 / 2 = −1
    (3.0, -0.5, "Målet er nået"),  # T below L: met, whatever the ratio
])
def test_a_targets_progress_is_shown_with_its_danish_label(page, users, plan, facts, below, above, label):
    latest = fact(facts, "MM13", "2023", "kommune", str(OWN))
    add_target(users["editor"], plan, "MM13", baseline_value=round(latest - below, 6), baseline_period="2022",
               target_value=round(latest + above, 6), target_period="2023")
    row = target_row(page(), "MM13")
    assert status_label(row) == label
    assert danish_pct(latest) in row and "2023" in row
    assert danish_pct(latest - below) in row


def test_the_ratio_is_the_one_worked_out_by_hand(users, plan, facts, loaded_release):
    latest = fact(facts, "MM13", "2023", "kommune", str(OWN))
    plan = add_target(users["editor"], plan, "MM13", baseline_value=round(latest - 3, 6),
                      baseline_period="2022", target_value=round(latest + 1, 6), target_period="2023")
    (status,) = target_statuses(plan, loaded_release)
    assert status.latest_value == pytest.approx(latest)
    assert status.latest_period == "2023" and status.latest_provisional  # Oct–Dec 2023 are provisional
    assert status.result.ratio == pytest.approx(0.75)
    assert status.result.actual_rate == pytest.approx(3.0)
    assert status.result.required_rate == pytest.approx(4.0)


def test_a_monthly_target_is_followed_with_the_newest_month_up_to_it(users, plan, facts, loaded_release):
    # baseline 2022M09 (from the release), target 2023M09: latest is 2023M09, one year after
    base = fact(facts, "MM13", "2022M09", "kommune", str(OWN))
    latest = fact(facts, "MM13", "2023M09", "kommune", str(OWN))
    plan = add_target(users["editor"], plan, "MM13", baseline_value=None, baseline_period="2022M09",
                      target_value=round(latest + 10, 6), target_period="2023M09")
    (status,) = target_statuses(plan, loaded_release)
    assert (status.latest_period, status.baseline_from_release) == ("2023M09", True)
    assert status.baseline_value == pytest.approx(base)
    # ratio = (latest − base) / (latest + 10 − base)
    assert status.result.ratio == pytest.approx(round((latest - base) / (latest + 10 - base), 9))


def test_a_baseline_period_without_a_value_takes_the_releases_figure(page, users, plan, facts):
    base = fact(facts, "MM13", "2022", "kommune", str(OWN))
    latest = fact(facts, "MM13", "2023", "kommune", str(OWN))
    # T = B + 1; ratio = (L − B) / 1: moving away if the figure fell, else by its size
    add_target(users["editor"], plan, "MM13", baseline_value=None, baseline_period="2022",
               target_value=round(base + 1, 6), target_period="2023")
    ratio = latest - base
    expected = ("Bevæger sig væk fra målet" if ratio < 0 else "Lille fremgang" if ratio < 0.5
                else "Nogen fremgang" if ratio < 0.95 else "På rette vej")
    row = target_row(page(), "MM13")
    assert f"{danish_pct(base)} <span class=\"muted\">(2022, fra udgivelsen)</span>" in row
    assert status_label(row) == expected


def test_rekrut_targets_are_measured_on_the_municipalitys_rar_area(page, users, plan, facts):
    """REKRUT (failed recruitments, lower is better) exists per RAR area only; København is in
    RAR Hovedstaden."""
    base = fact(facts, "REKRUT", "2022H2", "rar", "Hovedstaden")
    latest = fact(facts, "REKRUT", "2023H2", "rar", "Hovedstaden")
    assert not ((facts.indicator == "REKRUT") & (facts.area_level == "kommune")).any()
    # T = L − 2 (not met, direction down); one year 2022H2 → 2023H2 for both rates:
    # ratio = (L − B) / (T − B) = (L − B) / (L − 2 − B); with B = 25, L = 13.3 → 0.85
    ratio = (latest - base) / (latest - 2 - base)
    assert 0.5 <= ratio < 0.95
    add_target(users["editor"], plan, "REKRUT", baseline_value=None, baseline_period="2022H2",
               target_value=round(latest - 2, 6), target_period="2023H2")
    row = target_row(page(), "REKRUT")
    assert "RAR Hovedstaden" in row
    assert danish_pct(base) in row and danish_pct(latest) in row
    assert status_label(row) == "Nogen fremgang"
    # each survey round by its posting window: in the table and in the explanation
    assert "(jun.–nov. 2022, fra udgivelsen)" in row and "(jun.–nov. 2023)" in row
    assert "halvår" not in row


def test_a_target_without_figures_cannot_be_assessed(page, users, plan):
    add_target(users["editor"], plan, "MM10", baseline_value=None, baseline_period="2019",
               target_value=50.0, target_period="2023")
    row = target_row(page(), "MM10")
    assert status_label(row) == "Kan ikke vurderes"


def test_a_local_indicators_progress_uses_its_own_values(page, users, plan):
    editor = users["editor"]
    local = services.save_local_indicator(editor, plan, None, fresh(plan).version, {
        "goal_number": 1, "name": "Ventetid", "definition": "Dage fra henvendelse til samtale.",
        "unit": "dage", "direction": "down", "baseline_value": 20.0, "baseline_period": "2022",
        "target_value": 10.0, "target_period": "2023"})
    services.save_local_value(editor, plan, local, fresh(plan).version, period="2023", value=14.0, comment="")
    # (14 − 20) / (10 − 20) = 0.6 → some progress
    html = page()
    section = html[html.index(">Ventetid"):]
    heading = section[:section.index("</h4>")]
    assert heading.endswith('<span class="status status-some-progress">Nogen fremgang</span>')


def _set_fact(release, indicator: str, period: str, level: str, code: str, num: float | None,
              den: float | None) -> None:
    """Overwrite one total row of the loaded release: hidden when num is None."""
    from jobmaal.web.models import Fact

    hidden = num is None
    Fact.objects.filter(release=release, indicator=indicator, period=period, area_level=level,
                        area_code=code, breakdown="i_alt").update(
        numerator=num, denominator=den, value=None if hidden else 100.0 * num / den,
        suppressed=hidden)


def test_a_hidden_latest_month_is_not_replaced_by_an_older_shown_one(users, plan, loaded_release):
    """The shown months of a small municipality are those with 0 starts: stepping back from a
    hidden month to them assessed progress on a biased figure."""
    _set_fact(loaded_release, "MM17", "2023M08", "kommune", str(OWN), 0, 90)
    _set_fact(loaded_release, "MM17", "2023M09", "kommune", str(OWN), None, None)
    plan = add_target(users["editor"], plan, "MM17", baseline_value=2.0, baseline_period="2022M09",
                      target_value=0.0, target_period="2023M09")  # 0 would "meet" a target of 0
    (status,) = target_statuses(plan, loaded_release)
    assert str(status.result.status) == "not_assessable"
    assert "Seneste tal (september 2023) er diskretioneret" in status.result.explanation_da
    assert status.latest_value is None
    assert "2023M09" in status.hidden_periods
    assert dict(status.series)["2023M09"] is None and dict(status.series)["2023M08"] == 0.0


def test_a_hidden_baseline_from_the_release_cannot_be_assessed(users, plan, loaded_release):
    _set_fact(loaded_release, "MM13", "2022", "kommune", str(OWN), None, None)
    plan = add_target(users["editor"], plan, "MM13", baseline_value=None, baseline_period="2022",
                      target_value=90.0, target_period="2023")
    (status,) = target_statuses(plan, loaded_release)
    assert str(status.result.status) == "not_assessable"
    assert status.result.explanation_da.startswith("Udgangspunktet (2022) er diskretioneret")


def test_odense_mm17_case_plots_the_assessed_years_not_the_zero_months(make_user, loaded_release):
    """The demo's Odense MM17: the months shown were all 0 (the others hidden), the yearly
    figure met the target. The status and the plotted series now agree: the series is of the
    target's period kind (years), the status is judged on it, and no month is drawn as 0."""
    from jobmaal.web.accounts.models import Role
    from jobmaal.web.followup.report_data import plan_report

    odense = 461
    editor = make_user("odense", Role.EDITOR, (odense,))
    plan = services.create_plan(editor, odense, YEAR)
    for month in range(1, 13):
        shown = month in (2, 5, 6, 10)
        _set_fact(loaded_release, "MM17", f"2023M{month:02d}", "kommune", str(odense),
                  0 if shown else None, 90 if shown else None)
    _set_fact(loaded_release, "MM17", "2022", "kommune", str(odense), 11, 1069)   # 1.03 %
    _set_fact(loaded_release, "MM17", "2023", "kommune", str(odense), 13, 1047)   # 1.24 %
    plan = add_target(editor, plan, "MM17", baseline_value=None, baseline_period="2022",
                      target_value=1.2, target_period="2023")
    (status,) = target_statuses(plan, loaded_release)
    assert [p for p, _ in status.series] == ["2022", "2023"]
    assert [v for _, v in status.series] == pytest.approx([100 * 11 / 1069, 100 * 13 / 1047])
    assert status.latest_value == pytest.approx(100 * 13 / 1047)  # 1.24 ≥ 1.2: met, and drawn so
    assert status.result.label_da == "Målet er nået"
    row = next(t for g in plan_report(plan, loaded_release).goals for t in g.targets)
    assert row.series == status.series and row.area_name == "Odense"
    assert row.explanation == status.result.explanation_da
