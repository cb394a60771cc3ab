"""A web server that stops sends the analytics lines it gathered: no download lost to a restart.

With the Redis buffer a process gathers lines for a fifth of a second before one RPUSH.
uvicorn (`make run`) ends with the default SIGTERM and granian's workers (the Procfile's
`web`) with os._exit, and neither runs atexit: each lost its last lines at every deploy.
"""

import os
import sys
from pathlib import Path

import pytest
import redis

from analytics.buffer import EVENTS
from tests.conftest import subprocess_env
from tests.integration.conftest import redis_is_up
from tests.missing import missing
from tests.processes import (
    free_port,
    granian_installed,
    procfile_web_command,
    request,
    start_server,
    stop,
    uvicorn_command,
)

REDIS_URL = "redis://127.0.0.1:6379/10"
OVERCAST = "Overcast/3.0 (+http://overcast.fm/; iOS podcast app)"


def procfile(port: int) -> list[str]:
    if not granian_installed():
        missing("needs granian (make install)")
    return procfile_web_command()


@pytest.fixture
def events():
    if not redis_is_up():
        missing("needs Redis on 127.0.0.1:6379 (.ci/run starts it)")
    client = redis.Redis.from_url(REDIS_URL)
    client.delete(EVENTS)
    yield client
    client.delete(EVENTS)


@pytest.mark.parametrize(
    "server", [uvicorn_command, procfile], ids=["make-run-uvicorn", "procfile-granian"]
)
def test_the_last_requests_before_a_stop_are_recorded(
    server, events, live_episode, media_root, collected_data_dir, tmp_path
):
    port = free_port()
    env = subprocess_env(
        media_root,
        PODCAST_DATA_DIR=str(collected_data_dir),
        PODCAST_ANALYTICS_REDIS_URL=REDIS_URL,
        PORT=str(port),
        WEB_CONCURRENCY="1",
        PATH=f"{Path(sys.executable).parent}:{os.environ['PATH']}",
    )
    process = start_server(server(port), env, port, tmp_path / "web.log")
    try:
        feed, _ = request(port, "/episodes/rss", {"User-Agent": OVERCAST})
        probe, _ = request(
            port, live_episode.download_url(), {"User-Agent": OVERCAST, "Range": "bytes=0-1"}
        )
        assert (feed.status, probe.status) == (200, 206)
    finally:
        stop(process)  # at once: within the fifth of a second the lines wait
    assert events.llen(EVENTS) == 2, (tmp_path / "web.log").read_text()
