"""Riffhouse settings, read from the environment (12-factor).

Two modes: local (the default, what `make run` starts: HTTP on this machine, a secret key
generated once and kept in the data directory) and production (`RIFFHOUSE_ENV=production`:
HTTPS-only cookies, HSTS, and SECRET_KEY and ALLOWED_HOSTS required from the environment).
DEBUG is off in both unless `DEBUG=1` asks for it. See README.md, Configuration.
"""

import os
import secrets
from pathlib import Path
from typing import Any
from urllib.parse import unquote, urlsplit

import dj_database_url
from django.core.exceptions import ImproperlyConfigured
from django.utils.csp import CSP


def env_bool(name: str, default: bool = False) -> bool:
    value = os.environ.get(name)
    if value is None or value == "":
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def env_list(name: str, default: list[str]) -> list[str]:
    value = os.environ.get(name, "")
    return [item.strip() for item in value.split(",") if item.strip()] or default


PACKAGE_DIR = Path(__file__).resolve().parent
PROJECT_DIR = PACKAGE_DIR.parent.parent
DATA_DIR = Path(os.environ.get("RIFFHOUSE_DATA_DIR") or PROJECT_DIR / "var").resolve()
NODE_MODULES_DIR = Path(os.environ.get("RIFFHOUSE_NODE_MODULES") or PROJECT_DIR / "node_modules")

RIFFHOUSE_ENV = os.environ.get("RIFFHOUSE_ENV", "local")
if RIFFHOUSE_ENV not in {"local", "production"}:
    raise ImproperlyConfigured("RIFFHOUSE_ENV must be 'local' or 'production'.")
PRODUCTION = RIFFHOUSE_ENV == "production"
DEBUG = env_bool("DEBUG")


def _secret_key() -> str:
    if key := os.environ.get("SECRET_KEY"):
        return key
    if PRODUCTION:
        raise ImproperlyConfigured("SECRET_KEY must be set in the environment in production.")
    # Local runs keep one generated key in the data directory, so sessions and password-reset
    # links survive restarts without anyone having to invent a secret.
    path = DATA_DIR / "secret_key"
    if not path.exists():
        DATA_DIR.mkdir(mode=0o700, parents=True, exist_ok=True)  # the data is private
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        with os.fdopen(fd, "w") as handle:
            handle.write(secrets.token_urlsafe(50))
    return path.read_text().strip()


SECRET_KEY = _secret_key()

HOST = os.environ.get("HOST", "127.0.0.1")
if PRODUCTION:
    ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", [])
    if not ALLOWED_HOSTS:
        raise ImproperlyConfigured("ALLOWED_HOSTS must be set in the environment in production.")
else:
    ALLOWED_HOSTS = env_list(
        "ALLOWED_HOSTS",
        ["localhost", "127.0.0.1", "[::1]", HOST if HOST != "0.0.0.0" else "*"],  # noqa: S104
    )
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS", [])
# The public address of this instance, for links in emails sent outside a request (remix
# requests); empty: derived from ALLOWED_HOSTS.
SITE_URL = os.environ.get("SITE_URL", "").rstrip("/")
# How many reverse proxies stand in front of the web processes (for the client address used
# by log-in throttling). 0: clients connect directly.
TRUSTED_PROXY_COUNT = int(os.environ.get("TRUSTED_PROXY_COUNT", "0"))

INSTALLED_APPS = [
    "riffhouse.core",
    "riffhouse.accounts",
    "riffhouse.records",
    "riffhouse.lineage",
    "riffhouse.productions",
    "riffhouse.ledger",
    "riffhouse.community",
    "riffhouse.moderation",
    "riffhouse.search",
    "riffhouse.api",
    "riffhouse.demo",
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django_htmx",
    "django_tasks_db",
    "ninja",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.middleware.csp.ContentSecurityPolicyMiddleware",
    # After CSP (each answer's nonce), before sessions: a logged-out visitor's public page
    # from the cache reads no session, user or CSRF state (decision 0040).
    "riffhouse.core.page_cache.PublicPageCacheMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "riffhouse.core.middleware.UploadFormMessagesMiddleware",
    # After sessions and auth, so that its 400 page renders like any other page.
    "riffhouse.core.middleware.TextInputMiddleware",
    # After auth: a suspended member's changes are refused (moderation, decision 0036).
    "riffhouse.core.middleware.SuspensionMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "riffhouse.core.middleware.ApplicationErrorMiddleware",
    "riffhouse.api.middleware.MethodNotAllowedMiddleware",
]

