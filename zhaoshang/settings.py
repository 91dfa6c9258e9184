"""One settings module, read from the environment.

Bad values fail loudly at start-up rather than being guessed: a government intranet server that
silently runs with DEBUG on or an unknown database is worse than one that refuses to start.
"""

from __future__ import annotations

import os
import sys
from pathlib import Path

import dj_database_url
from django.core.exceptions import ImproperlyConfigured

BASE_DIR = Path(__file__).resolve().parent
PROJECT_DIR = BASE_DIR.parent
DATA_DIR = Path(os.environ.get("ZHAOSHANG_DATA_DIR", PROJECT_DIR)).resolve()


def env_bool(name: str, default: bool) -> bool:
    raw = os.environ.get(name)
    if raw is None or raw == "":
        return default
    value = raw.strip().lower()
    if value in {"1", "true", "yes", "on"}:
        return True
    if value in {"0", "false", "no", "off"}:
        return False
    raise ImproperlyConfigured(f"{name} must be true or false, not {raw!r}")


def env_int(name: str, default: int) -> int:
    raw = os.environ.get(name)
    if raw is None or raw == "":
        return default
    try:
        return int(raw)
    except ValueError as exc:
        raise ImproperlyConfigured(f"{name} must be an integer, not {raw!r}") from exc


def env_list(name: str, default: list[str]) -> list[str]:
    raw = os.environ.get(name)
    if raw is None or raw.strip() == "":
        return default
    return [item.strip() for item in raw.split(",") if item.strip()]


DEBUG = env_bool("DEBUG", False)
DEMO_MODE = env_bool("ZHAOSHANG_DEMO", False)

_INSECURE_DEV_KEY = "django-insecure-zhaoshang-development-only"
SECRET_KEY = os.environ.get("SECRET_KEY", "")
if not SECRET_KEY:
    # Development, the demo, maintenance commands (cli.py sets ZHAOSHANG_ALLOW_DEV_KEY) and the test
    # suite may run on a fixed key; a server never does (`serve` and `check --deploy` refuse it).
    if DEBUG or DEMO_MODE or os.environ.get("ZHAOSHANG_ALLOW_DEV_KEY") == "1" or "pytest" in sys.modules:
        SECRET_KEY = _INSECURE_DEV_KEY
    else:
        raise ImproperlyConfigured(
            "SECRET_KEY is not set. Set SECRET_KEY for production, or DEBUG=1 / ZHAOSHANG_DEMO=1 for development."
        )

ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", ["127.0.0.1", "localhost", "[::1]"] if (DEBUG or DEMO_MODE) else [])
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS", [])

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "django_htmx",
    "ninja",  # serves Swagger UI from its bundled static files, not a CDN
    "simple_history",
    "django_tasks",
    "django_tasks_db",
    "zhaoshang.core",
    "zhaoshang.orgs",
    "zhaoshang.periods",
    "zhaoshang.activities",
    "zhaoshang.ledger",
    "zhaoshang.targets",
    "zhaoshang.integrity",
    "zhaoshang.assessment",
    "zhaoshang.api",
    "zhaoshang.exchange",
    "zhaoshang.reports",
    "zhaoshang.demo",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "simple_history.middleware.HistoryRequestMiddleware",
]

ROOT_URLCONF = "zhaoshang.urls"
WSGI_APPLICATION = "zhaoshang.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "zhaoshang.core.context_processors.site",
            ],
        },
    },
]

