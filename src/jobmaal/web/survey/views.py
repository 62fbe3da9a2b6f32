"""Survey pages: the overview, KL's questionnaire editor and rounds, the answer form, the live
status of a round and the results with their downloads.

Who may do what is decided in accounts/roles.py and enforced again in services.py. Reading what
the user may not see answers 404 (its existence is not revealed); changing what the user may
not change answers 403. Every page needs a login.
"""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.views.decorators.http import require_http_methods, require_POST

from jobmaal import formats
from jobmaal.geography import UnknownAreaError, load_geography
from jobmaal.reports.survey_pdf import render_survey_pdf
from jobmaal.web.accounts.roles import can_edit, can_read_private, is_kl, municipalities_of, reads_everything
from jobmaal.web.survey import exports, forms, importer, results, rules, services
from jobmaal.web.survey.models import Answer, AuditEntry, Question, Questionnaire, Round, Section, State

NAV = "survey"


def _kl_only(request: HttpRequest) -> None:
    if not is_kl(request.user):
        raise PermissionDenied("Kun KL kan ændre spørgeskemaer og runder.")


def _round(rid: int) -> Round:
    return get_object_or_404(Round.objects.select_related("questionnaire"), pk=rid)


def _municipality(code: int):
    try:
        return load_geography().municipality(code)
    except UnknownAreaError:
        raise Http404("Ukendt kommune") from None


# --- overview ------------------------------------------------------------------------------


@login_required
def index(request: HttpRequest) -> HttpResponse:
    today = timezone.localdate()
    rounds = list(Round.objects.select_related("questionnaire"))
    own = sorted(municipalities_of(request.user))
    geo = load_geography()
    own_answers = {
        (a.round_id, a.municipality_code): a
        for a in Answer.objects.filter(municipality_code__in=own, round__in=rounds)
    }
    rows = []
    for r in rounds:
        counts = {s: 0 for s in State.values}
        for state in r.answers.values_list("state", flat=True):
            counts[state] += 1
        rows.append(
            {
                "round": r,
                "status": r.status(today),
                "status_label": r.status_label(today),
                "submitted": counts[State.SUBMITTED],
                "invited": sum(counts.values()),
                "own": [_own_row(request, r, geo.municipality(c), own_answers.get((r.pk, c))) for c in own],
            }
        )
    return render(
        request,
        "survey/index.html",
        {
            "nav": NAV,
            "rows": rows,
            "is_kl": is_kl(request.user),
            "sees_all": reads_everything(request.user),
            "questionnaires": Questionnaire.objects.all() if reads_everything(request.user) else [],
            "new_form": forms.NewQuestionnaireForm(initial={"year": today.year + 1}),
        },
    )


def _own_row(request: HttpRequest, r: Round, municipality, answer: Answer | None) -> dict:
    if answer is not None:
        answer.round = r
    answerable = (
        answer is not None and can_edit(request.user, municipality.code) and services.may_answer(answer)
    )
    return {"municipality": municipality, "answer": answer, "answerable": answerable}


# --- questionnaires (KL) ---------------------------------------------------------------------


@login_required
def questionnaire_new(request: HttpRequest) -> HttpResponse:
    _kl_only(request)
    form = forms.NewQuestionnaireForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        q = services.create_questionnaire(
            request.user, form.cleaned_data["year"], form.cleaned_data["title"], form.cleaned_data["intro"]
        )
        messages.success(request, "Spørgeskemaet er oprettet. Tilføj et afsnit og spørgsmål.")
        return redirect("survey:questionnaire", qid=q.pk)
    return render(
        request,
        "survey/form.html",
        {"nav": NAV, "form": form, "title": "Nyt spørgeskema", "back": "survey:index"},
        status=400 if form.is_bound else 200,
    )


@login_required
def questionnaire_detail(request: HttpRequest, qid: int) -> HttpResponse:
    q = get_object_or_404(Questionnaire, pk=qid)
    questions = q.ordered_questions()
    sections = [
        {
            "section": s,
            "questions": [
                {"q": x, "condition": rules.condition_text(x)} for x in questions if x.section_id == s.pk
            ],
        }
        for s in q.sections.all()
    ]
    return render(
        request,
        "survey/questionnaire.html",
        {
            "nav": NAV,
            "questionnaire": q,
            "sections": sections,
            "is_kl": is_kl(request.user),
            "editable": is_kl(request.user) and not q.locked,
            "rounds": q.rounds.all(),
            "copy_form": forms.CopyForm(initial={"year": q.year + 1}),
            "round_form": forms.RoundForm(initial={"name": f"Rundspørge om værdighed {q.year}"}),
        },
    )


