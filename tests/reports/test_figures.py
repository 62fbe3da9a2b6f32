"""The charts of the documents: what a target chart plots and names (no Django)."""

from __future__ import annotations

from jobmaal.reports.figures import target_chart
from jobmaal.reports.model import TargetRow


def _row(**changes) -> TargetRow:
    values = dict(goal_number=5, indicator_id="REKRUT", indicator_name="Forgæves rekrutteringer",
                  unit="pct", direction="down", baseline_value=20.0, baseline_period="2022H2",
                  target_value=18.0, target_period="2023H2", latest_value=17.5,
                  latest_period="2023H2", status="achieved", status_label="Målet er nået",
                  series=[("2022H2", 20.0), ("2023H1", 19.0), ("2023H2", 17.5)])
    values.update(changes)
    return TargetRow(**values)


def _rows(spec: dict) -> list[dict]:
    data = spec["datasets"][spec["data"]["name"]] if "datasets" in spec else spec["data"]["values"]
    return data


def _titles(spec: dict) -> tuple[str, list[str]]:
    title = spec["title"]
    subtitle = title.get("subtitle", [])
    return title["text"], subtitle if isinstance(subtitle, list) else [subtitle]


def test_rekrut_chart_in_odenses_plan_names_rar_fyn_not_odense():
    spec = target_chart(_row(area_name="RAR Fyn"), "Odense")
    assert {r["serie"] for r in _rows(spec)} == {"RAR Fyn"}
    assert _titles(spec)[0] == "Forgæves rekrutteringer, RAR Fyn"
    assert "Odense" not in str(spec)


def test_municipal_chart_is_named_after_the_municipality():
    spec = target_chart(_row(indicator_id="MM13", indicator_name="Flygtninge i job", area_name="Odense",
                             series=[("2022", 40.0), ("2023", 42.0)]), "Odense")
    assert {r["serie"] for r in _rows(spec)} == {"Odense"}
    assert _titles(spec)[0] == "Flygtninge i job"


def test_hidden_periods_are_gaps_said_in_the_subtitle_never_zero():
    series = [("2023M01", None), ("2023M02", 0.0), ("2023M03", None), ("2023M04", None)]
    spec = target_chart(_row(indicator_id="MM17", indicator_name="Opkvalificering", area_name="Odense",
                             series=series, hidden_periods=("2023M01", "2023M03")), "Odense")
    by_period = {r["periode"]: r for r in _rows(spec)}
    assert by_period["2023M01"]["value"] is None and by_period["2023M03"]["value"] is None
    assert by_period["2023M01"]["status"] == "Diskretioneret"
    assert by_period["2023M04"]["status"] != "Diskretioneret"  # missing, not hidden
    assert by_period["2023M02"]["value"] == 0.0
    assert any("diskretionerede" in line for line in _titles(spec)[1])


def test_a_series_without_hidden_periods_has_no_gap_note():
    spec = target_chart(_row(area_name="RAR Fyn"), "Odense")
    assert not any("diskretionerede" in line for line in _titles(spec)[1])


def test_gap_note_names_the_releases_threshold():
    series = [("2023M01", None), ("2023M02", 0.0)]
    spec = target_chart(_row(indicator_id="MM17", indicator_name="Opkvalificering", area_name="Odense",
                             series=series, hidden_periods=("2023M01",), suppression_threshold=10),
                        "Odense")
    assert "Huller i linjen: diskretionerede tal (tællinger under 10)" in _titles(spec)[1]
