from pathlib import Path

import pytest

from jobmaal.catalogue import CatalogueError, available_years, load_catalogue
from jobmaal.catalogue.docs import render_measures
from jobmaal.catalogue.models import Catalogue
from jobmaal.indicators.output import check_measures_against_catalogue

REPO = Path(__file__).resolve().parents[2]


def test_2022_to_2024_share_the_five_goals_of_the_letter():
    assert available_years() == (2022, 2023, 2024)
    for year in available_years():
        cat = load_catalogue(year)
        assert cat.year == year
        assert [g.number for g in cat.goals] == [1, 2, 3, 4, 5]
        assert cat.goal(3).title_da == "Flere flygtninge og familiesammenførte skal være selvforsørgende"


def test_goals_1_and_4_have_no_national_indicator():
    cat = load_catalogue(2023)
    assert cat.indicators_of_goal(1) == ()
    assert cat.target_indicators_of_goal(4) == ()  # only local series, never targets
    assert [i.id for i in cat.local_series(4)] == ["LOK_FLEXJOB", "LOK_LEDYD_FLEX", "LOK_LEDYD"]
    assert all(i.local and not i.ministerial for i in cat.indicators_of_goal(4))
    assert cat.goal(1).follow_up == cat.goal(4).follow_up == "local"
    assert [i.id for i in cat.indicators_of_goal(3)] == ["MM13", "MM13_190", "MM13_SELV",
                                                         "UKR_BESK", "UKR_RAADIG"]
    assert cat.indicator("REKRUT").direction == "down"
    assert cat.indicator("REKRUT").area_levels == ("rar", "land")


def test_ukraine_measures_are_supplementary_to_goal_3():
    # 2022 is based on 2023 and so lists them too: the displaced arrived from March 2022.
    for year in (2022, 2023, 2024):
        cat = load_catalogue(year)
        ukr = [cat.indicator("UKR_BESK"), cat.indicator("UKR_RAADIG")]
        assert all(i.supplementary and i.goal == 3 for i in ukr)
        assert all("Supplerende, ikke ministermål" in i.definition_da for i in ukr)
        # a plan sets targets on the ministerial measures only
        assert [i.id for i in cat.target_indicators_of_goal(3)] == ["MM13", "MM13_190", "MM13_SELV"]
    assert not load_catalogue(2023).indicator("MM13").supplementary


@pytest.mark.parametrize("year", [2022, 2023, 2024])
def test_engine_measures_match_the_catalogue(year):
    check_measures_against_catalogue(year)


def test_missing_year_is_a_clear_error():
    with pytest.raises(CatalogueError, match="no catalogue for 2019"):
        load_catalogue(2019)


def test_invalid_indicator_names_the_field():
    raw = load_catalogue(2023).model_dump()
    raw["indicators"][0]["direction"] = "sideways"
    with pytest.raises(ValueError, match="direction"):
        Catalogue.model_validate(raw)
    raw = load_catalogue(2023).model_dump()
    raw["indicators"][0]["goal"] = 4
    raw["goals"] = [g for g in raw["goals"] if g["number"] != 4]
    with pytest.raises(ValueError, match="names goal 4"):
        Catalogue.model_validate(raw)


def test_docs_measures_is_generated_from_the_catalogue():
    on_disk = (REPO / "docs" / "measures.md").read_text(encoding="utf-8")
    assert on_disk == render_measures(2023), "run: jobmaal docs-measures > docs/measures.md"
    ukr = on_disk[on_disk.index("### `UKR_BESK`"):]
    assert "Supplerende, ikke ministermål / supplementary, not a ministerial goal" in ukr
    assert "share of all of working age" in ukr and "share of those available" in ukr


@pytest.mark.parametrize("year", [2022, 2023, 2024])
def test_jobindsats_mappings_name_real_style_tables_and_mm13_190_comes_from_mm13s_table(year):
    mapped = {i.id: i.jobindsats for i in load_catalogue(year).indicators if i.jobindsats}
    assert set(mapped) == {"MM17", "MM13", "MM13_190", "MM10", "REKRUT"}
    assert all(len(m.table) == 6 and m.table[0] == "y" for m in mapped.values())
    assert mapped["MM13_190"].table == mapped["MM13"].table
    assert "190" in mapped["MM13_190"].value and "190" in mapped["MM13_190"].numerator
    assert mapped["MM17"].dimensions["ydelsesgruppe"] == "Ydelsesgrupper"  # as the table names it
