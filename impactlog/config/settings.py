"""Impact Logbook settings, read from the environment.

`IMPACTLOG_ENV` is `development` (the default) or `production`. In production nothing insecure
has a default: a missing secret key or host list stops the process with a clear message.
"""

from __future__ import annotations

from pathlib import Path

import dj_database_url
from csp.constants import NONE, SELF
from django.core.exceptions import ImproperlyConfigured
from django.utils.translation import gettext_lazy as _

from impactlog.config.env import env_bool, env_int, env_list, env_str

BASE_DIR = Path(__file__).resolve().parent.parent
PROJECT_DIR = BASE_DIR.parent

ENVIRONMENT = env_str("IMPACTLOG_ENV", "development")
if ENVIRONMENT not in {"development", "production"}:
    raise ImproperlyConfigured(
        f"IMPACTLOG_ENV must be 'development' or 'production', not {ENVIRONMENT!r}."
    )
PRODUCTION = ENVIRONMENT == "production"
DEBUG = False if PRODUCTION else env_bool("IMPACTLOG_DEBUG", True)

if PRODUCTION:
    SECRET_KEY = env_str("IMPACTLOG_SECRET_KEY")
    if len(SECRET_KEY) < 50 or len(set(SECRET_KEY)) < 5:
        raise ImproperlyConfigured(
            "IMPACTLOG_SECRET_KEY must be at least 50 random characters in production."
        )
    ALLOWED_HOSTS = env_list("IMPACTLOG_ALLOWED_HOSTS")
else:
    SECRET_KEY = env_str(
        "IMPACTLOG_SECRET_KEY", "development-only-key-never-used-in-production-0123456789abcdef"
    )
    ALLOWED_HOSTS = env_list("IMPACTLOG_ALLOWED_HOSTS", "127.0.0.1,localhost,testserver")

INSTALLED_APPS = [
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "django_otp",
    "django_otp.plugins.otp_totp",
    "axes",
    "csp",
    "django_tasks",
    "django_tasks_db",
    "impactlog.core",
    "impactlog.accounts",
    "impactlog.tenancy",
    "impactlog.jobs",
    "impactlog.structure",
    "impactlog.glossary",
    "impactlog.network",
    "impactlog.logbook",
    "impactlog.participants",
    "impactlog.kiosk",
    "impactlog.progress",
    "impactlog.surveys",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "csp.middleware.CSPMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "impactlog.core.middleware.PrivatePagesMiddleware",
    "django_otp.middleware.OTPMiddleware",
    "impactlog.accounts.middleware.UserLanguageMiddleware",
    "impactlog.accounts.middleware.RequireTwoFactorMiddleware",
    "impactlog.tenancy.middleware.TenantScopeMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "impactlog.config.urls"
WSGI_APPLICATION = "impactlog.config.wsgi.application"

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
                "impactlog.core.context_processors.navigation",
            ],
        },
    },
]

# Database: the embedded SQLite file by default, PostgreSQL through DATABASE_URL.
SQLITE_PATH = PROJECT_DIR / "var" / "impactlog.sqlite3"
DATABASES = {
    "default": dj_database_url.parse(
        env_str("DATABASE_URL", f"sqlite:///{SQLITE_PATH}"), conn_max_age=0
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    DATABASES["default"]["OPTIONS"] = {
        "init_command": (
            "PRAGMA journal_mode=WAL; PRAGMA synchronous=FULL; PRAGMA foreign_keys=ON;"
        ),
        "transaction_mode": "IMMEDIATE",
        "timeout": 20,
    }
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_USER_MODEL = "accounts.User"
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]
PASSWORD_HASHERS = [
    "django.contrib.auth.hashers.Argon2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {
        "NAME": "django.contrib.auth.password_validation.MinimumLengthValidator",
        "OPTIONS": {"min_length": 10},
    },
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "accounts:login"
LOGIN_REDIRECT_URL = "core:home"
LOGOUT_REDIRECT_URL = "accounts:login"

SESSION_COOKIE_AGE = env_int("IMPACTLOG_SESSION_SECONDS", 12 * 60 * 60)
SESSION_EXPIRE_AT_BROWSER_CLOSE = True
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
CSRF_COOKIE_HTTPONLY = True

# Lockout after repeated failures (django-axes).
AXES_FAILURE_LIMIT = env_int("IMPACTLOG_LOGIN_FAILURE_LIMIT", 5)
AXES_COOLOFF_TIME = 0.25  # hours
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_USERNAME_FORM_FIELD = "username"  # the login form's field, which holds the e-mail address
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_TEMPLATE = "accounts/locked_out.html"
AXES_VERBOSE = False
# Behind N reverse proxies, lockout counts the client's address from X-Forwarded-For.
IMPACTLOG_PROXY_COUNT = env_int("IMPACTLOG_PROXY_COUNT", 1 if PRODUCTION else 0)
AXES_CLIENT_IP_CALLABLE = "impactlog.accounts.client_ip.client_ip"
# Password-reset and invitation e-mails: at most so many per address and per client address
# (each kind counted apart) in a sliding window; counted in the database (accounts.MailSent).
IMPACTLOG_MAIL_LIMIT_PER_ADDRESS = env_int("IMPACTLOG_MAIL_LIMIT_PER_ADDRESS", 3)
IMPACTLOG_MAIL_LIMIT_PER_CLIENT = env_int("IMPACTLOG_MAIL_LIMIT_PER_CLIENT", 10)
IMPACTLOG_MAIL_WINDOW_SECONDS = env_int("IMPACTLOG_MAIL_WINDOW_SECONDS", 60 * 60)
# Check-in kiosks: at most so many check-ins a minute from one device (kiosk.services).
KIOSK_RATE_LIMIT = env_int("IMPACTLOG_KIOSK_RATE_LIMIT", 30)
# Wrong pairing codes one client address may send in 15 minutes (kiosk.throttle).
KIOSK_PAIRING_FAILURES = env_int("IMPACTLOG_KIOSK_PAIRING_FAILURES", 10)
# The key of the keyed hash that counts a young person once across organisations that both
# deduplicate (impactlog.participants.dedup). Kept here, never in the database; empty turns the
# feature off. docs/privacy.md, "Counting young people once across organisations".
IMPACTLOG_DEDUP_KEY = env_str("IMPACTLOG_DEDUP_KEY", "")
if PRODUCTION and 0 < len(IMPACTLOG_DEDUP_KEY) < 32:
    raise ImproperlyConfigured(
        "IMPACTLOG_DEDUP_KEY must be at least 32 random characters in production, or empty."
    )

OTP_TOTP_ISSUER = "Impact Logbook"

# Languages: English and the six languages of the network's countries.
LANGUAGE_CODE = "en"
LANGUAGES = [
    ("en", _("English")),
    ("lv", _("Latvian")),
    ("lt", _("Lithuanian")),
    ("et", _("Estonian")),
    ("sl", _("Slovenian")),
    ("sv", _("Swedish")),
    ("fi", _("Finnish")),
]
LOCALE_PATHS = [BASE_DIR / "locale"]
# English follows European conventions (30/11/2026, 15:00, weeks from Monday); the other
# languages keep Django's formats for them. See impactlog/formats/en/formats.py.
FORMAT_MODULE_PATH = ["impactlog.formats"]
LANGUAGE_COOKIE_NAME = "impactlog_language"
LANGUAGE_COOKIE_SAMESITE = "Lax"
USE_I18N = True
USE_TZ = True
TIME_ZONE = "Europe/Riga"

STATIC_URL = "/static/"
STATIC_ROOT = PROJECT_DIR / "var" / "static"
STATICFILES_DIRS = [BASE_DIR / "static"]
WHITENOISE_USE_FINDERS = not PRODUCTION
WHITENOISE_AUTOREFRESH = not PRODUCTION
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": (
            "whitenoise.storage.CompressedManifestStaticFilesStorage"
            if PRODUCTION
            else "django.contrib.staticfiles.storage.StaticFilesStorage"
        )
    },
}
MEDIA_ROOT = PROJECT_DIR / "var" / "media"

