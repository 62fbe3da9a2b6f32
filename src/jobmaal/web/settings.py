"""Django settings. Every setting that varies is read from the environment:

JOBMAAL_DATA_DIR   where the SQLite database, secret key and demo data live (default ./var)
DATABASE_URL       e.g. postgres://user:pw@localhost/jobmaal; SQLite in JOBMAAL_DATA_DIR if unset
JOBMAAL_SECRET_KEY the secret key; generated once and kept in JOBMAAL_DATA_DIR if unset
JOBMAAL_DEBUG      '1' turns on Django's debug mode (never in production)
JOBMAAL_ALLOWED_HOSTS  comma-separated host names (default: localhost only)
JOBMAAL_EMAIL_BACKEND  Django e-mail backend for password resets (default: files in JOBMAAL_DATA_DIR/mail)
JOBMAAL_UPLOAD_MAX_AGE_HOURS  abandoned import previews are removed after this (default 24)
JOBMAAL_EMAIL_HOST     SMTP host when the backend is SMTP (with JOBMAAL_EMAIL_PORT, _USER, _PASSWORD)
JOBMAAL_SITE_URL       the site's address in alert e-mails' links (default http://localhost:8000)
JOBMAAL_HTTPS          '1' behind HTTPS: redirect http to https and send HSTS (see docs/operations.md)
JOBMAAL_HSTS_SECONDS   HSTS max-age when JOBMAAL_HTTPS=1 (default one year; 0 sends none)
JOBMAAL_HSTS_INCLUDE_SUBDOMAINS  '0' leaves includeSubDomains out of HSTS (default '1')
JOBMAAL_HSTS_PRELOAD   '1' asks browsers to preload HSTS (only for a domain meant for the list)
JOBMAAL_PROXY_SSL_HEADER  the header the proxy sets to "https", e.g. X-Forwarded-Proto
JOBMAAL_SECURE_COOKIES '0' sends session and CSRF cookies over plain http too (default '1'; the
                       demo, `serve --demo`, and the browser tests turn it off)
JOBMAAL_CLIENT_IP_HEADER  the header in which the reverse proxy passes the client's address,
                       e.g. X-Forwarded-For or X-Real-IP; unset: the connection's address
JOBMAAL_PROXY_COUNT    trusted proxies appending to that header (default 1)
JOBMAAL_LOG_LEVEL      level of the log written to stderr (default INFO; HTTP 500s are ERROR)
JOBMAAL_SQLITE_TIMEOUT seconds a SQLite writer waits for another (default 20)
JOBMAAL_LOAD_CHUNK_ROWS rows a load stores per transaction (default 20000; see web/releases.py)
JOBMAAL_LOAD_STALE_MINUTES a load silent this long is removed as abandoned (default 30)
JOBMAAL_XLSX_MAX_UNPACKED_MB, JOBMAAL_XLSX_MAX_ROWS, JOBMAAL_XLSX_MAX_CELLS  limits of uploaded
                       Excel files (see jobmaal/xlsxread.py)
REDIS_URL              e.g. redis://localhost:6379/0: the shared cache of pages and API answers of
                       every app server (django-redis); unset: JOBMAAL_CACHE decides
JOBMAAL_CACHE          without REDIS_URL: 'file' (default, JOBMAAL_DATA_DIR/cache, shared by the
                       processes of one machine) or 'database' (shared by every server of the database)
JOBMAAL_BUILD_DIR      where a release's built files (facts.csv, facts.parquet, national PDF) are kept
                       (default JOBMAAL_DATA_DIR/built; a shared volume when there are several servers)
JOBMAAL_ACCEL_REDIRECT URL prefix under which nginx serves JOBMAAL_BUILD_DIR as an internal location
                       (e.g. /_built/): built files are then sent by nginx via X-Accel-Redirect
JOBMAAL_BUILD_AT_START '0': `serve` does not build an active release that was never built
"""

from __future__ import annotations

