"""The engine rolls municipalities into the job centres and RAR areas of each period's year:
until 2021 Jobcenter Vallensbæk (187) served Ishøj (183) and Vallensbæk; from 2022 each has its
own, so a release for 2022 has 94 job centres in 2021's periods and 95 in 2022's.

  Ishøj 183:      P1 adagpenge Jun 2021 and Jun 2022, ordinary education starts in both months
  Vallensbæk 187: P2 adagpenge Jun 2021 and Jun 2022, no education
"""

from __future__ import annotations

from datetime import date

import pytest
from builders import RegisterFolder
from factlookup import Facts, assert_figure, compute


@pytest.fixture(scope="module")
def facts(tmp_path_factory) -> Facts:
    r = RegisterFolder(tmp_path_factory.mktemp("geo"), latest="2022-12")
    for mon in ("2021-06", "2022-06"):
        r.benefit(1, mon, "adagpenge", 183).benefit(2, mon, "adagpenge", 187)
        r.education(1, date(int(mon[:4]), 6, 10), "ordinaer_uddannelse", 183)
    r.lives(1, 183).lives(2, 187)
    return compute(r.write(), 2022, threshold=1)


def jobcentres(facts: Facts, period: str) -> set[str]:
    return {r["area_code"] for r in facts.where(indicator="MM17", period=period,
                                                area_level="jobcenter", breakdown="i_alt")}


def test_vallensbaek_served_ishoj_in_2021_and_each_has_its_own_from_2022(facts):
    assert_figure(facts.get("MM17", "2021M06", "187", level="jobcenter"), 1, 2)
    assert not facts.has("MM17", "2021M06", "183", level="jobcenter")
    assert_figure(facts.get("MM17", "2022M06", "183", level="jobcenter"), 1, 1)
    assert_figure(facts.get("MM17", "2022M06", "187", level="jobcenter"), 0, 1)
    assert_figure(facts.get("MM17", "2021", "187", level="jobcenter"), 1, 2)
    assert_figure(facts.get("MM17", "2022H1", "183", level="jobcenter"), 1, 1)


def test_a_jobcentre_figure_exists_only_for_jobcentres_of_that_year(facts):
    assert len(jobcentres(facts, "2021M06")) == 94
    assert len(jobcentres(facts, "2021")) == 94
    assert len(jobcentres(facts, "2022M06")) == 95
    assert {"183", "187"} <= jobcentres(facts, "2022Q2")


def test_municipalities_and_the_country_do_not_change(facts):
    for period in ("2021M06", "2022M06"):
        assert_figure(facts.get("MM17", period, "183"), 1, 1)
        assert_figure(facts.get("MM17", period, "DK", level="land"), 1, 2)
        assert_figure(facts.get("MM17", period, "Hovedstaden", level="rar"), 1, 2)


def test_a_computed_2022_release_has_94_job_centres_in_2021_and_95_in_2022(tmp_path):
    from jobmaal.indicators.engine import compute_facts
    from jobmaal.registers.synth import generate

    generate(tmp_path, scale=0.003, seed=5)
    facts = Facts(compute_facts(tmp_path, 2022))
    for indicator in ("MM17", "MM13", "MM10"):
        year_2021 = {r["area_code"] for r in facts.where(indicator=indicator, period="2021",
                                                         area_level="jobcenter", breakdown="i_alt")}
        year_2022 = {r["area_code"] for r in facts.where(indicator=indicator, period="2022",
                                                         area_level="jobcenter", breakdown="i_alt")}
        assert (len(year_2021), len(year_2022)) == (94, 95), indicator
        assert "183" not in year_2021 and {"183", "187"} <= year_2022


def test_secondary_suppression_relates_each_period_to_its_own_years_job_centres(facts):
    """Jobcenter Vallensbæk 2021 = Ishøj + Vallensbæk; from 2022 Ishøj sums into its own."""
    import pyarrow as pa

    from jobmaal.indicators.engine import suppression_links

    table = pa.table({"indicator": ["MM17"], "breakdown": ["i_alt"], "breakdown_value": ["i_alt"]})
    links = suppression_links(table, 2022)
    ishoj = links[(links.indicator == "MM17") & (links.child == "kommune:183")
                  & (links.relation == "kommune>jobcenter")]
    assert sorted(zip(ishoj.year, ishoj.parent, strict=True)) == [
        (2021, "jobcenter:187"), (2022, "jobcenter:183")]
    assert links[links.dimension == "period"].year.isna().all()  # a period relation holds every year
