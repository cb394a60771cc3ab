"""deploy/nginx.conf in front of the Procfile's web: Debian's nginx and granian on loopback.

The shipped file is used as written, with only its port, upstream and media
folder replaced; the app runs the Procfile's `web` command with
PODCAST_ACCEL_REDIRECT=/_media/, so audio bytes come from nginx.
"""

import gzip
import os
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.conftest import ROOT, subprocess_env
from tests.missing import missing
from tests.processes import (
    NGINX,
    free_port,
    granian_installed,
    nginx_conf,
    procfile_web_command,
    request,
    start_server,
    stop,
)


def nginx_site(app_port: int, port: int, media_root: Path) -> str:
    """deploy/nginx.conf with this run's ports and media folder, nothing else changed."""
    text = (ROOT / "deploy" / "nginx.conf").read_text()
    for old, new in (
        ("listen 80;", f"listen 127.0.0.1:{port};"),
        ("server 127.0.0.1:8000;", f"server 127.0.0.1:{app_port};"),
        ("alias /app/var/media/;", f"alias {media_root}/;"),
    ):
        assert text.count(old) == 1, old
        text = text.replace(old, new)
    return text


@pytest.fixture
def front(live_episode, media_root, collected_data_dir, tmp_path) -> Iterator[int]:
    """The port nginx listens on, with the Procfile's web behind it."""
    if not Path(NGINX).exists() or not granian_installed():
        missing("needs Debian's nginx and granian (make install)")
    app_port, port = free_port(), free_port()
    env = subprocess_env(
        media_root,
        PODCAST_DATA_DIR=str(collected_data_dir),
        PODCAST_ACCEL_REDIRECT="/_media/",
        PORT=str(app_port),
        WEB_CONCURRENCY="1",
        PATH=f"{Path(sys.executable).parent}:{os.environ['PATH']}",
    )
    app = start_server(procfile_web_command(), env, app_port, tmp_path / "web.log")
    conf_dir = tmp_path / "nginx"
    conf_dir.mkdir()
    (conf_dir / "podcast.conf").write_text(nginx_site(app_port, port, media_root))
    main = nginx_conf(conf_dir, f"include {conf_dir}/podcast.conf;")
    (conf_dir / "nginx.conf").write_text(main)
    command = [NGINX, "-c", str(conf_dir / "nginx.conf"), "-p", str(conf_dir), "-e", "stderr"]
    try:
        nginx = start_server(command, dict(os.environ), port, tmp_path / "nginx.log")
    except RuntimeError:
        stop(app)
        raise
    try:
        yield port
    finally:
        stop(nginx)
        stop(app)


def test_feed_page_and_304_through_nginx(front, live_episode):
    response, packed = request(front, "/episodes/rss", {"Accept-Encoding": "gzip"})
    assert response.status == 200
    assert response.getheader("Content-Encoding") == "gzip"
    assert live_episode.title.encode() in gzip.decompress(packed)
    etag = response.getheader("ETag")
    again, body = request(
        front, "/episodes/rss", {"Accept-Encoding": "gzip", "If-None-Match": etag}
    )
    assert again.status == 304 and body == b""
    page, html = request(front, live_episode.get_absolute_url())
    assert page.status == 200 and live_episode.title.encode() in html


def test_audio_range_probe_and_full_get_come_from_nginx(front, live_episode, audio):
    url = live_episode.download_url()
    probe, two = request(front, url, {"Range": "bytes=0-1"})
    assert probe.status == 206
    assert probe.getheader("Content-Range") == f"bytes 0-1/{len(audio)}"
    assert two == audio[:2]
    full, body = request(front, url)
    assert full.status == 200 and body == audio
    assert full.getheader("Content-Type") == "audio/mpeg"
    assert full.getheader("Cache-Control").startswith("public, max-age=")
    assert full.getheader("X-Accel-Redirect") is None, "the internal path stays inside"
    # nginx's own validators: a player re-checking its cached copy gets a 304.
    again, _ = request(front, url, {"If-None-Match": full.getheader("ETag")})
    assert again.status == 304


def test_the_internal_media_location_is_not_reachable_from_outside(front, live_episode):
    response, _ = request(front, f"/_media/{live_episode.audio.name}")
    assert response.status == 404


def test_an_unpublished_episode_audio_is_refused_by_the_app_before_nginx(front, live_episode):
    type(live_episode).objects.filter(pk=live_episode.pk).update(publish_at=None)
    response, _ = request(front, live_episode.download_url())
    assert response.status == 404
