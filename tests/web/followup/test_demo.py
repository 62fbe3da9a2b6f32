"""The main job's demo users and plans: every role exists, the plans are in the promised states,
carry demo labels, and a second run changes nothing."""

from __future__ import annotations

import pytest

from jobmaal.web.accounts.roles import can_edit, role_of
from jobmaal.web.followup import demo
from jobmaal.web.followup.models import AuditEntry, Plan, State
from jobmaal.web.followup.status import target_statuses


@pytest.mark.django_db
def test_demo_users_and_plans_are_made_once_in_the_promised_states(loaded_release, client):
    demo.ensure_demo_users()
    assert demo.ensure_demo_plans(loaded_release) == len(demo.PLANS)
    audit_count = AuditEntry.objects.count()
    assert demo.ensure_demo_plans(loaded_release) == 0
    demo.ensure_demo_users()
    assert AuditEntry.objects.count() == audit_count

    plans = {p.municipality_code: p for p in Plan.objects.filter(year=2023)}
    assert {code: (p.state, p.published) for code, p in plans.items()} == {
        101: (State.APPROVED, True), 751: (State.APPROVED, True), 461: (State.SUBMITTED, False),
        147: (State.DRAFT, False), 561: (State.APPROVED, False)}
    assert all(p.demo for p in plans.values())
    statuses = target_statuses(plans[101], loaded_release)
    # a target wherever the (small) test release has an unsuppressed 2022 figure for 101
    with_level = set(demo.PLANS[101]["offsets"]) & set(demo._levels_2022(loaded_release, 101))
    assert {"MM13", "REKRUT"} <= with_level
    assert {s.indicator.id for s in statuses} == with_level
    assert all(s.baseline_value is not None for s in statuses)  # taken from the release

    from django.contrib.auth.models import User
    fanoe = User.objects.get(username="esbjerg-fanoe-redaktoer")
    assert can_edit(fanoe, 561) and can_edit(fanoe, 563) and not can_edit(fanoe, 101)
    assert {role_of(User.objects.get(username=u.username)) for u in demo.DEMO_USERS} == {
        u.role for u in demo.DEMO_USERS}

    page = client.get("/opfoelgning/101/2023/").content.decode()
    assert "Demo-plan" in page
    assert client.get("/opfoelgning/461/2023/").status_code == 404  # not published


@pytest.mark.django_db
def test_the_api_serves_published_plans_only(loaded_release, client):
    demo.ensure_demo_users()
    demo.ensure_demo_plans(loaded_release)
    listed = client.get("/api/plans/2023").json()
    assert sorted(p["municipality_code"] for p in listed) == [101, 751]  # the two published
    assert all(p["demo"] for p in listed)
    detail = client.get("/api/plans/2023/101").json()
    assert detail["state"] == "approved" and len(detail["texts"]) == 5
    assert {t["indicator"] for t in detail["targets"]} >= {"MM13", "REKRUT"}
    assert [v["period"] for v in detail["local_indicators"][0]["values"]] == ["2023Q1", "2023Q2", "2023Q3"]
    assert client.get("/api/plans/2023/461").status_code == 404  # submitted, not published
    assert client.get("/api/plans/2023/999").status_code == 404


@pytest.mark.django_db
def test_the_plan_pdf_word_and_excel_hold_the_plans_content(loaded_release, client):
    import io

    from docx import Document
    from openpyxl import load_workbook
    from tests.reports.pdftext import pdf_text

    demo.ensure_demo_users()
    demo.ensure_demo_plans(loaded_release)
    text = " ".join(pdf_text(client.get("/opfoelgning/101/2023/plan.pdf").content).split())
    for expected in ("København", "Godkendt af byrådet", "14. december 2022",
                     "Alle ledige skal have en værdig sagsbehandling",
                     "Borgere der oplever at blive mødt med respekt",
                     "Syntetiske data", "IGU-forløb med lokale virksomheder"):
        assert expected in text, expected
    word = Document(io.BytesIO(client.get("/opfoelgning/101/2023/plan.docx").content))
    paragraphs = "\n".join(p.text for p in word.paragraphs)
    assert "Mål 3: Flere flygtninge og familiesammenførte skal være selvforsørgende" in paragraphs
    book = load_workbook(io.BytesIO(client.get("/opfoelgning/101/2023/plan.xlsx").content))
    values = [cell for sheet in book for row in sheet.iter_rows(values_only=True) for cell in row]
    assert 72.5 in values and 76.5 in values  # the local indicator's measured values, as numbers