def _editor_form(request, form, save, template_title: str, back_qid: int, extra: dict | None = None):
    """Run `save()` for a valid form; show a refused change on the form (400)."""
    status = 200
    if request.method == "POST":
        status = 400
        if form.is_valid():
            try:
                save()
            except services.SurveyError as exc:
                form.add_error(None, str(exc))
            else:
                messages.success(request, "Ændringen er gemt.")
                return redirect("survey:questionnaire", qid=back_qid)
    return render(
        request,
        "survey/form.html",
        {"nav": NAV, "form": form, "title": template_title, "back_qid": back_qid, **(extra or {})},
        status=status,
    )


@login_required
def questionnaire_edit(request: HttpRequest, qid: int) -> HttpResponse:
    _kl_only(request)
    q = get_object_or_404(Questionnaire, pk=qid)
    form = forms.QuestionnaireForm(request.POST or None, initial={"title": q.title, "intro": q.intro})
    return _editor_form(
        request,
        form,
        lambda: services.update_questionnaire(
            request.user, q, title=form.cleaned_data["title"], intro=form.cleaned_data["intro"]
        ),
        "Ret spørgeskemaet",
        q.pk,
    )


@login_required
def section_edit(request: HttpRequest, qid: int, sid: int | None = None) -> HttpResponse:
    _kl_only(request)
    q = get_object_or_404(Questionnaire, pk=qid)
    section = get_object_or_404(Section, pk=sid, questionnaire=q) if sid else None
    initial = (
        {"title": section.title, "intro": section.intro, "order": section.order}
        if section
        else {"order": q.sections.count() + 1}
    )
    form = forms.SectionForm(request.POST or None, initial=initial)
    return _editor_form(
        request,
        form,
        lambda: services.save_section(request.user, q, section, **form.cleaned_data),
        "Ret afsnit" if section else "Nyt afsnit",
        q.pk,
    )


@login_required
@require_POST
def section_delete(request: HttpRequest, qid: int, sid: int) -> HttpResponse:
    _kl_only(request)
    section = get_object_or_404(Section, pk=sid, questionnaire_id=qid)
    _run(request, lambda: services.delete_section(request.user, section), "Afsnittet er slettet.")
    return redirect("survey:questionnaire", qid=qid)


@login_required
def question_edit(request: HttpRequest, qid: int, pk: int | None = None) -> HttpResponse:
    _kl_only(request)
    q = get_object_or_404(Questionnaire, pk=qid)
    question = get_object_or_404(Question, pk=pk, questionnaire=q) if pk else None
    initial = (
        forms.QuestionForm.initial_for(question)
        if question
        else {
            "order": q.questions.count() + 1,
            "section": q.sections.last().pk if q.sections.exists() else None,
        }
    )
    form = forms.QuestionForm(request.POST or None, questionnaire=q, question=question, initial=initial)
    return _editor_form(
        request,
        form,
        lambda: services.save_question(request.user, q, question, form.service_data()),
        f"Ret spørgsmål {question.code}" if question else "Nyt spørgsmål",
        q.pk,
    )


@login_required
@require_POST
def question_delete(request: HttpRequest, qid: int, pk: int) -> HttpResponse:
    _kl_only(request)
    question = get_object_or_404(Question, pk=pk, questionnaire_id=qid)
    _run(request, lambda: services.delete_question(request.user, question), "Spørgsmålet er slettet.")
    return redirect("survey:questionnaire", qid=qid)


