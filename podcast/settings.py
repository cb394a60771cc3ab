"""Settings for the podcast site, read from the environment only.

The embedded default (SQLite, a filesystem broker, media under var/) needs no
variables at all; DATABASE_URL, CELERY_BROKER_URL, CACHE_URL and the AWS_*
variables move the same code to PostgreSQL, Redis and object storage.
"""

import os
from pathlib import Path

from django.core.exceptions import ImproperlyConfigured

from podcast.env import (
    env_bool,
    env_choice,
    env_database,
    env_folder,
    env_hosts,
    env_int,
    env_line,
    env_networks,
    env_origins,
    env_proxies,
    env_str,
    env_time_zone,
    env_url,
)
from podcast.s3 import s3_options, storage_origins

BASE_DIR = Path(__file__).resolve().parent.parent
DEV_SECRET_KEY = "dev-only-insecure-key-do-not-use-in-production"


DATA_DIR = env_folder("PODCAST_DATA_DIR", BASE_DIR / "var")

DEBUG = env_bool("DEBUG", False)
SECRET_KEY = env_str("SECRET_KEY", DEV_SECRET_KEY if DEBUG else "")
if not SECRET_KEY:
    raise ImproperlyConfigured("SECRET_KEY: must be set when DEBUG is off")
if not DEBUG and SECRET_KEY == DEV_SECRET_KEY:
    raise ImproperlyConfigured("SECRET_KEY: the development key is refused when DEBUG is off")

ALLOWED_HOSTS = env_hosts("ALLOWED_HOSTS", ["127.0.0.1", "localhost", "[::1]", "testserver"])
CSRF_TRUSTED_ORIGINS = env_origins("CSRF_TRUSTED_ORIGINS")

