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
    """The computed folder loaded and published as the active release; deleted when the module is done, so
    other modules start from an empty database."""
    from jobmaal.web.models import Release
    from jobmaal.web.releases import load_release

    with django_db_blocker.unblock():
        release = load_release(computed_release_dir, activate=True)
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


@pytest.fixture(scope="module")
def browser():
    """Debian's Chromium driven by Playwright (the browser tests skip when it is missing)."""
    from browsing import CHROMIUM, CHROMIUM_ARGS
    from playwright.sync_api import sync_playwright

    if not CHROMIUM.exists():
        pytest.skip(f"{CHROMIUM} is missing (apt-get install chromium)")
    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        yield chromium
        chromium.close()


@pytest.fixture
def page(browser):
    """A fresh page (Danish locale) and the record of its requests and console errors."""
    from browsing import Traffic

    context = browser.new_context(viewport={"width": 1280, "height": 900}, locale="da-DK",
                                  accept_downloads=True)
    page = context.new_page()
    traffic = Traffic()
    page.on("request", traffic.on_request)
    page.on("console", traffic.on_console)
    page.on("pageerror", lambda exc: traffic.console_errors.append(f"uncaught: {exc}"))
    yield page, traffic
    context.close()


PASSWORD = "Hemmelig-kode-42"


@pytest.fixture
def fast_passwords(settings):
    """Tests that make users hash cheaply (hashing is Django's business, not ours)."""
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture
def make_user(db, django_user_model, fast_passwords):
    """make_user(name, role, codes, **fields): a user with a role and municipality grants."""
    from jobmaal.web.accounts.models import MunicipalityGrant, Profile

    def make(name: str, role=None, codes: tuple[int, ...] = (), **fields):
        user = django_user_model.objects.create_user(name, f"{name}@example.dk", PASSWORD, **fields)
        if role is not None:
            Profile.objects.create(user=user, role=role)
        for code in codes:
            MunicipalityGrant.objects.create(user=user, municipality_code=code)
        return user

    return make


@pytest.fixture
def users(make_user) -> dict:
    """One user per role: the ministry, KL, two editors and a reader of 101 (København), an
    editor of 147 (Frederiksberg), an editor of both (a shared job centre), a user without a role."""
    from jobmaal.web.accounts.models import Role

    return {
        "ministry": make_user("ministeriet", Role.MINISTRY),
        "kl": make_user("kl", Role.KL),
        "editor": make_user("redaktoer", Role.EDITOR, (101,)),
        "editor2": make_user("redaktoer2", Role.EDITOR, (101,)),
        "reader": make_user("laeser", Role.READER, (101,)),
        "other_editor": make_user("anden", Role.EDITOR, (147,)),
        "shared": make_user("faelles", Role.EDITOR, (101, 147)),
        "norole": make_user("ingen", None),
    }