@login_required
@require_POST
def questionnaire_copy(request: HttpRequest, qid: int) -> HttpResponse:
    _kl_only(request)
    q = get_object_or_404(Questionnaire, pk=qid)
    form = forms.CopyForm(request.POST)
    if not form.is_valid():
        messages.error(request, "Angiv året, spørgeskemaet skal kopieres til.")
        return redirect("survey:questionnaire", qid=qid)
    try:
        new = services.copy_questionnaire(request.user, q, form.cleaned_data["year"])
    except services.SurveyError as exc:
        messages.error(request, str(exc))
        return redirect("survey:questionnaire", qid=qid)
    messages.success(request, f"Kopieret til {new.year}, version {new.version}. Den kan nu ændres.")
    return redirect("survey:questionnaire", qid=new.pk)


@login_required
@require_POST
def round_new(request: HttpRequest, qid: int) -> HttpResponse:
    _kl_only(request)
    q = get_object_or_404(Questionnaire, pk=qid)
    form = forms.RoundForm(request.POST)
    if not form.is_valid():
        messages.error(request, "Angiv rundens navn og datoer.")
        return redirect("survey:questionnaire", qid=qid)
    try:
        r = services.open_round(request.user, q, **form.cleaned_data)
    except services.SurveyError as exc:
        messages.error(request, str(exc))
        return redirect("survey:questionnaire", qid=qid)
    messages.success(
        request, "Runden er oprettet, og alle 98 kommuner er inviteret. Spørgeskemaet er nu låst."
    )
    return redirect("survey:status", rid=r.pk)


@login_required
def round_import(request: HttpRequest, qid: int) -> HttpResponse:
    _kl_only(request)
    q = get_object_or_404(Questionnaire, pk=qid)
    form = forms.ImportForm(
        request.POST or None,
        request.FILES or None,
        initial={"name": f"Rundspørge om værdighed {q.year} (indlæst)"},
    )
    errors: list = []
    status = 200
    if request.method == "POST":
        status = 400
        if form.is_valid():
            upload = form.cleaned_data["file"]
            try:
                r = importer.import_round(
                    request.user,
                    q,
                    upload.read(),
                    upload.name,
                    name=form.cleaned_data["name"],
                    opens_on=form.cleaned_data["opens_on"],
                    closes_on=form.cleaned_data["closes_on"],
                )
            except importer.ImportFailed as exc:
                errors = [str(e) for e in exc.errors]
            except services.SurveyError as exc:
                form.add_error(None, str(exc))
            else:
                messages.success(
                    request, f"{r.answers.filter(state=State.SUBMITTED).count()} besvarelser er indlæst."
                )
                return redirect("survey:results", rid=r.pk)
    return render(
        request,
        "survey/import.html",
        {
            "nav": NAV,
            "form": form,
            "questionnaire": q,
            "errors": errors,
            "codes": [x.code for x in q.ordered_questions()],
        },
        status=status,
    )


# --- rounds ---------------------------------------------------------------------------------


def _require_overview(request: HttpRequest) -> None:
    """The status of every municipality is for KL and the ministry only (others: 404)."""
    if not reads_everything(request.user):
        raise Http404("Ingen side")


@login_required
def round_status(request: HttpRequest, rid: int) -> HttpResponse:
    _require_overview(request)
    r = _round(rid)
    geo = load_geography()
    answers = list(r.answers.all())
    only_missing = request.GET.get("mangler") == "1"
    rows = [
        {"answer": a, "municipality": geo.municipality(a.municipality_code)}
        for a in answers
        if not only_missing or a.state != State.SUBMITTED
    ]
    counts = {label: sum(1 for a in answers if a.state == value) for value, label in State.choices}
    return render(
        request,
        "survey/status.html",
        {
            "nav": NAV,
            "round": r,
            "rows": rows,
            "counts": counts,
            "only_missing": only_missing,
            "status_label": r.status_label(timezone.localdate()),
            "is_kl": is_kl(request.user),
            "dates_form": forms.DatesForm(initial={"opens_on": r.opens_on, "closes_on": r.closes_on}),
            "open": r.status(timezone.localdate()) != "closed",
        },
    )


@login_required
def round_status_download(request: HttpRequest, rid: int, fmt: str) -> HttpResponse:
    _require_overview(request)
    r = _round(rid)
    header, rows = exports.status_rows(r)
    return _download(
        _body(fmt, header, rows, "Status", f"{r.name}: status pr. kommune"),
        fmt,
        f"rundspoerge-{r.questionnaire.year}-status",
    )


