"""Start-up: every variable settings.py reads, malformed and well-formed, in a new process."""

import json
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

from podcast import settings as site_settings
from tests.conftest import ROOT

# -- start-up: every variable settings.py reads --------------------------------------

# settings.py and the module it reads the object-storage variables through.
SETTINGS_SOURCE = "".join(
    (ROOT / "podcast" / name).read_text() for name in ("settings.py", "s3.py")
)
# Every variable is read through a helper (env_int("NAME", ...)) or os.environ.get("NAME").
SETTINGS_VARIABLES = frozenset(
    re.findall(r'(?:\benv_\w+|os\.environ\.get)\(\s*"([A-Z][A-Z0-9_]*)"', SETTINGS_SOURCE)
)
# Any string is a valid value of these: the storage provider decides what exists.
FREE_FORM = {"AWS_S3_REGION_NAME", "AWS_LOCATION"}
# Secrets and log-ins: any string is one.
FREE_FORM |= {
    "PODCAST_SUBSCRIBER_KEY",
    "PODCAST_SUBSCRIBER_WEBHOOK_SECRET",
    "PODCAST_PODPING_TOKEN",
    "EMAIL_HOST_USER",
    "EMAIL_HOST_PASSWORD",
}

BUCKET = {"AWS_STORAGE_BUCKET_NAME": "podcast-media"}
POSTGRES = {"DATABASE_URL": "postgres://podcast@db.internal:5432/podcast"}
REDIS_BROKER = {"CELERY_BROKER_URL": "redis://redis.internal:6379/0"}
PRINT_SETTINGS = """
import json, sys
from django.conf import settings

def get(path):
    value = settings
    for part in path.split("."):
        value = value.get(part) if isinstance(value, dict) else getattr(value, part, None)
    return value

print(json.dumps({path: get(path) for path in sys.argv[1:]}, default=str))
"""


def start_with(env: dict[str, str], *args: str, code: str = "") -> subprocess.CompletedProcess:
    """Start Django in a new process with only `env` of the variables settings.py reads.

    The test run's own PODCAST_DATA_DIR stays unless `env` names another, so nothing
    is written under the checkout.
    """
    ambient = {
        k: v
        for k, v in os.environ.items()
        if k not in SETTINGS_VARIABLES | {"DJANGO_ALLOW_ASYNC_UNSAFE"} or k == "PODCAST_DATA_DIR"
    }
    code = code or "import django; django.setup(); print('started')"
    return subprocess.run(
        [sys.executable, "-c", code, *args],
        cwd=ROOT,
        env={**ambient, **env},
        capture_output=True,
        text=True,
        timeout=60,
    )


def with_tmp(value: object, tmp: Path) -> object:
    if isinstance(value, str):
        return value.replace("{tmp}", str(tmp))
    if isinstance(value, dict):
        return {k: with_tmp(v, tmp) for k, v in value.items()}
    return value