import os
import secrets
import tempfile
from pathlib import Path

import dj_database_url

DATA_DIR = Path(os.environ.get("JOBMAAL_DATA_DIR", "var")).resolve()
DATA_DIR.mkdir(parents=True, exist_ok=True)
# Files of import previews not confirmed or cancelled are removed after this many hours.
UPLOAD_MAX_AGE_HOURS = float(os.environ.get("JOBMAAL_UPLOAD_MAX_AGE_HOURS", "24"))


def _secret_key() -> str:
    if os.environ.get("JOBMAAL_SECRET_KEY"):
        return os.environ["JOBMAAL_SECRET_KEY"]
    path = DATA_DIR / "secret_key"
    if not path.exists():
        path.write_text(secrets.token_urlsafe(50), encoding="utf-8")
        path.chmod(0o600)
    return path.read_text(encoding="utf-8").strip()


SECRET_KEY = _secret_key()
DEBUG = os.environ.get("JOBMAAL_DEBUG") == "1"
ALLOWED_HOSTS = os.environ.get("JOBMAAL_ALLOWED_HOSTS", "localhost,127.0.0.1,[::1]").split(",")

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "axes",  # login throttling
    "csp",  # Content-Security-Policy header
    "ninja",  # serves the OpenAPI docs' Swagger UI from the app, not a CDN
    "django_tasks",  # background tasks (the backport of Django 6's Tasks)
    "django_tasks_db",  # ... queued in the database, run by `jobmaal worker`
    "jobmaal.web",
    "jobmaal.web.accounts",
    "jobmaal.web.followup",
    "jobmaal.web.survey",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "csp.middleware.CSPMiddleware",
    "jobmaal.web.pagecache.ApiCacheMiddleware",
    "axes.middleware.AxesMiddleware",  # last, as django-axes requires
]

AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",  # refuses logins while a user/IP pair is locked out
    "django.contrib.auth.backends.ModelBackend",
]
# Five failed logins for a user name from one address lock it for 15 minutes.
AXES_FAILURE_LIMIT = int(os.environ.get("JOBMAAL_LOGIN_FAILURE_LIMIT", "5"))
AXES_COOLOFF_TIME = 0.25  # hours
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_LOCKOUT_TEMPLATE = "accounts/locked.html"
AXES_RESET_ON_SUCCESS = True
AXES_VERBOSE = False
# Behind a reverse proxy every request comes from the proxy's address, so one attacker could
# lock a user out for everyone: read the client's address from the proxy's header instead.
CLIENT_IP_HEADER = os.environ.get("JOBMAAL_CLIENT_IP_HEADER", "")
PROXY_COUNT = int(os.environ.get("JOBMAAL_PROXY_COUNT", "1"))
AXES_CLIENT_IP_CALLABLE = "jobmaal.web.accounts.clientip.client_ip"

LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "followup:index"
LOGOUT_REDIRECT_URL = "overview"
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_AGE = 8 * 3600  # a working day
SESSION_COOKIE_SECURE = os.environ.get("JOBMAAL_SECURE_COOKIES", "1") != "0"
CSRF_COOKIE_SECURE = SESSION_COOKIE_SECURE

# HTTPS: behind a proxy that ends TLS, it tells Django the request was https in a header.
HTTPS = os.environ.get("JOBMAAL_HTTPS") == "1"
SECURE_SSL_REDIRECT = HTTPS
SECURE_HSTS_SECONDS = int(os.environ.get("JOBMAAL_HSTS_SECONDS", "31536000")) if HTTPS else 0
SECURE_HSTS_INCLUDE_SUBDOMAINS = os.environ.get("JOBMAAL_HSTS_INCLUDE_SUBDOMAINS", "1") != "0"
SECURE_HSTS_PRELOAD = os.environ.get("JOBMAAL_HSTS_PRELOAD") == "1"
if os.environ.get("JOBMAAL_PROXY_SSL_HEADER"):
    SECURE_PROXY_SSL_HEADER = ("HTTP_" + os.environ["JOBMAAL_PROXY_SSL_HEADER"].upper().replace("-", "_"),
                               "https")
