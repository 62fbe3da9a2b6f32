"""Serving the app: gunicorn with one worker process per core, threads inside each.

Each worker keeps its own page cache and warms it in a background thread as soon as it starts,
so the first visitors of a freshly started server do not wait for page data to be built.
"""

from __future__ import annotations

import threading

from django.db import connection, connections
from gunicorn.app.base import BaseApplication

from jobmaal.web.pagecache import warm
from jobmaal.web.queries import active_release


def _warm_worker(server, worker) -> None:  # gunicorn's post_fork hook
    def run() -> None:
        try:
            release = active_release()
            if release is not None:
                warm(release)
        finally:
            connection.close()  # this thread's own database connection

    threading.Thread(target=run, name="warm-pages", daemon=True).start()


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
        "post_fork": _warm_worker,
        "accesslog": None,
        "errorlog": "-",
        "loglevel": "warning",
        "timeout": 120,
        "proc_name": "jobmaal",
    }).run()