# Absolute base of every URL that leaves the site (feeds, enclosures, podcast:guid).
PODCAST_SITE_URL = env_url("PODCAST_SITE_URL", "http://127.0.0.1:8000", schemes=("http", "https"))
PODCAST_MAX_UPLOAD_MB = env_int("PODCAST_MAX_UPLOAD_MB", 500, minimum=1)
PODCAST_WEBSUB_HUB = env_url("PODCAST_WEBSUB_HUB", "", schemes=("http", "https"))
# Podping (podping.cloud): GET <url>?url=<feed> on publish and when a live item goes
# live, with "Authorization: <token>" when a token is set. Empty turns it off.
PODCAST_PODPING_URL = env_url("PODCAST_PODPING_URL", "", schemes=("http", "https"))
PODCAST_PODPING_TOKEN = env_str("PODCAST_PODPING_TOKEN", "")
# An ended podcast:liveItem stays in the feed this many days after its end.
PODCAST_LIVE_ITEM_DAYS = env_int("PODCAST_LIVE_ITEM_DAYS", 7, minimum=0)
# Feed imports fetch URLs that users give: only public addresses unless listed here
# (tests, private deployments), e.g. 127.0.0.0/8.
PODCAST_IMPORT_ALLOWED_NETWORKS = env_networks("PODCAST_IMPORT_ALLOWED_NETWORKS")
PODCAST_FEED_PAGE_SIZE = env_int("PODCAST_FEED_PAGE_SIZE", 100, minimum=1)
# The main feed holds the newest episodes up to this count and this size (the newest
# one always); it links to the RFC 5005 pages for the rest (atom:link rel="next").
# Personal feed tokens are derived from this key (subscribers/tokens.py): set it once
# and keep it; changing it changes every subscriber's feed URL.
PODCAST_SUBSCRIBER_KEY = env_str("PODCAST_SUBSCRIBER_KEY", SECRET_KEY)
# The payment provider's webhook (docs/webhook.md): empty turns it off (404).
PODCAST_SUBSCRIBER_WEBHOOK_SECRET = env_str("PODCAST_SUBSCRIBER_WEBHOOK_SECRET", "")
# How old a signed webhook request may be; older ones are refused as stale.
PODCAST_SUBSCRIBER_WEBHOOK_TOLERANCE = env_int(
    "PODCAST_SUBSCRIBER_WEBHOOK_TOLERANCE", 300, minimum=1
)
# How long the emailed link to a subscriber's page works.
PODCAST_SUBSCRIBER_LINK_DAYS = env_int("PODCAST_SUBSCRIBER_LINK_DAYS", 7, minimum=1)
# A personal feed whose audio more listener keys than this fetched in one day is
# flagged as shared in the subscriber admin (analytics/personal.py counts them).
PODCAST_SUBSCRIBER_SHARING_KEYS = env_int("PODCAST_SUBSCRIBER_SHARING_KEYS", 10, minimum=1)
PODCAST_FEED_MAX_EPISODES = env_int("PODCAST_FEED_MAX_EPISODES", 300, minimum=1)
PODCAST_FEED_MAX_BYTES = env_int("PODCAST_FEED_MAX_BYTES", 5_000_000, minimum=1)
# Anonymous listeners get public pages from the cache for this long (0: off).
PODCAST_PAGE_CACHE_SECONDS = env_int("PODCAST_PAGE_CACHE_SECONDS", 0 if DEBUG else 10)
# Listeners' requests take the show and episode rows from this process's memory for
# this long, unless a change announced meanwhile (0: read the database every time).
PODCAST_HOT_SECONDS = env_int("PODCAST_HOT_SECONDS", 1, minimum=0)
# Downloads one web process streams at once under WSGI (0: no limit); the rest get
# 503 + Retry-After so pages keep threads. Default: half of WEB_THREADS (the Procfile's).
PODCAST_STREAM_SLOTS = env_int(
    "PODCAST_STREAM_SLOTS", max(1, env_int("WEB_THREADS", 8, minimum=1) // 2), minimum=0
)
# How long a CDN or shared cache in front may keep feeds and pages (s-maxage).
PODCAST_SHARED_CACHE_SECONDS = env_int("PODCAST_SHARED_CACHE_SECONDS", 60, minimum=0)
# Media on S3-compatible object storage (AWS S3, DigitalOcean Spaces, MinIO, R2):
# PODCAST_STORAGE=s3, or just AWS_STORAGE_BUCKET_NAME. The bucket stays private
# and links are signed and expire unless AWS_QUERYSTRING_AUTH=0 (a public CDN).
PODCAST_STORAGE = env_choice(
    "PODCAST_STORAGE",
    "s3" if os.environ.get("AWS_STORAGE_BUCKET_NAME") else "filesystem",
    choices=("filesystem", "s3"),
)
# With object storage (behind a CDN or not), downloads answer 302 to the storage
# URL by default: the bucket answers ranges itself, whereas streaming through us
# makes django-storages fetch the whole object for each request, even bytes=0-1.
# The feed keeps pointing at our own URL, which checks the episode is published.
PODCAST_AUDIO_REDIRECT = env_bool("PODCAST_AUDIO_REDIRECT", PODCAST_STORAGE == "s3")
# Behind nginx (deploy/nginx.conf): downloads answer with X-Accel-Redirect to this
# internal location and nginx sends the bytes, ranges and 304s from the media
# folder. Empty (the default): the app streams the file itself.
PODCAST_ACCEL_REDIRECT = env_line("PODCAST_ACCEL_REDIRECT", "")
if PODCAST_ACCEL_REDIRECT and not (
    PODCAST_ACCEL_REDIRECT.startswith("/") and PODCAST_ACCEL_REDIRECT.endswith("/")
):
    raise ImproperlyConfigured(
        f"PODCAST_ACCEL_REDIRECT={PODCAST_ACCEL_REDIRECT!r}: expected a path that starts and "
        "ends with '/', such as /_media/ (the internal location of deploy/nginx.conf)"
    )

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.sitemaps",
    "podcast.apps.PodcastConfig",
    "episodes",
    "transcripts",
    "analytics",
    "subscribers",
]

MIDDLEWARE = [
    # Outermost: trims every 304 after the others added their headers.
    "podcast.middleware.NotModifiedMiddleware",
    "django.middleware.security.SecurityMiddleware",
    "podcast.middleware.ContentSecurityPolicyMiddleware",
    "podcast.middleware.DebugNotFoundPageMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    # Gives a browser that logged in its signed device cookie (episodes/lockout.py).
    "episodes.lockout.DeviceCookieMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    # Innermost: a view that cannot reach the database answers 503, not a traceback.
    "podcast.middleware.DatabaseUnavailableMiddleware",
]