# Preloading HSTS is a promise for a whole domain and all its subdomains, made to the browser
# makers' list; Jobmål usually runs on a subdomain of its owner's, so it is a choice
# (JOBMAAL_HSTS_PRELOAD=1), not a deploy check.
SILENCED_SYSTEM_CHECKS = ["security.W021"]

# Content-Security-Policy: the app loads nothing from other hosts and runs no inline script
# or style (chart specs are JSON data blocks, read by static/web/charts.js).
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "script-src": ["'self'"],
        "style-src": ["'self'"],
        "img-src": ["'self'", "data:"],
        "font-src": ["'self'"],
        "connect-src": ["'self'"],
        "object-src": ["'none'"],
        "base-uri": ["'self'"],
        "form-action": ["'self'"],
        "frame-ancestors": ["'none'"],
    },
}

# Every HTTP 500 is logged by django.request with its traceback; all logs go to stderr, where
# gunicorn's own log goes too (collect it with the service manager, see docs/operations.md).
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {"plain": {"format": "{asctime} {levelname} {name} {process}: {message}", "style": "{"}},
    "handlers": {"stderr": {"class": "logging.StreamHandler", "stream": "ext://sys.stderr",
                            "formatter": "plain"}},
    "loggers": {
        "django": {"handlers": ["stderr"], "level": "INFO", "propagate": False},
        "django.request": {"handlers": ["stderr"], "level": "WARNING", "propagate": False},
    },
    "root": {"handlers": ["stderr"], "level": os.environ.get("JOBMAAL_LOG_LEVEL", "INFO")},
}

EMAIL_BACKEND = os.environ.get("JOBMAAL_EMAIL_BACKEND", "django.core.mail.backends.filebased.EmailBackend")
EMAIL_FILE_PATH = DATA_DIR / "mail"
EMAIL_HOST = os.environ.get("JOBMAAL_EMAIL_HOST", "localhost")
EMAIL_PORT = int(os.environ.get("JOBMAAL_EMAIL_PORT", "25"))
EMAIL_HOST_USER = os.environ.get("JOBMAAL_EMAIL_USER", "")
EMAIL_HOST_PASSWORD = os.environ.get("JOBMAAL_EMAIL_PASSWORD", "")
DEFAULT_FROM_EMAIL = os.environ.get("JOBMAAL_FROM_EMAIL", "jobmaal@localhost")
# the site's address in alert e-mails' links (`jobmaal send-alerts`)
JOBMAAL_SITE_URL = os.environ.get("JOBMAAL_SITE_URL", "http://localhost:8000")

ROOT_URLCONF = "jobmaal.web.urls"
WSGI_APPLICATION = "jobmaal.web.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "jobmaal.web.context.release",
            ],
        },
    },
]

# Seconds a SQLite writer waits for another's transaction before giving up.
SQLITE_TIMEOUT = float(os.environ.get("JOBMAAL_SQLITE_TIMEOUT", "20"))

if os.environ.get("DATABASE_URL"):
    DATABASES = {"default": dj_database_url.parse(os.environ["DATABASE_URL"], conn_max_age=60)}
else:
    # Every transaction takes the write lock when it begins (IMMEDIATE), so two writers queue on
    # the busy timeout instead of one failing with "database is locked" when it upgrades a read
    # lock. The test database is a file too: SQLite's shared in-memory database ignores the
    # busy timeout, so concurrent tests would see "locked" where production waits.
    DATABASES = {
        "default": {
            "ENGINE": "django.db.backends.sqlite3",
            "NAME": DATA_DIR / "jobmaal.sqlite3",
            "OPTIONS": {
                "timeout": SQLITE_TIMEOUT,
                "transaction_mode": "IMMEDIATE",
                "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
            },
            "TEST": {"NAME": str(Path(tempfile.gettempdir()) / f"jobmaal-test-{os.getpid()}.sqlite3")},
        }
    }

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

