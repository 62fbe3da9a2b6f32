"""Publishing: the one way a release becomes what the public sees.

Loads and imports store drafts. Publishing makes a release the active one of its year; the same
action on a release published before is a rollback. Each publication is recorded (who, when,
which release replaced which); the release's pages and files are then built by a background
task (web/tasks.py, web/build.py). A release lacking indicators the active one has is refused: it
must first be combined with the active one (`combine`), so every figure keeps its source.
Publications of one database are serialised (an advisory lock on PostgreSQL; SQLite writes one
at a time anyway), so two loads publishing at once both end cleanly.
"""

from __future__ import annotations

import getpass

from django.db import IntegrityError, connection, transaction
from django.db.models import Q
from django.utils import timezone

from jobmaal.facts import KEY_COLUMNS
from jobmaal.web.followup.fill import fill_from_release
from jobmaal.web.models import Fact, Publication, Release
from jobmaal.web.queries import indicators_of, release_periods

_LOCK_KEY = 7_202_312  # pg_advisory_xact_lock key of publications (any constant of this app)


class PublishError(ValueError):
    """A publication that was refused; nothing changed."""


def cli_actor() -> str:
    """Who publishes from the command line: the login of the process."""
    try:
        return f"kommandolinje: {getpass.getuser()}"
    except (KeyError, OSError):
        return "kommandolinje"


def visible_releases(user) -> Q:
    """Which releases a user may see: staff every one, others the published ones."""
    if user is not None and user.is_authenticated and user.is_staff:
        return Q()
    return Q(published_at__isnull=False)


def missing_indicators(release: Release, other: Release | None) -> list[str]:
    """Indicators `other` has and `release` lacks."""
    if other is None or other.pk == release.pk:
        return []
    return sorted(indicators_of(other) - indicators_of(release))


def publish_release(release: Release, *, actor: str, user=None) -> Publication:
    """Make `release` the active release of its year; refused (PublishError) when it is
    already active or lacks indicators the active one has."""
    try:
        with transaction.atomic():
            _lock()
            fresh = Release.objects.filter(pk=release.pk).first()
            if fresh is None:
                raise PublishError(f"udgivelse {release.pk} findes ikke")
            current = Release.objects.filter(year=fresh.year, is_active=True).first()
            if current is not None and current.pk == fresh.pk:
                raise PublishError(f"udgivelse {fresh.pk} er allerede den aktive for {fresh.year}")
            missing = missing_indicators(fresh, current)
            if missing:
                raise PublishError(refusal_text(fresh, current, missing))
            action = "publish" if fresh.published_at is None else "rollback"
            now = timezone.now()
            Release.objects.filter(year=fresh.year, is_active=True).update(is_active=False)
            Release.objects.filter(pk=fresh.pk).update(
                is_active=True, published_at=fresh.published_at or now)
            entry = Publication.objects.create(
                release=fresh, replaced=current, year=fresh.year, action=action,
                user=user if user is not None and user.is_authenticated else None, actor=actor[:200])
            # Pages and files are keyed by release id, so the switch is instant everywhere; the
            # worker then builds the release's pages and files (visitors before it get them
            # built on demand).
            transaction.on_commit(lambda: _enqueue_build(fresh.pk))
    except IntegrityError:
        raise PublishError(f"udgivelse {release.pk} blev ikke udgivet: en anden udgivelse for "
                           f"{release.year} blev udgivet samtidig; prøv igen") from None
    release.refresh_from_db(fields=["is_active", "published_at"])
    # Plans' goal-4 series take their values from the published release.
    fill_from_release(release)
    return entry


def _enqueue_build(release_pk: int) -> None:
    from jobmaal.web.tasks import enqueue_build

    enqueue_build(release_pk)


def refusal_text(release: Release, current: Release, missing: list[str]) -> str:
    own = sorted(indicators_of(release))
    picks = " ".join([f"--pick {i}={release.pk}" for i in own]
                     + [f"--pick {i}={current.pk}" for i in missing])
    return (f"udgivelse {release.pk} mangler {', '.join(missing)}, som den aktive udgivelse "
            f"{current.pk} har. Kombinér den med den aktive først, så hvert tal beholder sin "
            f"kilde: jobmaal combine --year {release.year} {picks}")


def _lock() -> None:
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_advisory_xact_lock(%s)", [_LOCK_KEY])


def compare_releases(release: Release, other: Release | None) -> dict:
    """What publishing `release` would change against `other` (the active one): indicators
    and periods it adds or lacks, and per indicator the figures changed, added and removed."""
    if other is None or other.pk == release.pk:
        return {"other": other, "rows": [], "missing": [], "added": [],
                "missing_periods": [], "new_periods": []}
    own, theirs = indicators_of(release), indicators_of(other)
    own_periods, their_periods = set(release_periods(release)), set(release_periods(other))
    counts = _changes(release.pk, other.pk)
    rows = [{"indicator": ind, **counts.get(ind, {"changed": 0, "added": 0, "removed": 0,
                                                   "same": 0}),
             "state": ("mangler" if ind not in own else "ny" if ind not in theirs else "")}
            for ind in sorted(own | theirs)]
    return {"other": other, "rows": rows, "missing": sorted(theirs - own),
            "added": sorted(own - theirs),
            "missing_periods": sorted(their_periods - own_periods),
            "new_periods": sorted(own_periods - their_periods)}


def _changes(new: int, old: int) -> dict[str, dict[str, int]]:
    """Per indicator: figures changed (value or suppression), added, removed and the same."""
    q = connection.ops.quote_name
    keys = ", ".join(q(c) for c in KEY_COLUMNS)
    fact = q(Fact._meta.db_table)
    sql = (
        "SELECT indicator, "
        "SUM(CASE WHEN n_old = 0 THEN 1 ELSE 0 END), SUM(CASE WHEN n_new = 0 THEN 1 ELSE 0 END), "
        "SUM(CASE WHEN n_old > 0 AND n_new > 0 AND (old_s <> new_s "
        "OR (old_v IS NULL) <> (new_v IS NULL) OR ABS(old_v - new_v) > 1e-9) THEN 1 ELSE 0 END), "
        "COUNT(*) "
        f"FROM (SELECT {keys}, "
        "SUM(CASE WHEN release_id = %s THEN 1 ELSE 0 END) AS n_old, "
        "SUM(CASE WHEN release_id = %s THEN 1 ELSE 0 END) AS n_new, "
        "MAX(CASE WHEN release_id = %s THEN value END) AS old_v, "
        "MAX(CASE WHEN release_id = %s THEN value END) AS new_v, "
        "MAX(CASE WHEN release_id = %s THEN (CASE WHEN suppressed THEN 1 ELSE 0 END) END) AS old_s, "
        "MAX(CASE WHEN release_id = %s THEN (CASE WHEN suppressed THEN 1 ELSE 0 END) END) AS new_s "
        f"FROM {fact} WHERE release_id IN (%s, %s) GROUP BY {keys}) AS d GROUP BY indicator")
    with connection.cursor() as cursor:
        cursor.execute(sql, [old, new, old, new, old, new, old, new])
        found = cursor.fetchall()
    return {ind: {"added": int(a), "removed": int(r), "changed": int(c),
                  "same": int(n) - int(a) - int(r) - int(c)}
            for ind, a, r, c, n in found}