ROOT_URLCONF = "podcast.urls"
# Where a log-in lands when its `next` is missing or unsafe (another host, a scheme).
LOGIN_REDIRECT_URL = "admin:index"
WSGI_APPLICATION = "podcast.wsgi.application"
ASGI_APPLICATION = "podcast.asgi.application"

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
                "episodes.context_processors.show",
            ],
        },
    },
]

DATABASES = {
    "default": env_database(
        "DATABASE_URL",
        f"sqlite:///{DATA_DIR / 'db.sqlite3'}",
        # Under ASGI every request runs its sync code in a thread of its own, so a
        # persistent connection would outlive its thread: 0 by default, and a pool
        # on PostgreSQL instead (Django's advice for ASGI).
        conn_max_age=env_int("DATABASE_CONN_MAX_AGE", 0),
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # WAL lets the worker write while the web server reads; the timeout rides out
    # the short write locks instead of failing with "database is locked".
    DATABASES["default"]["OPTIONS"] = {
        "timeout": 20,
        "transaction_mode": "IMMEDIATE",
        "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
    }
    # A file, not memory, so worker processes started by tests see the test database.
    DATABASES["default"]["TEST"] = {"NAME": str(DATA_DIR / "test.sqlite3")}

postgres = DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql"
if postgres and env_bool("DATABASE_POOL", True) and DATABASES["default"]["CONN_MAX_AGE"] == 0:
    DATABASES["default"].setdefault("OPTIONS", {})["pool"] = {
        "min_size": 1,
        "max_size": env_int("DATABASE_POOL_SIZE", 10, minimum=1),
        # How long a request waits for a connection before the page answers 503.
        "timeout": env_int("DATABASE_POOL_TIMEOUT", 3, minimum=1),
    }
    # With a pool, Django checks each connection as it leaves the pool: one killed
    # by a database restart is replaced, so pages recover by themselves.
    DATABASES["default"]["CONN_HEALTH_CHECKS"] = True

CACHE_URL = env_url("CACHE_URL", "locmem://", schemes=("locmem", "redis", "rediss"))
if CACHE_URL.startswith("locmem"):
    # Pages and feed bytes share it: room for more than the default 300 entries.
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.locmem.LocMemCache",
            "OPTIONS": {"MAX_ENTRIES": 2000},
        }
    }
else:
    CACHES = {
        "default": {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": CACHE_URL}
    }

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# Email (subscribers' links): printed to the console unless EMAIL_HOST names an
# SMTP server.
EMAIL_HOST = env_line("EMAIL_HOST", "")
EMAIL_BACKEND = (
    "django.core.mail.backends.smtp.EmailBackend"
    if EMAIL_HOST
    else "django.core.mail.backends.console.EmailBackend"
)
EMAIL_PORT = env_int("EMAIL_PORT", 587, minimum=1)
EMAIL_HOST_USER = env_str("EMAIL_HOST_USER", "")
EMAIL_HOST_PASSWORD = env_str("EMAIL_HOST_PASSWORD", "")
EMAIL_USE_TLS = env_bool("EMAIL_USE_TLS", EMAIL_PORT == 587)
EMAIL_USE_SSL = env_bool("EMAIL_USE_SSL", EMAIL_PORT == 465)
if EMAIL_USE_TLS and EMAIL_USE_SSL:
    raise ImproperlyConfigured("EMAIL_USE_TLS and EMAIL_USE_SSL: set one of them, not both")
EMAIL_TIMEOUT = 10
DEFAULT_FROM_EMAIL = env_line("DEFAULT_FROM_EMAIL", "podcast@localhost")
LANGUAGE_CODE = "en-us"
TIME_ZONE = env_time_zone("TIME_ZONE", "UTC")
USE_I18N = True
USE_TZ = True

STATIC_URL = "/static/"
STATIC_ROOT = DATA_DIR / "static"
STATICFILES_DIRS = [BASE_DIR / "static"]
# Files browsers ask for at the site root (favicon.ico), served by WhiteNoise.
WHITENOISE_ROOT = BASE_DIR / "static" / "root"
MEDIA_URL = "/media/"
MEDIA_ROOT = env_folder("PODCAST_MEDIA_ROOT", DATA_DIR / "media")
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"
        if not DEBUG
        else "django.contrib.staticfiles.storage.StaticFilesStorage"
    },
}
if PODCAST_STORAGE == "s3":
    STORAGES["default"] = {"BACKEND": "storages.backends.s3.S3Storage", "OPTIONS": s3_options()}
