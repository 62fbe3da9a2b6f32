"""The file importer (sources/files.py): hand-worked files for each format rule, and property
tests that it never crashes and never takes in a half-valid file."""

from __future__ import annotations

import io

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from openpyxl import Workbook

from jobmaal.sources.files import FileImportError, parse_bytes, parse_period

HEADER = "indikator;periode;område;tæller;nævner;værdi"


def parse(text: str, *, encoding: str = "utf-8", **kwargs):
    return parse_bytes(text.encode(encoding), "test.csv", 2023, **kwargs)


def only(result) -> dict:
    assert result.errors == []
    assert len(result.rows) == 1
    return result.rows[0]


# -- separators, decimals, encodings -------------------------------------------------------------

def test_semicolon_file_with_decimal_comma_and_thousands_dots():
    row = only(parse(f"{HEADER}\nMM17;2023M01;København;1.234;50.000;2,468\n"))
    assert (row["numerator"], row["denominator"], row["value"]) == (1234.0, 50000.0, 2.468)
    assert (row["area_level"], row["area_code"]) == ("kommune", "101")


def test_comma_file_with_decimal_point():
    row = only(parse("indicator,period,area,numerator,denominator,value\n"
                     "MM17,2023M01,101,120,4000,3.0\n"))
    assert (row["numerator"], row["denominator"], row["value"]) == (120.0, 4000.0, 3.0)


def test_comma_file_with_quoted_decimal_comma():
    result = parse('indikator,periode,område,værdi\nMM17,2023M01,Aarhus,"12,5"\n')
    assert result.delimiter == ","
    assert only(result)["value"] == 12.5


def test_tab_separated_file():
    row = only(parse("indikator\tperiode\tområde\tværdi\nMM17\t2023M02\tOdense\t7,25\n"))
    assert row["value"] == 7.25 and row["area_code"] == "461"


@pytest.mark.parametrize("encoding", ["utf-8", "utf-8-sig", "latin-1", "cp1252"])
def test_utf8_with_or_without_bom_and_latin1_read_the_same(encoding):
    text = f"{HEADER}\nMM17;2023M01;Høje-Taastrup;10;200;5\nMM17;2023M01;Brønderslev;20;400;5\n"
    result = parse(text, encoding=encoding)
    assert result.errors == []
    assert [r["area_code"] for r in result.rows] == ["169", "810"]
    assert result.columns["numerator"] == "tæller"


def test_windows_line_endings_and_title_lines_above_the_header():
    text = ("Jobindsats.dk: Ministerens mål\r\nUdtrukket 1. marts 2024\r\n\r\n"
            f"{HEADER}\r\nMM17;2023M01;Aabenraa;10;200;5\r\n")
    result = parse(text)
    assert result.header_row == 4
    assert only(result)["area_code"] == "580"


# -- areas ----------------------------------------------------------------------------------------

@pytest.mark.parametrize("area,level,code", [
    ("Københavns Kommune", "kommune", "101"),
    ("København", "kommune", "101"),
    ("0101", "kommune", "101"),
    ("101", "kommune", "101"),
    ("Lyngby-Taarbæk", "kommune", "173"),
    ("Høje Taastrup", "kommune", "169"),
    ("Høje-Taastrup Kommune", "kommune", "169"),
    ("Åbenrå", "kommune", "580"),
    ("Aabenraa", "kommune", "580"),
    ("Brønderslev", "kommune", "810"),
    ("Region Hovedstaden", "region", "084"),
    ("RAR Bornholm", "rar", "Bornholm"),
    ("RAR Østjylland", "rar", "Østjylland"),
    ("Jobcenter Aarhus", "jobcenter", "751"),
    ("Hele landet", "land", "DK"),
])
def test_area_names_and_codes_map_to_their_area(area, level, code):
    row = only(parse(f"{HEADER}\nMM17;2023M01;{area};10;200;5\n"))
    assert (row["area_level"], row["area_code"]) == (level, code)


def test_a_level_column_settles_a_name_that_is_both_a_rar_area_and_a_region():
    text = "indikator;periode;niveau;område;værdi\nMM17;2023M01;region;Hovedstaden;5\n"
    assert only(parse(text))["area_code"] == "084"
    ambiguous = parse(f"{HEADER}\nMM17;2023M01;Hovedstaden;10;200;5\n")
    assert "tvetydigt" in ambiguous.errors[0].message


def test_an_unknown_area_is_a_row_error_naming_row_column_and_value():
    result = parse(f"{HEADER}\nMM17;2023M01;Atlantis;10;200;5\n")
    (error,) = result.errors
    assert (error.row, error.column, error.value) == (2, "område", "Atlantis")
    assert "ukendt område" in str(error) and "række 2" in str(error)


# -- suppression ----------------------------------------------------------------------------------

@pytest.mark.parametrize("mark", ["-", "..", "x", "–"])
def test_suppressed_cells_are_kept_as_suppressed_never_as_zero(mark):
    row = only(parse(f"{HEADER}\nMM17;2023M01;Læsø;{mark};{mark};{mark}\n"))
    assert row["suppressed"] is True
    assert (row["numerator"], row["denominator"], row["value"]) == (None, None, None)


