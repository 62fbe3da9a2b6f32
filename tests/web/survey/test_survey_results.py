"""Results: distributions, cross-year comparison through «same question as», goal-1 key figures,
downloads and the PDF report."""

from __future__ import annotations

import datetime as dt
import io
import shutil
import subprocess

import pytest
from django.urls import reverse
from openpyxl import load_workbook
from tests.web.survey.conftest import OWN

from jobmaal.web.survey import results, services
from jobmaal.web.survey.models import Answer, Kind, Round, State


def _submit(round_: Round, answers: dict[int, dict]) -> None:
    for code, values in answers.items():
        Answer.objects.filter(round=round_, municipality_code=code).update(
            values=values, state=State.SUBMITTED
        )


@pytest.fixture
def two_years(users, questionnaires):
    """Closed 2022 and 2023 rounds with hand-made answers from four municipalities."""
    kl = users["kl"]
    r2022 = services.open_round(
        kl,
        questionnaires[2022],
        name="Runde 2022",
        opens_on=dt.date(2022, 9, 1),
        closes_on=dt.date(2022, 10, 1),
    )
    r2023 = services.open_round(
        kl,
        questionnaires[2023],
        name="Runde 2023",
        opens_on=dt.date(2023, 9, 1),
        closes_on=dt.date(2023, 10, 1),
    )
    _submit(
        r2022,
        {
            101: {"t1": "ja", "e1": 2},
            147: {"t1": "nej", "e1": 3},
            461: {"t1": "nej", "e1": 4},
            751: {"t1": "nej", "e1": 3},
        },
    )
    _submit(
        r2023,
        {
            101: {"t1": "ja", "e1": 4, "v3": 5},
            147: {"t1": "ja", "e1": 5, "v3": 1},
            461: {"t1": "planlagt", "e1": 3},
            751: {"t1": "ja", "e1": 4, "v3": 3},
        },
    )
    Answer.objects.filter(round=r2023, municipality_code=851).update(values={"t1": "nej"}, state=State.DRAFT)
    return r2022, r2023


def test_distribution_counts_only_submitted_answers_as_shares_of_those_answering(users, two_years):
    _, r2023 = two_years
    report = results.round_report(r2023, users["kl"])
    t1 = next(q for q in report.questions if q.code == "t1")
    assert report.submitted == 4 and report.invited == 98
    assert t1.n == 4
    assert [(o.value, o.count, o.share) for o in t1.options] == [
        ("ja", 3, 75.0),
        ("planlagt", 1, 25.0),
        ("nej", 0, 0.0),
    ]
    v3 = next(q for q in report.questions if q.code == "v3")
    assert v3.n == 3 and v3.mean == pytest.approx(3.0)


def test_last_year_comes_through_the_question_mapping(users, two_years):
    _, r2023 = two_years
    report = results.round_report(r2023, users["kl"])
    t1 = next(q for q in report.questions if q.code == "t1")
    assert t1.previous_label == "2022 (spørgsmål t1)"
    assert {o.value: o.previous_share for o in t1.options} == {"ja": 25.0, "planlagt": 0.0, "nej": 75.0}
    e1 = next(q for q in report.questions if q.code == "e1")
    assert e1.previous_mean == pytest.approx(3.0) and e1.mean == pytest.approx(4.0)
    v3 = next(q for q in report.questions if q.code == "v3")  # new in 2023: nothing to compare
    assert v3.previous_label == "" and all(o.previous_share is None for o in v3.options)
    assert t1.chart_spec is not None
    series = {d["series"] for d in t1.chart_spec["data"]["values"]}
    assert series == {"2023", "2022"}


def test_mapping_follows_the_link_not_the_code(users, two_years, questionnaires):
    """A 2024 question renamed «maaling» and linked to 2023's t1 is compared with t1."""
    _, r2023 = two_years
    copy = services.copy_questionnaire(users["kl"], questionnaires[2023], 2024)
    services.save_question(users["kl"], copy, copy.questions.get(code="t1"), {"code": "maaling"})
    r2024 = services.open_round(
        users["kl"], copy, name="Runde 2024", opens_on=dt.date(2024, 9, 1), closes_on=dt.date(2024, 10, 1)
    )
    _submit(r2024, {101: {"maaling": "nej"}})
    report = results.round_report(r2024, users["kl"])
    q = next(q for q in report.questions if q.code == "maaling")
    assert q.previous_label == "2023 (spørgsmål t1)"
    assert {o.value: o.previous_share for o in q.options}["ja"] == 75.0


def test_by_region_and_rar_area(users, two_years):
    _, r2023 = two_years
    t1 = next(q for q in results.round_report(r2023, users["kl"]).questions if q.code == "t1")
    region, rar = t1.groups
    assert region.title == "Efter region" and rar.title == "Efter RAR-område"
    capital = next(r for r in region.rows if r[0] == "Region Hovedstaden")
    assert capital[1:4] == ["29", "2", "100 %"]  # 101 and 147 answered «ja»
    assert len(rar.rows) == 8