DATA_UPLOAD_MAX_MEMORY_SIZE = 10 * 1024 * 1024
FILE_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024

# Celery: the broker needs no server by default (kombu's filesystem transport
# under var/), consumed by a real worker process; Redis or RabbitMQ at scale.
BROKER_DIR = DATA_DIR / "broker"
CELERY_BROKER_URL = env_url(
    "CELERY_BROKER_URL",
    "filesystem://",
    schemes=("filesystem", "redis", "rediss", "amqp", "memory"),
)
if CELERY_BROKER_URL.startswith("filesystem"):
    CELERY_BROKER_TRANSPORT_OPTIONS = {
        "data_folder_in": str(BROKER_DIR / "queue"),
        "data_folder_out": str(BROKER_DIR / "queue"),
        "control_folder": str(BROKER_DIR / "control"),
        "store_processed": False,
        "polling_interval": 0.2,
    }
CELERY_TASK_SERIALIZER = "json"
CELERY_ACCEPT_CONTENT = ["json"]
CELERY_RESULT_BACKEND = None
CELERY_TASK_IGNORE_RESULT = True
CELERY_TASK_ACKS_LATE = True
CELERY_TASK_REJECT_ON_WORKER_LOST = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
CELERY_TASK_TIME_LIMIT = env_int("CELERY_TASK_TIME_LIMIT", 600, minimum=1)
CELERY_TASK_SOFT_TIME_LIMIT = max(1, CELERY_TASK_TIME_LIMIT - 30)
CELERY_BROKER_CONNECTION_RETRY_ON_STARTUP = True
CELERY_TIMEZONE = TIME_ZONE
if CELERY_BROKER_URL.startswith("redis"):
    # A task whose worker died unacknowledged goes back to the queue after this many
    # seconds (Redis's default is an hour). Keep it above the task time limit, or a task
    # still running is delivered a second time.
    CELERY_BROKER_TRANSPORT_OPTIONS = {
        "visibility_timeout": env_int(
            "CELERY_BROKER_VISIBILITY_TIMEOUT", CELERY_TASK_TIME_LIMIT + 300, minimum=1
        ),
    }
# Work left pending or processing this long is sent again (a broker outage at upload
# time, a worker killed holding a message the filesystem broker never redelivers).
PODCAST_REQUEUE_AFTER_MINUTES = env_int(
    "PODCAST_REQUEUE_AFTER_MINUTES", CELERY_TASK_TIME_LIMIT // 60 + 5, minimum=1
)
CELERY_IMPORTS = ["podcast.queue"]  # the sweep's task; the apps' tasks are autodiscovered
CELERY_BEAT_SCHEDULE = {
    "requeue-stuck-work": {"task": "podcast.queue.requeue_stuck_work", "schedule": 300},
    # Work a broker outage held back starts within a minute of the broker's return.
    "send-queued-work": {"task": "podcast.queue.send_queued_work", "schedule": 30},
    # Partial files a killed worker left: removed once a day old (podcast/orphans.py).
    "remove-orphan-files": {"task": "podcast.tasks.remove_orphan_files", "schedule": 86400},
    # MP3 versions no feed has named for 30 days (episodes/audioversions.py).
    "prune-audio-versions": {"task": "episodes.tasks.prune_audio_versions", "schedule": 86400},
    "aggregate-analytics": {"task": "analytics.tasks.aggregate_events", "schedule": 60},
    "expire-analytics": {"task": "analytics.tasks.expire_analytics", "schedule": 3600},
}
CELERY_BEAT_SCHEDULE_FILENAME = str(DATA_DIR / "celerybeat-schedule")