ROOT_URLCONF = "riffhouse.urls"
WSGI_APPLICATION = "riffhouse.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [PACKAGE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.media",
                "django.template.context_processors.csp",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "riffhouse.community.context_processors.notifications",
                "riffhouse.core.page_cache.context_processor",
            ],
            # `{{ when|ago }}` everywhere: one way to say how long ago ("just now", "5 minutes
            # ago").
            "builtins": ["riffhouse.core.templatetags.relative_time"],
        },
    },
]

# Database ------------------------------------------------------------------------------------
DATABASES = {
    "default": dj_database_url.parse(
        os.environ.get("DATABASE_URL") or f"sqlite:///{DATA_DIR / 'riffhouse.sqlite3'}",
        conn_max_age=int(os.environ.get("DATABASE_CONN_MAX_AGE", "60")),
        conn_health_checks=True,
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql":
    # Django's backend, with the health check of a kept connection made by looking at its
    # socket, not by a `SELECT 1` round trip on every request (decision 0044).
    DATABASES["default"]["ENGINE"] = "riffhouse.core.postgresql"
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # One writer at a time, readers never blocked (WAL); writers wait instead of failing
    # (busy timeout); transactions take the write lock up front (IMMEDIATE) so two writers
    # cannot deadlock upgrading read locks. See docs/decisions/0003-sqlite-by-default.md.
    # Our wrapper of Django's backend keeps the database files private (0600) and says
    # clearly when their folder cannot be made (riffhouse/core/sqlite/base.py).
    DATABASES["default"]["ENGINE"] = "riffhouse.core.sqlite"
    # Connections are kept per thread (DATABASE_CONN_MAX_AGE), as for PostgreSQL: opening one
    # (the file, then the PRAGMAs) cost more than a cached page's whole answer (issue 14).
    DATABASES["default"]["OPTIONS"] = {
        "timeout": 20,
        "transaction_mode": "IMMEDIATE",
        "init_command": (
            "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL; PRAGMA foreign_keys=ON; "
            "PRAGMA cache_size=-65536;"  # up to 64 MB of pages: deep lineage walks stay in memory
        ),
    }
    DATABASES["default"]["TEST"] = {"NAME": str(DATA_DIR / "test.sqlite3")}
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# Accounts ------------------------------------------------------------------------------------
AUTH_USER_MODEL = "accounts.User"
AUTHENTICATION_BACKENDS = ["riffhouse.accounts.backends.UsernameOrEmailBackend"]
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
LOGIN_REDIRECT_URL = "community:home"
LOGOUT_REDIRECT_URL = "community:home"
PASSWORD_RESET_TIMEOUT = 60 * 60 * 24
# Log-in throttling: this many failures for one username (or many more from one address)
# within the window lock further attempts until the window has passed.
LOGIN_FAILURE_LIMIT = int(os.environ.get("LOGIN_FAILURE_LIMIT", "5"))
LOGIN_FAILURE_LIMIT_PER_IP = int(os.environ.get("LOGIN_FAILURE_LIMIT_PER_IP", "30"))
LOGIN_LOCKOUT_SECONDS = int(os.environ.get("LOGIN_LOCKOUT_SECONDS", str(15 * 60)))
# Emails anyone can make us send by typing an address (sign-up confirmations, password
# resets): at most this many per recipient address, and per client address, within the
# window; more are silently not sent (docs/decisions/0004).
ACCOUNT_EMAIL_LIMIT_PER_ADDRESS = int(os.environ.get("ACCOUNT_EMAIL_LIMIT_PER_ADDRESS", "5"))
ACCOUNT_EMAIL_LIMIT_PER_IP = int(os.environ.get("ACCOUNT_EMAIL_LIMIT_PER_IP", "20"))

# Per-member limits on what members make (core/ratelimit.py): (actions, window in seconds).
# Accounts younger than RATE_LIMIT_NEW_ACCOUNT_DAYS get RATE_LIMITS_NEW.
RATE_LIMITS: dict[str, tuple[int, int]] = {
    "comment": (30, 600),
    "upload": (30, 3600),
    "report": (20, 3600),
    "follow": (100, 3600),
    "remix_request": (30, 3600),
    "heart": (300, 3600),
}
RATE_LIMITS_NEW: dict[str, tuple[int, int]] = {
    "comment": (10, 600),
    "upload": (10, 3600),
    "report": (5, 3600),
    "follow": (30, 3600),
    "remix_request": (10, 3600),
    "heart": (100, 3600),
}
RATE_LIMIT_NEW_ACCOUNT_DAYS = int(os.environ.get("RATE_LIMIT_NEW_ACCOUNT_DAYS", "3"))
ACCOUNT_EMAIL_LIMIT_SECONDS = int(os.environ.get("ACCOUNT_EMAIL_LIMIT_SECONDS", str(60 * 60)))
AVATAR_MAX_BYTES = 5 * 1024 * 1024
AVATAR_MAX_PIXELS = 40_000_000
# Avatars are decoded in a child process with this much address space, never in the web
# process (a small file can declare a huge picture); 40 million RGBA pixels need ~500 MB.
AVATAR_DECODE_MEMORY_MB = int(os.environ.get("AVATAR_DECODE_MEMORY_MB", "1024"))

# Cache (and the rate-limit store) ----------------------------------------------------------
REDIS_URL = os.environ.get("REDIS_URL", "")
CACHES: dict[str, dict[str, Any]]
if REDIS_URL:
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": REDIS_URL,
            "KEY_PREFIX": os.environ.get("CACHE_KEY_PREFIX", "riffhouse"),
        }
    }
