"""Replacing a whole output folder so readers see either the old or the new one."""

from __future__ import annotations

import contextlib
import os
import shutil
import uuid
from collections.abc import Iterator
from pathlib import Path


@contextlib.contextmanager
def replace_folder(target: str | Path) -> Iterator[Path]:
    """Yield a fresh staging folder beside `target`; on success it takes target's place.

    If the body raises, the staging folder is removed and `target` stays as it was. The swap
    itself is two renames on one file system; a crash between them leaves the old folder as
    `<target>.old-*`, which `recover_folder` puts back.
    """
    target = Path(target)
    target.parent.mkdir(parents=True, exist_ok=True)
    recover_folder(target)
    remove_stale_staging(target)
    token = uuid.uuid4().hex[:8]
    staging = target.with_name(f".{target.name}.tmp-{os.getpid()}-{token}")
    staging.mkdir()
    try:
        yield staging
    except BaseException:
        shutil.rmtree(staging, ignore_errors=True)
        raise
    old = target.with_name(f"{target.name}.old-{token}")
    if target.exists():
        os.rename(target, old)
    os.rename(staging, target)
    shutil.rmtree(old, ignore_errors=True)


def recover_folder(target: Path) -> None:
    """Undo a swap that was cut off between its two renames."""
    if target.exists():
        for leftover in target.parent.glob(f"{target.name}.old-*"):
            shutil.rmtree(leftover, ignore_errors=True)
        return
    olds = sorted(target.parent.glob(f"{target.name}.old-*"), key=os.path.getmtime)
    if olds:
        os.rename(olds[-1], target)


def remove_stale_staging(target: Path) -> list[Path]:
    """Remove hidden staging folders of `target` left by a run that was killed (kill -9, power
    loss): their names carry the writing process's id, and that process is gone. A folder of
    the older naming without an id has no owner to ask and is removed too."""
    removed = []
    for staging in target.parent.glob(f".{target.name}.tmp-*"):
        owner = staging.name.rsplit(".tmp-", 1)[1].split("-")[0]
        if "-" in staging.name.rsplit(".tmp-", 1)[1] and owner.isdigit() and _alive(int(owner)):
            continue
        shutil.rmtree(staging, ignore_errors=True)
        removed.append(staging)
    return removed


def _alive(pid: int) -> bool:
    if pid == os.getpid():
        return True
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:  # someone else's process: alive
        return True
    return True
