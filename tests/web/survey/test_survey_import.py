"""Importing an earlier round from Excel: a good file, and broken files whose errors name file,
row, column and value — with nothing imported."""

from __future__ import annotations

import datetime as dt
import io

import pytest
from django.urls import reverse
from openpyxl import Workbook

from jobmaal.web.survey import importer
from jobmaal.web.survey.models import Answer, AuditEntry, Round, State

DATES = {
    "name": "Rundspørge 2022 (indlæst)",
    "opens_on": dt.date(2022, 9, 1),
    "closes_on": dt.date(2022, 10, 14),
}


def workbook(rows: list[list]) -> bytes:
    book = Workbook()
    for row in rows:
        book.active.append(row)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


GOOD = [
    ["kommune", "v1", "t1", "m1", "k1", "e1", "e4"],
    [101, "ja", "Ja", "nej", "ja_alle", 4, "Borgerpanel virker."],
    ["Frederiksberg", "Delvist", "nej, men det er planlagt", "ja", "Ja, nogle", "3", None],
    ["Københavns Kommune", None, None, None, None, None, None],  # duplicate of 101: an error below
]


def test_good_file_imports_a_closed_round_by_code_and_name(users, questionnaires):
    data = workbook(GOOD[:3])
    r = importer.import_round(users["kl"], questionnaires[2022], data, "svar-2022.xlsx", **DATES)
    submitted = {a.municipality_code: a.values for a in Answer.objects.filter(round=r, state=State.SUBMITTED)}
    assert submitted == {
        101: {"v1": "ja", "t1": "ja", "m1": "nej", "k1": "ja_alle", "e1": 4, "e4": "Borgerpanel virker."},
        147: {"v1": "delvist", "t1": "planlagt", "m1": "ja", "k1": "ja_nogle", "e1": 3},
    }
    assert r.answers.count() == 98 and r.imported_from == "svar-2022.xlsx"
    assert r.status(dt.date.today()) == "closed"


def _errors(users, questionnaire, rows, name="fil.xlsx") -> list[str]:
    before = (Round.objects.count(), Answer.objects.count(), AuditEntry.objects.count())
    with pytest.raises(importer.ImportFailed) as info:
        importer.import_round(
            users["kl"], questionnaire, workbook(rows) if isinstance(rows, list) else rows, name, **DATES
        )
    assert (Round.objects.count(), Answer.objects.count(), AuditEntry.objects.count()) == before
    return [str(e) for e in info.value.errors]


def test_every_bad_cell_is_named_by_file_row_column_and_value(users, questionnaires):
    rows = [
        ["kommune", "v1", "e1", "t1"],
        [101, "måske", 7, "ja"],
        ["Atlantis", "ja", 3, "ja"],
        [147, "ja", "2,5", "nej"],
        ["Frederiksberg", "nej", 1, "nej"],
    ]
    errors = _errors(users, questionnaires[2022], rows, "svar-2022.xlsx")
    assert errors[0].startswith(
        "svar-2022.xlsx, række 2, kolonne B (v1) «måske»: «måske» er ikke en af svarmulighederne"
    )
    assert errors[1].startswith(
        "svar-2022.xlsx, række 2, kolonne C (e1) «7»: «7» er ikke et helt tal fra 1 til 5"
    )
    assert (
        errors[2] == "svar-2022.xlsx, række 3, kolonne A (kommune) «Atlantis»: "
        "ingen kommune har den kode eller det navn"
    )
    assert errors[3].startswith("svar-2022.xlsx, række 4, kolonne C (e1) «2,5»")
    assert (
        errors[4]
        == "svar-2022.xlsx, række 5, kolonne A (kommune) «Frederiksberg»: kommunen står også i række 4"
    )
    assert len(errors) == 5


