"""A `load` killed with SIGKILL between two chunks (used by test_chunked_load.py):

    python killed_load.py DATABASE_NAME RELEASE_FOLDER CHUNK_ROWS KILL_AFTER_CHUNKS

loads RELEASE_FOLDER into the database DATABASE_NAME (the test database, on the server the
settings name) in chunks of CHUNK_ROWS facts and kills its own process right after chunk
KILL_AFTER_CHUNKS was committed, as `kill -9` would, so nothing of Python's clean-up runs."""

from __future__ import annotations

import os
import signal
import sys


def main() -> None:
    name, folder, chunk_rows, kill_after = sys.argv[1], sys.argv[2], int(sys.argv[3]), int(sys.argv[4])
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "jobmaal.web.settings")
    from django.conf import settings

    settings.DATABASES["default"]["NAME"] = name
    import django

    django.setup()
    from jobmaal.web.releases import load_release

    stored = []

    def kill_between_chunks(step: str, done: int, total: int) -> None:
        stored.append(done)
        if len(stored) == kill_after:
            os.kill(os.getpid(), signal.SIGKILL)

    load_release(folder, activate=True, chunk_rows=chunk_rows, progress=kill_between_chunks)


if __name__ == "__main__":
    main()
