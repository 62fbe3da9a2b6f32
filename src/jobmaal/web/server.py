"""Serving the app: gunicorn with one worker process per core, threads inside each.

Pages and files live in the shared cache and build folder, built when a release is published
(web/build.py), so a started server has nothing of its own to warm. Only when the active release
was never built (a cache emptied, a release published by an older version) does the first worker
build it, once, in a background thread; visitors meanwhile get pages built on demand.
"""

from __future__ import annotations

import threading

from django.db import connection, connections
from gunicorn.app.base import BaseApplication

from jobmaal.web.build import build_release, is_built
from jobmaal.web.queries import active_release


def _build_if_never_built(server, worker) -> None:  # gunicorn's post_fork hook
    from django.conf import settings

    if worker.age != 1 or not settings.BUILD_AT_START:  # the first worker only; others share it
        return

    def run() -> None:
        try:
            release = active_release()
            if release is not None and not is_built(release):
                build_release(release)
        finally:
            connection.close()  # this thread's own database connection

    threading.Thread(target=run, name="build-release", daemon=True).start()


class _Gunicorn(BaseApplication):
    def __init__(self, options: dict):
        self.options = options
        super().__init__()

    def load_config(self) -> None:
        for key, value in self.options.items():
            self.cfg.set(key, value)

    def load(self):
        from jobmaal.web.wsgi import application

        return application


def serve(host: str, port: int, workers: int = 2, threads: int = 4) -> None:
    """Run until interrupted. Database connections of the parent are closed before forking."""
    connections.close_all()
    _Gunicorn({
        "bind": f"{host}:{port}",
        "workers": workers,
        "threads": threads,
        "worker_class": "gthread",
        "post_fork": _build_if_never_built,
        "accesslog": None,
        "errorlog": "-",
        "loglevel": "warning",
        "timeout": 120,
        "proc_name": "jobmaal",
    }).run()
