"""One settings module, read from the environment.

Bad values fail loudly at start-up rather than being guessed: a government intranet server that
silently runs with DEBUG on or an unknown database is worse than one that refuses to start.
"""

from __future__ import annotations

import datetime as dt
import os
import re
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
    "axes",
    "csp",
    "django_otp",
    "django_otp.plugins.otp_totp",
    "zhaoshang.core",
    "zhaoshang.orgs",
    "zhaoshang.security",
    "zhaoshang.periods",
    "zhaoshang.activities",
    "zhaoshang.ledger",
    "zhaoshang.aftercare",
    "zhaoshang.targets",
    "zhaoshang.chains",
    "zhaoshang.integrity",
    "zhaoshang.assessment",
    "zhaoshang.awards",
    "zhaoshang.api",
    "zhaoshang.exchange",
    "zhaoshang.reports",
    "zhaoshang.demo",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "csp.middleware.CSPMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    # A NUL in a query or form value is refused before any view reads it (PostgreSQL cannot store one).
    "zhaoshang.core.middleware.RefuseNulMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django_otp.middleware.OTPMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    # Records refusals and downloads, marks logged-in pages no-store (zhaoshang/security/middleware.py) …
    "zhaoshang.security.middleware.AuditMiddleware",
    # … and enforces the session, password and second-factor rules and 三员分立's separation from business pages.
    "zhaoshang.security.middleware.AccountPolicyMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "simple_history.middleware.HistoryRequestMiddleware",
    # Turns a login refused for too many failures into the Chinese lockout page; django-axes wants it last.
    "axes.middleware.AxesMiddleware",
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
                "zhaoshang.security.context_processors.security",
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

# The cockpit's figures kept this many seconds per role, unit scope, year and language (reports.cockpit):
# at province scale the year's aggregates over every unit take seconds; 0 computes them on every view.
ZHAOSHANG_COCKPIT_CACHE_SECONDS = env_int("ZHAOSHANG_COCKPIT_CACHE_SECONDS", 0)

# PostgreSQL's work_mem for an assessment run's transaction only (SET LOCAL): its sorts spill to disk at
# the default 4MB with millions of projects. Any PostgreSQL memory size, e.g. 64MB or 1GB.
ASSESS_WORK_MEM = os.environ.get("ZHAOSHANG_ASSESS_WORK_MEM", "64MB").strip()
if not re.fullmatch(r"\d+\s*(kB|MB|GB)", ASSESS_WORK_MEM):
    raise ImproperlyConfigured(f"ZHAOSHANG_ASSESS_WORK_MEM must be a size such as 64MB, not {ASSESS_WORK_MEM!r}")

# A read replica (PostgreSQL streaming replication) for reads that may be seconds stale: the cockpit,
# reports, exports and what-if, inside core.db_router.stale_reads(). Tests mirror it onto "default".
if os.environ.get("DATABASE_REPLICA_URL"):
    DATABASES["replica"] = dj_database_url.parse(
        os.environ["DATABASE_REPLICA_URL"], conn_max_age=env_int("DB_CONN_MAX_AGE", 60)
    )
    DATABASES["replica"]["TEST"] = {"MIRROR": "default"}
    DATABASE_ROUTERS = ["zhaoshang.core.db_router.ReplicaRouter"]

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"
AUTH_USER_MODEL = "orgs.User"
LOGIN_URL = "login"
# "home" sends business users to the ledger and the three administrators to their security pages.
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "login"

# ---------------------------------------------------------------------------------------------
# 等保 2.0 application security (GB/T 22239-2019 8.1.4; docs/security.md maps each control to what meets it).

