"""The fuzz script of issue 12 in the suite: every broken release and register folder it makes
is refused by `jobmaal load` / `jobmaal compute` with a message, no traceback, no OUT written and
the active release unchanged (see tests/fuzz_load_compute.py)."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

SCRIPT = Path(__file__).with_name("fuzz_load_compute.py")


@pytest.mark.slow
def test_every_fuzzed_case_is_refused_cleanly_and_the_active_release_is_kept(tmp_path):
    done = subprocess.run([sys.executable, str(SCRIPT), "--random", "4", "--keep", str(tmp_path)],
                          capture_output=True, text=True, timeout=1800)
    lines = done.stdout.splitlines()
    assert done.returncode == 0, "\n".join(line for line in lines if not line.startswith("ok")) + done.stderr
    assert lines[-1] == "50 of 50 cases refused cleanly"
    assert any(line.startswith("ok   load: manifest year 99999: Fejl:") for line in lines)
    assert any(line.startswith("ok   compute: benefit month in 9999: Fejl:") for line in lines)
    assert "ok   active release after all cases: unchanged" in done.stdout