@login_required
@require_POST
def round_dates(request: HttpRequest, rid: int) -> HttpResponse:
    _kl_only(request)
    r = _round(rid)
    form = forms.DatesForm(request.POST)
    if form.is_valid():
        _run(
            request,
            lambda: services.change_dates(request.user, r, **form.cleaned_data),
            "Datoerne er ændret.",
        )
    else:
        messages.error(request, "Angiv begge datoer.")
    return redirect("survey:status", rid=rid)


@login_required
@require_http_methods(["GET", "POST"])
def round_close(request: HttpRequest, rid: int) -> HttpResponse:
    """«Luk runden nu» asks first: a page saying how many municipalities have not answered, and
    only a POST with `bekraeft=ja` from it closes the round (a bare POST shows the page again)."""
    _kl_only(request)
    r = _round(rid)
    if request.method == "POST" and request.POST.get("bekraeft") == "ja":
        _run(request, lambda: services.close_now(request.user, r), "Runden er lukket.")
        return redirect("survey:status", rid=rid)
    if r.status(timezone.localdate()) == "closed":
        messages.error(request, "Runden er allerede lukket.")
        return redirect("survey:status", rid=rid)
    answers = list(r.answers.all())
    missing = sorted(load_geography().municipality(a.municipality_code).name
                     for a in answers if a.state != State.SUBMITTED)
    return render(request, "survey/close.html", {
        "nav": NAV, "round": r, "invited": len(answers), "missing": missing,
        "submitted": len(answers) - len(missing),
    })


@login_required
@require_POST
def answer_reopen(request: HttpRequest, rid: int, code: int) -> HttpResponse:
    _kl_only(request)
    answer = get_object_or_404(Answer, round_id=rid, municipality_code=code)
    _run(
        request,
        lambda: services.reopen_answer(request.user, answer),
        f"Besvarelsen for {_municipality(code).name} er genåbnet; "
        "kommunen kan nu ændre og indsende den igen.",
    )
    return redirect("survey:status", rid=rid)


def _run(request: HttpRequest, action, done: str) -> None:
    try:
        action()
    except services.SurveyError as exc:
        messages.error(request, str(exc))
    else:
        messages.success(request, done)


# --- answering -------------------------------------------------------------------------------


@login_required
def answer(request: HttpRequest, rid: int, code: int) -> HttpResponse:
    """A municipality's answer: the form for its editors while it may be changed, read-only for its
    readers, KL and the ministry. GET needs read access (404), POST edit access (403)."""
    municipality = _municipality(code)
    if request.method == "POST":
        if not can_edit(request.user, code):
            raise PermissionDenied("Kun kommunens redaktører kan besvare for kommunen.")
    elif not can_read_private(request.user, code):
        raise Http404("Ingen besvarelse")
    a = get_object_or_404(
        Answer.objects.select_related("round__questionnaire"), round_id=rid, municipality_code=code
    )
    questions = a.round.questionnaire.ordered_questions()
    status, conflict, incomplete = 200, None, None
    form = forms.AnswerForm(
        request.POST if request.method == "POST" else None,
        questions=questions,
        initial=forms.AnswerForm.initial_from(a.values),
    )
    fetch = request.headers.get("X-Requested-With") == "fetch"
    if request.method == "POST":
        submit = request.POST.get("handling") == "indsend"
        shown = request.POST.get("version", "")
        if not form.is_valid():
            status = 400
        elif not shown.isdigit():
            form.add_error(None, "Siden mangler besvarelsens version; genindlæs siden.")
            status = 400
        else:
            try:
                a = services.save_answer(request.user, a, int(shown), form.values(), submit=submit)
            except services.Incomplete as exc:
                incomplete = exc
                a.refresh_from_db()
                for qcode, message in exc.errors.items():
                    form.add_error(forms.field_name(qcode), message)
                status = 400
            except services.ConcurrentEdit as exc:
                conflict, status = exc, 409
            except services.SurveyError as exc:
                form.add_error(None, str(exc))
                status = 400
            else:
                if fetch:
                    return JsonResponse(
                        {
                            "saved": True,
                            "version": a.version,
                            "message": f"Gemt kl. {formats.time_da(a.updated_at, seconds=True)}",
                        }
                    )
                messages.success(
                    request,
                    "Besvarelsen er indsendt. Tak!"
                    if a.state == State.SUBMITTED
                    else "Besvarelsen er gemt. Du kan fortsætte senere.",
                )
                return redirect("survey:answer", rid=rid, code=code)
        if fetch:
            return JsonResponse(
                {
                    "saved": False,
                    "version": a.version,
                    "message": str(conflict)
                    if conflict
                    else "Ikke gemt: ret fejlene og gem igen."
                    if status == 400
                    else "",
                },
                status=status,
            )
    editable = can_edit(request.user, code) and services.may_answer(a)
    version = a.version if conflict is None else request.POST.get("version")
    return render(
        request,
        "survey/answer.html",
        {
            "nav": NAV,
            "answer": a,
            "round": a.round,
            "municipality": municipality,
            "form": form,
            "sections": _answer_sections(a, questions, form),
            "editable": editable,
            "version": version,
            "conflict": conflict,
            "incomplete": incomplete,
            "why_not": services.why_not_answerable(a),
            "is_kl": is_kl(request.user),
            "history": AuditEntry.objects.filter(answer=a)[:20],
            "current_version": a.version,
        },
        status=status,
    )


