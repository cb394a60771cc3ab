"""A 304 carries the fields a cache freshens its copy with, and no length or type of its own.

RFC 9110 section 15.4.5 lists them; it forbids a Content-Length that is not the 200's
(Django's CommonMiddleware wrote `Content-Length: 0`, which a CDN or a browser may take
as the stored feed's new length) and asks for no other representation metadata.
"""

import http.client
import os
import sys
from pathlib import Path

import pytest
from django.core.cache import cache
from django.core.files.uploadedfile import SimpleUploadedFile

from episodes import hot
from tests.conftest import subprocess_env
from tests.factories import ShowFactory, published_episode
from tests.missing import missing
from tests.processes import (
    free_port,
    granian_installed,
    procfile_web_command,
    start_server,
    stop,
    uvicorn_command,
)
from transcripts.services import process_transcript, store_transcript_source

GZIP = {"Accept-Encoding": "gzip"}
ALLOWED = {"cache-control", "content-location", "date", "etag", "expires", "last-modified", "vary"}
CORS = {"access-control-allow-origin", "access-control-expose-headers"}


def revalidated(client, url: str, **headers) -> tuple:
    first = client.get(url, **headers)
    assert first.status_code == 200, url
    again = client.get(url, HTTP_IF_NONE_MATCH=first["ETag"], **headers)
    return first, again


@pytest.fixture
def episode(db, tone, settings):
    # As in production: pages kept (and validated) for anonymous listeners.
    settings.PODCAST_HOT_SECONDS, settings.PODCAST_PAGE_CACHE_SECONDS = 1, 10
    cache.clear()
    hot.rows.clear()
    hot.pages.clear()
    episode = published_episode(tone, show=ShowFactory(slug="main"), number=3, slug="trimmed")
    upload = SimpleUploadedFile("t.txt", b"00:00 Ann: Hello.\n\n00:01 Bob: Hi there.\n")
    process_transcript(transcript_id=store_transcript_source(episode=episode, upload=upload).pk)
    yield episode
    cache.clear()


@pytest.mark.parametrize(
    "kind", ["feed", "feed-gzip", "page", "audio", "transcript", "transcript-vtt"]
)
def test_every_304_carries_only_the_fields_a_cache_freshens(client, episode, kind):
    url, headers = {
        "feed": ("/episodes/rss", {}),
        "feed-gzip": ("/episodes/rss", {"HTTP_ACCEPT_ENCODING": "gzip"}),
        "page": (episode.get_absolute_url(), {}),
        "audio": (episode.download_url(), {}),
        "transcript": (episode.transcript_url(), {}),
        "transcript-vtt": (episode.transcript_url() + ".vtt", {}),
    }[kind]
    first, again = revalidated(client, url, **headers)
    assert again.status_code == 304 and again.content == b""
    names = {name.lower() for name in again.headers}
    assert names <= ALLOWED | CORS, f"not for a 304: {sorted(names - ALLOWED - CORS)}"
    for name in CORS:
        assert again.get(name) == first.get(name), "a web player's CORS check still passes"
    assert again["ETag"] == first["ETag"]
    assert again["Cache-Control"] == first["Cache-Control"]
    assert again.get("Vary") == first.get("Vary")
    assert "Content-Security-Policy" in first, "the 200 keeps the site's headers"


@pytest.mark.parametrize("server", ["procfile-granian", "make-run-uvicorn"])
def test_a_real_server_sends_a_bare_304_and_keeps_the_connection(
    server, live_episode, media_root, collected_data_dir, tmp_path
):
    # A podcast app polls on one kept-alive connection: a 304 the server framed with a
    # body or a wrong length would corrupt the next answer on it. The second 304 of the
    # Procfile's server comes from the front (episodes/front.py), the first from Django.
    port = free_port()
    env = subprocess_env(
        media_root,
        PODCAST_DATA_DIR=str(collected_data_dir),
        PORT=str(port),
        WEB_CONCURRENCY="1",
        PATH=f"{Path(sys.executable).parent}:{os.environ['PATH']}",
    )
    if server == "procfile-granian" and not granian_installed():
        missing("needs granian (make install)")
    command = procfile_web_command() if server == "procfile-granian" else uvicorn_command(port)
    process = start_server(command, env, port, tmp_path / "web.log")
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=20)
    try:
        connection.request("GET", "/episodes/rss", headers=GZIP)
        first = connection.getresponse()
        body = first.read()
        assert first.status == 200 and len(body) == int(first.getheader("Content-Length"))
        for _ in range(3):
            conditional = {**GZIP, "If-None-Match": first.getheader("ETag")}
            connection.request("GET", "/episodes/rss", headers=conditional)
            again = connection.getresponse()
            assert again.status == 304 and again.read() == b""
            names = {name.lower() for name, _ in again.getheaders()}
            assert {"content-length", "content-type", "content-security-policy"}.isdisjoint(names)
            assert again.getheader("ETag") == first.getheader("ETag")
        connection.request("GET", "/episodes/rss", headers=GZIP)
        last = connection.getresponse()
        assert last.status == 200 and last.read() == body, "the connection still frames answers"
    finally:
        connection.close()
        stop(process)