# (variable, environment, what the message says); DEBUG is on unless a row says otherwise.
MALFORMED = [
    ("DEBUG", {"DEBUG": "perhaps"}, "DEBUG='perhaps': expected true or false"),
    ("SECRET_KEY", {"DEBUG": "0"}, "SECRET_KEY: must be set when DEBUG is off"),
    ("SECRET_KEY", {"DEBUG": "0", "SECRET_KEY": site_settings.DEV_SECRET_KEY},
     "SECRET_KEY: the development key is refused when DEBUG is off"),
    ("ALLOWED_HOSTS", {"ALLOWED_HOSTS": "https://podcast.example.com"},
     "ALLOWED_HOSTS: 'https://podcast.example.com' is not a host name"),
    ("CSRF_TRUSTED_ORIGINS", {"CSRF_TRUSTED_ORIGINS": "example.com"},
     "CSRF_TRUSTED_ORIGINS: 'example.com' is not an origin: expected a URL such as https://"),
    ("CSRF_TRUSTED_ORIGINS", {"CSRF_TRUSTED_ORIGINS": "https://ok.example,https://a.example/x"},
     "CSRF_TRUSTED_ORIGINS: 'https://a.example/x' is not an origin"),
    ("PODCAST_SITE_URL", {"PODCAST_SITE_URL": "example.org"},
     "PODCAST_SITE_URL='example.org': expected a URL starting with one of http://, https://"),
    ("PODCAST_MAX_UPLOAD_MB", {"PODCAST_MAX_UPLOAD_MB": "lots"},
     "PODCAST_MAX_UPLOAD_MB='lots': expected a whole number"),
    ("PODCAST_MAX_UPLOAD_MB", {"PODCAST_MAX_UPLOAD_MB": "0"},
     "PODCAST_MAX_UPLOAD_MB='0': expected a whole number >= 1"),
    ("PODCAST_WEBSUB_HUB", {"PODCAST_WEBSUB_HUB": "notaurl"},
     "PODCAST_WEBSUB_HUB='notaurl': expected a URL starting with one of http://, https://"),
    ("PODCAST_PODPING_URL", {"PODCAST_PODPING_URL": "podping.cloud"},
     "PODCAST_PODPING_URL='podping.cloud': expected a URL starting with one of http://, https://"),
    ("PODCAST_LIVE_ITEM_DAYS", {"PODCAST_LIVE_ITEM_DAYS": "-1"},
     "PODCAST_LIVE_ITEM_DAYS='-1': expected a whole number >= 0"),
    ("FORWARDED_ALLOW_IPS", {"FORWARDED_ALLOW_IPS": "10.0.0.0/8,proxy.internal"},
     "FORWARDED_ALLOW_IPS: 'proxy.internal' is not an address or network"),
    ("PODCAST_IMPORT_ALLOWED_NETWORKS", {"PODCAST_IMPORT_ALLOWED_NETWORKS": "127.0.0.0/8,10.0.0.1/8"},
     "PODCAST_IMPORT_ALLOWED_NETWORKS: '10.0.0.1/8' is not a network: expected CIDR"),
    ("PODCAST_FEED_PAGE_SIZE", {"PODCAST_FEED_PAGE_SIZE": "0"},
     "PODCAST_FEED_PAGE_SIZE='0': expected a whole number >= 1"),
    ("PODCAST_FEED_MAX_EPISODES", {"PODCAST_FEED_MAX_EPISODES": "0"},
     "PODCAST_FEED_MAX_EPISODES='0': expected a whole number >= 1"),
    ("PODCAST_FEED_MAX_BYTES", {"PODCAST_FEED_MAX_BYTES": "5MB"},
     "PODCAST_FEED_MAX_BYTES='5MB': expected a whole number"),
    ("PODCAST_PAGE_CACHE_SECONDS", {"PODCAST_PAGE_CACHE_SECONDS": "-1"},
     "PODCAST_PAGE_CACHE_SECONDS='-1': expected a whole number >= 0"),
    ("PODCAST_ACCEL_REDIRECT", {"PODCAST_ACCEL_REDIRECT": "_media"},
     "PODCAST_ACCEL_REDIRECT='_media': expected a path that starts and ends with '/'"),
    ("PODCAST_HOT_SECONDS", {"PODCAST_HOT_SECONDS": "-1"},
     "PODCAST_HOT_SECONDS='-1': expected a whole number >= 0"),
    ("PODCAST_SHARED_CACHE_SECONDS", {"PODCAST_SHARED_CACHE_SECONDS": "soon"},
     "PODCAST_SHARED_CACHE_SECONDS='soon': expected a whole number"),
    ("PODCAST_STREAM_SLOTS", {"PODCAST_STREAM_SLOTS": "-2"},
     "PODCAST_STREAM_SLOTS='-2': expected a whole number >= 0"),
    ("WEB_THREADS", {"WEB_THREADS": "0"}, "WEB_THREADS='0': expected a whole number >= 1"),
    ("PODCAST_STORAGE", {"PODCAST_STORAGE": "ftp"},
     "PODCAST_STORAGE='ftp': expected one of filesystem, s3"),
    ("AWS_STORAGE_BUCKET_NAME", {"PODCAST_STORAGE": "s3"},
     "AWS_STORAGE_BUCKET_NAME: must be set when PODCAST_STORAGE=s3"),
    ("AWS_STORAGE_BUCKET_NAME", {"AWS_STORAGE_BUCKET_NAME": "s3://podcast-media"},
     "AWS_STORAGE_BUCKET_NAME='s3://podcast-media': expected a bucket name"),
    ("PODCAST_AUDIO_REDIRECT", {**BUCKET, "PODCAST_AUDIO_REDIRECT": "sometimes"},
     "PODCAST_AUDIO_REDIRECT='sometimes': expected true or false"),
    ("AWS_QUERYSTRING_AUTH", {**BUCKET, "AWS_QUERYSTRING_AUTH": "signed"},
     "AWS_QUERYSTRING_AUTH='signed': expected true or false"),
    ("AWS_S3_ENDPOINT_URL", {**BUCKET, "AWS_S3_ENDPOINT_URL": "fra1.digitaloceanspaces.com"},
     "AWS_S3_ENDPOINT_URL='fra1.digitaloceanspaces.com': expected a URL starting with one of"),
    ("AWS_S3_CUSTOM_DOMAIN", {**BUCKET, "AWS_S3_CUSTOM_DOMAIN": "https://cdn.example.com"},
     "AWS_S3_CUSTOM_DOMAIN='https://cdn.example.com': expected a host name"),
    ("AWS_ACCESS_KEY_ID", {**BUCKET, "AWS_ACCESS_KEY_ID": "AKIA0000"},
     "AWS_ACCESS_KEY_ID: set without AWS_SECRET_ACCESS_KEY"),
    ("AWS_SECRET_ACCESS_KEY", {**BUCKET, "AWS_SECRET_ACCESS_KEY": "secret"},
     "AWS_SECRET_ACCESS_KEY: set without AWS_ACCESS_KEY_ID"),
    ("DATABASE_URL", {"DATABASE_URL": "mysq://nowhere"}, "DATABASE_URL='mysq://nowhere'"),
    ("DATABASE_CONN_MAX_AGE", {"DATABASE_CONN_MAX_AGE": "forever"},
     "DATABASE_CONN_MAX_AGE='forever': expected a whole number"),
    ("DATABASE_POOL", {**POSTGRES, "DATABASE_POOL": "maybe"},
     "DATABASE_POOL='maybe': expected true or false"),
    ("DATABASE_POOL_SIZE", {**POSTGRES, "DATABASE_POOL_SIZE": "0"},
     "DATABASE_POOL_SIZE='0': expected a whole number >= 1"),
    ("DATABASE_POOL_TIMEOUT", {**POSTGRES, "DATABASE_POOL_TIMEOUT": "soon"},
     "DATABASE_POOL_TIMEOUT='soon': expected a whole number"),
    ("CELERY_BROKER_URL", {"CELERY_BROKER_URL": "127.0.0.1:6379"},
     "CELERY_BROKER_URL='127.0.0.1:6379': expected a URL starting with one of"),
    ("CELERY_TASK_TIME_LIMIT", {"CELERY_TASK_TIME_LIMIT": "0"},
     "CELERY_TASK_TIME_LIMIT='0': expected a whole number >= 1"),
    ("CELERY_BROKER_VISIBILITY_TIMEOUT", {**REDIS_BROKER, "CELERY_BROKER_VISIBILITY_TIMEOUT": "1h"},
     "CELERY_BROKER_VISIBILITY_TIMEOUT='1h': expected a whole number"),
    ("PODCAST_REQUEUE_AFTER_MINUTES", {"PODCAST_REQUEUE_AFTER_MINUTES": "0"},
     "PODCAST_REQUEUE_AFTER_MINUTES='0': expected a whole number >= 1"),
    ("CACHE_URL", {"CACHE_URL": "memcache://x"},
     "CACHE_URL='memcache://x': expected a URL starting with one of locmem://, redis://"),
    ("PODCAST_DATA_DIR", {"PODCAST_DATA_DIR": "{tmp}/a-file"},
     "PODCAST_DATA_DIR='{tmp}/a-file': expected a folder, found a file"),
    ("PODCAST_MEDIA_ROOT", {"PODCAST_MEDIA_ROOT": "{tmp}/a-file"},
     "PODCAST_MEDIA_ROOT='{tmp}/a-file': expected a folder, found a file"),
    ("PODCAST_ANALYTICS", {"PODCAST_ANALYTICS": "maybe"},
     "PODCAST_ANALYTICS='maybe': expected true or false"),
    ("PODCAST_ANALYTICS_REDIS_URL", {"PODCAST_ANALYTICS_REDIS_URL": "127.0.0.1:6379"},
     "PODCAST_ANALYTICS_REDIS_URL='127.0.0.1:6379': expected a URL starting with one of"),
    ("PODCAST_ANALYTICS_SPOOL_DIR", {"PODCAST_ANALYTICS_SPOOL_DIR": "{tmp}/a-file"},
     "PODCAST_ANALYTICS_SPOOL_DIR='{tmp}/a-file': expected a folder, found a file"),
    ("PODCAST_ANALYTICS_RAW_DAYS", {"PODCAST_ANALYTICS_RAW_DAYS": "0"},
     "PODCAST_ANALYTICS_RAW_DAYS='0': expected a whole number >= 1"),
    ("PODCAST_ANALYTICS_COUNT_EMPTY_UA", {"PODCAST_ANALYTICS_COUNT_EMPTY_UA": "sometimes"},
     "PODCAST_ANALYTICS_COUNT_EMPTY_UA='sometimes': expected true or false"),
    ("PODCAST_DATACENTRE_RANGES", {"PODCAST_DATACENTRE_RANGES": "{tmp}/a-file"},
     "PODCAST_DATACENTRE_RANGES='{tmp}/a-file': line 1: 'not' is not an IP network"),
    ("TIME_ZONE", {"TIME_ZONE": "Mars/Base"},
     "TIME_ZONE='Mars/Base': expected a time zone of the IANA database"),
    ("LOG_LEVEL", {"LOG_LEVEL": "LOUD"},
     "LOG_LEVEL='LOUD': expected one of DEBUG, INFO, WARNING, ERROR, CRITICAL"),
    ("PODCAST_SECURE_COOKIES", {"PODCAST_SECURE_COOKIES": "always"},
     "PODCAST_SECURE_COOKIES='always': expected true or false"),
    ("SECURE_SSL_REDIRECT", {"SECURE_SSL_REDIRECT": "always"},
     "SECURE_SSL_REDIRECT='always': expected true or false"),
    ("PODCAST_BEHIND_PROXY", {"PODCAST_BEHIND_PROXY": "nginx"},
     "PODCAST_BEHIND_PROXY='nginx': expected true or false"),
    ("SECURE_HSTS_SECONDS", {"SECURE_HSTS_SECONDS": "a year"},
     "SECURE_HSTS_SECONDS='a year': expected a whole number"),
    ("SECURE_HSTS_INCLUDE_SUBDOMAINS", {"SECURE_HSTS_INCLUDE_SUBDOMAINS": "all"},
     "SECURE_HSTS_INCLUDE_SUBDOMAINS='all': expected true or false"),
    ("SECURE_HSTS_PRELOAD", {"SECURE_HSTS_PRELOAD": "please"},
     "SECURE_HSTS_PRELOAD='please': expected true or false"),
    ("PODCAST_CSP", {"PODCAST_CSP": "default-src 'self';\nscript-src 'self'"},
     "PODCAST_CSP: expected one line, found a line break"),
    ("PODCAST_SUBSCRIBER_WEBHOOK_TOLERANCE", {"PODCAST_SUBSCRIBER_WEBHOOK_TOLERANCE": "0"},
     "PODCAST_SUBSCRIBER_WEBHOOK_TOLERANCE='0': expected a whole number >= 1"),
    ("PODCAST_SUBSCRIBER_LINK_DAYS", {"PODCAST_SUBSCRIBER_LINK_DAYS": "a week"},
     "PODCAST_SUBSCRIBER_LINK_DAYS='a week': expected a whole number"),
    ("PODCAST_SUBSCRIBER_SHARING_KEYS", {"PODCAST_SUBSCRIBER_SHARING_KEYS": "0"},
     "PODCAST_SUBSCRIBER_SHARING_KEYS='0': expected a whole number >= 1"),
    ("EMAIL_HOST", {"EMAIL_HOST": "smtp.example.com\nX: y"},
     "EMAIL_HOST: expected one line, found a line break"),
    ("EMAIL_PORT", {"EMAIL_PORT": "smtp"}, "EMAIL_PORT='smtp': expected a whole number"),
    ("EMAIL_USE_TLS", {"EMAIL_USE_TLS": "maybe"}, "EMAIL_USE_TLS='maybe': expected true or false"),
    ("EMAIL_USE_SSL", {"EMAIL_USE_SSL": "1"},
     "EMAIL_USE_TLS and EMAIL_USE_SSL: set one of them, not both"),
    ("DEFAULT_FROM_EMAIL", {"DEFAULT_FROM_EMAIL": "a@example.com\nBcc: b@example.com"},
     "DEFAULT_FROM_EMAIL: expected one line, found a line break"),
]  # fmt: skip


