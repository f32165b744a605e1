"""Settings for IB-portaal, read from environment variables only.

SQLite (a file under ``var/``) is the embedded default; PostgreSQL through ``DATABASE_URL``.
Bad values fail loudly at start-up instead of being guessed at.
"""

import base64
import json
import os
from datetime import timedelta
from pathlib import Path

import dj_database_url
from django.core.exceptions import ImproperlyConfigured
from django.utils.translation import gettext_lazy as _

BASE_DIR = Path(__file__).resolve().parent.parent


def env_bool(name: str, default: bool = False) -> bool:
    value = os.environ.get(name)
    if value is None or value == "":
        return default
    lowered = value.strip().lower()
    if lowered in {"1", "true", "yes", "on"}:
        return True
    if lowered in {"0", "false", "no", "off"}:
        return False
    raise ImproperlyConfigured(f"{name} must be a boolean (true/false), got {value!r}")


def env_list(name: str, default: str = "") -> list[str]:
    return [item.strip() for item in os.environ.get(name, default).split(",") if item.strip()]


def env_int(name: str, default: int) -> int:
    value = os.environ.get(name)
    if value is None or value == "":
        return default
    try:
        return int(value)
    except ValueError as exc:
        raise ImproperlyConfigured(f"{name} must be a whole number, got {value!r}") from exc


def env_json_object(name: str) -> dict:
    value = os.environ.get(name, "").strip()
    if not value:
        return {}
    try:
        parsed = json.loads(value)
    except json.JSONDecodeError as exc:
        raise ImproperlyConfigured(f"{name} must be a JSON object: {exc}") from exc
    if not isinstance(parsed, dict):
        raise ImproperlyConfigured(f"{name} must be a JSON object, got {value!r}")
    return parsed


DEBUG = env_bool("DEBUG", False)

SECRET_KEY = os.environ.get("SECRET_KEY", "")
if not SECRET_KEY:
    if not DEBUG:
        raise ImproperlyConfigured(
            "SECRET_KEY is not set. Set SECRET_KEY in the environment, "
            "or DEBUG=true for development."
        )
    SECRET_KEY = "django-insecure-development-only-key-do-not-use-in-production"

ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", "localhost,127.0.0.1,[::1]" if DEBUG else "")
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS")

INSTALLED_APPS = [
    "schools.apps.SchoolsConfig",
    "tasks.apps.TasksConfig",
    "competencies.apps.CompetenciesConfig",
    "reporting.apps.ReportingConfig",
    "ibportal.apps.IbportalConfig",
    "ibportal.apps.IbportalAdminConfig",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "crispy_forms",
    "crispy_bootstrap5",
    "bootstrap",
    "django_htmx",
    "axes",
    "csp",
    "django_tasks",
    "django_tasks_db",
    "simple_history",
    # TOTP two-factor for local accounts: the authenticator app's codes and recovery codes.
    "django_otp",
    "django_otp.plugins.otp_totp",
    "django_otp.plugins.otp_static",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "ibportal.middleware.LanguageMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    # Path and user id on every log line of the request.
    "ibportal.middleware.RequestLogMiddleware",
    # Names the signed-in user as the author of every history record saved in the request.
    "simple_history.middleware.HistoryRequestMiddleware",
    # Fails closed: a view without @login_not_required needs a logged-in user.
    "django.contrib.auth.middleware.LoginRequiredMiddleware",
    # A signed-in user who still owes a second factor (TOTP) reaches only that page.
    "ibportal.two_factor.TwoFactorMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "ibportal.middleware.HtmxMessagesMiddleware",
    "csp.middleware.CSPMiddleware",
    "ibportal.middleware.NoStoreMiddleware",
    "ibportal.middleware.DenialLoggingMiddleware",
    # Last, as django-axes documents: it turns a lockout into the lockout page.
    "axes.middleware.AxesMiddleware",
]

AUTHENTICATION_BACKENDS = [
    # First, as django-axes documents: it refuses a locked-out login before any check.
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
    # Sign-in with the school's account (ibportal/sso.py): it authenticates nothing itself
    # (the OpenID Connect callback signs the matched user in), it only loads that user later.
    "ibportal.sso.SchoolAccountBackend",
]

ROOT_URLCONF = "ibportal.urls"

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
                "ibportal.context_processors.navigation",
            ],
        },
    },
]

WSGI_APPLICATION = "ibportal.wsgi.application"

