"""Background tasks seen from the app: start the 98 plan PDFs, follow a task's progress (a page
that polls its JSON), fetch what it made. A release's build is staff's to follow; the plan PDFs
are the ministry's and KL's, each only their own task's."""

from __future__ import annotations

from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_GET, require_POST
from django_tasks import default_task_backend
from django_tasks.exceptions import TaskResultDoesNotExist

from jobmaal.catalogue import available_years
from jobmaal.web import tasks
from jobmaal.web.accounts.roles import reads_everything
from jobmaal.web.fileserve import serve_file

_STATES_DA = {"READY": "I kø", "RUNNING": "I gang", "SUCCESSFUL": "Færdig", "FAILED": "Fejlede"}


def _task_for(request: HttpRequest, task_id: str):
    """The task, if this user may follow it; a 404 otherwise (as if it did not exist)."""
    try:
        result = default_task_backend.get_result(task_id)
    except TaskResultDoesNotExist:
        raise Http404("ingen sådan opgave") from None
    user = request.user
    if not user.is_authenticated:
        raise Http404("ingen sådan opgave")
    if result.task.func is tasks.plan_pdfs_task.func:
        allowed = user.is_staff or (reads_everything(user) and result.args[1] == user.pk)
    else:
        allowed = user.is_staff
    if not allowed:
        raise Http404("ingen sådan opgave")
    return result


def _state(result) -> dict:
    progress = tasks.progress_of(result.id)
    status = str(result.status)
    return {"id": result.id, "status": status, "status_da": _STATES_DA.get(status, status),
            "label": progress["label"], "done": progress["done"], "total": progress["total"],
            "finished": status in ("SUCCESSFUL", "FAILED"),
            "download": progress.get("download") if status == "SUCCESSFUL" else None}


@require_GET
def task_page(request: HttpRequest, task_id: str) -> HttpResponse:
    result = _task_for(request, task_id)
    return render(request, "web/task.html", {"task": _state(result), "nav": "releases"})


@require_GET
def task_json(request: HttpRequest, task_id: str) -> JsonResponse:
    response = JsonResponse(_state(_task_for(request, task_id)))
    response["Cache-Control"] = "no-store"
    return response


@require_GET
def plan_pdfs_download(request: HttpRequest, task_id: str) -> HttpResponse:
    result = _task_for(request, task_id)
    path = tasks.plan_pdfs_path(result.id)
    if str(result.status) != "SUCCESSFUL" or not path.exists():
        raise Http404("filen er ikke klar")
    return serve_file(request, path, filename=f"beskaeftigelsesplaner-{result.args[0]}.zip",
                      content_type="application/zip", cache_control="private, no-cache")


@require_POST
def plan_pdfs_start(request: HttpRequest, year: int) -> HttpResponse:
    """Every municipality's plan of `year` as PDF, made by the worker (the ministry and KL)."""
    if not reads_everything(request.user):
        return HttpResponse("Kun ministeriet og KL kan danne alle planer.", status=403)
    if year not in available_years():
        raise Http404("Ukendt år")
    result = tasks.plan_pdfs_task.enqueue(year, request.user.pk)
    return redirect("task", task_id=result.id)
