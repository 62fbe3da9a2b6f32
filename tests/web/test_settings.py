"""Production settings: `manage.py check --deploy` passes, HTTPS redirect and HSTS, secure
cookies by default, a strict Content-Security-Policy, and every HTTP 500 logged with its
traceback on stderr. Settings are read once per process, so most run in a subprocess."""

from __future__ import annotations

import json
import os
import secrets
import subprocess
import sys
from pathlib import Path

import pytest

SRC = Path(__file__).resolve().parents[2] / "src"


def production_env(tmp_path: Path, **extra: str) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("JOBMAAL_", "DJANGO_"))}
    env.pop("DATABASE_URL", None)
    env.update(JOBMAAL_DATA_DIR=str(tmp_path / "data"), JOBMAAL_SECRET_KEY=secrets.token_urlsafe(50),
               JOBMAAL_ALLOWED_HOSTS="jobmaal.example.dk", JOBMAAL_HTTPS="1",
               JOBMAAL_PROXY_SSL_HEADER="X-Forwarded-Proto", DJANGO_SETTINGS_MODULE="jobmaal.web.settings",
               PYTHONPATH=str(SRC) + os.pathsep + env.get("PYTHONPATH", ""))
    env.update(extra)
    return env


def run_python(env: dict[str, str], code: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-c", code], env=env, capture_output=True, text=True, timeout=120)


def test_check_deploy_passes_with_the_production_settings(tmp_path):
    done = subprocess.run([sys.executable, "-m", "django", "check", "--deploy", "--fail-level", "WARNING"],
                          env=production_env(tmp_path), capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stdout + done.stderr
    assert "no issues" in done.stdout


def test_check_deploy_complains_without_https(tmp_path):
    env = production_env(tmp_path)
    del env["JOBMAAL_HTTPS"]
    done = subprocess.run([sys.executable, "-m", "django", "check", "--deploy", "--fail-level", "WARNING"],
                          env=env, capture_output=True, text=True, timeout=120)
    assert done.returncode != 0
    assert "security.W004" in done.stderr + done.stdout and "security.W008" in done.stderr + done.stdout


_REQUESTS = """
import json, django
django.setup()
from django.core.management import call_command
call_command("migrate", verbosity=0)
from django.conf import settings
from django.test import Client
c = Client()
plain = c.get("/konto/log-ind/", HTTP_HOST="jobmaal.example.dk")
secure = c.get("/konto/log-ind/", HTTP_HOST="jobmaal.example.dk", HTTP_X_FORWARDED_PROTO="https")
print(json.dumps({
    "plain": [plain.status_code, plain.get("Location")],
    "secure": [secure.status_code, secure.get("Strict-Transport-Security")],
    "cookies": [settings.SESSION_COOKIE_SECURE, settings.CSRF_COOKIE_SECURE],
}))
"""


def test_https_redirect_hsts_and_secure_cookies_in_production(tmp_path):
    done = run_python(production_env(tmp_path), _REQUESTS)
    assert done.returncode == 0, done.stderr
    out = json.loads(done.stdout.strip().splitlines()[-1])
    assert out["plain"] == [301, "https://jobmaal.example.dk/konto/log-ind/"]
    assert out["secure"] == [200, "max-age=31536000; includeSubDomains"]
    assert out["cookies"] == [True, True]


def test_cookies_are_secure_by_default_and_the_demo_turns_them_off(tmp_path):
    code = ("import django; django.setup(); from django.conf import settings; "
            "print(settings.SESSION_COOKIE_SECURE)")
    env = production_env(tmp_path)
    del env["JOBMAAL_HTTPS"]
    assert run_python(env, code).stdout.strip() == "True"
    assert run_python({**env, "JOBMAAL_SECURE_COOKIES": "0"}, code).stdout.strip() == "False"


_FAILING_VIEW = """
import django
django.setup()
from django.test import Client, override_settings
from django.urls import path

def boom(request):
    raise RuntimeError("kaboom i visningen")

urlpatterns = [path("boom/", boom)]
with override_settings(ROOT_URLCONF=__name__):
    print("status", Client(raise_request_exception=False).get("/boom/").status_code)
"""


def test_an_http_500_is_logged_with_its_traceback_on_stderr(tmp_path):
    env = production_env(tmp_path, JOBMAAL_HTTPS="0", JOBMAAL_ALLOWED_HOSTS="testserver")
    done = run_python(env, _FAILING_VIEW)
    assert "status 500" in done.stdout, done.stderr
    assert "ERROR django.request" in done.stderr and "Internal Server Error: /boom/" in done.stderr
    assert "Traceback (most recent call last):" in done.stderr
    assert "RuntimeError: kaboom i visningen" in done.stderr


@pytest.mark.django_db
def test_every_page_carries_a_strict_content_security_policy(client):
    policy = client.get("/konto/log-ind/")["Content-Security-Policy"]
    directives = dict(d.strip().split(" ", 1) for d in policy.split(";"))
    assert directives["default-src"] == "'self'"
    assert directives["script-src"] == "'self'" and directives["style-src"] == "'self'"
    assert directives["object-src"] == "'none'" and directives["frame-ancestors"] == "'none'"
    assert "unsafe-inline" not in policy and "unsafe-eval" not in policy and "http" not in policy
