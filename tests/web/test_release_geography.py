"""A release for 2022 holds 2021's periods too: until 2021 Jobcenter Vallensbæk (187) served
Ishøj (183) and Vallensbæk (shown by its members, "Jobcenter Ishøj-Vallensbæk"), from 2022 each
has its own. Pages and the API show 94 job centres for 2021's periods and 95 for 2022's, as the
facts have them."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pandas as pd
import pyarrow.parquet as pq
import pytest

from jobmaal.indicators.output import run_compute
from jobmaal.registers.synth import generate

SCALE, SEED = 0.003, 1  # as the shared 2023 release of tests/web/conftest.py

pytestmark = pytest.mark.django_db


@pytest.fixture(scope="module")
def release_2022_dir(tmp_path_factory) -> Path:
    registers = tmp_path_factory.mktemp("registers-2022")
    generate(registers, scale=SCALE, seed=SEED, last_month=date(2022, 12, 1))
    out = tmp_path_factory.mktemp("release") / "release-2022"
    run_compute(registers, 2022, out)
    return out


@pytest.fixture(scope="module")
def facts(release_2022_dir) -> pd.DataFrame:
    return pq.read_table(release_2022_dir / "facts.parquet").to_pandas()


@pytest.fixture(scope="module")
def release(django_db_setup, django_db_blocker, release_2022_dir):
    """Loaded once for the module, removed again after it."""
    from jobmaal.web.models import Release
    from jobmaal.web.releases import load_release

    with django_db_blocker.unblock():
        release = load_release(release_2022_dir, activate=True)
    yield release
    with django_db_blocker.unblock():
        Release.objects.filter(pk=release.pk).delete()


def one(facts: pd.DataFrame, period: str, level: str, code: str, indicator: str = "MM13") -> pd.Series:
    rows = facts[(facts.indicator == indicator) & (facts.period == period) & (facts.area_level == level)
                 & (facts.area_code == code) & (facts.breakdown == "i_alt")]
    assert len(rows) == 1, (period, level, code)
    return rows.iloc[0]


@pytest.mark.parametrize(("period", "count"), [("2021", 94), ("2022", 95)])
def test_job_centre_table_of_a_2022_release_has_the_job_centres_of_the_periods_year(
        client, release, facts, period, count):
    page = client.get(f"/indikator/MM13/?niveau=jobcenter&periode={period}")
    shown = {r["code"]: r for r in page.context["areas_table"].rows}
    in_facts = set(facts[(facts.indicator == "MM13") & (facts.period == period)
                         & (facts.area_level == "jobcenter") & (facts.breakdown == "i_alt")].area_code)
    assert len(shown) == count and set(shown) == in_facts
    assert ("183" in shown) == (period == "2022")
    for code, row in shown.items():
        fact = one(facts, period, "jobcenter", code)
        assert (row["numerator"], row["denominator"]) == (fact.numerator, fact.denominator)


def test_vallensbaek_job_centre_sums_both_municipalities_in_2021_and_only_its_own_in_2022(facts):
    ishoj, vallensbaek = (one(facts, "2021", "kommune", c) for c in ("183", "187"))
    centre = one(facts, "2021", "jobcenter", "187")
    assert centre.denominator == ishoj.denominator + vallensbaek.denominator
    assert centre.numerator == ishoj.numerator + vallensbaek.numerator
    for code in ("183", "187"):
        own, centre = one(facts, "2022", "kommune", code), one(facts, "2022", "jobcenter", code)
        assert (centre.numerator, centre.denominator) == (own.numerator, own.denominator)


@pytest.mark.parametrize(("period", "centre", "name"), [
    ("2021", "187", "Jobcenter Ishøj-Vallensbæk"), ("2022", "183", "Jobcenter Ishøj")])
def test_ishojs_page_compares_it_with_the_job_centre_of_the_periods_year(
        client, release, facts, period, centre, name):
    page = client.get(f"/kommune/183/?periode={period}")
    block = next(b for g in page.context["goals"] for b in g["blocks"] if b["indicator"].id == "MM13")
    jobcentre = next(f for f in block["comparison"] if f.level == "jobcenter")
    assert (jobcentre.code, jobcentre.name) == (centre, name)
    assert jobcentre.value == pytest.approx(one(facts, period, "jobcenter", centre).value)
    assert page.context["jobcentre"].name == name


def test_api_areas_and_facts_of_a_2022_release_agree(client, release, facts):
    areas = client.get("/api/areas", {"level": "jobcenter"}).json()
    assert len(areas) == 95
    for period, count in (("2021", 94), ("2022", 95)):
        body = client.get("/api/facts", {"indicator": "MM13", "area_level": "jobcenter", "breakdown": "i_alt",
                                         "period_from": period, "period_to": period}).json()
        assert body["count"] == count
