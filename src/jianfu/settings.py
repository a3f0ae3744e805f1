"""One settings file driven by environment variables (Healthchecks style).

JIANFU_ENV selects the profile: ``development`` (default), ``test`` or ``production``.
SQLite under var/ by default; PostgreSQL when DATABASE_URL is set.
"""

import os
from pathlib import Path

import dj_database_url
from csp.constants import NONCE, NONE, SELF

BASE_DIR = Path(__file__).resolve().parent
PROJECT_DIR = BASE_DIR.parent.parent
VAR_DIR = Path(os.environ.get("JIANFU_VAR_DIR", PROJECT_DIR / "var"))
VAR_DIR.mkdir(parents=True, exist_ok=True)

ENV = os.environ.get("JIANFU_ENV", "development")
PRODUCTION = ENV == "production"
DEMO = os.environ.get("JIANFU_DEMO", "0") == "1"

SECRET_KEY = os.environ.get("JIANFU_SECRET_KEY", "")
if not SECRET_KEY:
    if PRODUCTION:
        raise RuntimeError("生产环境必须设置 JIANFU_SECRET_KEY")
    SECRET_KEY = "dev-only-insecure-key-not-for-production-use-0123456789abcdef"

DEBUG = os.environ.get("JIANFU_DEBUG", "0" if PRODUCTION else "1") == "1" and not PRODUCTION
ALLOWED_HOSTS = os.environ.get("JIANFU_ALLOWED_HOSTS", "127.0.0.1,localhost,testserver").split(",")

# The public address printed in certificates' QR codes; unset, the address a request came in on is used.
SITE_URL = os.environ.get("JIANFU_SITE_URL", "").rstrip("/")

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "jianfu.core",
    "jianfu.orgs",
    "jianfu.audit",
    "jianfu.catalog",
    "jianfu.admission",
    "jianfu.certificates",
    "jianfu.forms",
    "jianfu.supervision",
    "jianfu.monitoring",
    "jianfu.campaign",
    "jianfu.consultation",
    "jianfu.grid",
    "jianfu.jobs",
    "jianfu.notifications",
    "jianfu.field",
    "jianfu.federation",
    "jianfu.api",
    "csp",
    "django_tasks",
    "django_tasks_db",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "csp.middleware.CSPMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "jianfu.core.middleware.RequestContextMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "jianfu.core.middleware.SlidingSessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "jianfu.core.middleware.NoStoreForPersonalDataMiddleware",
    "jianfu.core.middleware.ThrottledMiddleware",
]

ROOT_URLCONF = "jianfu.urls"
WSGI_APPLICATION = "jianfu.wsgi.application"
AUTH_USER_MODEL = "orgs.User"
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "login"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "jianfu.core.context_processors.platform",
                "csp.context_processors.nonce",
                "jianfu.notifications.context_processors.unread",
            ],
        },
    },
]


def _sqlite_database(path: Path) -> dict:
    # WAL + IMMEDIATE transactions + a generous busy timeout: concurrent writers queue
    # instead of failing with "database is locked". core.apps asserts these at start-up.
    return {
        "ENGINE": "django.db.backends.sqlite3",
        "NAME": path,
        "OPTIONS": {
            "transaction_mode": "IMMEDIATE",
            "timeout": 20,
            "init_command": (
                "PRAGMA journal_mode=WAL;PRAGMA synchronous=FULL;"
                "PRAGMA foreign_keys=ON;PRAGMA busy_timeout=20000;"
            ),
        },
        # One connection per worker thread kept for a minute, as on PostgreSQL: opening one (the PRAGMAs, Django's
        # SQL functions) costs more than serving a cached page.
        "CONN_MAX_AGE": 60,
        # Tests use a file database too: the concurrency tests need real separate connections.
        "TEST": {"NAME": str(VAR_DIR / f"test_{path.stem}.sqlite3")},
    }


if os.environ.get("DATABASE_URL"):
    DATABASES = {"default": dj_database_url.parse(os.environ["DATABASE_URL"], conn_max_age=60)}
else:
    DATABASES = {
        "default": _sqlite_database(Path(os.environ.get("JIANFU_SQLITE", VAR_DIR / "jianfu.sqlite3")))
    }

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# models.W040: an index with included (non-key) columns on SQLite, which has none: there it is a plain index on
# its key columns (monitoring's `event_region_day`); PostgreSQL, the production database, includes them.
SILENCED_SYSTEM_CHECKS = ["models.W040"]

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "jianfu.orgs.passwords.MinimumLengthValidator", "OPTIONS": {"min_length": 8}},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "jianfu.orgs.passwords.CharacterClassValidator", "OPTIONS": {"min_classes": 3}},
]