# Download analytics (analytics/): requests are buffered where the download path
# pays almost nothing (a Redis list, or an append-only spool file without Redis)
# and aggregated by the worker every minute.
PODCAST_ANALYTICS = env_bool("PODCAST_ANALYTICS", True)
PODCAST_ANALYTICS_REDIS_URL = env_url(
    "PODCAST_ANALYTICS_REDIS_URL",
    CACHE_URL if CACHE_URL.startswith("redis") else "",
    schemes=("redis", "rediss"),
)
PODCAST_ANALYTICS_SPOOL_DIR = env_folder("PODCAST_ANALYTICS_SPOOL_DIR", DATA_DIR / "analytics")
PODCAST_ANALYTICS_RAW_DAYS = env_int("PODCAST_ANALYTICS_RAW_DAYS", 30, minimum=1)
PODCAST_ANALYTICS_COUNT_EMPTY_UA = env_bool("PODCAST_ANALYTICS_COUNT_EMPTY_UA", False)
# A file of CIDR networks (data centres, hosting, VPNs) whose audio requests never count.
PODCAST_DATACENTRE_RANGES = env_str("PODCAST_DATACENTRE_RANGES", "")

LOG_LEVELS = ("DEBUG", "INFO", "WARNING", "ERROR", "CRITICAL")
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "filters": {
        "no_hostname": {"()": "podcast.logfilters.KombuNoHostname"},
        "one_line": {"()": "podcast.logfilters.OneLine"},
    },
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "loggers": {
        "kombu.connection": {"filters": ["no_hostname"]},
        # A bad Host header is routine (scanners): one line, not a traceback.
        "django.security.DisallowedHost": {"filters": ["one_line"]},
    },
    "root": {"handlers": ["console"], "level": env_choice("LOG_LEVEL", "INFO", choices=LOG_LEVELS)},
}

# HTTPS: on by default whenever the public site URL is https. Behind a proxy or
# platform router that terminates TLS, PODCAST_BEHIND_PROXY=1 trusts its
# X-Forwarded-Proto (only safe when the proxy overwrites what clients send).
HTTPS = PODCAST_SITE_URL.startswith("https://")
SECURE_CONTENT_TYPE_NOSNIFF = True
SESSION_COOKIE_SECURE = env_bool("PODCAST_SECURE_COOKIES", HTTPS and not DEBUG)
CSRF_COOKIE_SECURE = SESSION_COOKIE_SECURE
SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", HTTPS and not DEBUG)
# Load balancers probe the container over plain HTTP.
SECURE_REDIRECT_EXEMPT = [r"^healthz$"]
# The proxies whose X-Forwarded-For names the client (podcast/proxyaddr.py reads the
# variable itself, as uvicorn does under make run), taking the right-most address not
# among them. Read here so that start-up refuses junk and check --deploy refuses "*".
FORWARDED_ALLOW_IPS = env_proxies("FORWARDED_ALLOW_IPS", ["127.0.0.1"])
if env_bool("PODCAST_BEHIND_PROXY", False):
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SECURE_HSTS_SECONDS = env_int("SECURE_HSTS_SECONDS", 31536000 if HTTPS and not DEBUG else 0)
SECURE_HSTS_INCLUDE_SUBDOMAINS = env_bool("SECURE_HSTS_INCLUDE_SUBDOMAINS", True)
SECURE_HSTS_PRELOAD = env_bool("SECURE_HSTS_PRELOAD", False)
# Asking browsers to preload HSTS is a commitment for the whole domain that an
# operator makes on purpose (SECURE_HSTS_PRELOAD=1), not a default we choose.
SILENCED_SYSTEM_CHECKS = [] if SECURE_HSTS_PRELOAD else ["security.W021"]

# Content-Security-Policy: the pages load only our own scripts and styles (no
# inline code); media may come from object storage when downloads redirect there.
MEDIA_ORIGINS = storage_origins(STORAGES["default"]["OPTIONS"]) if PODCAST_STORAGE == "s3" else []
PODCAST_CSP = env_line(
    "PODCAST_CSP",
    "; ".join(
        [
            "default-src 'self'",
            "img-src 'self' data: https:",
            " ".join(["media-src 'self'", *MEDIA_ORIGINS]),
            "script-src 'self'",
            "style-src 'self'",
            "object-src 'none'",
            "base-uri 'self'",
            "frame-ancestors 'none'",
            "form-action 'self'",
        ]
    ),
)