else:
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.locmem.LocMemCache",
            # Pages are kept whole (core.page_cache): room for a few thousand.
            "OPTIONS": {"MAX_ENTRIES": 5000},
        }
    }
# How long a shared cache (a CDN) may keep a public page before asking again (decision
# 0040). 0 asks every time, which a 304 answers cheaply; the site's own cache is exact.
PUBLIC_PAGE_SHARED_MAX_AGE = int(os.environ.get("PUBLIC_PAGE_SHARED_MAX_AGE", "10"))

# Jobs ------------------------------------------------------------------------------------------
TASK_QUEUES = ["default", "media", "render", "notifications"]
TASKS_BACKEND = os.environ.get("TASKS_BACKEND", "db")
if TASKS_BACKEND == "db":
    TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend", "QUEUES": TASK_QUEUES}}
elif TASKS_BACKEND == "immediate":
    TASKS = {
        "default": {
            "BACKEND": "django.tasks.backends.immediate.ImmediateBackend",
            "QUEUES": TASK_QUEUES,
        }
    }
else:
    raise ImproperlyConfigured("TASKS_BACKEND must be 'db' or 'immediate'.")
# Every worker writes a heartbeat row this often; a worker silent for longer than the lease
# is taken for dead, and a job it was running is requeued once, then failed (core/workers.py).
# The lease must be several heartbeats long, or a busy database could make a live worker look
# dead and its job run twice.
WORKER_HEARTBEAT_SECONDS = float(os.environ.get("WORKER_HEARTBEAT_SECONDS", "10"))
WORKER_LEASE_SECONDS = float(os.environ.get("WORKER_LEASE_SECONDS", "60"))
if WORKER_LEASE_SECONDS < 3 * WORKER_HEARTBEAT_SECONDS:
    raise ImproperlyConfigured("WORKER_LEASE_SECONDS must be at least 3 heartbeats long.")

