"""MM10 (goal 5b): share of firms with at least one employee that collaborate with a job centre.

Suppression off (threshold 1). Firms (year: municipality, avg_employees) and collaborations:

  F1  2023: Fanø 563, 3.0         collab 2023-05 with 561 (Esbjerg–Fanø: own)
  F2  2023: 563, 1.0 (boundary)   collab 2023-12 with 101 (other)
  F3  2023: 563, 0.99             collab 2023-02 with 561 → not a firm with an employee
  F4  2023: Esbjerg 561, 10.0     collab 2023-01 with 561 (own) and 2023-06 with 851 (other)
  F5  2022 and 2023: 561, 2.0     collab 2022-12 with 561 → counts for 2022 only
  F6  2023: 561, 2.0              no collaboration
  F7  2022: Aalborg 851, 5.0; 2023: 563, 5.0   collab 2023-03 with 851 (other for 2023)
  F8  2023: Læsø 825, 1.0         collab 2023-07 with 813 (Frederikshavn–Læsø: own)
  F9  no firms row                collab 2023-04 with 101 → nowhere

  2023  563: den F1 F2 F7 = 3, num 3, eget F1 = 1, andre F2 F7 = 2
        561: den F4 F5 F6 = 3, num F4 = 1, eget 1, andre 1
        825: 1/1, eget 1/1, andre 0/1;  851: 0/0
  2022  561: F5 1/1, eget 1/1, andre 0/1;  851: F7 0/1
"""

from __future__ import annotations

import pytest
from builders import RegisterFolder
from factlookup import Facts, assert_figure, compute


@pytest.fixture(scope="module")
def facts(tmp_path_factory) -> Facts:
    r = RegisterFolder(tmp_path_factory.mktemp("mm10"))
    r.firm(1, 2023, 563, 3.0).collaboration(1, "2023-05", 561)
    r.firm(2, 2023, 563, 1.0).collaboration(2, "2023-12", 101, "loentilskud")
    r.firm(3, 2023, 563, 0.99).collaboration(3, "2023-02", 561)
    r.firm(4, 2023, 561, 10.0).collaboration(4, "2023-01", 561).collaboration(4, "2023-06", 851)
    r.firm(5, 2022, 561, 2.0).firm(5, 2023, 561, 2.0).collaboration(5, "2022-12", 561)
    r.firm(6, 2023, 561, 2.0)
    r.firm(7, 2022, 851, 5.0).firm(7, 2023, 563, 5.0).collaboration(7, "2023-03", 851)
    r.firm(8, 2023, 825, 1.0).collaboration(8, "2023-07", 813, "virksomhedspraktik")
    r.collaboration(9, "2023-04", 101)
    return compute(r.write(), 2023, threshold=1)


def get(facts, period, code, level="kommune", value="i_alt"):
    breakdown = "i_alt" if value == "i_alt" else "samarbejde"
    return facts.get("MM10", period, code, level=level, breakdown=breakdown, value=value)


def test_denominator_is_firms_with_at_least_one_employee(facts):
    # 563: F1 (3.0), F2 (1.0 counts), F7 (moved in) = 3; F3 (0.99) not; all three collaborate
    assert_figure(get(facts, "2023", "563"), 3, 3)


def test_numerator_is_firms_with_a_collaboration_that_year(facts):
    # 561: F4 (two rows, counted once) of F4 F5 F6; F5's 2022-12 row does not count in 2023
    assert_figure(get(facts, "2023", "561"), 1, 3)
    assert_figure(get(facts, "2022", "561"), 1, 1)


def test_firm_counts_where_it_is_located_that_year(facts):
    # F7: 851 in 2022 (no collaboration in 2022 → 0/1), 563 in 2023
    assert_figure(get(facts, "2022", "851"), 0, 1)
    assert_figure(get(facts, "2023", "851"), 0, 0)


def test_own_job_centre_of_a_shared_job_centre_is_the_lead_code(facts):
    # F1 in Fanø with 561 → own; F8 in Læsø with 813 → own
    assert_figure(get(facts, "2023", "563", value="eget_jobcenter"), 1, 3)
    assert_figure(get(facts, "2023", "825", value="eget_jobcenter"), 1, 1)


def test_breakdown_denominators_are_all_firms_and_a_firm_can_count_in_both(facts):
    # 561: F4 is in both; both rows have denominator 3 (all firms), not a partition
    assert_figure(get(facts, "2023", "561", value="eget_jobcenter"), 1, 3)
    assert_figure(get(facts, "2023", "561", value="andre_jobcentre"), 1, 3)
    # 563: andre = F2 (101) and F7 (851)
    assert_figure(get(facts, "2023", "563", value="andre_jobcentre"), 2, 3)


def test_breakdown_row_with_zero_numerator_exists_when_there_are_firms(facts):
    assert_figure(get(facts, "2023", "825", value="andre_jobcentre"), 0, 1)
    assert_figure(get(facts, "2022", "561", value="andre_jobcentre"), 0, 1)
    assert not facts.has("MM10", "2023", "851", breakdown="samarbejde", value="eget_jobcenter")


def test_areas_sum_their_municipalities(facts):
    # job centre 561 = 561 1/3 + 563 3/3 = 4/6; eget 1+1 = 2; andre 1+2 = 3
    assert_figure(get(facts, "2023", "561", level="jobcenter"), 4, 6)
    assert_figure(get(facts, "2023", "561", level="jobcenter", value="eget_jobcenter"), 2, 6)
    assert_figure(get(facts, "2023", "561", level="jobcenter", value="andre_jobcentre"), 3, 6)
    assert_figure(get(facts, "2023", "813", level="jobcenter"), 1, 1)
    assert_figure(get(facts, "2023", "Sydjylland", level="rar"), 4, 6)
    assert_figure(get(facts, "2023", "083", level="region"), 4, 6)
    # country 2023: 4/6 + 825 1/1 = 5/7 (F9 has no firms row: nowhere); 2022: 1/1 + 0/1 = 1/2
    assert_figure(get(facts, "2023", "DK", level="land"), 5, 7)
    assert_figure(get(facts, "2023", "DK", level="land", value="eget_jobcenter"), 3, 7)
    assert_figure(get(facts, "2023", "DK", level="land", value="andre_jobcentre"), 3, 7)
    assert_figure(get(facts, "2022", "DK", level="land"), 1, 2)


def test_exists_only_for_the_two_years_at_every_level(facts):
    rows = facts.where(indicator="MM10")
    assert {r["period"] for r in rows} == {"2022", "2023"}
    totals = [r for r in rows if r["breakdown"] == "i_alt"]
    assert len(totals) == 2 * (98 + 95 + 8 + 5 + 1)
    assert {r["breakdown"] for r in rows} == {"i_alt", "samarbejde"}
