"""The staff upload folder (DATA_DIR/uploads): a file waits there between preview and confirm.

A token is used once: confirming claims the file by renaming it (atomic), so two simultaneous
confirmations cannot both load it. Files and folders are removed after confirm or cancel, and
any left by an abandoned preview after UPLOAD_MAX_AGE_HOURS (checked on every upload and when
the server starts, or with `jobmaal cleanup-uploads`).
"""

from __future__ import annotations

import shutil
import time
from pathlib import Path

from django.conf import settings

DEFAULT_MAX_AGE_HOURS = 24.0


def upload_dir() -> Path:
    return Path(getattr(settings, "DATA_DIR", Path("var"))) / "uploads"


def stored_upload(token: str) -> Path:
    return upload_dir() / f"{token}.upload"


def claim_upload(token: str) -> Path | None:
    """Take the waiting file of `token` for one confirmation; None when it is gone or taken."""
    claimed = upload_dir() / f"{token}.confirming"
    try:
        stored_upload(token).rename(claimed)
    except FileNotFoundError:
        return None
    return claimed


def remove(path: Path) -> None:
    if path.is_dir() and not path.is_symlink():
        shutil.rmtree(path, ignore_errors=True)
    else:
        path.unlink(missing_ok=True)


def cleanup_uploads(max_age_hours: float | None = None, *, now: float | None = None) -> int:
    """Remove what abandoned previews left (older than the limit); returns how many."""
    hours = max_age_hours if max_age_hours is not None else float(
        getattr(settings, "UPLOAD_MAX_AGE_HOURS", DEFAULT_MAX_AGE_HOURS))
    folder = upload_dir()
    if not folder.is_dir():
        return 0
    limit = (now if now is not None else time.time()) - hours * 3600
    removed = 0
    for entry in folder.iterdir():
        try:
            old = entry.lstat().st_mtime < limit
        except FileNotFoundError:
            continue  # removed meanwhile by another process
        if old:
            remove(entry)
            removed += 1
    return removed
