"""Oval's one settings module, driven by the environment.

Without any variable set it is the embedded default a newcomer runs: SQLite and the in-memory
channel layer. DATABASE_URL and REDIS_URL switch to the scale-out setup (docs/deploy.md).
DEBUG is off unless OVAL_DEBUG/DEBUG says otherwise; `make run` turns it on for the local demo.
"""
import os
import secrets
from pathlib import Path

import dj_database_url

BASE_DIR = Path(__file__).resolve().parent.parent


def envbool(name, default=False):
    return os.environ.get(name, str(default)).strip().lower() in ("1", "true", "yes", "on")


def envlist(name, default):
    return [v.strip() for v in os.environ.get(name, default).split(",") if v.strip()]


DEBUG = envbool("DEBUG")
SECRET_KEY = os.environ.get("SECRET_KEY", "")
# Without SECRET_KEY: a fixed key on a developer's machine (DEBUG, `make run`), so logins survive
# a restart; anywhere else a random key for this process only, so that no key written in this
# repository can ever sign a production session. Sessions then end with the process and are not
# shared between processes: the check oval.W001 says so until SECRET_KEY is set (docs/deploy.md).
SECRET_KEY_FROM_ENVIRONMENT = bool(SECRET_KEY)
if not SECRET_KEY:
    SECRET_KEY = "django-insecure-oval-local-only" if DEBUG else secrets.token_urlsafe(50)

ALLOWED_HOSTS = envlist("ALLOWED_HOSTS", "localhost,127.0.0.1,[::1]")
CSRF_TRUSTED_ORIGINS = envlist("CSRF_TRUSTED_ORIGINS", "")

INSTALLED_APPS = [
    "daphne",
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "channels",
    "timing",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    # Dutch beside English: the language from the switch's cookie, else Accept-Language.
    "timing.middleware.PageLocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "timing.middleware.content_security_policy",
    "timing.middleware.DatabaseUnavailable",
]

ROOT_URLCONF = "config.urls"
ASGI_APPLICATION = "config.asgi.application"

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
            ],
        },
    },
]

if os.environ.get("DATABASE_URL"):
    # conn_max_age=0: under ASGI every request runs in a thread of its own, so a persistent
    # connection is left open in a dead thread per request; two Daphnes under the benchmark ran
    # PostgreSQL out of connections ("too many clients") within seconds. Close each at request end.
    # A psycopg pool per process hands each request a warm connection: a device's POST took
    # 32 ms median opening its own and 19 ms from the pool (bench/results.md). Size it so that
    # processes x OVAL_PG_POOL_MAX stays under PostgreSQL's max_connections.
    # Health checks: after PostgreSQL restarts, every pooled connection is dead; Django then has the
    # pool check one before handing it out (an empty query, well under a millisecond), sparing a
    # request a 503 per dead connection (docs/reliability.md, the database outage).
    DATABASES = {"default": dj_database_url.parse(os.environ["DATABASE_URL"], conn_max_age=0,
                                                  conn_health_checks=True)}
    # When PostgreSQL is away (a restart, a failover): a request waits at most `timeout` for a
    # connection, then the API answers 503 + Retry-After; and the pool gives up reconnecting on its
    # own after `reconnect_timeout`, so that the next request tries at once instead of after the
    # pool's doubling back-off (1, 2, 4 … 32 s): once the database is back, the next write gets in.
    DATABASES["default"].setdefault("OPTIONS", {})["pool"] = {
        "min_size": 2, "max_size": int(os.environ.get("OVAL_PG_POOL_MAX", "20")),
        "timeout": float(os.environ.get("OVAL_PG_POOL_TIMEOUT", "3")), "reconnect_timeout": 2,
    }
else:
    DATABASES = {
        "default": {
            "ENGINE": "django.db.backends.sqlite3",
            "NAME": os.environ.get("OVAL_SQLITE", str(BASE_DIR / "db.sqlite3")),
            # IMMEDIATE takes the write lock at BEGIN, so concurrent writers queue instead of
            # failing halfway through a transaction with "database is locked".
            # WAL: readers (snapshots, the hubs' version poll) never wait for a writer, and a
            # commit appends to the log instead of rewriting pages; durability is unchanged.
            "OPTIONS": {"transaction_mode": "IMMEDIATE", "timeout": 20, "init_command": "PRAGMA journal_mode=WAL;"},
            # A file, not shared-cache memory: the browser tests serve from another thread, and
            # shared-cache SQLite answers "table is locked" at once instead of waiting.
            "TEST": {"NAME": os.environ.get("OVAL_TEST_SQLITE", str(BASE_DIR / ".test-db.sqlite3"))},
        }
    }

# Where `manage.py lynxlisten` keeps its journal of every packet received (timing/devices/journal.py).
OVAL_JOURNAL_DIR = os.environ.get("OVAL_JOURNAL_DIR", str(BASE_DIR / "var" / "lynx"))

