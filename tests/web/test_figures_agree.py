"""Figures that agree with themselves, over a whole synthetic release: in every municipality ×
indicator × period the expected level is a share inside its own interval, and no pooled figure
of the comparable municipalities is shown while one of them is hidden or missing."""

from __future__ import annotations

import pyarrow.parquet as pq
import pytest

from jobmaal.geography import load_geography
from jobmaal.web import dashboards
from jobmaal.web.models import ExpectedLevel, PeerLink

pytestmark = pytest.mark.django_db


def test_every_expected_level_lies_in_0_100_and_inside_its_interval(loaded_release):
    rows = list(ExpectedLevel.objects.filter(release=loaded_release).values_list(
        "indicator", "period", "municipality_code", "expected", "lower", "upper"))
    fitted = [r for r in rows if r[3] is not None]
    assert len(fitted) > 98 * 20  # every municipal indicator, most periods
    bad = [r for r in fitted if not (0.0 <= r[4] <= r[3] <= r[5] <= 100.0)]
    assert bad == []


@pytest.mark.slow
def test_no_pooled_figure_is_shown_with_a_hidden_or_missing_peer(loaded_release, computed_release_dir):
    """Every municipality page's peer line (all periods of each municipal indicator) and its
    comparison figure, against the facts file: either all peers are shown and the figure is
    Σnumerator/Σdenominator over all of them, or there is no figure."""
    facts = pq.read_table(computed_release_dir / "facts.parquet").to_pandas()
    facts = facts[(facts.area_level == "kommune") & (facts.breakdown == "i_alt")]
    by_key = {(r.indicator, r.period, int(r.area_code)): r for r in facts.itertuples()}
    checked = hidden_groups = 0
    for code in load_geography().municipality_codes:
        peers = [p.peer_code for p in PeerLink.objects.filter(release=loaded_release, year=2023,
                                                              municipality_code=code)]
        assert len(peers) == 5
        page = dashboards.municipality(loaded_release, code, "2023")
        for block in (b for g in page["goals"] for b in g["blocks"] if b["own_level"] == "kommune"):
            ind = block["indicator"].id
            points = {r["periode"]: r["value"] for r in _chart_rows(block["trend_spec"])
                      if r["serie"] == "Sammenlignelige kommuner"}
            assert len(points) >= 2  # 24 months for monthly measures, 2 years for MM10
            points[block["period"]] = block["pooled"].value
            for period, shown in points.items():
                members = [by_key.get((ind, period, p)) for p in peers]
                if any(m is None or m.suppressed for m in members):
                    hidden_groups += 1
                    assert shown is None, (code, ind, period)
                else:
                    num = sum(m.numerator for m in members)
                    den = sum(m.denominator for m in members)
                    assert shown == (pytest.approx(100 * num / den) if den else None), (code, ind, period)
                checked += 1
    assert checked >= 98 * (4 * 24 + 2) and hidden_groups > 0


def _chart_rows(spec: dict) -> list[dict]:
    """The rows of a trend chart spec (Altair inlines them or names them in `datasets`)."""
    if "datasets" in spec:
        return spec["datasets"][spec["data"]["name"]]
    return spec["data"]["values"]


def test_municipality_page_says_why_the_peers_have_no_pooled_figure(loaded_release):
    from jobmaal.web.models import Fact

    peers = [str(p.peer_code) for p in
             PeerLink.objects.filter(release=loaded_release, year=2023, municipality_code=101)]
    own = Fact.objects.filter(release=loaded_release, indicator="MM13", period="2023",
                              area_level="kommune", breakdown="i_alt")
    # all five shown (this tiny release hides many), then one of them hidden
    own.filter(area_code__in=peers).update(suppressed=False, suppression=None, numerator=20.0,
                                           denominator=40.0, value=50.0)
    own.filter(area_code=peers[0]).update(suppressed=True, suppression="primary", numerator=None,
                                          denominator=None, value=None)
    page = dashboards.municipality(loaded_release, 101, "2023")
    block = next(b for g in page["goals"] for b in g["blocks"] if b["indicator"].id == "MM13")
    assert block["pooled"].value is None
    row = next(r for r in block["comparison_table"].rows if r["area"].startswith("Sammenlignelige"))
    assert row["value"] is None
    assert "Kan ikke beregnes: 1 af 5 kommuner er diskretioneret" in row["area"]
    assert "intet samlet tal" in block["trend_table"].note