# 身份鉴别 · login failures (django-axes): an account is locked after LOGIN_FAILURE_LIMIT failures in a row, an
# address after LOGIN_ADDRESS_FAILURE_LIMIT (higher, because an office behind one NAT address shares it), each for
# LOGIN_LOCKOUT_MINUTES; the 安全管理员 can unlock earlier. The lockout also holds for API tokens.
LOGIN_FAILURE_LIMIT = env_int("ZHAOSHANG_LOGIN_FAILURE_LIMIT", 5)
LOGIN_ADDRESS_FAILURE_LIMIT = env_int("ZHAOSHANG_LOGIN_ADDRESS_FAILURE_LIMIT", 20)
LOGIN_LOCKOUT_MINUTES = env_int("ZHAOSHANG_LOCKOUT_MINUTES", 30)
if not (1 <= LOGIN_FAILURE_LIMIT <= LOGIN_ADDRESS_FAILURE_LIMIT) or LOGIN_LOCKOUT_MINUTES < 1:
    raise ImproperlyConfigured(
        "ZHAOSHANG_LOGIN_FAILURE_LIMIT must be at least 1 and at most ZHAOSHANG_LOGIN_ADDRESS_FAILURE_LIMIT, "
        "and ZHAOSHANG_LOCKOUT_MINUTES at least 1"
    )
AUTHENTICATION_BACKENDS = ["zhaoshang.security.backends.LockoutBackend"]
AXES_HANDLER = "zhaoshang.security.lockout.LockoutHandler"
AXES_FAILURE_LIMIT = LOGIN_FAILURE_LIMIT
AXES_COOLOFF_TIME = dt.timedelta(minutes=LOGIN_LOCKOUT_MINUTES)
AXES_LOCKOUT_PARAMETERS = ["username", "ip_address"]
AXES_LOCKOUT_CALLABLE = "zhaoshang.security.lockout.lockout_response"
AXES_RESET_ON_SUCCESS = True
# Attempts during a lockout neither count nor extend it: the user is told 30 minutes, and it is 30 minutes.
AXES_RESET_COOL_OFF_ON_FAILURE_DURING_LOCKOUT = False
# The security audit log (zhaoshang.security) records logins and logouts; axes keeps only the counters.
AXES_DISABLE_ACCESS_LOG = True
AXES_ENABLE_ADMIN = False
AXES_VERBOSE = False
# The client address comes from REMOTE_ADDR; behind N trusted reverse proxies set ZHAOSHANG_PROXY_COUNT=N and the
# address is taken from X-Forwarded-For (a header a client could otherwise forge to dodge the address lockout).
PROXY_COUNT = env_int("ZHAOSHANG_PROXY_COUNT", 0)
AXES_IPWARE_META_PRECEDENCE_ORDER = ("HTTP_X_FORWARDED_FOR", "REMOTE_ADDR") if PROXY_COUNT else ("REMOTE_ADDR",)
AXES_IPWARE_PROXY_COUNT = PROXY_COUNT or None
AXES_IPWARE_PROXY_ORDER = "right-most"

# 身份鉴别 · passwords: at least 8 characters from three of the four classes (lower, upper, digit, symbol), not a
# common password, not like the username, not one of the last PASSWORD_HISTORY; expire after PASSWORD_MAX_AGE_DAYS
# (0 = never; the demo never expires its `demo` passwords). A password an administrator issued must be changed at
# the first login, and so must the demo password outside demo mode.
PASSWORD_MIN_LENGTH = max(8, env_int("ZHAOSHANG_PASSWORD_MIN_LENGTH", 8))
PASSWORD_HISTORY = env_int("ZHAOSHANG_PASSWORD_HISTORY", 5)
PASSWORD_MAX_AGE_DAYS = env_int("ZHAOSHANG_PASSWORD_MAX_AGE_DAYS", 0 if DEMO_MODE else 90)
DEMO_PASSWORD = "demo"
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator",
     "OPTIONS": {"min_length": PASSWORD_MIN_LENGTH}},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "zhaoshang.security.passwords.CharacterClassesValidator", "OPTIONS": {"min_classes": 3}},
    {"NAME": "zhaoshang.security.passwords.NotUsernameValidator"},
    {"NAME": "zhaoshang.security.passwords.HistoryValidator", "OPTIONS": {"count": PASSWORD_HISTORY}},
]

# Sessions: logged out after SESSION_IDLE_MINUTES without a request, and SESSION_ABSOLUTE_HOURS after the login
# whatever happens; "退出所有设备" ends every session of a user.
SESSION_IDLE_MINUTES = env_int("ZHAOSHANG_SESSION_IDLE_MINUTES", 30)
SESSION_ABSOLUTE_HOURS = env_int("ZHAOSHANG_SESSION_ABSOLUTE_HOURS", 12)
SESSION_COOKIE_AGE = SESSION_ABSOLUTE_HOURS * 3600

