"""Shared fixtures of the web tests: one small synthetic release, computed once per session and
loaded into the test database once per module (and removed again after the module)."""

from __future__ import annotations

from pathlib import Path

import pytest

from jobmaal.indicators.output import run_compute
from jobmaal.registers.synth import generate

DEMO_SCALE = 0.003
DEMO_SEED = 1
DEMO_YEAR = 2023


@pytest.fixture(scope="session")
def computed_release_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """An OUT folder (facts.parquet, manifest.json, framework.parquet) of synthetic 2023 data."""
    registers = tmp_path_factory.mktemp("registers")
    generate(registers, scale=DEMO_SCALE, seed=DEMO_SEED)
    out = tmp_path_factory.mktemp("release") / "release-2023"
    run_compute(registers, DEMO_YEAR, out)
    return out


@pytest.fixture(scope="module")
def loaded_release(django_db_setup, django_db_blocker, computed_release_dir: Path):
    """The computed folder loaded as the active release; deleted when the module is done, so
    other modules start from an empty database."""
    from jobmaal.web.models import Release
    from jobmaal.web.releases import load_release

    with django_db_blocker.unblock():
        release = load_release(computed_release_dir)
    yield release
    with django_db_blocker.unblock():
        Release.objects.filter(pk=release.pk).delete()


@pytest.fixture(autouse=True)
def fresh_page_cache():
    """Each test sees pages built anew (and Django's test response.context filled in); the
    HTML cache itself is tested in test_pages.py."""
    from django.core.cache import cache

    from jobmaal.web.queries import _level_facts

    cache.clear()
    _level_facts.cache_clear()  # release ids are reused when a test's release is rolled back
    yield
    cache.clear()
    _level_facts.cache_clear()