# 等保2.0 三级: lockout after 5 failures for 30 minutes; idle sessions end after 30 minutes.
LOGIN_MAX_FAILURES = int(os.environ.get("JIANFU_LOGIN_MAX_FAILURES", 5))
LOGIN_LOCKOUT_SECONDS = int(os.environ.get("JIANFU_LOGIN_LOCKOUT_SECONDS", 30 * 60))
SESSION_COOKIE_AGE = int(os.environ.get("JIANFU_SESSION_IDLE_SECONDS", 30 * 60))
# A session is written when it changes, and its expiry slides forward at most once per SESSION_REFRESH_SECONDS
# (core.middleware.SlidingSessionMiddleware), not on every page: an idle session ends between 27 and 30 minutes.
SESSION_SAVE_EVERY_REQUEST = False
SESSION_REFRESH_SECONDS = int(os.environ.get("JIANFU_SESSION_REFRESH_SECONDS", 3 * 60))
SESSION_EXPIRE_AT_BROWSER_CLOSE = True
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"

# Reverse proxies whose X-Forwarded-For may be believed (comma-separated addresses or CIDR ranges): the audit
# log's address and every rate limit come from core.ratelimit.client_address.
TRUSTED_PROXIES = {p.strip() for p in os.environ.get("JIANFU_TRUSTED_PROXIES", "").split(",") if p.strip()}

# Requests one client address may make (django-ratelimit's "count/period", e.g. "5/h", "30/10m").
RATE_LIMITS = {
    "public_write": os.environ.get("JIANFU_RATE_PUBLIC_WRITE", "5/h"),  # residents' write-ins
    "survey_code": os.environ.get("JIANFU_RATE_SURVEY_CODE", "20/h"),  # wrong satisfaction-survey codes
    "login": os.environ.get("JIANFU_RATE_LOGIN", "30/10m"),  # failed sign-ins, whatever the account
    "certificate_verify": os.environ.get("JIANFU_RATE_CERTIFICATE_VERIFY", "30/m"),  # public verification
    # wrong one-time codes and receipts on public pages (grid ratings, online consultation, opinion status)
    "public_code": os.environ.get("JIANFU_RATE_PUBLIC_CODE", "20/h"),
    # refused federation pushes (unknown sender, bad signature, malformed rollup) to the national instance
    "federation_push": os.environ.get("JIANFU_RATE_FEDERATION_PUSH", "20/h"),
}

# The audit chain's HMAC-SM3 key: from the environment only, never stored in the database (audit/chain.py).
# Outside production a fixed development key keeps `make demo` and the tests simple; check --deploy refuses
# production without a key of its own.
DEV_AUDIT_KEY = "dev-only-audit-chain-key-not-for-production-0123456789"
AUDIT_KEY = os.environ.get("JIANFU_AUDIT_KEY", "") or ("" if PRODUCTION else DEV_AUDIT_KEY)
# Federation (a province's side): the file holding this deployment's Ed25519 private key (Base64, made by
# `jianfu federation_keygen`) and the national instance it pushes its monthly rollups to.
FEDERATION_KEY_FILE = os.environ.get("JIANFU_FEDERATION_KEY_FILE", "")
FEDERATION_NATIONAL_URL = os.environ.get("JIANFU_FEDERATION_NATIONAL_URL", "")

AUDIT_RETENTION_DAYS = max(184, int(os.environ.get("JIANFU_AUDIT_RETENTION_DAYS", 184)))

LANGUAGE_CODE = "zh-hans"
LANGUAGES = [("zh-hans", "简体中文")]  # one language: messages never fall back to the browser's
TIME_ZONE = "Asia/Shanghai"
USE_I18N = True
# ISO first among the input formats: <input type="date"> discards 2026/12/06 (jianfu/core/formats).
FORMAT_MODULE_PATH = ["jianfu.core.formats"]
USE_TZ = True