def test_municipality_sees_its_own_answer_beside_the_country(client, users, two_years):
    _, r2023 = two_years
    client.force_login(users["editor"])
    report = client.get(reverse("survey:results", args=[r2023.pk])).context["report"]
    t1 = next(q for q in report.questions if q.code == "t1")
    assert t1.own_answers == [("København", "Ja")]
    v2 = next(q for q in report.questions if q.code == "v2")
    assert v2.own_answers == [("København", "Ikke besvaret")]


def test_goal1_summary_uses_latest_closed_round_with_last_year_and_own_answer(users, two_years):
    summary = results.goal1_summary(users["editor"], OWN)
    assert summary["round"] == two_years[1]
    items = {i["code"]: i for i in summary["items"]}
    assert items["t1"]["country"] == "75 %" and items["t1"]["previous"] == "25 %"
    assert items["t1"]["own"] == "Ja"
    assert items["e1"]["country"] == "4,0 af 5" and items["e1"]["previous"] == "3,0 af 5"
    other = results.goal1_summary(users["other_editor"], OWN)
    assert other["own_shown"] is False and all(i["own"] is None for i in other["items"])


def test_results_downloads_hold_the_page_figures(client, users, two_years):
    _, r2023 = two_years
    client.force_login(users["kl"])
    csv_text = client.get(reverse("survey:results_download", args=[r2023.pk, "csv"])).content.decode(
        "utf-8-sig"
    )
    assert "kode;spørgsmål;svar;antal;andel_pct;andel_sidste_aar_pct;antal_svar;vaerdi" in csv_text
    assert "t1;Måler kommunen de lediges tilfredshed med jobcenteret?;Ja;3;75,0;25,0;4;;" in csv_text
    assert "gennemsnit;;;;4;4,0;3,0" in csv_text  # e1: mean now and last year
    book = load_workbook(
        io.BytesIO(client.get(reverse("survey:results_download", args=[r2023.pk, "xlsx"])).content)
    )
    assert book.sheetnames == ["Resultater", "Områder", "Fritekst"]
    raw = client.get(reverse("survey:answers_download", args=[r2023.pk, "csv"])).content.decode("utf-8-sig")
    assert raw.splitlines()[0].startswith("kommune;kommunenavn;v1;v2;v3")
    assert len(raw.splitlines()) == 5  # header + four submitted


def test_status_page_lists_who_has_not_answered_and_exports_it(client, users, two_years):
    _, r2023 = two_years
    client.force_login(users["kl"])
    page = client.get(reverse("survey:status", args=[r2023.pk]) + "?mangler=1")
    assert len(page.context["rows"]) == 94
    assert "Kommuner, der ikke har indsendt (94)" in page.content.decode()
    book = load_workbook(
        io.BytesIO(client.get(reverse("survey:status_download", args=[r2023.pk, "xlsx"])).content)
    )
    rows = list(book.active.iter_rows(values_only=True))
    assert rows[2][:4] == ("kommunekode", "kommune", "region", "status")
    states = {r[0]: r[3] for r in rows[3:]}
    assert states[101] == "Indsendt" and states[851] == "Påbegyndt" and states[461] == "Indsendt"
    assert states[860] == "Ikke påbegyndt"


@pytest.mark.skipif(shutil.which("pdftotext") is None, reason="poppler-utils missing")
def test_pdf_report_has_the_questions_figures_and_demo_label(client, users, two_years, tmp_path):
    _, r2023 = two_years
    Round.objects.filter(pk=r2023.pk).update(demo=True)
    client.force_login(users["editor"])
    response = client.get(reverse("survey:results_download", args=[r2023.pk, "pdf"]))
    assert response["Content-Type"] == "application/pdf"
    pdf = tmp_path / "r.pdf"
    pdf.write_bytes(response.content)
    text = subprocess.run(
        ["pdftotext", "-layout", str(pdf), "-"], capture_output=True, text=True, check=True
    ).stdout.replace("\u2019", "'")
    assert "KL's rundspørge om værdig sagsbehandling 2023" in text
    assert "Genererede demo-svar" in text
    assert "Måler kommunen de lediges tilfredshed med jobcenteret?" in text
    assert "75 %" in text and "Sammenlignes med 2022 (spørgsmål t1)" in text
    assert "Fritekstsvar vises kun for KL" in text
    assert "færre end 3 svar" in text
    subprocess.run(
        ["pdftoppm", "-png", "-r", "60", "-f", "1", "-l", "2", str(pdf), str(tmp_path / "page")], check=True
    )
    assert (tmp_path / "page-01.png").stat().st_size > 5000


