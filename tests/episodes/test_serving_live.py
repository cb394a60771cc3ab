"""Audio downloads against a real uvicorn process: ranges on the wire, and slow listeners.

The server reads the test database (an SQLite file; `transactional_db` commits
the data) and the test's media folder, as `make run` and production would.
"""

import http.client
import os
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from email.parser import BytesParser
from email.policy import HTTP
from pathlib import Path

import pytest

from tests.conftest import ROOT, subprocess_env
from tests.processes import free_port, request, stop, wait_for_port

SLOW_DOWNLOADS = 20
PAGE_DEADLINE = 2.0  # seconds: a functional check that pages answer, not a benchmark
AUDIO_TONES = 500  # about 8 MB of audio: big enough that streaming, not buffering, matters


class Server:
    """One uvicorn process (one worker, like `make run`) serving the ASGI application."""

    def __init__(self, media_root: Path, data_dir: Path, log: Path) -> None:
        self.port, self.log = free_port(), log
        command = [
            sys.executable, "-m", "uvicorn", "podcast.asgi:application",
            "--host", "127.0.0.1", "--port", str(self.port), "--no-access-log",
        ]  # fmt: skip
        with log.open("ab") as out:
            self.process = subprocess.Popen(
                command,
                cwd=ROOT,
                env=subprocess_env(media_root, PODCAST_DATA_DIR=str(data_dir)),
                stdout=out,
                stderr=out,
            )

    def wait_until_ready(self, timeout: float = 30) -> None:
        wait_for_port(self.port, self.process, self.log, timeout)

    def stop(self) -> None:
        stop(self.process, timeout=10)

    def rss_kib(self) -> int:
        status = Path(f"/proc/{self.process.pid}/status").read_text().splitlines()
        return int(next(line for line in status if line.startswith("VmRSS")).split()[1])

    def open_files(self, path: Path) -> int:
        """How many descriptors of the server process point at `path`."""
        fds = Path(f"/proc/{self.process.pid}/fd").iterdir()
        return sum(1 for fd in fds if os.path.realpath(fd) == str(path.resolve()))

    def connection(self) -> http.client.HTTPConnection:
        return http.client.HTTPConnection("127.0.0.1", self.port, timeout=10)


@pytest.fixture(scope="session")
def server_data_dir(collected_data_dir) -> Path:
    """The name other server tests import from here: collected static files (conftest)."""
    return collected_data_dir


@pytest.fixture
def server(live_episode, media_root, collected_data_dir, tmp_path) -> Iterator[Server]:
    server = Server(media_root, collected_data_dir, tmp_path / "uvicorn.log")
    try:
        server.wait_until_ready()
        yield server
    finally:
        server.stop()


def fetch(server: Server, method: str, path: str, headers: dict[str, str] | None = None):
    return request(server.port, path, headers, method, timeout=10)


def open_slow_download(server: Server, path: str) -> tuple[socket.socket, bytes]:
    """A listener that asks for the file, reads the first bytes, then stops reading."""
    sock = socket.socket()
    # A small receive window so the server really has to wait for us.
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, 4096)
    sock.connect(("127.0.0.1", server.port))
    request = f"GET {path} HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n"
    sock.sendall(request.encode())
    sock.settimeout(10)
    first = sock.recv(1024)
    assert first.startswith(b"HTTP/1.1 200"), first
    return sock, first


def body_to_end(sock: socket.socket, first: bytes) -> bytes:
    """The rest of a `Connection: close` response, without its head."""
    received = bytearray(first)
    while chunk := sock.recv(1 << 20):
        received += chunk
    return bytes(received).partition(b"\r\n\r\n")[2]


def time_pages(server: Server, count: int = 10) -> list[float]:
    """Seconds each of `count` home-page requests took; each must succeed."""
    durations = []
    for _ in range(count):
        started = time.monotonic()
        response, body = fetch(server, "GET", "/")
        durations.append(time.monotonic() - started)
        assert response.status == 200, body[:500]
    return durations