def test_unknown_and_repeated_columns_are_refused_before_any_row(users, questionnaires):
    errors = _errors(users, questionnaires[2022], [["kommune", "v1", "x9", "v1"], [101, "ja", 1, "ja"]])
    assert errors[0].startswith("fil.xlsx, række 1, kolonne C (x9) «x9»: ingen spørgsmålskode")
    assert errors[1] == "fil.xlsx, række 1, kolonne D (v1) «v1»: kolonnen står to gange"


def test_missing_municipality_column_is_refused(users, questionnaires):
    errors = _errors(users, questionnaires[2022], [["v1"], ["ja"]])
    assert errors == [
        "fil.xlsx, række 1, kolonne –: der mangler en kolonne «kommune» med kommunens kode eller navn"
    ]


def test_answer_to_a_question_that_would_be_hidden_is_refused(users, questionnaires):
    errors = _errors(users, questionnaires[2023], [["kommune", "v1", "v2"], [101, "nej", "breve"]])
    assert errors == [
        "fil.xlsx, række 2, kolonne C (v2) «breve»: spørgsmålet stilles ikke ud fra svaret på "
        "v1; lad cellen være tom"
    ]


def test_file_that_is_not_excel_is_refused(users, questionnaires):
    errors = _errors(users, questionnaires[2022], b"kommune;v1\n101;ja\n", "svar.csv")
    assert errors[0].startswith("svar.csv, række 0, kolonne –: filen kan ikke læses som Excel")


def test_empty_file_is_refused(users, questionnaires):
    errors = _errors(users, questionnaires[2022], [["kommune", "v1"]])
    assert errors == ["fil.xlsx, række 2, kolonne –: filen har ingen rækker med svar"]


def test_import_page_lists_the_errors_and_saves_nothing(client, users, questionnaires):
    client.force_login(users["kl"])
    upload = io.BytesIO(workbook([["kommune", "v1"], [101, "måske"]]))
    upload.name = "forkert.xlsx"
    response = client.post(
        reverse("survey:round_import", args=[questionnaires[2022].pk]),
        {"file": upload, "name": "X", "opens_on": "2022-09-01", "closes_on": "2022-10-01"},
    )
    assert response.status_code == 400
    html = response.content.decode()
    assert "Filen er ikke indlæst – intet er gemt" in html
    assert "forkert.xlsx, række 2, kolonne B (v1) «måske»" in html
    assert not Round.objects.exists()


@pytest.mark.parametrize("cut", ["zip", "sheet"])
def test_a_cut_off_file_on_the_import_page_is_refused_not_a_500(client, users, questionnaires, cut):
    from tests.xlsxfiles import cut_sheet, truncated

    client.force_login(users["kl"])
    rows = GOOD[:3] + [[101 + k, "ja"] for k in range(200)]
    upload = io.BytesIO(truncated(rows, 0.9) if cut == "zip" else cut_sheet(rows))
    upload.name = "afkortet.xlsx"
    response = client.post(
        reverse("survey:round_import", args=[questionnaires[2022].pk]),
        {"file": upload, "name": "X", "opens_on": "2022-09-01", "closes_on": "2022-10-01"},
    )
    assert response.status_code == 400
    assert "afkortet.xlsx, række 0, kolonne –: " in response.content.decode()
    assert not Round.objects.exists()


def test_a_zip_bomb_on_the_import_page_is_refused_before_parsing(client, users, questionnaires, monkeypatch):
    from tests.xlsxfiles import bomb

    monkeypatch.setenv("JOBMAAL_XLSX_MAX_UNPACKED_MB", "2")
    client.force_login(users["kl"])
    upload = io.BytesIO(bomb(3))
    upload.name = "bombe.xlsx"
    response = client.post(
        reverse("survey:round_import", args=[questionnaires[2022].pk]),
        {"file": upload, "name": "X", "opens_on": "2022-09-01", "closes_on": "2022-10-01"},
    )
    assert response.status_code == 400
    assert "filen fylder 3 MB udpakket; højst 2 MB er tilladt" in response.content.decode()
    assert not Round.objects.exists()
