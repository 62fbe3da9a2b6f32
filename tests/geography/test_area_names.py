"""Area names as published sources write them → areas (Geography.area_by_name)."""

from __future__ import annotations

import pytest

from jobmaal.geography import UnknownAreaError, load_geography

GEO = load_geography()


@pytest.mark.parametrize("name,level,code", [
    ("Københavns Kommune", "kommune", "101"), ("KØBENHAVN", "kommune", "101"),
    ("Høje Taastrup", "kommune", "169"), ("Lyngby-Taarbæk Kommune", "kommune", "173"),
    ("Århus", "kommune", "751"), ("Bornholm", "kommune", "400"), ("RAR Bornholm", "rar", "Bornholm"),
    ("Region Nordjylland", "region", "081"), ("081", "region", "081"), ("Hele landet", "land", "DK"),
    ("Jobcenter Esbjerg", "jobcenter", "561"),
])
def test_published_names_find_their_area(name, level, code):
    area = GEO.area_by_name(name)
    assert (area.level, area.code) == (level, code)


def test_a_level_restricts_the_lookup():
    assert GEO.area_by_name("Nordjylland", "region").code == "081"
    assert GEO.area_by_name("Nordjylland", "rar").code == "Nordjylland"
    with pytest.raises(UnknownAreaError):
        GEO.area_by_name("Odense", "region")


@pytest.mark.parametrize("name", ["Nordjylland", "Atlantis", "", "Uoplyst kommune"])
def test_ambiguous_and_unknown_names_are_refused(name):
    with pytest.raises(UnknownAreaError):
        GEO.area_by_name(name)