# Files -------------------------------------------------------------------------------------
STATIC_URL = "/static/"
STATIC_ROOT = DATA_DIR / "static"
STATICFILES_DIRS = [
    PACKAGE_DIR / "static",
    ("vendor/htmx", NODE_MODULES_DIR / "htmx.org" / "dist"),
    ("vendor/d3", NODE_MODULES_DIR / "d3" / "dist"),  # the remix tree (lineage-tree.js)
    ("vendor/sortablejs", NODE_MODULES_DIR / "sortablejs"),  # the lineup editor's drag and drop
    ("vendor/fraunces", NODE_MODULES_DIR / "@fontsource-variable" / "fraunces"),
    ("vendor/inter", NODE_MODULES_DIR / "@fontsource-variable" / "inter"),
]
MEDIA_URL = os.environ.get("MEDIA_URL", "/media/")
MEDIA_ROOT = DATA_DIR / "media"
MEDIA_STORAGE = os.environ.get("MEDIA_STORAGE", "local")
if MEDIA_STORAGE == "local":
    DEFAULT_STORAGE: dict[str, Any] = {"BACKEND": "django.core.files.storage.FileSystemStorage"}
elif MEDIA_STORAGE == "s3":
    # Any S3-compatible service. Files are private; the app hands out short-lived signed URLs.
    DEFAULT_STORAGE = {
        "BACKEND": "storages.backends.s3.S3Storage",
        "OPTIONS": {
            "bucket_name": os.environ.get("S3_BUCKET", "riffhouse"),
            "endpoint_url": os.environ.get("S3_ENDPOINT_URL") or None,
            "access_key": os.environ.get("S3_ACCESS_KEY_ID"),
            "secret_key": os.environ.get("S3_SECRET_ACCESS_KEY"),
            "region_name": os.environ.get("S3_REGION", "us-east-1"),
            "default_acl": None,
            "querystring_auth": True,
            "querystring_expire": 600,
            "file_overwrite": False,
            "signature_version": "s3v4",
        },
    }
else:
    raise ImproperlyConfigured("MEDIA_STORAGE must be 'local' or 's3'.")
STORAGES: dict[str, dict[str, Any]] = {
    "default": DEFAULT_STORAGE,
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"},
}
FILE_UPLOAD_MAX_MEMORY_SIZE = 2 * 1024 * 1024
DATA_UPLOAD_MAX_MEMORY_SIZE = 2 * 1024 * 1024
FILE_UPLOAD_PERMISSIONS = 0o640
FILE_UPLOAD_TEMP_DIR = os.environ.get("FILE_UPLOAD_TEMP_DIR") or None
# Large uploads stream to a temporary file with our own prefix and a lock held while it is in
# use, so the start-up sweep can tell a file left by a killed process from a live one.
FILE_UPLOAD_HANDLERS = [
    "django.core.files.uploadhandler.MemoryFileUploadHandler",
    "riffhouse.core.tempfiles.TemporaryFileUploadHandler",
]
# Our temporary files (uploads, processing folders) whose owner has gone are removed once they
# are this old (`tempfiles_sweep`; at start-up and with the housekeeping).
TEMP_SWEEP_MIN_AGE_SECONDS = float(os.environ.get("TEMP_SWEEP_MIN_AGE_SECONDS", "600"))
MB = 1024 * 1024
# Upload limits per record kind, in bytes (RECORD_MAX_MB_VIDEO=4096 and so on).
RECORD_MAX_BYTES = {
    kind: int(os.environ.get(f"RECORD_MAX_MB_{kind.upper()}", default)) * MB
    for kind, default in {"text": "1", "image": "50", "audio": "500", "video": "2048"}.items()
}
RECORD_MAX_PIXELS = 50_000_000
RECORD_MAX_SECONDS = 2 * 60 * 60
# A version still "processing" after this long is marked failed by the sweeper.
RECORD_PROCESSING_TIMEOUT_SECONDS = 60 * 60
RECORD_PROCESSING_ATTEMPTS = 3
# A file kept after a form error (`records.staging`) can be sent again for this long.
RECORD_STAGED_UPLOAD_SECONDS = 6 * 60 * 60
# Limits for one processing job (its media tools run in a child process).
RECORD_PROCESSING_JOB_SECONDS = int(os.environ.get("RECORD_PROCESSING_JOB_SECONDS", "1800"))
RECORD_PROCESSING_MEMORY_MB = int(os.environ.get("RECORD_PROCESSING_MEMORY_MB", "3072"))
WHITENOISE_MAX_AGE = 60 * 60 * 24 * 365 if not DEBUG else 0