def test_kinds_without_options_have_no_distribution_rows(users, two_years):
    _, r2023 = two_years
    report = results.round_report(r2023, users["kl"])
    kinds = {q.kind: q for q in report.questions}
    assert kinds[Kind.NUMBER].options == [] and kinds[Kind.TEXT].options == []
    assert kinds[Kind.TEXT].texts == []


def _round_2024(users, questionnaires, *, open_now: bool) -> Round:
    from django.utils import timezone

    copy = services.copy_questionnaire(users["kl"], questionnaires[2023], 2024)
    today = timezone.localdate()
    opens = today - dt.timedelta(days=1) if open_now else dt.date(2024, 9, 1)
    closes = today + dt.timedelta(days=14) if open_now else dt.date(2024, 10, 1)
    return services.open_round(users["kl"], copy, name="Runde 2024", opens_on=opens, closes_on=closes)


def test_a_years_goal1_figures_stay_with_its_round_when_next_years_round_closes(
        client, users, two_years, questionnaires, loaded_release):
    """Closing the 2024 round changed the 2023 overview's goal-1 section: it took the newest
    closed round of any year. The page for 2023 keeps 2023's round."""
    r2024 = _round_2024(users, questionnaires, open_now=True)
    _submit(r2024, {101: {"t1": "nej"}, 147: {"t1": "nej"}, 461: {"t1": "nej"}})
    services.close_now(users["kl"], r2024)
    assert results.goal1_summary(users["editor"], OWN)["round"] == r2024  # no year: the newest
    summary = results.goal1_summary(users["editor"], OWN, year=2023)
    assert summary["round"] == two_years[1]
    assert {i["code"]: i["country"] for i in summary["items"]}["t1"] == "75 %"
    page = client.get(reverse("overview"), {"periode": "2023"})
    assert page.context["survey_goal1"]["round"] == two_years[1]
    assert client.get(reverse("municipality", args=[OWN]),
                      {"periode": "2023"}).context["survey_goal1"]["round"] == two_years[1]


def test_an_open_round_with_fewer_than_3_answers_shows_no_national_result(users, questionnaires):
    r2024 = _round_2024(users, questionnaires, open_now=True)
    _submit(r2024, {101: {"t1": "ja", "e1": 4}, 147: {"t1": "nej", "e1": 2}})
    summary = results.goal1_summary(users["editor"], OWN, year=2024)
    assert summary["too_few"] is True
    items = {i["code"]: i for i in summary["items"]}
    assert items["t1"]["country"] == "–" and items["t1"]["n"] == 0
    assert items["t1"]["own"] == "Ja"  # the municipality still sees its own answer
    report = results.round_report(r2024, users["editor"])
    assert report.national_hidden
    t1 = next(q for q in report.questions if q.code == "t1")
    assert (t1.n, t1.options, t1.groups, t1.chart_spec, t1.mean) == (0, [], [], None, None)
    assert t1.own_answers == [("København", "Ja")]
    kl_view = next(q for q in results.round_report(r2024, users["kl"]).questions if q.code == "e1")
    assert kl_view.mean is None  # not for KL either: two answers would be as good as named

    _submit(r2024, {461: {"t1": "ja", "e1": 3}})  # the third answer: now shown
    summary = results.goal1_summary(users["editor"], OWN, year=2024)
    assert summary["too_few"] is False
    assert {i["code"]: i["country"] for i in summary["items"]}["t1"] == "67 %"  # 2 of 3
    report = results.round_report(r2024, users["editor"])
    assert not report.national_hidden
    assert next(q for q in report.questions if q.code == "e1").mean == pytest.approx(3.0)


def test_a_closed_round_with_few_answers_shows_its_result(users, questionnaires):
    r2024 = _round_2024(users, questionnaires, open_now=False)  # closed in October 2024
    _submit(r2024, {101: {"t1": "ja"}})
    assert not results.round_report(r2024, users["kl"]).national_hidden


def test_closing_a_round_asks_first_and_says_how_many_have_not_answered(client, users, open_round):
    _submit(open_round, {101: {"t1": "ja"}, 147: {"t1": "nej"}})
    url = reverse("survey:round_close", args=[open_round.pk])
    client.force_login(users["kl"])
    page = client.get(url)
    assert page.status_code == 200
    html = page.content.decode()
    assert "2 af 98 kommuner har indsendt" in html and "96 kommuner har ikke svaret" in html
    assert 'name="bekraeft" value="ja"' in html
    assert client.post(url, {}).status_code == 200  # a bare POST only shows the question again
    open_round.refresh_from_db()
    assert open_round.closed_early_at is None
    response = client.post(url, {"bekraeft": "ja"})
    assert response.status_code == 302
    open_round.refresh_from_db()
    assert open_round.closed_early_at is not None


@pytest.mark.parametrize("role", ["ministry", "editor", "reader"])
def test_only_kl_sees_the_close_confirmation(client, users, open_round, role):
    client.force_login(users[role])
    assert client.get(reverse("survey:round_close", args=[open_round.pk])).status_code == 403
