"""Long work outside the request: background tasks (django-tasks, queued in the database and
run by `jobmaal worker`) and their progress, kept in the shared cache so any server's page can
show it (the task pages poll `/opgaver/<id>.json`).

- `build_release_task`: a published release's pages and files (web/build.py);
- `plan_pdfs_task`: every municipality's plan of a year as PDF, in one zip file.
"""

from __future__ import annotations

import io
import zipfile
from pathlib import Path

from django.conf import settings
from django.core.cache import cache
from django.core.cache.backends.base import DEFAULT_TIMEOUT
from django_tasks import TaskContext, task

from jobmaal.web import build
from jobmaal.web.models import Release


def progress_key(task_id: str) -> str:
    return f"task-progress:{task_id}"


def report_progress(task_id: str, label: str, done: int, total: int, **extra) -> None:
    """What a task has done so far, for the pages that poll it."""
    cache.set(progress_key(task_id), {"label": label, "done": done, "total": total, **extra},
              DEFAULT_TIMEOUT)


def progress_of(task_id: str) -> dict:
    return cache.get(progress_key(task_id)) or {"label": "Venter på at gå i gang", "done": 0, "total": 0}


# -- building a published release ---------------------------------------------------------------

def build_task_key(release_pk: int) -> str:
    return f"build-task:{release_pk}"


def enqueue_build(release_pk: int) -> str:
    """Queue the build of a release's pages and files; the task's id is kept per release so the
    publishing page can follow it."""
    result = build_release_task.enqueue(release_pk)
    cache.set(build_task_key(release_pk), result.id, DEFAULT_TIMEOUT)
    return result.id


def build_task_of(release_pk: int) -> str | None:
    return cache.get(build_task_key(release_pk))


@task(takes_context=True)
def build_release_task(context: TaskContext, release_pk: int) -> dict[str, int]:
    """Build a published release unless a build (the CLI's, another task's) has finished it."""
    task_id = context.task_result.id
    release = Release.objects.filter(pk=release_pk).first()
    if release is None:  # deleted since it was published
        report_progress(task_id, "Udgivelsen findes ikke længere", 0, 0)
        return {"pages": 0, "files": 0}
    if build.is_built(release):
        report_progress(task_id, "Allerede bygget", 1, 1)
        return {"pages": 0, "files": 0}

    def progress(label: str, done: int, total: int) -> None:
        report_progress(task_id, label, done, total)

    return build.build_release(release, progress)


# -- the 98 plan PDFs ----------------------------------------------------------------------------

def plan_pdfs_path(task_id: str) -> Path:
    return settings.BUILD_DIR / "plan-pdfs" / f"planer-{task_id}.zip"


@task(takes_context=True)
def plan_pdfs_task(context: TaskContext, year: int, user_pk: int) -> dict[str, int]:
    """Render the newest plan of every municipality for `year` (published or not: only the
    ministry and KL may start this) as PDF into one zip file."""
    from jobmaal.web.followup.documents import renderer
    from jobmaal.web.followup.report_data import plan_report
    from jobmaal.web.followup.summary import newest_plans
    from jobmaal.web.queries import active_release

    task_id = context.task_result.id
    plans = newest_plans(year, published_only=False)
    release = active_release(year) or active_release()
    render = renderer("plan_pdf", "render_plan_pdf")
    report_progress(task_id, "Planer som PDF", 0, len(plans), owner=user_pk)
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        for done, plan in enumerate(plans, start=1):
            name = f"beskaeftigelsesplan-{year}-{plan.municipality_code}-rev{plan.revision}.pdf"
            archive.writestr(name, render(plan_report(plan, release)))
            report_progress(task_id, "Planer som PDF", done, len(plans), owner=user_pk)
    build.write_atomically(plan_pdfs_path(task_id), iter([out.getvalue()]))
    report_progress(task_id, "Planer som PDF", len(plans), len(plans), owner=user_pk,
                    download=f"/opgaver/{task_id}/planer.zip")
    return {"plans": len(plans)}
