"""The site's own system checks (podcast/checks.py)."""

import pytest
from django.core import checks

LOCMEM = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
REDIS = {
    "default": {
        "BACKEND": "django.core.cache.backends.redis.RedisCache",
        "LOCATION": "redis://127.0.0.1:6379/1",
    }
}


def deploy_warnings() -> list[str]:
    found = checks.run_checks(include_deployment_checks=True, tags=[checks.Tags.caches])
    return [message.id for message in found]


@pytest.mark.parametrize(
    ("debug", "caches", "warned"),
    [(False, LOCMEM, True), (False, REDIS, False), (True, LOCMEM, False)],
    ids=["production-locmem", "production-redis", "debug-locmem"],
)
def test_a_per_process_cache_in_production_is_a_deploy_warning(settings, debug, caches, warned):
    settings.DEBUG, settings.CACHES = debug, caches
    assert ("podcast.W001" in deploy_warnings()) is warned


def test_the_cache_warning_is_only_a_deploy_check(settings):
    settings.DEBUG, settings.CACHES = False, LOCMEM
    found = checks.run_checks(include_deployment_checks=False, tags=[checks.Tags.caches])
    assert "podcast.W001" not in [message.id for message in found]


def artwork_errors() -> list[str]:
    return [message.id for message in checks.run_checks(tags=[checks.Tags.urls])]


def test_the_default_settings_serve_artwork(settings):
    assert artwork_errors() == []


def test_a_site_url_whose_host_is_not_allowed_fails(settings):
    settings.PODCAST_SITE_URL = "https://podcast.example.com"
    settings.ALLOWED_HOSTS = ["127.0.0.1"]
    assert "podcast.E001" in artwork_errors()


def test_media_url_that_nothing_serves_fails(settings):
    settings.MEDIA_URL = "https://elsewhere.example.com/files/"
    assert "podcast.E002" in artwork_errors()
