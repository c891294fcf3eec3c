"""Settings shared by every mode. Everything deployment-specific comes from the environment."""

from __future__ import annotations

import hashlib
import os
from pathlib import Path

import dj_database_url
from csp.constants import NONCE, NONE, SELF
from django.core.exceptions import ImproperlyConfigured

from lift.core.ops.logs import logging_config
from lift.core.storage import storage_settings

PACKAGE_DIR = Path(__file__).resolve().parents[2]  # src/lift
BASE_DIR = PACKAGE_DIR.parents[1]  # the repository root (editable install)
VAR_DIR = Path(os.environ.get("LIFT_VAR_DIR", BASE_DIR / "var"))
REFERENCE_DIR = Path(os.environ.get("LIFT_REFERENCE_DIR", BASE_DIR / "reference"))


def env_bool(name: str, default: bool = False) -> bool:
    value = os.environ.get(name)
    if value is None:
        return default
    if value.lower() in {"1", "true", "yes", "on"}:
        return True
    if value.lower() in {"0", "false", "no", "off", ""}:
        return False
    raise ImproperlyConfigured(f"{name} must be true or false, not {value!r}")


def env_list(name: str, default: str = "") -> list[str]:
    return [item.strip() for item in os.environ.get(name, default).split(",") if item.strip()]


DEBUG = env_bool("LIFT_DEBUG", False)
# The demonstration service (`make demo`): the "Demo" banner on every page and `lift demo_otp`.
# Separate from DEBUG, so the demo shows LIFT's own error pages; production refuses it.
LIFT_DEMO = env_bool("LIFT_DEMO", False)
SECRET_KEY = os.environ.get("SECRET_KEY", "")
ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", "127.0.0.1,localhost")
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS")

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "django.forms",
    "rest_framework",
    "rest_framework.authtoken",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "django_filters",
    "axes",
    "django_otp",
    "django_otp.plugins.otp_totp",
    "django_otp.plugins.otp_static",
    "csp",
    "django_tasks",
    "django_tasks_db",
    "lift.core",
]
# One app per area of the framework, lower layers first (see ARCHITECTURE.md).
LIFT_APPS = [
    "core",
    "governance",
    "learning",
    "reviews",
    "audits",
    "section11",
    "inspections",
    "cdop",
    "training",
    "performance",
    "voice",
    "reports",
    "search",
]
INSTALLED_APPS += [f"lift.{app}" for app in LIFT_APPS if app != "core"]

MIDDLEWARE = [
    # First: the request id, the request's log line and its metrics (lift.core.ops).
    "lift.core.ops.middleware.RequestMiddleware",
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "lift.core.busy.BusyMiddleware",
    "lift.core.storage.StorageUnavailableMiddleware",
    "lift.core.nocache.NoStoreMiddleware",
    "csp.middleware.CSPMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "lift.core.middleware.SessionIdleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "lift.core.ops.middleware.RequestUserMiddleware",
    "django.contrib.auth.middleware.LoginRequiredMiddleware",
    "django_otp.middleware.OTPMiddleware",
    "lift.core.middleware.PartnershipMiddleware",
    "lift.core.middleware.MfaRequiredMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "axes.middleware.AxesMiddleware",
    "lift.core.middleware.PermissionsPolicyMiddleware",
    "lift.core.idempotency.FormTokenMiddleware",
]

ROOT_URLCONF = "lift.config.urls"
WSGI_APPLICATION = "lift.config.wsgi.application"
ASGI_APPLICATION = "lift.config.asgi.application"

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
                "csp.context_processors.nonce",
                "lift.core.context_processors.shell",
            ],
            "builtins": ["lift.core.templatetags.govuk"],
        },
    }
]
FORM_RENDERER = "lift.core.forms.GovukFormRenderer"

