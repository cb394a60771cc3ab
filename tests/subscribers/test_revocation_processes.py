"""Revocation across web processes on the Redis cache: refused by both at once.

Two uvicorn processes serve the site from the test database with CACHE_URL on
Redis, as a deployment runs them. Both serve a subscriber's feed (the second from
the subscriber feed the first built and left in Redis) and files; this test
process, standing for the admin, revokes the subscriber; the very next request to
either process is refused.
"""

import subprocess
import sys
from collections.abc import Callable

import pytest
from django.core.cache import cache

from subscribers.feeds import template_key
from subscribers.models import Subscriber
from tests.conftest import ROOT, subprocess_env
from tests.integration.conftest import redis_is_up
from tests.missing import missing
from tests.processes import free_port, request, stop, wait_for_port
from tests.subscribers.test_revocation import token_urls

pytestmark = [pytest.mark.integration, pytest.mark.postgres]
REDIS_CACHE_URL = "redis://127.0.0.1:6379/6"


@pytest.fixture
def redis_cache(settings):
    if not redis_is_up():
        missing("needs Redis on 127.0.0.1:6379 (.ci/run starts it)")
    settings.CACHES = {
        "default": {"BACKEND": "django.core.cache.backends.redis.RedisCache",
                    "LOCATION": REDIS_CACHE_URL}
    }  # fmt: skip
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def web(redis_cache, transactional_db, media_root, tmp_path, cleanup) -> Callable[[], int]:
    """Starts a web process on the Redis cache; its port. Stopped when the test ends."""

    def start() -> int:
        port = free_port()
        command = [sys.executable, "-m", "uvicorn", "podcast.asgi:application", "--host",
                   "127.0.0.1", "--port", str(port), "--no-access-log"]  # fmt: skip
        env = subprocess_env(media_root, PODCAST_DATA_DIR=str(tmp_path), CACHE_URL=REDIS_CACHE_URL)
        process = subprocess.Popen(command, cwd=ROOT, env=env)
        cleanup.callback(stop, process, 10)
        wait_for_port(port, process)
        return port

    return start


def statuses(port: int, subscriber: Subscriber, episode) -> dict[str, int]:
    urls = {"feed": f"/feeds/{subscriber.token}/rss", **token_urls(subscriber, episode)}
    return {kind: request(port, url)[0].status for kind, url in urls.items()}


def test_a_revoked_subscriber_is_refused_by_every_process_at_once(web, subscriber, premium_episode):
    ports = [web(), web()]
    response, body = request(ports[0], f"/feeds/{subscriber.token}/rss")
    assert response.status == 200 and b"Members only bonus" in body
    # The first process left the subscriber feed in Redis: the second serves it unbuilt.
    etag = response.headers["ETag"].strip('"')
    assert cache.get(template_key(etag)) is not None
    for port in ports:
        assert statuses(port, subscriber, premium_episode) == dict.fromkeys(
            ["feed", "audio", "transcript", "chapters"], 200
        )
    subscriber.revoke()
    for port in ports:
        assert statuses(port, subscriber, premium_episode) == {
            "feed": 410, "audio": 403, "transcript": 403, "chapters": 403,
        }  # fmt: skip