def test_range_cases_pass_against_the_running_server(server, live_episode, audio, subtests):
    path, size = live_episode.download_url(), len(audio)
    cases = [
        ("bytes=0-1", 0, 1),
        ("bytes=0-0", 0, 0),
        ("bytes=-500", size - 500, size - 1),
        ("bytes=100-", 100, size - 1),
        ("bytes=0-", 0, size - 1),
    ]
    for header, first, last in cases:
        with subtests.test(range=header):
            response, body = fetch(server, "GET", path, {"Range": header})
            assert response.status == 206
            assert response.getheader("Content-Range") == f"bytes {first}-{last}/{size}"
            assert response.getheader("Accept-Ranges") == "bytes"
            assert body == audio[first : last + 1]


def test_the_running_server_answers_every_status_of_the_issue(
    server, live_episode, audio, subtests
):
    path, size = live_episode.download_url(), len(audio)
    with subtests.test("full GET"):
        response, body = fetch(server, "GET", path)
        assert response.status == 200 and body == audio
        assert response.getheader("Content-Length") == str(size)
        assert response.getheader("X-Content-Type-Options") == "nosniff"
        etag, last_modified = response.getheader("ETag"), response.getheader("Last-Modified")
    with subtests.test("HEAD"):
        response, body = fetch(server, "HEAD", path)
        assert response.status == 200 and body == b""
        assert response.getheader("Content-Length") == str(size)
        assert response.getheader("ETag") == etag
    with subtests.test("416"):
        response, _ = fetch(server, "GET", path, {"Range": f"bytes={size}-"})
        assert response.status == 416
        assert response.getheader("Content-Range") == f"bytes */{size}"
    with subtests.test("stale If-Range"):
        headers = {"Range": "bytes=0-1", "If-Range": '"stale"'}
        response, body = fetch(server, "GET", path, headers)
        assert response.status == 200 and body == audio
    with subtests.test("304"):
        assert fetch(server, "GET", path, {"If-None-Match": etag})[0].status == 304
        assert fetch(server, "GET", path, {"If-Modified-Since": last_modified})[0].status == 304
    with subtests.test("multipart"):
        response, body = fetch(server, "GET", path, {"Range": "bytes=0-1,-2"})
        assert response.status == 206
        message = BytesParser(policy=HTTP).parsebytes(
            f"Content-Type: {response.getheader('Content-Type')}\r\n\r\n".encode() + body
        )
        parts = [part.get_payload(decode=True) for part in message.iter_parts()]
        assert parts == [audio[:2], audio[-2:]]


def test_pages_answer_fast_while_slow_downloads_outnumber_the_workers(
    server, live_episode, audio, media_root
):
    before = server.rss_kib()
    slow = [open_slow_download(server, live_episode.download_url()) for _ in range(SLOW_DOWNLOADS)]
    try:
        durations = time_pages(server)
        assert max(durations) < PAGE_DEADLINE, durations
        # Every download is still being served: each holds the file open.
        assert server.open_files(media_root / live_episode.audio.name) == SLOW_DOWNLOADS
        # Twenty whole files in memory would be 160 MB: streaming keeps the server flat.
        assert server.rss_kib() - before < 64 * 1024
        # Backpressure delays the bytes but never changes them.
        assert body_to_end(*slow[0]) == audio
    finally:
        for sock, _ in slow:
            sock.close()


def test_listeners_who_hang_up_mid_download_leave_the_server_healthy(
    server, live_episode, media_root
):
    audio_path = media_root / live_episode.audio.name
    for _ in range(SLOW_DOWNLOADS):
        sock, _ = open_slow_download(server, live_episode.download_url())
        sock.close()
    assert max(time_pages(server, 3)) < PAGE_DEADLINE
    # Every aborted download closes its file (no descriptor leak per listener).
    deadline = time.monotonic() + 5
    while server.open_files(audio_path) and time.monotonic() < deadline:
        time.sleep(0.1)
    assert server.open_files(audio_path) == 0
    response, _ = fetch(server, "GET", live_episode.download_url(), {"Range": "bytes=0-1"})
    assert response.status == 206
    assert "Traceback" not in server.log.read_text(errors="replace")