DATABASES = {
    "default": dj_database_url.parse(
        os.environ.get("DATABASE_URL", f"sqlite:///{VAR_DIR / 'lift.sqlite3'}"),
        conn_max_age=int(os.environ.get("LIFT_DB_CONN_MAX_AGE", "60")),
        conn_health_checks=True,
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    VAR_DIR.mkdir(parents=True, exist_ok=True)
    DATABASES["default"]["OPTIONS"] = {
        # WAL lets the web process and the task worker use the file at once.
        "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
        "transaction_mode": "IMMEDIATE",
        "timeout": 20,
    }

# Drawn charts and report bodies are cached under keys that carry their data's version. A
# file cache is shared by every web worker on the machine (locmem would draw each chart once
# per worker); the prefix names the database, so two databases served from one machine (the
# demo and a bench copy) never read each other's entries. Commands that replace a database's
# contents (demo, restore, bench-data) clear it.
_db = DATABASES["default"]
CACHES = {
    "default": {
        "BACKEND": "django.core.cache.backends.filebased.FileBasedCache",
        "LOCATION": os.environ.get("LIFT_CACHE_DIR", str(VAR_DIR / "cache")),
        "KEY_PREFIX": hashlib.sha256(
            f"{_db['ENGINE']}:{_db.get('HOST', '')}:{_db.get('PORT', '')}:{_db['NAME']}".encode()
        ).hexdigest()[:12],
        "TIMEOUT": 7 * 24 * 3600,
        "OPTIONS": {"MAX_ENTRIES": 5000},
    }
}

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_USER_MODEL = "core.Person"
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]
LOGIN_URL = "accounts:login"
LOGIN_REDIRECT_URL = "core:home"
LOGOUT_REDIRECT_URL = "accounts:login"

# NCSC password guidance: length over complexity, deny common passwords.
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {
        "NAME": "django.contrib.auth.password_validation.MinimumLengthValidator",
        "OPTIONS": {"min_length": 12},
    },
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
PASSWORD_RESET_TIMEOUT = 60 * 60 * 2

# Idle expiry: the session lasts this long after the last request.
SESSION_COOKIE_AGE = int(os.environ.get("LIFT_SESSION_IDLE_SECONDS", str(30 * 60)))
# Idle expiry: SessionIdleMiddleware renews the session at most once a minute of activity
# (saving it on every request cost three queries a page).
SESSION_SAVE_EVERY_REQUEST = False
LIFT_SESSION_REFRESH_SECONDS = int(os.environ.get("LIFT_SESSION_REFRESH_SECONDS", "60"))
SESSION_EXPIRE_AT_BROWSER_CLOSE = True
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
CSRF_COOKIE_HTTPONLY = True

# django-axes: lock the account and address pair after repeated failures.
AXES_FAILURE_LIMIT = int(os.environ.get("LIFT_LOGIN_FAILURE_LIMIT", "5"))
AXES_COOLOFF_TIME = 0.5  # hours
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_USERNAME_FORM_FIELD = "username"
# Every letter case of an address shares one count (lift.core.axes).
AXES_USERNAME_CALLABLE = "lift.core.axes.username"
AXES_LOCKOUT_TEMPLATE = "accounts/locked_out.html"
AXES_RESET_ON_SUCCESS = True
AXES_VERBOSE = False

OTP_TOTP_ISSUER = "LIFT"
LIFT_ENFORCE_MFA = env_bool("LIFT_ENFORCE_MFA", True)
# API tokens expire this many days after they are made (and with a new password).
LIFT_API_TOKEN_DAYS = int(os.environ.get("LIFT_API_TOKEN_DAYS", "90"))
# An invitation's set-password link works for this many days (it can be sent again).
LIFT_INVITATION_DAYS = int(os.environ.get("LIFT_INVITATION_DAYS", "7"))

LANGUAGE_CODE = "en-gb"
TIME_ZONE = "Europe/London"
USE_I18N = False
USE_TZ = True
DATE_FORMAT = "j F Y"
# Django formats dates by the locale (en_GB: "6 Dec 2026"), not by DATE_FORMAT: LIFT's own
# en_GB formats spell the month out ("6 December 2026") wherever a date is shown.
FORMAT_MODULE_PATH = ["lift.config.formats"]
SHORT_DATE_FORMAT = "j M Y"
DATETIME_FORMAT = "j F Y, H:i"
DATE_INPUT_FORMATS = ["%Y-%m-%d", "%d/%m/%Y", "%d %m %Y", "%d %B %Y", "%d %b %Y"]

STATIC_URL = "/static/"
STATIC_ROOT = VAR_DIR / "static"
MEDIA_ROOT = Path(os.environ.get("LIFT_MEDIA_ROOT", VAR_DIR / "media"))
# Files: the local MEDIA_ROOT, or an object store through the S3 API when LIFT_S3_BUCKET is
# set (lift.core.storage; docs/operations.md "Files in object storage").
STORAGES = {
    "default": storage_settings(),
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"},
}
FILE_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024
DATA_UPLOAD_MAX_MEMORY_SIZE = 10 * 1024 * 1024
LIFT_MAX_UPLOAD_BYTES = int(os.environ.get("LIFT_MAX_UPLOAD_BYTES", str(20 * 1024 * 1024)))

EMAIL_BACKEND = os.environ.get("EMAIL_BACKEND", "django.core.mail.backends.console.EmailBackend")
EMAIL_HOST = os.environ.get("EMAIL_HOST", "localhost")
EMAIL_PORT = int(os.environ.get("EMAIL_PORT", "25"))
EMAIL_HOST_USER = os.environ.get("EMAIL_HOST_USER", "")
EMAIL_HOST_PASSWORD = os.environ.get("EMAIL_HOST_PASSWORD", "")
EMAIL_USE_TLS = env_bool("EMAIL_USE_TLS", False)
DEFAULT_FROM_EMAIL = os.environ.get("DEFAULT_FROM_EMAIL", "LIFT <lift@localhost>")
LIFT_BASE_URL = os.environ.get("LIFT_BASE_URL", "http://127.0.0.1:8000")

# A task row still "running" this long after its worker claimed it has lost its worker
# (killed, out of memory, machine restarted): the tick queues it again. Far longer than any
# LIFT task takes, so a slow task is never run twice at once.
LIFT_TASK_STALE_SECONDS = int(os.environ.get("LIFT_TASK_STALE_SECONDS", "3600"))
# The task workers queue the periodic tick every this many minutes, one worker at a time
# (lift.core.workers.schedule_tick); 0 leaves it to cron (`lift tick`).
LIFT_TICK_MINUTES = int(os.environ.get("LIFT_TICK_MINUTES", "15"))

TASKS = {
    "default": {
        # django-tasks-db's database queue; LIFT's subclass keeps the request id with the task.
        "BACKEND": os.environ.get("LIFT_TASK_BACKEND", "lift.core.ops.tasks.DatabaseBackend"),
        "QUEUES": ["default"],
    }
}

REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": [
        "rest_framework.authentication.SessionAuthentication",
        "lift.core.identity.ExpiringTokenAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": ["lift.core.api.permissions.RestrictedPermission"],
    "DEFAULT_FILTER_BACKENDS": [
        "django_filters.rest_framework.DjangoFilterBackend",
        "rest_framework.filters.OrderingFilter",
    ],
    "DEFAULT_PAGINATION_CLASS": "rest_framework.pagination.PageNumberPagination",
    "PAGE_SIZE": 50,
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
    "EXCEPTION_HANDLER": "lift.core.api.exceptions.exception_handler",
    "DEFAULT_THROTTLE_RATES": {"anon": "60/minute", "public_form": "10/hour"},
}
SPECTACULAR_SETTINGS = {
    "TITLE": "LIFT API",
    "DESCRIPTION": "The Learning and Improvement Framework Toolkit. Every endpoint applies the "
    "same permissions as the web pages: objects outside your scope are not found.",
    "VERSION": "1",
    "SERVE_INCLUDE_SCHEMA": False,
    "SERVE_PERMISSIONS": ["rest_framework.permissions.IsAuthenticated"],
    # Choice sets shared by several fields get one name in the schema.
    "ENUM_NAME_OVERRIDES": {
        "ActionStatusEnum": "lift.learning.choices.ActionStatus",
        "AnalysisStatusEnum": "lift.performance.choices.AnalysisStatus",
        "MeetingStatusEnum": "lift.governance.choices.MeetingStatus",
        "RoleEnum": "lift.core.roles.Role",
    },
    "COMPONENT_SPLIT_REQUEST": True,
    # The default enum hook, then LIFT's error answers on every operation.
    "POSTPROCESSING_HOOKS": [
        "drf_spectacular.hooks.postprocess_schema_enums",
        "lift.core.api.schema.add_error_responses",
    ],
    # Served from our own static files: no third-party hosts, and the strict CSP holds.
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
}

# Strict Content Security Policy: no inline scripts or styles; scripts carry a nonce.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [SELF],
        "script-src": [SELF, NONCE],
        "style-src": [SELF],
        "img-src": [SELF, "data:"],
        "font-src": [SELF],
        "connect-src": [SELF],
        "form-action": [SELF],
        "frame-ancestors": [NONE],
        "base-uri": [SELF],
        "object-src": [NONE],
    }
}
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
PERMISSIONS_POLICY = "camera=(), microphone=(), geolocation=(), payment=(), usb=()"

# One JSON object per line (LIFT_LOG_FORMAT=text for plain lines), each with the request id,
# and no restricted identifier in any line: see lift.core.ops.logs and docs/operations.md.
LOGGING = logging_config(
    level=os.environ.get("LIFT_LOG_LEVEL", "INFO"),
    fmt=os.environ.get("LIFT_LOG_FORMAT", "json"),
)
# /metrics answers a scraper sending `Authorization: Bearer <this>`; unset, it is a 404.
LIFT_METRICS_TOKEN = os.environ.get("LIFT_METRICS_TOKEN", "")