STATIC_URL = "/static/"
STATIC_ROOT = VAR_DIR / "static"
STATIC_ROOT.mkdir(exist_ok=True)
NODE_MODULES = PROJECT_DIR / "node_modules"
# Front-end packages come from npm (package-lock.json); Django serves their dist folders directly.
STATICFILES_DIRS = [BASE_DIR / "static"] + [
    (prefix, NODE_MODULES / path)
    for prefix, path in [
        ("vendor/bootstrap", "bootstrap/dist"),
        ("vendor/htmx", "htmx.org/dist"),
        ("vendor/echarts", "echarts/dist"),
        ("vendor/axe-core", "axe-core"),
        ("vendor/idb", "idb/build"),
    ]
    if (NODE_MODULES / path).exists()
]
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedStaticFilesStorage"},
}
WHITENOISE_USE_FINDERS = True
MEDIA_ROOT = VAR_DIR / "media"
# Size limits of what people upload, checked by core.uploads (one module for every app).
UPLOAD_MAX_BYTES = {
    purpose: int(float(os.environ.get(f"JIANFU_UPLOAD_{purpose.upper()}_MAX_MB", default)) * 1024 * 1024)
    for purpose, default in (("photo", 8), ("attachment", 20), ("spreadsheet", 20))
}
DATA_UPLOAD_MAX_MEMORY_SIZE = 20 * 1024 * 1024
FILE_UPLOAD_MAX_MEMORY_SIZE = 20 * 1024 * 1024

# Rate-limit counters live in the cache, so several app servers must share one: Redis when JIANFU_REDIS_URL is
# set (check --deploy insists in production); one process's memory otherwise (development, tests).
REDIS_URL = os.environ.get("JIANFU_REDIS_URL", "")
# The code release public pages are cached under (core.pagecache): the deploy's commit, say; by default a hash
# of the templates and modules, taken once per process.
RELEASE = os.environ.get("JIANFU_RELEASE", "")
if REDIS_URL:
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": REDIS_URL,
            "KEY_PREFIX": os.environ.get("JIANFU_CACHE_PREFIX", "jianfu"),
        }
    }
else:
    # Local memory, one process (development, tests, the demo). Django's default of 300 entries is fewer than
    # the month sums one province's prefectures put there (10 × 36 months, monitoring.selectors._summed_cells),
    # so it would cull a third of itself on every such page; each entry is a few kB.
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.locmem.LocMemCache",
            "OPTIONS": {"MAX_ENTRIES": 5000},
        }
    }

# Content-Security-Policy (django-csp), in development as in production so a page that breaks it breaks early:
# scripts and styles only from our own origin (Bootstrap, htmx and ECharts are served from node_modules), no
# inline script at all, inline <style> only with the request's nonce (the print pages), images and fonts from
# our origin or data: URIs (Bootstrap's form-control icons).
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [SELF],
        "script-src": [SELF],
        "style-src": [SELF, NONCE],
        "img-src": [SELF, "data:", "blob:"],  # blob: the field app's photo previews from the phone's outbox
        "font-src": [SELF, "data:"],
        "connect-src": [SELF],
        "worker-src": [SELF],  # the field app's service worker
        "manifest-src": [SELF],
        "object-src": [NONE],
        "base-uri": [SELF],
        "form-action": [SELF],
        "frame-ancestors": [NONE],
    }
}

# Background work: Django's tasks API (django-tasks backport). JIANFU_TASKS=database (default: the task rows
# live in the platform's database and `jianfu worker` runs them) or celery (Redis broker, `jianfu worker`
# starts a Celery worker; several machines may run workers). See docs/tasks.md.
TASK_ENGINE = os.environ.get("JIANFU_TASKS", "database")
if TASK_ENGINE not in ("database", "celery"):
    raise RuntimeError("JIANFU_TASKS 只能是 database 或 celery")
CELERY_BROKER_URL = os.environ.get("JIANFU_CELERY_BROKER", "redis://127.0.0.1:6379/0")
CELERY_RESULT_BACKEND = os.environ.get("JIANFU_CELERY_RESULTS", CELERY_BROKER_URL)
CELERY_RESULT_EXTENDED = True
# Several deployments (or test runs) may share one Redis: each keeps its keys under its own prefix.
CELERY_BROKER_TRANSPORT_OPTIONS = {"global_keyprefix": os.environ.get("JIANFU_CELERY_PREFIX", "jianfu:")}
CELERY_RESULT_BACKEND_TRANSPORT_OPTIONS = CELERY_BROKER_TRANSPORT_OPTIONS
CELERY_TASK_ACKS_LATE = True  # a worker that dies mid-task leaves the message for another
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
CELERY_BROKER_CONNECTION_RETRY_ON_STARTUP = True
TASK_BACKENDS = {
    "database": {"BACKEND": "django_tasks_db.DatabaseBackend"},
    "celery": {"BACKEND": "jianfu.jobs.backends.CeleryBackend"},
}
TASKS = {"default": TASK_BACKENDS[TASK_ENGINE]}
if TASK_ENGINE == "celery":
    INSTALLED_APPS.append("django_tasks_fennel")