def test_every_variable_settings_reads_has_a_malformed_row_or_is_free_form() -> None:
    assert "PODCAST_STORAGE" in SETTINGS_VARIABLES and "DEBUG" in SETTINGS_VARIABLES
    assert {variable for variable, _, _ in MALFORMED} | FREE_FORM == SETTINGS_VARIABLES


@pytest.mark.parametrize(("variable", "env", "message"), MALFORMED, ids=[r[0] for r in MALFORMED])
def test_start_up_stops_with_a_clear_message_on_bad_configuration(tmp_path, variable, env, message):
    (tmp_path / "a-file").write_text("not a folder")
    result = start_with({"DEBUG": "1", **with_tmp(env, tmp_path)})
    assert result.returncode != 0, result.stdout
    # The last line of the traceback is what an operator reads first.
    last = result.stderr.strip().splitlines()[-1]
    assert last.startswith("django.core.exceptions.ImproperlyConfigured: "), result.stderr[-2000:]
    assert variable in last and with_tmp(message, tmp_path) in last


# (variables, environment, settings as django.conf.settings has them)
DATACENTRES = str(ROOT / "tests" / "analytics" / "logs" / "datacentres.txt")
WELL_FORMED = [
    ("DEBUG", {"DEBUG": "yes"}, {"DEBUG": True}),
    ("SECRET_KEY", {"DEBUG": "off", "SECRET_KEY": "a-production-key"},
     {"DEBUG": False, "SECRET_KEY": "a-production-key"}),
    ("ALLOWED_HOSTS", {"ALLOWED_HOSTS": "podcast.example.com, .example.org"},
     {"ALLOWED_HOSTS": ["podcast.example.com", ".example.org"]}),
    ("CSRF_TRUSTED_ORIGINS", {"CSRF_TRUSTED_ORIGINS": "https://podcast.example.com,https://*.example.org"},
     {"CSRF_TRUSTED_ORIGINS": ["https://podcast.example.com", "https://*.example.org"]}),
    ("PODCAST_SITE_URL", {"PODCAST_SITE_URL": "https://podcast.example.com"},
     {"PODCAST_SITE_URL": "https://podcast.example.com"}),
    ("PODCAST_MAX_UPLOAD_MB", {"PODCAST_MAX_UPLOAD_MB": "42"}, {"PODCAST_MAX_UPLOAD_MB": 42}),
    ("PODCAST_WEBSUB_HUB", {"PODCAST_WEBSUB_HUB": "https://pubsubhubbub.appspot.com/"},
     {"PODCAST_WEBSUB_HUB": "https://pubsubhubbub.appspot.com/"}),
    ("PODCAST_PODPING_URL+PODCAST_PODPING_TOKEN",
     {"PODCAST_PODPING_URL": "https://podping.cloud/", "PODCAST_PODPING_TOKEN": "tok"},
     {"PODCAST_PODPING_URL": "https://podping.cloud/", "PODCAST_PODPING_TOKEN": "tok"}),
    ("PODCAST_LIVE_ITEM_DAYS", {"PODCAST_LIVE_ITEM_DAYS": "0"}, {"PODCAST_LIVE_ITEM_DAYS": 0}),
    ("FORWARDED_ALLOW_IPS", {"FORWARDED_ALLOW_IPS": "10.10.0.0/16, 127.0.0.1"},
     {"FORWARDED_ALLOW_IPS": ["10.10.0.0/16", "127.0.0.1"]}),
    ("PODCAST_IMPORT_ALLOWED_NETWORKS", {"PODCAST_IMPORT_ALLOWED_NETWORKS": "127.0.0.0/8, ::1/128"},
     {"PODCAST_IMPORT_ALLOWED_NETWORKS": ["127.0.0.0/8", "::1/128"]}),
    ("PODCAST_FEED_PAGE_SIZE", {"PODCAST_FEED_PAGE_SIZE": "25"}, {"PODCAST_FEED_PAGE_SIZE": 25}),
    ("PODCAST_FEED_MAX_EPISODES", {"PODCAST_FEED_MAX_EPISODES": "1000"},
     {"PODCAST_FEED_MAX_EPISODES": 1000}),
    ("PODCAST_FEED_MAX_BYTES", {"PODCAST_FEED_MAX_BYTES": "2000000"},
     {"PODCAST_FEED_MAX_BYTES": 2_000_000}),
    ("PODCAST_PAGE_CACHE_SECONDS", {"PODCAST_PAGE_CACHE_SECONDS": "30"},
     {"PODCAST_PAGE_CACHE_SECONDS": 30}),
    ("PODCAST_ACCEL_REDIRECT", {"PODCAST_ACCEL_REDIRECT": "/_media/"},
     {"PODCAST_ACCEL_REDIRECT": "/_media/"}),
    ("PODCAST_HOT_SECONDS", {"PODCAST_HOT_SECONDS": "0"}, {"PODCAST_HOT_SECONDS": 0}),
    ("PODCAST_SHARED_CACHE_SECONDS", {"PODCAST_SHARED_CACHE_SECONDS": "300"},
     {"PODCAST_SHARED_CACHE_SECONDS": 300}),
    ("PODCAST_STREAM_SLOTS", {"PODCAST_STREAM_SLOTS": "3"}, {"PODCAST_STREAM_SLOTS": 3}),
    ("WEB_THREADS", {"WEB_THREADS": "12", "PODCAST_STREAM_SLOTS": ""},
     {"PODCAST_STREAM_SLOTS": 6}),
    ("PODCAST_STORAGE", {**BUCKET, "PODCAST_STORAGE": "filesystem"},
     {"PODCAST_STORAGE": "filesystem",
      "STORAGES.default.BACKEND": "django.core.files.storage.FileSystemStorage"}),
    ("AWS_STORAGE_BUCKET_NAME", BUCKET,
     {"PODCAST_STORAGE": "s3", "STORAGES.default.BACKEND": "storages.backends.s3.S3Storage",
      "STORAGES.default.OPTIONS.bucket_name": "podcast-media", "PODCAST_AUDIO_REDIRECT": True,
      "STORAGES.default.OPTIONS.querystring_auth": True}),
    ("PODCAST_AUDIO_REDIRECT", {**BUCKET, "PODCAST_AUDIO_REDIRECT": "0"},
     {"PODCAST_AUDIO_REDIRECT": False}),
    ("AWS_QUERYSTRING_AUTH", {**BUCKET, "AWS_QUERYSTRING_AUTH": "false"},
     {"STORAGES.default.OPTIONS.querystring_auth": False}),
    ("AWS_S3_ENDPOINT_URL", {**BUCKET, "AWS_S3_ENDPOINT_URL": "https://fra1.digitaloceanspaces.com"},
     {"STORAGES.default.OPTIONS.endpoint_url": "https://fra1.digitaloceanspaces.com"}),
    ("AWS_S3_REGION_NAME", {**BUCKET, "AWS_S3_REGION_NAME": "fra1"},
     {"STORAGES.default.OPTIONS.region_name": "fra1"}),
    ("AWS_ACCESS_KEY_ID+AWS_SECRET_ACCESS_KEY",
     {**BUCKET, "AWS_ACCESS_KEY_ID": "AKIA0000", "AWS_SECRET_ACCESS_KEY": "secret"},
     {"STORAGES.default.OPTIONS.access_key": "AKIA0000",
      "STORAGES.default.OPTIONS.secret_key": "secret"}),
    ("AWS_S3_CUSTOM_DOMAIN", {**BUCKET, "AWS_S3_CUSTOM_DOMAIN": "cdn.example.com"},
     {"STORAGES.default.OPTIONS.custom_domain": "cdn.example.com"}),
    ("AWS_LOCATION", {**BUCKET, "AWS_LOCATION": "podcast"},
     {"STORAGES.default.OPTIONS.location": "podcast"}),
    ("DATABASE_URL", POSTGRES,
     {"DATABASES.default.ENGINE": "django.db.backends.postgresql",
      "DATABASES.default.NAME": "podcast", "DATABASES.default.HOST": "db.internal",
      "DATABASES.default.CONN_MAX_AGE": 0, "DATABASES.default.OPTIONS.pool.max_size": 10,
      "DATABASES.default.CONN_HEALTH_CHECKS": True}),
    ("DATABASE_CONN_MAX_AGE", {**POSTGRES, "DATABASE_CONN_MAX_AGE": "60"},
     {"DATABASES.default.CONN_MAX_AGE": 60, "DATABASES.default.OPTIONS.pool": None}),
    ("DATABASE_POOL", {**POSTGRES, "DATABASE_POOL": "off"}, {"DATABASES.default.OPTIONS.pool": None}),
    ("DATABASE_POOL_SIZE", {**POSTGRES, "DATABASE_POOL_SIZE": "20"},
     {"DATABASES.default.OPTIONS.pool.max_size": 20}),
    ("DATABASE_POOL_TIMEOUT", {**POSTGRES, "DATABASE_POOL_TIMEOUT": "7"},
     {"DATABASES.default.OPTIONS.pool.timeout": 7}),
    ("CELERY_BROKER_URL", REDIS_BROKER, {"CELERY_BROKER_URL": "redis://redis.internal:6379/0",
     "CELERY_BROKER_TRANSPORT_OPTIONS.visibility_timeout": 900}),
    ("CELERY_TASK_TIME_LIMIT", {"CELERY_TASK_TIME_LIMIT": "120"},
     {"CELERY_TASK_TIME_LIMIT": 120, "CELERY_TASK_SOFT_TIME_LIMIT": 90,
      "PODCAST_REQUEUE_AFTER_MINUTES": 7}),
    ("CELERY_BROKER_VISIBILITY_TIMEOUT", {**REDIS_BROKER, "CELERY_BROKER_VISIBILITY_TIMEOUT": "3600"},
     {"CELERY_BROKER_TRANSPORT_OPTIONS.visibility_timeout": 3600}),
    ("PODCAST_REQUEUE_AFTER_MINUTES", {"PODCAST_REQUEUE_AFTER_MINUTES": "15"},
     {"PODCAST_REQUEUE_AFTER_MINUTES": 15}),
    ("CACHE_URL", {"CACHE_URL": "redis://redis.internal:6379/1"},
     {"CACHES.default.BACKEND": "django.core.cache.backends.redis.RedisCache",
      "CACHES.default.LOCATION": "redis://redis.internal:6379/1"}),
    ("PODCAST_DATA_DIR", {"PODCAST_DATA_DIR": "{tmp}/data"},
     {"DATA_DIR": "{tmp}/data", "MEDIA_ROOT": "{tmp}/data/media",
      "DATABASES.default.NAME": "{tmp}/data/db.sqlite3"}),
    ("PODCAST_MEDIA_ROOT", {"PODCAST_MEDIA_ROOT": "{tmp}/media"}, {"MEDIA_ROOT": "{tmp}/media"}),
    ("PODCAST_ANALYTICS", {"PODCAST_ANALYTICS": "0"}, {"PODCAST_ANALYTICS": False}),
    ("PODCAST_ANALYTICS_REDIS_URL", {"CACHE_URL": "redis://redis.internal:6379/1"},
     {"PODCAST_ANALYTICS_REDIS_URL": "redis://redis.internal:6379/1"}),
    ("PODCAST_ANALYTICS_SPOOL_DIR", {"PODCAST_ANALYTICS_SPOOL_DIR": "{tmp}/spool"},
     {"PODCAST_ANALYTICS_SPOOL_DIR": "{tmp}/spool"}),
    ("PODCAST_ANALYTICS_RAW_DAYS", {"PODCAST_ANALYTICS_RAW_DAYS": "90"},
     {"PODCAST_ANALYTICS_RAW_DAYS": 90}),
    ("PODCAST_ANALYTICS_COUNT_EMPTY_UA", {"PODCAST_ANALYTICS_COUNT_EMPTY_UA": "1"},
     {"PODCAST_ANALYTICS_COUNT_EMPTY_UA": True}),
    ("PODCAST_DATACENTRE_RANGES", {"PODCAST_DATACENTRE_RANGES": DATACENTRES},
     {"PODCAST_DATACENTRE_RANGES": DATACENTRES}),
    ("TIME_ZONE", {"TIME_ZONE": "Europe/Berlin"},
     {"TIME_ZONE": "Europe/Berlin", "CELERY_TIMEZONE": "Europe/Berlin"}),
    ("LOG_LEVEL", {"LOG_LEVEL": "warning"}, {"LOGGING.root.level": "WARNING"}),
    ("PODCAST_SECURE_COOKIES", {"PODCAST_SECURE_COOKIES": "1"},
     {"SESSION_COOKIE_SECURE": True, "CSRF_COOKIE_SECURE": True}),
    ("SECURE_SSL_REDIRECT", {"SECURE_SSL_REDIRECT": "1"}, {"SECURE_SSL_REDIRECT": True}),
    ("PODCAST_BEHIND_PROXY", {"PODCAST_BEHIND_PROXY": "1"},
     {"SECURE_PROXY_SSL_HEADER": ["HTTP_X_FORWARDED_PROTO", "https"]}),
    ("SECURE_HSTS_SECONDS", {"SECURE_HSTS_SECONDS": "600"}, {"SECURE_HSTS_SECONDS": 600}),
    ("SECURE_HSTS_INCLUDE_SUBDOMAINS", {"SECURE_HSTS_INCLUDE_SUBDOMAINS": "0"},
     {"SECURE_HSTS_INCLUDE_SUBDOMAINS": False}),
    ("SECURE_HSTS_PRELOAD", {"SECURE_HSTS_PRELOAD": "1"},
     {"SECURE_HSTS_PRELOAD": True, "SILENCED_SYSTEM_CHECKS": []}),
    ("PODCAST_CSP", {"PODCAST_CSP": "default-src 'none'"}, {"PODCAST_CSP": "default-src 'none'"}),
    ("PODCAST_SUBSCRIBER_KEY", {"PODCAST_SUBSCRIBER_KEY": "k3y"}, {"PODCAST_SUBSCRIBER_KEY": "k3y"}),
    ("PODCAST_SUBSCRIBER_WEBHOOK_SECRET+EMAIL_HOST", {},  # the embedded default: both off
     {"PODCAST_SUBSCRIBER_WEBHOOK_SECRET": "",
      "EMAIL_BACKEND": "django.core.mail.backends.console.EmailBackend"}),
    ("PODCAST_SUBSCRIBER_WEBHOOK_SECRET", {"PODCAST_SUBSCRIBER_WEBHOOK_SECRET": "whsec"},
     {"PODCAST_SUBSCRIBER_WEBHOOK_SECRET": "whsec"}),
    ("PODCAST_SUBSCRIBER_WEBHOOK_TOLERANCE", {"PODCAST_SUBSCRIBER_WEBHOOK_TOLERANCE": "60"},
     {"PODCAST_SUBSCRIBER_WEBHOOK_TOLERANCE": 60}),
    ("PODCAST_SUBSCRIBER_LINK_DAYS", {"PODCAST_SUBSCRIBER_LINK_DAYS": "3"},
     {"PODCAST_SUBSCRIBER_LINK_DAYS": 3}),
    ("PODCAST_SUBSCRIBER_SHARING_KEYS", {"PODCAST_SUBSCRIBER_SHARING_KEYS": "25"},
     {"PODCAST_SUBSCRIBER_SHARING_KEYS": 25}),
    ("EMAIL_HOST", {"EMAIL_HOST": "smtp.example.com"},
     {"EMAIL_BACKEND": "django.core.mail.backends.smtp.EmailBackend", "EMAIL_USE_TLS": True}),
    ("EMAIL_PORT", {"EMAIL_PORT": "465"},
     {"EMAIL_PORT": 465, "EMAIL_USE_SSL": True, "EMAIL_USE_TLS": False}),
    ("EMAIL_HOST_USER+EMAIL_HOST_PASSWORD", {"EMAIL_HOST_USER": "me", "EMAIL_HOST_PASSWORD": "pw"},
     {"EMAIL_HOST_USER": "me", "EMAIL_HOST_PASSWORD": "pw"}),
    ("EMAIL_USE_TLS", {"EMAIL_USE_TLS": "0"}, {"EMAIL_USE_TLS": False}),
    ("EMAIL_USE_SSL", {"EMAIL_PORT": "2525", "EMAIL_USE_SSL": "1"},
     {"EMAIL_USE_SSL": True, "EMAIL_USE_TLS": False}),
    ("DEFAULT_FROM_EMAIL", {"DEFAULT_FROM_EMAIL": "Show <show@example.com>"},
     {"DEFAULT_FROM_EMAIL": "Show <show@example.com>"}),
]  # fmt: skip


def test_every_variable_settings_reads_has_a_well_formed_row() -> None:
    covered = {name for names, _, _ in WELL_FORMED for name in names.split("+")}
    assert covered == SETTINGS_VARIABLES


@pytest.mark.parametrize(
    ("variables", "env", "expected"), WELL_FORMED, ids=[r[0] for r in WELL_FORMED]
)
def test_a_well_formed_value_lands_in_django_settings(tmp_path, variables, env, expected):
    tmp = tmp_path.resolve()
    result = start_with({"DEBUG": "1", **with_tmp(env, tmp)}, *expected, code=PRINT_SETTINGS)
    assert result.returncode == 0, result.stderr[-2000:]
    assert json.loads(result.stdout) == with_tmp(expected, tmp)


def test_start_up_succeeds_on_the_embedded_default_in_debug():
    result = start_with({"DEBUG": "1", "PODCAST_DATA_DIR": str(ROOT / "var" / "test-startup")})
    assert result.returncode == 0, result.stderr
    assert "started" in result.stdout