DATABASES = {
    "default": dj_database_url.parse(
        os.environ.get("DATABASE_URL") or f"sqlite:///{DATA_DIR / 'zhaoshang.sqlite3'}",
        conn_max_age=env_int("DB_CONN_MAX_AGE", 60),
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # WAL and a busy timeout let the web server, a background task and the CLI share one file.
    DATABASES["default"]["OPTIONS"] = {
        "timeout": 20,
        "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
        "transaction_mode": "IMMEDIATE",
    }
    DATABASES["default"]["CONN_MAX_AGE"] = 0

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"
AUTH_USER_MODEL = "orgs.User"
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "ledger:project_list"
LOGOUT_REDIRECT_URL = "login"

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
]

LANGUAGE_CODE = "zh-hans"
LANGUAGES = [("zh-hans", "简体中文"), ("en", "English")]
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = "Asia/Shanghai"
USE_I18N = True
USE_TZ = True

STATIC_URL = "/static/"
STATIC_ROOT = Path(os.environ.get("STATIC_ROOT", DATA_DIR / "staticfiles"))
STATICFILES_DIRS = [BASE_DIR / "static"]
MEDIA_URL = "/media/"
MEDIA_ROOT = Path(os.environ.get("MEDIA_ROOT", DATA_DIR / "media"))
WHITENOISE_USE_FINDERS = DEBUG or DEMO_MODE

# Upload limits: evidence files and workbooks. Larger requests are refused with a clear message.
UPLOAD_MAX_MB = env_int("UPLOAD_MAX_MB", 20)
DATA_UPLOAD_MAX_MEMORY_SIZE = UPLOAD_MAX_MB * 1024 * 1024
FILE_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024
DATA_UPLOAD_MAX_NUMBER_FIELDS = 5000

SESSION_COOKIE_SECURE = env_bool("SESSION_COOKIE_SECURE", False)
CSRF_COOKIE_SECURE = env_bool("CSRF_COOKIE_SECURE", False)
SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", False)
SECURE_HSTS_SECONDS = env_int("SECURE_HSTS_SECONDS", 0)
SECURE_HSTS_INCLUDE_SUBDOMAINS = env_bool("SECURE_HSTS_INCLUDE_SUBDOMAINS", False)
SECURE_HSTS_PRELOAD = env_bool("SECURE_HSTS_PRELOAD", False)
if env_bool("USE_X_FORWARDED_PROTO", False):
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SESSION_COOKIE_HTTPONLY = True
X_FRAME_OPTIONS = "DENY"

TASKS = {"default": {"BACKEND": os.environ.get("TASKS_BACKEND", "django_tasks_db.backend.DatabaseBackend")}}

EMAIL_BACKEND = os.environ.get("EMAIL_BACKEND", "django.core.mail.backends.console.EmailBackend")

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": os.environ.get("LOG_LEVEL", "WARNING")},
}

# Ledger list page size; the totals row always covers the whole filtered set, not the page.
LEDGER_PAGE_SIZE = env_int("LEDGER_PAGE_SIZE", 50)

# 核实认定: the evidence each kind of fact needs before it can be verified. Keys are the stages
# (signed, registered, started, completed, producing) and "fund" (到位资金); each value is a list of
# requirements that must ALL hold, each requirement a list of material kinds of which ANY one will do
# (contract 协议/合同, license 营业执照, permit 施工许可, photo 现场照片, acceptance 竣工验收,
# production 投产证明, bank_receipt 银行回单, capital_report 验资报告, other 其他) or "uscc" (the
# project names its investor's valid 统一社会信用代码). Override with a JSON object in the environment.
VERIFICATION_EVIDENCE = {
    "signed": [["contract"]],
    "registered": [["license"], ["uscc"]],
    "started": [["permit", "photo"]],
    "completed": [["acceptance", "photo"]],
    "producing": [["production", "photo"]],
    "fund": [["bank_receipt", "capital_report"]],
}
if os.environ.get("VERIFICATION_EVIDENCE", "").strip():
    import json

    try:
        _evidence = json.loads(os.environ["VERIFICATION_EVIDENCE"])
    except ValueError as exc:
        raise ImproperlyConfigured(f"VERIFICATION_EVIDENCE must be a JSON object: {exc}") from exc
    _known = {"contract", "license", "permit", "photo", "acceptance", "production", "bank_receipt",
              "capital_report", "other", "uscc"}
    if not isinstance(_evidence, dict) or not all(
        key in VERIFICATION_EVIDENCE and isinstance(reqs, list)
        and all(isinstance(req, list) and req and set(req) <= _known for req in reqs)
        for key, reqs in _evidence.items()
    ):
        raise ImproperlyConfigured(
            "VERIFICATION_EVIDENCE must map signed/registered/started/completed/producing/fund to lists of "
            f"lists of material kinds ({', '.join(sorted(_known))})"
        )
    VERIFICATION_EVIDENCE = {**VERIFICATION_EVIDENCE, **_evidence}

# 项目预评审 (seed 003: "各区要建立项目预评审制度"): when on, a project cannot be filed as signed (签约) — in a
# form, the API or an import — until its latest pre-review passed (转调方向, 政策导向, no 三高).
REQUIRE_PREREVIEW = env_bool("ZHAOSHANG_REQUIRE_PREREVIEW", False)

# 异地注册 check: the city's administrative division codes (GB/T 2260 prefixes, e.g. 4101 for 郑州市), compared
# with characters 3–8 of an investor's USCC. Unset, the check does not run (and the scan says so); the demo city
# is 郑州市.
CITY_DIVISION_CODES = env_list("ZHAOSHANG_CITY_DIVISIONS", ["4101"] if DEMO_MODE else [])
if any(not (code.isdigit() and 2 <= len(code) <= 6) for code in CITY_DIVISION_CODES):
    raise ImproperlyConfigured(
        f"ZHAOSHANG_CITY_DIVISIONS must be comma-separated division code prefixes of 2–6 digits (e.g. 4101), "
        f"not {os.environ.get('ZHAOSHANG_CITY_DIVISIONS')!r}"
    )