# Background work through django-tasks; the database backend in production.
TASKS = {
    "default": {
        "BACKEND": env_str(
            "IMPACTLOG_TASK_BACKEND",
            "django_tasks_db.DatabaseBackend"
            if PRODUCTION
            else "django_tasks.backends.immediate.ImmediateBackend",
        )
    }
}

# Long work (large downloads, imports) runs as a job; its result file is kept this many hours.
IMPACTLOG_JOB_RESULT_HOURS = env_int("IMPACTLOG_JOB_RESULT_HOURS", 24)
# A sessions XLSX covering more sessions than this is prepared as a job instead of being
# built while the browser waits: it is written at about a thousand sessions a second, so this is
# a few seconds' wait (benchmarks/bench_export.py). A CSV streams from its first row with flat
# memory and is always sent at once.
EXPORT_INLINE_MAX_SESSIONS = 5_000
# An import file larger than this is read and checked by a job ("import.check") instead of
# while the browser waits; the import itself is always a job ("import.apply").
IMPORT_INLINE_CHECK_BYTES = 256 * 1024

# E-mail: printed to the console in development, SMTP from the environment in production.
DEFAULT_FROM_EMAIL = env_str("IMPACTLOG_FROM_EMAIL", "Impact Logbook <noreply@localhost>")
SERVER_EMAIL = DEFAULT_FROM_EMAIL
if PRODUCTION or env_str("IMPACTLOG_EMAIL_HOST", "-") != "-":
    EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    EMAIL_HOST = env_str("IMPACTLOG_EMAIL_HOST")
    EMAIL_PORT = env_int("IMPACTLOG_EMAIL_PORT", 587)
    EMAIL_HOST_USER = env_str("IMPACTLOG_EMAIL_USER", "")
    EMAIL_HOST_PASSWORD = env_str("IMPACTLOG_EMAIL_PASSWORD", "")
    EMAIL_USE_TLS = env_bool("IMPACTLOG_EMAIL_TLS", True)
else:
    EMAIL_BACKEND = "django.core.mail.backends.console.EmailBackend"

# Strict Content-Security-Policy: no inline scripts or styles, nothing from other hosts.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [SELF],
        "script-src": [SELF],
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
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"

if PRODUCTION:
    SECURE_SSL_REDIRECT = env_bool("IMPACTLOG_SSL_REDIRECT", True)
    SECURE_REDIRECT_EXEMPT = [r"^healthz$"]  # load balancers probe over plain HTTP
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    SECURE_HSTS_SECONDS = env_int("IMPACTLOG_HSTS_SECONDS", 63072000)
    SECURE_HSTS_INCLUDE_SUBDOMAINS = env_bool("IMPACTLOG_HSTS_SUBDOMAINS", True)
    SECURE_HSTS_PRELOAD = env_bool("IMPACTLOG_HSTS_PRELOAD", True)
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True
    LANGUAGE_COOKIE_SECURE = True
    CSRF_TRUSTED_ORIGINS = [f"https://{host}" for host in ALLOWED_HOSTS if host != "*"]

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    # A refusal (403) is logged in one line, without the traceback Django attaches.
    "filters": {"one_line_refusal": {"()": "impactlog.core.errors.OneLineRefusal"}},
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "loggers": {"django.request": {"filters": ["one_line_refusal"]}},
    "root": {"handlers": ["console"], "level": env_str("IMPACTLOG_LOG_LEVEL", "WARNING")},
}
