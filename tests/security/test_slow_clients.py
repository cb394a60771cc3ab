"""Connections that send headers slowly, or sit idle after a request, are closed.

A probe held 4,000 connections open by sending headers a byte at a time. The
Procfile's server cuts a request whose headers take longer than its header-read
timeout (10 s) and an idle keep-alive connection likewise; the recommended nginx
configuration (deploy/nginx.conf) does the same in front. On the wire.
"""

import re
import socket
import threading
import time
from collections.abc import Iterator

import pytest

from tests.conftest import ROOT
from tests.security.production_server import ProductionServer, procfile_command, wait_closed

pytestmark = pytest.mark.integration

HEADER_TIMEOUT = 10  # seconds: the Procfile's --http1-header-read-timeout
GRACE = 5


@pytest.fixture
def server(transactional_db, media_root, collected_data_dir, tmp_path) -> Iterator:
    server = ProductionServer(media_root, collected_data_dir, tmp_path / "server.log")
    server.wait_until_ready()
    yield server
    server.stop()


def test_the_procfile_sets_a_header_read_timeout() -> None:
    match = re.search(r"--http1-header-read-timeout (\d+)", procfile_command("web"))
    assert match and int(match.group(1)) == HEADER_TIMEOUT * 1000


def slow_headers(sock: socket.socket, stop: threading.Event) -> None:
    """A byte of a never-ending header every half second, until the server hangs up."""
    sock.sendall(b"GET / HTTP/1.1\r\nHost: 127.0.0.1\r\n")
    while not stop.is_set():
        try:
            sock.sendall(b"X")
        except OSError:
            return
        time.sleep(0.5)


def test_a_connection_sending_headers_slowly_is_closed(server) -> None:
    sock = socket.create_connection(("127.0.0.1", server.port))
    stop = threading.Event()
    writer = threading.Thread(target=slow_headers, args=(sock, stop), daemon=True)
    writer.start()
    try:
        closed_after = wait_closed(sock, HEADER_TIMEOUT + GRACE)
    finally:
        stop.set()
        sock.close()
    assert closed_after is not None, f"still open after {HEADER_TIMEOUT + GRACE} s"


def test_an_idle_keep_alive_connection_is_closed(server) -> None:
    sock = socket.create_connection(("127.0.0.1", server.port))
    try:
        sock.sendall(b"GET /healthz HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n")
        sock.settimeout(10)
        assert sock.recv(65536).startswith(b"HTTP/1.1 ")
        closed_after = wait_closed(sock, HEADER_TIMEOUT + GRACE)
    finally:
        sock.close()
    assert closed_after is not None, f"idle connection still open after {HEADER_TIMEOUT + GRACE} s"


def test_the_recommended_nginx_configuration_times_out_headers_and_keep_alive() -> None:
    conf = (ROOT / "deploy" / "nginx.conf").read_text()
    assert re.search(r"client_header_timeout\s+\d+s;", conf)
    assert re.search(r"keepalive_timeout\s+\d+s;", conf)