LANGUAGE_CODE = "da"
TIME_ZONE = "Europe/Copenhagen"
USE_I18N = True
USE_TZ = True
# Off: Django would group every integer, years too ("2.023"); numbers that need grouping go
# through jobmaal.formats (the |antal, |decimal, |pct filters).
USE_THOUSAND_SEPARATOR = False

STATIC_URL = "/static/"
STATIC_ROOT = DATA_DIR / "static"  # only `collectstatic` writes here; WhiteNoise also finds app files
STATIC_ROOT.mkdir(exist_ok=True)
WHITENOISE_USE_FINDERS = True  # serve app static files without a collectstatic step
WHITENOISE_AUTOREFRESH = DEBUG

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# Loads store a release in transactions of this many rows each, so a save made during a load
# waits for one chunk, not the whole load (web/releases.py).
LOAD_CHUNK_ROWS = max(1, int(os.environ.get("JOBMAAL_LOAD_CHUNK_ROWS", "20000")))
# A load whose process is gone, or that stored nothing for this long, is removed as abandoned.
LOAD_STALE_MINUTES = float(os.environ.get("JOBMAAL_LOAD_STALE_MINUTES", "30"))

# Limits of the open API and downloads (safe defaults; raise deliberately).
JOBMAAL_API_MAX_ROWS = int(os.environ.get("JOBMAAL_API_MAX_ROWS", "50000"))

# Pages, page data and API answers are cached per release (see web/pagecache.py); a release never
# changes, so nothing expires on its own: publishing switches the release id in every key.
REDIS_URL = os.environ.get("REDIS_URL", "")
CACHE_KIND = "redis" if REDIS_URL else os.environ.get("JOBMAAL_CACHE", "file")
if CACHE_KIND not in ("redis", "file", "database"):
    raise ValueError(f"JOBMAAL_CACHE must be 'file' or 'database', not {CACHE_KIND!r}")
_CACHE_WEEK = 7 * 24 * 3600  # releases replaced long ago drop out on their own
# Parallel test workers (pytest-xdist) share JOBMAAL_DATA_DIR, never a file cache or built files.
_WORKER_DIR = (DATA_DIR / f"test-{os.environ['PYTEST_XDIST_WORKER']}"
               if os.environ.get("PYTEST_XDIST_WORKER") else DATA_DIR)
if CACHE_KIND == "redis":
    CACHES = {"default": {"BACKEND": "django_redis.cache.RedisCache", "LOCATION": REDIS_URL,
                          "KEY_PREFIX": "jobmaal", "TIMEOUT": _CACHE_WEEK,
                          "OPTIONS": {"CLIENT_CLASS": "django_redis.client.DefaultClient"}}}
elif CACHE_KIND == "database":  # the table is made by `migrate` (web/apps.py)
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.db.DatabaseCache",
                          "LOCATION": "jobmaal_cache", "TIMEOUT": _CACHE_WEEK,
                          "OPTIONS": {"MAX_ENTRIES": 50000}}}
else:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.filebased.FileBasedCache",
                          "LOCATION": _WORKER_DIR / "cache", "TIMEOUT": _CACHE_WEEK,
                          "OPTIONS": {"MAX_ENTRIES": 50000}}}

# Files built for a release at publish (bulk downloads, the national PDF), served as files.
BUILD_DIR = Path(os.environ.get("JOBMAAL_BUILD_DIR", _WORKER_DIR / "built")).resolve()
ACCEL_REDIRECT = os.environ.get("JOBMAAL_ACCEL_REDIRECT", "")
# `serve` builds the active release once if no build of it has finished ('0': leave it to the worker).
BUILD_AT_START = os.environ.get("JOBMAAL_BUILD_AT_START", "1") != "0"

# Long work (building a published release, the 98 plan PDFs) runs in `jobmaal worker`.
TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
