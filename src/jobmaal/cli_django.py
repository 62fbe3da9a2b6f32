"""Django for the commands: settings, and the database schema brought up to date.

Shared by cli.py and cli_sources.py (which cli.py registers), so neither imports the other
for it. Django itself is imported only when a command needs the database.
"""

from __future__ import annotations


def setup_django() -> None:
    """Configure Django and bring the database schema up to date."""
    import os

    import django
    from django.core.management import call_command

    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "jobmaal.web.settings")
    django.setup()
    from django.db import connection

    if connection.vendor != "postgresql":
        call_command("migrate", verbosity=0, interactive=False)
        _checkpoint_sqlite()
        return
    with connection.cursor() as cursor:  # two commands starting at once migrate one after the other
        cursor.execute("SELECT pg_advisory_lock(7202313)")
        try:
            call_command("migrate", verbosity=0, interactive=False)
        finally:
            cursor.execute("SELECT pg_advisory_unlock(7202313)")


def _checkpoint_sqlite() -> None:
    """Move SQLite's write-ahead log into the database file and empty it, so that a load that
    then fails on a full disk leaves only its own rolled-back rows there, which the command's
    failure handling (`cli._release_database`) can drop without needing any space."""
    from django.db import DatabaseError, connection

    if connection.vendor != "sqlite" or connection.in_atomic_block:  # not possible in a transaction
        return
    try:
        with connection.cursor() as cursor:
            cursor.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    except DatabaseError:  # best effort: a busy database is checkpointed by its next writer
        pass