_default_sqlite = BASE_DIR / "var" / "ibportal.sqlite3"
DATABASE_URL = os.environ.get("DATABASE_URL", "")
if not DATABASE_URL:
    _default_sqlite.parent.mkdir(parents=True, exist_ok=True)
    DATABASE_URL = f"sqlite:///{_default_sqlite}"
DATABASES = {
    "default": dj_database_url.parse(
        DATABASE_URL, conn_max_age=env_int("CONN_MAX_AGE", 60), conn_health_checks=True
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # Wait instead of failing at once when another request holds the write lock.
    DATABASES["default"].setdefault("OPTIONS", {}).update(
        {"timeout": 20, "transaction_mode": "IMMEDIATE"}
    )
    DATABASES["default"]["CONN_MAX_AGE"] = 0
elif env_bool("DATABASE_PREPARED_STATEMENTS", True):
    # PostgreSQL through psycopg 3 with server-side parameters and prepared statements: a
    # query the connection ran twice is no longer planned again. The portal's pages repeat a
    # fixed set of queries whose planning took longer than their run (the IB's to-do: 1.7 ms
    # planning, 0.25 ms executing). Behind a pooler in transaction mode (PgBouncer without
    # max_prepared_statements) set DATABASE_PREPARED_STATEMENTS=false.
    DATABASES["default"].setdefault("OPTIONS", {}).update(
        {"server_side_binding": True, "prepare_threshold": env_int("DATABASE_PREPARE_THRESHOLD", 2)}
    )

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {
        "NAME": "core.passwords.MinimumLengthValidator",
        "OPTIONS": {"min_length": 10},
    },
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

LOGIN_URL = "login"
# Two-factor sign-in (TOTP, django-otp) for local accounts: available to everyone, required for
# board administrators unless this is off (by default off with DEBUG, so the demo's `beheer.a`
# signs in with "demo" alone; see README "Sign-in with the school's account and two-factor").
TOTP_REQUIRED_FOR_BOARD_ADMINS = env_bool("TOTP_REQUIRED_FOR_BOARD_ADMINS", not DEBUG)
# The name the authenticator app shows beside the codes.
OTP_TOTP_ISSUER = os.environ.get("OTP_TOTP_ISSUER", "IB-portaal")
# Seconds to wait for a board's OpenID Connect provider (discovery, token, keys).
SSO_TIMEOUT = env_int("SSO_TIMEOUT", 10)
# The keys that encrypt the boards' client secrets in the database (core/encryption.py):
# comma-separated Fernet keys, the first encrypts, all decrypt (rotation: put a new key in front,
# run `manage.py rotate_sso_secrets`, then drop the old one). Empty: keys derived from SECRET_KEY
# and SECRET_KEY_FALLBACKS (HKDF). Make one: python -c "from cryptography.fernet import Fernet;
# print(Fernet.generate_key().decode())"
SSO_SECRET_KEYS = env_list("SSO_SECRET_KEY")
for _key in SSO_SECRET_KEYS:
    try:
        if len(base64.urlsafe_b64decode(_key.encode())) != 32:
            raise ValueError(_key)
    except ValueError as exc:
        raise ImproperlyConfigured(
            "SSO_SECRET_KEY must be comma-separated Fernet keys (32 bytes, url-safe base64)."
        ) from exc
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "login"

LANGUAGE_CODE = "nl"
LANGUAGES = [("nl", _("Dutch")), ("en", _("English"))]
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = "Europe/Amsterdam"
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
STATIC_ROOT = Path(os.environ.get("STATIC_ROOT", BASE_DIR / "staticfiles"))
STATICFILES_DIRS = [BASE_DIR / "static"]
# Uploaded files (certificates): by default a folder, MEDIA_ROOT, which several app servers
# must share (e.g. NFS); or any Django storage backend with its options as a JSON object, e.g.
# MEDIA_STORAGE_BACKEND=storages.backends.s3.S3Storage from django-storages (installed apart).
STORAGES = {
    "default": {
        "BACKEND": os.environ.get(
            "MEDIA_STORAGE_BACKEND", "django.core.files.storage.FileSystemStorage"
        ).strip()
        or "django.core.files.storage.FileSystemStorage",
        "OPTIONS": env_json_object("MEDIA_STORAGE_OPTIONS"),
    },
    "staticfiles": {
        "BACKEND": (
            "django.contrib.staticfiles.storage.StaticFilesStorage"
            if DEBUG
            else "whitenoise.storage.CompressedManifestStaticFilesStorage"
        )
    },
}
MEDIA_ROOT = Path(os.environ.get("MEDIA_ROOT", BASE_DIR / "var" / "media"))
MEDIA_URL = "media/"
# Uploaded certificates (PDF, PNG, JPEG): the largest file accepted, in bytes.
CERTIFICATE_MAX_BYTES = env_int("CERTIFICATE_MAX_BYTES", 5 * 1024 * 1024)
if CERTIFICATE_MAX_BYTES < 1:
    raise ImproperlyConfigured("CERTIFICATE_MAX_BYTES must be a positive number of bytes")

CRISPY_ALLOWED_TEMPLATE_PACKS = "bootstrap5"
CRISPY_TEMPLATE_PACK = "bootstrap5"

# E-mail: console by default, SMTP (or any backend) through the environment.
EMAIL_BACKEND = os.environ.get("EMAIL_BACKEND", "django.core.mail.backends.console.EmailBackend")
EMAIL_HOST = os.environ.get("EMAIL_HOST", "localhost")
EMAIL_PORT = env_int("EMAIL_PORT", 25)
EMAIL_HOST_USER = os.environ.get("EMAIL_HOST_USER", "")
EMAIL_HOST_PASSWORD = os.environ.get("EMAIL_HOST_PASSWORD", "")
EMAIL_USE_TLS = env_bool("EMAIL_USE_TLS", False)
EMAIL_USE_SSL = env_bool("EMAIL_USE_SSL", False)
# Seconds to wait for the mail server: without a limit a server that accepts the connection but
# never answers would hold the mail worker (and its queue) forever; a timeout is retried later.
EMAIL_TIMEOUT = env_int("EMAIL_TIMEOUT", 30)
if EMAIL_TIMEOUT < 1:
    raise ImproperlyConfigured("EMAIL_TIMEOUT must be a positive number of seconds")
DEFAULT_FROM_EMAIL = os.environ.get("DEFAULT_FROM_EMAIL", "IB-portaal <noreply@ib-portaal.local>")
SERVER_EMAIL = DEFAULT_FROM_EMAIL
# The address of the portal as users reach it, for links in e-mails.
SITE_URL = os.environ.get("SITE_URL", "http://127.0.0.1:8000")

# Mail to users goes through a task queue (django-tasks, core/mail.py), so that a mail server
# that is down never breaks the user's action. "database": the queue is a table in the
# database, sent and retried by a second process, `manage.py db_worker` (production).
# "immediate": sent right after the commit inside the request, without retries (the demo).
_TASK_BACKENDS = {
    "database": "django_tasks_db.DatabaseBackend",
    "immediate": "django_tasks.backends.immediate.ImmediateBackend",
}
_task_backend = os.environ.get("TASKS_BACKEND", "database")
if _task_backend not in _TASK_BACKENDS:
    raise ImproperlyConfigured(
        f"TASKS_BACKEND must be one of {', '.join(_TASK_BACKENDS)}, got {_task_backend!r}"
    )
TASKS = {"default": {"BACKEND": _TASK_BACKENDS[_task_backend]}}

# Sessions: shared school computers, so the session ends with the browser and after 8 hours.
SESSION_COOKIE_AGE = env_int("SESSION_COOKIE_AGE", 8 * 60 * 60)
SESSION_EXPIRE_AT_BROWSER_CLOSE = True
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
CSRF_COOKIE_HTTPONLY = True

# HTTPS settings: on by default outside DEBUG; behind a TLS-terminating proxy set
# SECURE_PROXY_SSL_HEADER_ENABLED=true so Django trusts X-Forwarded-Proto.
_secure_default = not DEBUG
SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", _secure_default)
# The load balancer's health check may speak plain HTTP to an instance.
SECURE_REDIRECT_EXEMPT = [r"^gezond/$"]
SESSION_COOKIE_SECURE = env_bool("SESSION_COOKIE_SECURE", _secure_default)
CSRF_COOKIE_SECURE = env_bool("CSRF_COOKIE_SECURE", _secure_default)
SECURE_HSTS_SECONDS = env_int("SECURE_HSTS_SECONDS", 31536000 if _secure_default else 0)
SECURE_HSTS_INCLUDE_SUBDOMAINS = env_bool("SECURE_HSTS_INCLUDE_SUBDOMAINS", _secure_default)
SECURE_HSTS_PRELOAD = env_bool("SECURE_HSTS_PRELOAD", _secure_default)
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
if env_bool("SECURE_PROXY_SSL_HEADER_ENABLED", False):
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")

# Login throttling (django-axes): after AXES_FAILURE_LIMIT failed logins for one username from
# one IP address that combination is locked out for AXES_COOLOFF_MINUTES, then unlocks itself.
# Refused sign-ins with the school's account count the same way, per address (ibportal/sso.py).
AXES_FAILURE_LIMIT = env_int("AXES_FAILURE_LIMIT", 5)
AXES_COOLOFF_TIME = timedelta(minutes=env_int("AXES_COOLOFF_MINUTES", 15))
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_TEMPLATE = "registration/lockout.html"
# Behind reverse proxies every request comes from a proxy's address; TRUSTED_PROXY_COUNT (the
# number of proxies in front of gunicorn, each appending to X-Forwarded-For) makes the client's
# own address count instead. Without it one person could lock out a username for everyone.
TRUSTED_PROXY_COUNT = env_int("TRUSTED_PROXY_COUNT", 0)
AXES_CLIENT_IP_CALLABLE = "ibportal.security.client_ip"
# Its log lines show usernames and IP addresses masked (the default, kept on purpose: no
# personal data in logs); the user agent is left out as well.
AXES_VERBOSE = False
# The return from a school account's sign-in carries a one-time code and the state in its query
# string: masked in the failed-attempt records as well.
AXES_SENSITIVE_PARAMETERS = [
    "username",
    "ip_address",
    "user_agent",
    "code",
    "state",
    "session_state",
]

# Password-reset mails: at most this many per e-mail address and per client address (the same
# client address as the login throttling) in PASSWORD_RESET_WINDOW_MINUTES. The counts live in
# the "throttle" cache below, a database table, so every gunicorn worker and every instance
# shares them (a per-process memory cache would let each worker send its own allowance).
PASSWORD_RESET_LIMIT_PER_ADDRESS = env_int("PASSWORD_RESET_LIMIT_PER_ADDRESS", 3)
PASSWORD_RESET_LIMIT_PER_CLIENT = env_int("PASSWORD_RESET_LIMIT_PER_CLIENT", 10)
PASSWORD_RESET_WINDOW = timedelta(minutes=env_int("PASSWORD_RESET_WINDOW_MINUTES", 60))

CACHES = {
    # Nothing else uses a cache: the default stays Django's per-process memory cache.
    "default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"},
    # Counters shared by all workers and instances; the table is made by a migration
    # (schools 0005), so no separate createcachetable step is needed.
    "throttle": {
        "BACKEND": "django.core.cache.backends.db.DatabaseCache",
        "LOCATION": "ibportal_throttle",
    },
}

# Content-Security-Policy (django-csp): no inline scripts or styles anywhere.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "script-src": ["'self'"],
        "style-src": ["'self'"],
        "img-src": ["'self'", "data:"],
        "form-action": ["'self'"],
        "frame-ancestors": ["'none'"],
        "base-uri": ["'self'"],
        "object-src": ["'none'"],
    },
}

# One line per record: time, level, logger, request path and user id (both "-" outside a
# request), message. No personal data beyond user ids: the code logs users by id, django-axes
# masks usernames and addresses (AXES_SENSITIVE_PARAMETERS), query strings are left out.
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "filters": {"request": {"()": "ibportal.request_log.RequestContextFilter"}},
    "formatters": {
        "line": {
            "format": (
                "%(asctime)s %(levelname)s %(name)s path=%(request_path)s user=%(user_id)s "
                "%(message)s"
            ),
            "datefmt": "%Y-%m-%dT%H:%M:%S%z",
        },
    },
    "handlers": {
        "console": {"class": "logging.StreamHandler", "filters": ["request"], "formatter": "line"}
    },
    "root": {"handlers": ["console"], "level": os.environ.get("LOG_LEVEL", "INFO")},
    "loggers": {
        "django.db.backends": {"level": "WARNING"},
        # A line per task run; failures are errors. The worker (db_worker) sets its own level.
        "django_tasks": {"level": "WARNING"},
        # Authorization denials (403/404 for logged-in users), with user id and path.
        "ibportal.security": {"level": "WARNING"},
    },
}