REDIS_URL = os.environ.get("REDIS_URL", "")
REDIS_LAYERS = {
    "pubsub": "channels_redis.pubsub.RedisPubSubChannelLayer",
    "core": "channels_redis.core.RedisChannelLayer",
}
if REDIS_URL:
    # One subscription per process, fanned out to that process's sockets by timing.hub.Hub.
    # Pub/sub is the default; bench/results.md has both layers measured (OVAL_REDIS_LAYER).
    # The prefix keeps deployments (and test runs) sharing one Redis apart.
    _layer = os.environ.get("OVAL_REDIS_LAYER", "pubsub")
    if _layer not in REDIS_LAYERS:
        from django.core.exceptions import ImproperlyConfigured

        raise ImproperlyConfigured(f"OVAL_REDIS_LAYER must be one of {', '.join(REDIS_LAYERS)}, not {_layer!r}.")
    _config = {"hosts": [REDIS_URL], "prefix": os.environ.get("OVAL_REDIS_PREFIX", "oval")}
    if _layer == "core":
        # Messages per channel before group_send drops silently; a hub channel gets one
        # message per change, so this is headroom for a hub stalled by a slow database.
        _config["capacity"] = int(os.environ.get("OVAL_REDIS_CAPACITY", "1000"))
        # The core layer blocks 5 s in BZPOPMIN, and redis-py's default socket timeout is 5 s
        # too: every idle hub then timed out and reconnected, and could lose a popped message.
        _config["hosts"] = [{"address": REDIS_URL, "socket_timeout": 15}]
    CHANNEL_LAYERS = {"default": {"BACKEND": REDIS_LAYERS[_layer], "CONFIG": _config}}
else:
    # One process: the in-memory layer cannot cross a process boundary, so timing.live hands
    # updates to this process's hub directly and never touches it on the hot path.
    CHANNEL_LAYERS = {"default": {"BACKEND": "channels.layers.InMemoryChannelLayer"}}

# Two caches, for two kinds of data. "default" holds the snapshots (timing/snapshot.py): immutable per
# race version, rebuilt cheaply, read on every page load and socket connect, so each process keeps
# its own in memory (no network round trip). "brakes" holds the counters that slow an attacker
# (timing/brakes.py): with several processes they must be shared, or N processes make each brake
# N times looser, so with REDIS_URL they live in Redis under this deployment's prefix.
CACHES = {
    "default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache", "LOCATION": "snapshots"},
    "brakes": (
        {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": REDIS_URL,
         "KEY_PREFIX": os.environ.get("OVAL_REDIS_PREFIX", "oval") + ":brakes"}
        if REDIS_URL else {"BACKEND": "django.core.cache.backends.locmem.LocMemCache", "LOCATION": "brakes"}
    ),
}

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
]
LOGIN_URL = "/login/"
LOGIN_REDIRECT_URL = "/"

LANGUAGE_CODE = "en"
# Pages speak English or Dutch (README.md, Languages); the catalogues are committed compiled, so
# nothing but Python is needed to run. Times and numbers keep the sport's format in both.
LANGUAGES = [("en", "English"), ("nl", "Nederlands")]
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = "UTC"
USE_I18N = True
USE_TZ = True

STATIC_URL = "/static/"
STATIC_ROOT = BASE_DIR / "staticfiles"
STATICFILES_DIRS = [BASE_DIR / "static"]
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedStaticFilesStorage"},
}
# Serve straight from STATICFILES_DIRS as well, so a checkout works without collectstatic.
WHITENOISE_USE_FINDERS = True

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# Security: secure by default, relaxed only where DEBUG says this is a developer's machine.
SESSION_COOKIE_HTTPONLY = True
CSRF_COOKIE_HTTPONLY = False  # the console's fetch() reads it to send X-CSRFToken
SESSION_COOKIE_SECURE = not DEBUG and envbool("SECURE_COOKIES", True)
CSRF_COOKIE_SECURE = SESSION_COOKIE_SECURE
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
SECURE_SSL_REDIRECT = envbool("SECURE_SSL_REDIRECT", False)
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SECURE_HSTS_SECONDS = int(os.environ.get("SECURE_HSTS_SECONDS", "0"))
SECURE_HSTS_INCLUDE_SUBDOMAINS = SECURE_HSTS_SECONDS > 0
SECURE_HSTS_PRELOAD = SECURE_HSTS_SECONDS > 0
# Uploads and API bodies are small: a passing is a few dozen bytes.
DATA_UPLOAD_MAX_MEMORY_SIZE = 64 * 1024

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": os.environ.get("LOG_LEVEL", "INFO")},
    "loggers": {
        "django.channels.server": {"level": "WARNING"},
        # fpdf2's font subsetting reports every table it touches at INFO, for every PDF.
        "fontTools": {"level": "WARNING"},
    },
}