def test_a_suppression_mark_in_the_value_alone_hides_the_counts_too():
    row = only(parse(f"{HEADER}\nMM17;2023M01;Læsø;3;812;..\n"))
    assert row["suppressed"] and row["numerator"] is None


def test_small_counts_shown_as_numbers_are_refused():
    result = parse(f"{HEADER}\nMM17;2023M01;Læsø;3;812;0,4\n")
    assert "diskretionsgrænsen" in result.errors[0].message


def test_an_empty_figure_is_an_error_not_a_zero():
    result = parse(f"{HEADER}\nMM17;2023M01;Læsø;;;\n")
    assert "intet tal" in result.errors[0].message


# -- consistency ----------------------------------------------------------------------------------

def test_value_is_computed_from_numerator_and_denominator_when_left_out():
    assert only(parse("indikator;periode;område;tæller;nævner\nMM17;2023M01;Odense;25;1000\n"))[
        "value"] == 2.5


@pytest.mark.parametrize("cells,message", [
    ("300;200;150", "tælleren er større end nævneren"),
    ("10;200;9", "passer ikke med tæller/nævner"),
    ("10;200;abc", "ikke et tal"),
    ("-10;200;5", "negative"),
    ("10;;5", "begge udfyldes"),
])
def test_inconsistent_figures_are_row_errors(cells, message):
    result = parse(f"{HEADER}\nMM17;2023M01;Odense;{cells}\n")
    assert result.rows == []
    assert message in result.errors[0].message


def test_duplicate_rows_are_an_error_naming_the_first():
    result = parse(f"{HEADER}\nMM17;2023M01;Odense;10;200;5\nMM17;2023M01;Odense Kommune;10;200;5\n")
    assert "samme tal som række 2" in result.errors[0].message


def test_a_period_outside_the_year_and_the_year_before_is_an_error():
    result = parse(f"{HEADER}\nMM17;2021M12;Odense;10;200;5\n")
    assert "2022-2023" in result.errors[0].message


def test_a_period_kind_the_indicator_does_not_publish_is_an_error():
    result = parse(f"{HEADER}\nMM10;2023M01;Odense;10;200;5\n")
    assert "periodetype" in result.errors[0].message


@pytest.mark.parametrize("text,code", [
    ("2023M01", "2023M01"), ("2023M1", "2023M01"), ("2023-03", "2023M03"), ("2023K2", "2023Q2"),
    ("2023Q2", "2023Q2"), ("2023H1", "2023H1"), ("2023", "2023"), ("januar 2023", "2023M01"),
])
def test_periods_as_files_write_them(text, code):
    assert parse_period(text).code == code


# -- breakdowns ---------------------------------------------------------------------------------------

def test_breakdown_columns_take_danish_labels_or_codes():
    text = ("indikator;periode;område;opdeling;opdelingsværdi;tæller;nævner\n"
            "MM17;2023M01;Odense;Køn;Kvinder;10;200\nMM17;2023M01;Odense;koen;m;12;220\n"
            "MM17;2023M01;Odense;I alt;;22;420\n")
    result = parse(text)
    assert result.errors == []
    assert [(r["breakdown"], r["breakdown_value"]) for r in result.rows] == [
        ("koen", "k"), ("koen", "m"), ("i_alt", "i_alt")]


def test_a_jobindsats_download_with_a_dimension_column_and_measure_names():
    text = ("Område;Periode;Køn;Personer der starter opkvalificering;Personer på ydelse\n"
            "Odense;2023M01;I alt;22;420\nOdense;2023M01;Kvinder;10;200\nOdense;2023M01;Mænd;12;220\n")
    result = parse(text, indicator="MM17")
    assert result.errors == []
    assert [(r["breakdown_value"], r["numerator"]) for r in result.rows] == [
        ("i_alt", 22.0), ("k", 10.0), ("m", 12.0)]


def test_without_an_indicator_column_the_indicator_must_be_given():
    with pytest.raises(FileImportError, match="--indikator"):
        parse("område;periode;værdi\nOdense;2023M01;5\n")


# -- Excel --------------------------------------------------------------------------------------------

def xlsx(rows: list[list]) -> bytes:
    book = Workbook()
    sheet = book.active
    for row in rows:
        sheet.append(row)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def test_excel_file_with_numbers_codes_and_a_title_row():
    data = xlsx([["Ministerens mål 2023"], [], ["Indikator", "Periode", "Område", "Tæller", "Nævner"],
                 ["MM17", "2023M01", 101, 120, 4000], ["MM17", "2023M02", "Aarhus", "-", "-"]])
    result = parse_bytes(data, "mål.xlsx", 2023)
    assert result.errors == [] and result.encoding == "xlsx" and result.header_row == 3
    assert result.rows[0]["area_code"] == "101" and result.rows[0]["value"] == 3.0
    assert result.rows[1]["suppressed"]


