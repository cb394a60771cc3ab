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