# A second factor (TOTP, django-otp) for the three administrators (三员) when on.
ADMIN_OTP_REQUIRED = env_bool("ZHAOSHANG_ADMIN_OTP", False)
OTP_TOTP_ISSUER = "Zhaoshang"

# 安全审计: the security audit log is kept at least AUDIT_RETENTION_DAYS (网络安全法 Art. 21: six months);
# `zhaoshang security purge --before DATE` refuses anything younger.
AUDIT_RETENTION_DAYS = env_int("ZHAOSHANG_AUDIT_RETENTION_DAYS", 180)
if AUDIT_RETENTION_DAYS < 180:
    raise ImproperlyConfigured("ZHAOSHANG_AUDIT_RETENTION_DAYS must be at least 180 (网络安全法：日志留存不少于六个月)")

# 入侵防范 · Content-Security-Policy (django-csp): no inline script anywhere (behaviour lives in static/zhaoshang/*.js),
# nothing from other hosts (government intranets are offline anyway). Inline style attributes stay allowed: the
# templates and ECharts use them, and they cannot run code.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "script-src": ["'self'"],
        "style-src": ["'self'", "'unsafe-inline'"],
        "img-src": ["'self'", "data:"],
        "font-src": ["'self'", "data:"],
        "connect-src": ["'self'"],
        "object-src": ["'none'"],
        "base-uri": ["'self'"],
        "form-action": ["'self'"],
        "frame-ancestors": ["'none'"],
    },
}

# Past this many choices a unit / person select becomes a search box (issue 12: a province has 3,000 units and
# ~27,000 people); the demo city stays below it and keeps ordinary selects.
SELECT_LIMIT = env_int("ZHAOSHANG_SELECT_LIMIT", 300)

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
# An uploaded .xlsx is a zip: refused when it unpacks to more than this, or one part of it more than 10 MB
# compresses more than UPLOAD_MAX_RATIO times (a zip bomb; core/zipcheck.py).
UPLOAD_MAX_UNPACKED_MB = env_int("UPLOAD_MAX_UNPACKED_MB", 15 * UPLOAD_MAX_MB)
UPLOAD_MAX_RATIO = env_int("UPLOAD_MAX_RATIO", 200)
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
    # Every failed login is in the security audit log already; django-axes would print each one again.
    "loggers": {"axes": {"level": os.environ.get("AXES_LOG_LEVEL", "ERROR")}},
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

# The city's name, carried by the issuing body of bulletins (郑州市招商引资工作领导小组办公室) and its 文号;
# the demo city is 郑州市 (its division code 4101 below). Unset: the body without a city name.
ZHAOSHANG_CITY_NAME = os.environ.get("ZHAOSHANG_CITY_NAME", "郑州市" if DEMO_MODE else "").strip()
# The issuing body's 机关代字 in 文号 (郑招考〔2026〕3号) where the scheme's [bulletin] names none.
ZHAOSHANG_DOC_CODE = os.environ.get("ZHAOSHANG_DOC_CODE", "郑招考" if DEMO_MODE else "").strip()

# 异地注册 check: the city's administrative division codes (GB/T 2260 prefixes, e.g. 4101 for 郑州市), compared
# with characters 3–8 of an investor's USCC. Unset, the check does not run (and the scan says so); the demo city
# is 郑州市.
CITY_DIVISION_CODES = env_list("ZHAOSHANG_CITY_DIVISIONS", ["4101"] if DEMO_MODE else [])
if any(not (code.isdigit() and 2 <= len(code) <= 6) for code in CITY_DIVISION_CODES):
    raise ImproperlyConfigured(
        f"ZHAOSHANG_CITY_DIVISIONS must be comma-separated division code prefixes of 2–6 digits (e.g. 4101), "
        f"not {os.environ.get('ZHAOSHANG_CITY_DIVISIONS')!r}"
    )