def test_a_broken_excel_file_is_one_clear_error():
    data = xlsx([["a"]])
    with pytest.raises(FileImportError, match="Excel"):
        parse_bytes(data[:200], "ødelagt.xlsx", 2023)


def test_old_xls_and_binary_files_are_refused_clearly():
    with pytest.raises(FileImportError, match=r"\.xls"):
        parse_bytes(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 50, "gammel.xls", 2023)
    with pytest.raises(FileImportError, match="binære"):
        parse_bytes(b"abc\x00def", "x.bin", 2023)


# -- all or nothing ------------------------------------------------------------------------------------

def test_one_bad_row_among_good_ones_gives_no_facts_at_all():
    result = parse(f"{HEADER}\nMM17;2023M01;Odense;10;200;5\nMM17;2023M01;Atlantis;10;200;5\n"
                   "MM17;2023M02;Odense;10;200;5\n")
    assert len(result.rows) == 2 and len(result.errors) == 1 and not result.ok
    with pytest.raises(FileImportError, match="1 fejl"):
        result.facts()


def test_every_bad_row_is_reported_not_only_the_first():
    result = parse(f"{HEADER}\nMM17;2023M01;Atlantis;10;200;5\nMM99;2023M01;Odense;10;200;5\n"
                   "MM17;2019M01;Odense;10;200;5\n")
    assert [e.row for e in result.errors] == [2, 3, 4]


# -- properties ----------------------------------------------------------------------------------------

PROPERTY = settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
CELLS = st.sampled_from(["MM17", "MM10", "REKRUT", "2023M01", "2023K1", "2023", "2019M01", "Odense",
                         "Københavns Kommune", "Atlantis", "RAR Fyn", "Hovedstaden", "-", "..", "",
                         "10", "200", "5", "12,5", "1.234", "abc", "-3", "\"", "Kvinder", "koen",
                         "indikator", "periode", "område", "værdi", "tæller", "nævner", "ja"])
SEPARATORS = st.sampled_from([";", ",", "\t"])


@PROPERTY
@given(st.binary(max_size=600))
def test_arbitrary_bytes_never_crash_the_parser(data):
    try:
        result = parse_bytes(data, "fuzz.csv", 2023)
    except FileImportError:
        return
    assert all(str(e) for e in result.errors)


@PROPERTY
@given(st.lists(st.lists(CELLS, min_size=1, max_size=8), min_size=1, max_size=8), SEPARATORS,
       st.sampled_from(["utf-8", "latin-1"]))
def test_arbitrary_tables_of_plausible_cells_never_crash_and_are_all_or_nothing(rows, sep, encoding):
    text = "\n".join(sep.join(r) for r in [["indikator", "periode", "område", "værdi"], *rows])
    try:
        result = parse_bytes(text.encode(encoding, errors="replace"), "fuzz.csv", 2023)
    except FileImportError:
        return
    if result.errors:
        with pytest.raises(FileImportError):
            result.facts()
    else:
        for row in result.rows:
            assert row["suppressed"] == (row["value"] is None)


GOOD_ROWS = st.lists(st.tuples(st.sampled_from(["Odense", "Aarhus", "101", "Læsø", "Hele landet"]),
                               st.sampled_from(["2023M01", "2023M02", "2022M12"]),
                               st.integers(5, 500)), min_size=1, max_size=10,
                     unique_by=lambda t: (t[0], t[1]))
BAD_CELLS = st.sampled_from([("område", "Atlantis"), ("periode", "2019M01"), ("tæller", "abc"),
                             ("tæller", "99999"), ("indikator", "MM99"), ("værdi", "101")])


@PROPERTY
@given(GOOD_ROWS, st.data())
def test_a_valid_file_with_one_broken_cell_is_never_accepted(rows, data):
    header = ["indikator", "periode", "område", "tæller", "nævner", "værdi"]
    lines = [["MM17", period, area, str(num), str(num * 10), "10"] for area, period, num in rows]
    assert parse("\n".join(";".join(r) for r in [header, *lines])).ok
    which = data.draw(st.integers(0, len(lines) - 1))
    column, bad = data.draw(BAD_CELLS)
    lines[which][header.index(column)] = bad
    result = parse("\n".join(";".join(r) for r in [header, *lines]))
    assert not result.ok
    assert [e.row for e in result.errors] == [which + 2]
    with pytest.raises(FileImportError):
        result.facts()


def test_a_jobindsats_download_with_group_prefixed_measures_and_the_tables_dimension_name():
    text = ("Område;Periode;Ydelsesgrupper;Ydelsesmodtagere: Personer der starter opkvalificering;"
            "Ydelsesmodtagere: Personer på ydelse\n"
            "Odense;2023M01;Ydelsesgrupper i alt;22;420\nOdense;2023M01;Kontanthjælp;10;200\n")
    result = parse(text, indicator="MM17")
    assert result.errors == []
    assert [(r["breakdown"], r["breakdown_value"], r["numerator"], r["denominator"])
            for r in result.rows] == [("i_alt", "i_alt", 22.0, 420.0),
                                      ("ydelsesgruppe", "kontanthjaelp", 10.0, 200.0)]
