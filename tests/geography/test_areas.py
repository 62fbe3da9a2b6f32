import pytest

from jobmaal.geography import AREA_LEVELS, UnknownAreaError, load_geography


def test_denmark_has_98_municipalities_94_jobcentres_8_rar_5_regions():
    geo = load_geography()
    counts = {level: len(geo.areas(level)) for level in AREA_LEVELS}
    assert counts == {"kommune": 98, "jobcenter": 94, "rar": 8, "region": 5, "land": 1}


@pytest.mark.parametrize(("member", "lead"), [(563, "561"), (825, "813"), (155, "185"), (187, "183")])
def test_shared_jobcentre_is_coded_by_its_lead_municipality(member, lead):
    geo = load_geography()
    assert geo.parent_code(member, "jobcenter") == lead
    assert {m.code for m in geo.members("jobcenter", lead)} == {member, int(lead)}


def test_lookup_both_ways_by_code_and_name():
    geo = load_geography()
    assert geo.municipality(101).name == "København"
    assert geo.municipality("851").name == "Aalborg"
    assert geo.municipality_by_name("Høje-Taastrup Kommune").code == 169
    assert geo.municipality_by_name("  aabenraa ").code == 580
    assert geo.parent_code(101, "region") == "084"
    assert geo.parent_code(400, "rar") == "Bornholm"
    assert geo.parent_code(400, "land") == "DK"


def test_unknown_code_or_name_is_a_clear_error():
    geo = load_geography()
    with pytest.raises(UnknownAreaError, match="999"):
        geo.municipality(999)
    with pytest.raises(UnknownAreaError, match="Atlantis"):
        geo.municipality_by_name("Atlantis")
    with pytest.raises(UnknownAreaError):
        geo.members("rar", "Grønland")


def test_every_level_partitions_the_municipalities():
    geo = load_geography()
    for level in AREA_LEVELS:
        members = [m.code for a in geo.areas(level) for m in geo.members(level, a.code)]
        assert sorted(members) == sorted(geo.municipality_codes)


def test_population_2020_totals_the_reference_figure():
    assert sum(m.population_2020 for m in load_geography().municipalities) == 5_822_679