# Email -------------------------------------------------------------------------------------
def mailer_from_url(url: str) -> dict[str, object]:
    """Read EMAIL_URL: console: | file:///abs/dir | memory: | smtp://user:pass@host:port
    (smtp+tls:// for STARTTLS, smtps:// for TLS on connect)."""
    parts = urlsplit(url)
    backends = "django.core.mail.backends."
    # console: and file: are read by people: riffhouse.core.mail_backends keeps links whole.
    if parts.scheme == "console":
        return {"BACKEND": "riffhouse.core.mail_backends.ReadableConsoleBackend"}
    if parts.scheme == "memory":
        return {"BACKEND": backends + "locmem.EmailBackend"}
    if parts.scheme == "file":
        return {
            "BACKEND": "riffhouse.core.mail_backends.ReadableFileBackend",
            "OPTIONS": {"file_path": parts.path or str(DATA_DIR / "mail")},
        }
    if parts.scheme in {"smtp", "smtp+tls", "smtps"}:
        return {
            "BACKEND": backends + "smtp.EmailBackend",
            "OPTIONS": {
                "host": parts.hostname or "localhost",
                "port": parts.port or {"smtp": 25, "smtp+tls": 587, "smtps": 465}[parts.scheme],
                "username": unquote(parts.username or ""),
                "password": unquote(parts.password or ""),
                "use_tls": parts.scheme == "smtp+tls",
                "use_ssl": parts.scheme == "smtps",
                "timeout": 20,
            },
        }
    raise ImproperlyConfigured(f"EMAIL_URL has an unknown scheme: {parts.scheme!r}.")


EMAIL_URL = os.environ.get("EMAIL_URL") or "console:"
if PRODUCTION and urlsplit(EMAIL_URL).scheme in {"console", "memory"}:
    # Sign-up confirmations and password-reset links would only reach the log (or nowhere).
    raise ImproperlyConfigured(
        "EMAIL_URL must name a mail server in production (smtp://, smtp+tls:// or smtps://, "
        f"or file:///dir to keep messages as files): {urlsplit(EMAIL_URL).scheme}: delivers "
        "nothing."
    )
MAILERS = {"default": mailer_from_url(EMAIL_URL)}
DEFAULT_FROM_EMAIL = os.environ.get("DEFAULT_FROM_EMAIL", "Riffhouse <hello@riffhouse.localhost>")
SERVER_EMAIL = DEFAULT_FROM_EMAIL

# Security ------------------------------------------------------------------------------------
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
# Django's database sessions, read by one statement written once (decision 0043).
SESSION_ENGINE = "riffhouse.core.sessions"
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
CSRF_COOKIE_HTTPONLY = True
SECURE_CSP = {
    "default-src": [CSP.SELF],
    "script-src": [CSP.SELF, CSP.NONCE],
    # Swagger UI (the API docs) sets inline styles; nothing else needs this.
    "style-src": [CSP.SELF, CSP.UNSAFE_INLINE],
    "img-src": [CSP.SELF, "data:", "blob:"],
    "font-src": [CSP.SELF],
    "media-src": [CSP.SELF, "blob:"],
    "connect-src": [CSP.SELF],
    "frame-ancestors": [CSP.NONE],
    "form-action": [CSP.SELF],
    "base-uri": [CSP.SELF],
    "object-src": [CSP.NONE],
}
if PRODUCTION:
    SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", True)
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True
    SECURE_HSTS_SECONDS = int(os.environ.get("SECURE_HSTS_SECONDS", str(60 * 60 * 24 * 365)))
    SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    SECURE_HSTS_PRELOAD = env_bool("SECURE_HSTS_PRELOAD", True)

# Internationalisation ----------------------------------------------------------------------
LANGUAGE_CODE = "en"
TIME_ZONE = "UTC"
USE_I18N = True
USE_TZ = True

NINJA_PAGINATION_PER_PAGE = 50

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {"plain": {"format": "%(asctime)s %(levelname)s %(name)s: %(message)s"}},
    "handlers": {"console": {"class": "logging.StreamHandler", "formatter": "plain"}},
    "root": {"handlers": ["console"], "level": os.environ.get("LOG_LEVEL", "INFO")},
    "loggers": {"django.server": {"level": "WARNING"}},
}
CSRF_FAILURE_VIEW = "riffhouse.core.views.csrf_failure"
