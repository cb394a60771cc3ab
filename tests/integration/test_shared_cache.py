"""With CACHE_URL=redis://, what one process caches another sees: the login lockout holds.

With the per-process default (locmem://) each web process counts failed log-ins on
its own, which is why `check --deploy` warns about it (podcast.W001).
"""

import subprocess
import sys
import uuid

import pytest
from django.contrib.auth.models import User
from django.test import Client

from episodes.lockout import MAX_FAILURES
from tests.conftest import ROOT, subprocess_env
from tests.integration.conftest import redis_is_up
from tests.missing import missing

pytestmark = pytest.mark.integration

REDIS_CACHE_URL = "redis://127.0.0.1:6379/13"
LOG_IN_ELSEWHERE = """
import sys
from django.test import Client

response = Client().post("/admin/login/", {"username": sys.argv[1], "password": "right"})
print(response.status_code, "Too many failed log-in attempts" in response.content.decode())
"""


def log_in_from_another_process(media_root, cache_url: str, username: str) -> tuple[int, bool]:
    env = subprocess_env(media_root, CACHE_URL=cache_url, DEBUG="1")
    command = [sys.executable, "-c", f"import django; django.setup()\n{LOG_IN_ELSEWHERE}", username]
    result = subprocess.run(command, cwd=ROOT, env=env, capture_output=True, text=True, timeout=60)
    assert result.returncode == 0, result.stderr
    status, locked = result.stdout.split()[-2:]
    return int(status), locked == "True"


@pytest.mark.parametrize(
    ("cache_url", "locked_out"), [(REDIS_CACHE_URL, True), ("locmem://", False)]
)
def test_failed_log_ins_in_one_process_lock_the_account_in_another(
    transactional_db, settings, media_root, cache_url, locked_out
):
    if not redis_is_up():
        missing("needs Redis on 127.0.0.1:6379 (.ci/run starts it)")
    settings.CACHES = {
        "default": {"BACKEND": "django.core.cache.backends.redis.RedisCache",
                    "LOCATION": REDIS_CACHE_URL}
    }  # fmt: skip
    username = f"editor-{uuid.uuid4().hex[:8]}"
    User.objects.create_user(username, password="right", is_staff=True)
    from django.core.cache import cache

    try:
        here = Client()
        for _ in range(MAX_FAILURES):
            here.post("/admin/login/", {"username": username, "password": "wrong"})
        status, refused = log_in_from_another_process(media_root, cache_url, username)
        assert refused is locked_out
        assert status == (200 if locked_out else 302)  # 302: logged in, off to the admin
    finally:
        cache.clear()