# Scheduled jobs run at the times their apps register (core.jobs); a county may move them:
# JIANFU_SCHEDULE="admission.remind=daily 07:30;grid.escalate=every 30".
JOB_SCHEDULES = dict(
    item.split("=", 1) for item in os.environ.get("JIANFU_SCHEDULE", "").split(";") if "=" in item
)
# A failed job or message is tried again after these delays (seconds), then reported as failed.
RETRY_DELAYS = [int(s) for s in os.environ.get("JIANFU_RETRY_DELAYS", "60,300,1800,7200").split(",")]
# Files produced by background work (exports, DOCX) and uploads waiting for an import: private to their
# owner, served only through the platform. With workers on several machines this must be shared storage.
PRIVATE_ROOT = Path(os.environ.get("JIANFU_PRIVATE_ROOT", VAR_DIR / "private"))
WORK_FILE_DAYS = int(os.environ.get("JIANFU_WORK_FILE_DAYS", 7))

# Notifications: e-mail through Django's mail (SMTP when JIANFU_EMAIL_HOST is set; files under var/mail for
# the demo), SMS through a provider backend, Web Push with VAPID keys from the environment.
EMAIL_HOST = os.environ.get("JIANFU_EMAIL_HOST", "")
if EMAIL_HOST:
    EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    EMAIL_PORT = int(os.environ.get("JIANFU_EMAIL_PORT", 465))
    EMAIL_HOST_USER = os.environ.get("JIANFU_EMAIL_USER", "")
    EMAIL_HOST_PASSWORD = os.environ.get("JIANFU_EMAIL_PASSWORD", "")
    EMAIL_USE_SSL = os.environ.get("JIANFU_EMAIL_SSL", "1") == "1"
    EMAIL_USE_TLS = not EMAIL_USE_SSL and os.environ.get("JIANFU_EMAIL_TLS", "1") == "1"
    EMAIL_TIMEOUT = 20
else:
    EMAIL_BACKEND = "django.core.mail.backends.filebased.EmailBackend"
    EMAIL_FILE_PATH = VAR_DIR / "mail"
DEFAULT_FROM_EMAIL = os.environ.get("JIANFU_EMAIL_FROM", "减负平台 <noreply@jianfu.localhost>")
SMS_BACKEND = os.environ.get("JIANFU_SMS_BACKEND", "jianfu.notifications.sms.FileBackend")
SMS_FILE_PATH = Path(os.environ.get("JIANFU_SMS_FILE_PATH", VAR_DIR / "sms"))
SMS_GATEWAY = {
    "URL": os.environ.get("JIANFU_SMS_URL", ""),
    "KEY_ID": os.environ.get("JIANFU_SMS_KEY_ID", ""),
    "SECRET": os.environ.get("JIANFU_SMS_SECRET", ""),
    "SIGN_NAME": os.environ.get("JIANFU_SMS_SIGN_NAME", "减负平台"),
    "TIMEOUT": 10,
}
VAPID_PUBLIC_KEY = os.environ.get("JIANFU_VAPID_PUBLIC_KEY", "")
VAPID_PRIVATE_KEY = os.environ.get("JIANFU_VAPID_PRIVATE_KEY", "")
VAPID_SUBJECT = os.environ.get("JIANFU_VAPID_SUBJECT", "mailto:admin@jianfu.localhost")

X_FRAME_OPTIONS = "DENY"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
CSRF_COOKIE_HTTPONLY = False  # HTMX reads the token from the page, not the cookie

if PRODUCTION:
    SECURE_SSL_REDIRECT = os.environ.get("JIANFU_SSL_REDIRECT", "1") == "1"
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    SECURE_HSTS_SECONDS = 31536000
    SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    SECURE_HSTS_PRELOAD = True
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True
    CSRF_TRUSTED_ORIGINS = [o for o in os.environ.get("JIANFU_CSRF_TRUSTED_ORIGINS", "").split(",") if o]

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": os.environ.get("JIANFU_LOG_LEVEL", "WARNING")},
}
