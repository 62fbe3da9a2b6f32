import pytest

from jobmaal.geography import AREA_LEVELS, UnknownAreaError, load_geography


def test_denmark_has_98_municipalities_95_jobcentres_8_rar_5_regions():
    geo = load_geography()
    counts = {level: len(geo.areas(level)) for level in AREA_LEVELS}
    assert counts == {"kommune": 98, "jobcenter": 95, "rar": 8, "region": 5, "land": 1}
    assert geo.year == 2023


@pytest.mark.parametrize(("year", "jobcentres", "rar"), [
    (2020, 94, 8), (2021, 94, 8), (2022, 95, 8), (2023, 95, 8), (2024, 95, 8), (2025, 95, 5)])
def test_jobcentres_and_rar_areas_follow_the_year(year, jobcentres, rar):
    geo = load_geography(year)
    assert geo.year == year
    assert (len(geo.areas("jobcenter")), len(geo.areas("rar"))) == (jobcentres, rar)
    assert len(geo.areas("kommune")) == 98 and len(geo.areas("region")) == 5


def test_ishoj_has_its_own_jobcentre_from_2022_and_vallensbaek_served_both_before():
    before, after = load_geography(2021), load_geography(2022)
    assert {m.code for m in before.members("jobcenter", "187")} == {183, 187}
    assert before.parent_code(183, "jobcenter") == "187"
    with pytest.raises(UnknownAreaError):
        before.area("jobcenter", "183")
    assert {m.code for m in after.members("jobcenter", "183")} == {183}
    assert {m.code for m in after.members("jobcenter", "187")} == {187}
    assert after.area("jobcenter", "187").name == "Jobcenter Vallensbæk"
    assert after.area("jobcenter", "183").name == "Jobcenter Ishøj"


def test_from_2025_each_region_has_one_rar_area():
    geo = load_geography(2025)
    assert {a.code for a in geo.areas("rar")} == {
        "Hovedstaden", "Sjælland", "Syddanmark", "Midtjylland", "Nordjylland"}
    assert geo.parent_code(400, "rar") == "Hovedstaden"  # Bornholm joins the capital's council
    assert geo.parent_code(561, "rar") == "Syddanmark"
    assert load_geography(2024).parent_code(400, "rar") == "Bornholm"
    for m in geo.municipalities:
        assert geo.parent_code(m.code, "rar") == m.region_name.removeprefix("Region ")


def test_an_imported_jobcenter_vallensbaek_row_is_recognised():
    area = load_geography().area_by_name("Jobcenter Vallensbæk")
    assert (area.level, area.code) == ("jobcenter", "187")
    assert load_geography().area_by_name("Jobcenter Ishøj").code == "183"


@pytest.mark.parametrize(("member", "lead"), [(563, "561"), (825, "813"), (155, "185")])
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


@pytest.mark.parametrize("year", [2021, 2023, 2025])
def test_every_level_partitions_the_municipalities(year):
    geo = load_geography(year)
    for level in AREA_LEVELS:
        members = [m.code for a in geo.areas(level) for m in geo.members(level, a.code)]
        assert sorted(members) == sorted(geo.municipality_codes)


def test_population_2020_totals_the_reference_figure():
    assert sum(m.population_2020 for m in load_geography().municipalities) == 5_822_679
