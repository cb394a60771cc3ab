"""A chunked upload is counted as it arrives and refused with 413 at the cap.

Without a Content-Length the size is known only by reading: the servers (the
Procfile's granian with the WSGI entry, and uvicorn with the ASGI entry that
`make run` uses) must stop at the cap, not read 700 MB first. On the wire.
"""

import socket
from collections.abc import Iterator

import pytest

from tests.security.production_server import DEV_SERVER, ProductionServer

pytestmark = pytest.mark.integration

CAP_MB = 1
CHUNK = 64 * 1024
SENT_AT_MOST = 64 * 1024 * 1024  # what a client would send if nothing stopped it


@pytest.fixture(params=["procfile", "make-run"])
def server(request, transactional_db, media_root, collected_data_dir, tmp_path) -> Iterator:
    command = "" if request.param == "procfile" else DEV_SERVER
    server = ProductionServer(
        media_root, collected_data_dir, tmp_path / "server.log", command=command,
        PODCAST_MAX_UPLOAD_MB=str(CAP_MB),
    )  # fmt: skip
    server.wait_until_ready()
    yield server
    server.stop()


def send_chunked(port: int, total: int) -> tuple[int, bytes]:
    """POST `total` bytes in chunks until the server answers; (bytes sent, the answer)."""
    sock = socket.create_connection(("127.0.0.1", port), timeout=10)
    head = (
        "POST /admin/login/ HTTP/1.1\r\nHost: 127.0.0.1\r\nTransfer-Encoding: chunked\r\n"
        "Content-Type: application/octet-stream\r\n\r\n"
    )
    sock.sendall(head.encode())
    sent, chunk = 0, f"{CHUNK:x}\r\n".encode() + b"x" * CHUNK + b"\r\n"
    sock.setblocking(False)
    answer = b""
    try:
        while sent < total:
            try:
                answer += sock.recv(65536)
                if answer:
                    break
            except BlockingIOError:
                pass
            try:
                sock.sendall(chunk)
                sent += CHUNK
            except (BlockingIOError, BrokenPipeError, ConnectionResetError):
                break
        sock.settimeout(10)
        if sent >= total and not answer:
            sock.sendall(b"0\r\n\r\n")  # the last chunk: the body is complete
        while b"\r\n\r\n" not in answer:
            data = sock.recv(65536)
            if not data:
                break
            answer += data
    finally:
        sock.close()
    return sent, answer


def test_a_chunked_body_over_the_cap_is_refused_with_413_as_it_arrives(server) -> None:
    sent, answer = send_chunked(server.port, SENT_AT_MOST)
    assert answer.startswith(b"HTTP/1.1 413"), answer[:200]
    assert sent < 8 * CAP_MB * 1024 * 1024, f"{sent} bytes went in before the refusal"


def test_a_chunked_body_within_the_cap_reaches_the_site(server) -> None:
    # Django reads the form from the chunked body: the CSRF token passes, the password not.
    status, page = server.log_in("nobody", "wrong", {}, chunked=True)
    assert status == 200 and "Please enter the correct username and password" in page