def _answer_sections(a: Answer, questions: list[Question], form) -> list[dict]:
    shown = rules.visible_codes(questions, a.values)
    sections = []
    for s in a.round.questionnaire.sections.all():
        items = []
        for q in questions:
            if q.section_id != s.pk:
                continue
            items.append(
                {
                    "q": q,
                    "field": form[forms.field_name(q.code)],
                    "condition": rules.condition_text(q),
                    "parent": q.condition_question.code if q.condition_question_id else "",
                    "values": ",".join(q.condition_values),
                    "shown": q.code in shown,
                    "text": results.answer_text(q, a.values.get(q.code)),
                }
            )
        sections.append({"section": s, "items": items})
    return sections


# --- results --------------------------------------------------------------------------------


@login_required
def results_page(request: HttpRequest, rid: int) -> HttpResponse:
    r = _round(rid)
    report = results.round_report(r, request.user)
    return render(
        request,
        "survey/results.html",
        {"nav": NAV, "round": r, "report": report, "sees_all": reads_everything(request.user)},
    )


@login_required
def results_download(request: HttpRequest, rid: int, fmt: str) -> HttpResponse:
    r = _round(rid)
    report = results.round_report(r, request.user)
    name = f"rundspoerge-{r.questionnaire.year}-resultater"
    if fmt == "pdf":
        return _download(render_survey_pdf(report), "pdf", name)
    header, rows = exports.result_rows(report)
    if fmt == "csv":
        return _download(exports.to_csv(header, rows), fmt, name)
    if fmt != "xlsx":
        raise Http404("Ukendt format")
    sheets = [
        ("Resultater", f"{report.title}: resultater", header, rows),
        ("Områder", "Efter region og RAR-område", *exports.group_sheet_rows(report)),
    ]
    if report.free_text_shown:
        sheets.append(("Fritekst", "Fritekstsvar", *exports.text_rows(report)))
    return _download(exports.to_xlsx(sheets), fmt, name)


@login_required
def answers_download(request: HttpRequest, rid: int, fmt: str) -> HttpResponse:
    """Every submitted answer (free text included): KL and the ministry only."""
    _require_overview(request)
    r = _round(rid)
    header, rows = exports.answer_rows(r)
    return _download(
        _body(fmt, header, rows, "Besvarelser", ""), fmt, f"rundspoerge-{r.questionnaire.year}-svar"
    )


def _body(fmt: str, header: list[str], rows: list[list], sheet: str, title: str) -> bytes:
    if fmt == "csv":
        return exports.to_csv(header, rows)
    if fmt == "xlsx":
        return exports.to_xlsx([(sheet, title, header, rows)])
    raise Http404("Ukendt format")


def _download(body: bytes, fmt: str, name: str) -> HttpResponse:
    content_type = {"pdf": "application/pdf", **exports.CONTENT_TYPES}[fmt]
    response = HttpResponse(body, content_type=content_type)
    response["Content-Disposition"] = f'attachment; filename="{name}.{fmt}"'
    return response
