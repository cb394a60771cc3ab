"""An upload over the cap is refused from its headers, before a byte of it is read."""

import asyncio

from asgiref.sync import async_to_sync

from podcast.asgi import application


def call(headers: list[tuple[bytes, bytes]], path: str = "/admin/") -> tuple[list[dict], int]:
    sent, reads = [], []

    async def receive() -> dict:
        reads.append(1)
        if len(reads) > 1:  # Django then listens for a disconnect that never comes
            await asyncio.Event().wait()
        return {"type": "http.request", "body": b"", "more_body": False}

    async def send(message: dict) -> None:
        sent.append(message)

    scope = {"type": "http", "method": "POST", "path": path, "headers": headers,
             "query_string": b"", "http_version": "1.1", "scheme": "http",
             "server": ("127.0.0.1", 8000), "client": ("127.0.0.1", 5000), "root_path": ""}  # fmt: skip
    async_to_sync(application)(scope, receive, send)
    return sent, len(reads)


def test_a_body_over_the_cap_gets_413_with_the_reason_unread(settings):
    settings.PODCAST_MAX_UPLOAD_MB = 500
    sent, reads = call([(b"content-length", str(4 * 1024**3).encode())])
    assert sent[0]["status"] == 413
    assert b"This upload is 4096 MB; the largest accepted is 500 MB" in sent[1]["body"]
    assert reads == 0, "the body was not read"


def test_a_body_within_the_cap_reaches_django(settings, db):
    settings.PODCAST_MAX_UPLOAD_MB = 500
    sent, reads = call([(b"content-length", b"0")], path="/healthz")
    assert sent[0]["status"] != 413 and reads >= 1


def call_wsgi(length: str, path: str = "/admin/") -> tuple[str, bytes, bool]:
    """The WSGI entry of the Procfile's granian: status, body, and whether the body was read."""
    from io import BytesIO

    from podcast.wsgi import application as wsgi_application

    read = []

    class Body(BytesIO):
        def read(self, *args):
            read.append(1)
            return super().read(*args)

    statuses = []
    environ = {
        "REQUEST_METHOD": "POST", "PATH_INFO": path, "CONTENT_LENGTH": length,
        "SERVER_NAME": "127.0.0.1", "SERVER_PORT": "8000", "REMOTE_ADDR": "127.0.0.1",
        "wsgi.input": Body(b""), "wsgi.url_scheme": "http", "SERVER_PROTOCOL": "HTTP/1.1",
    }  # fmt: skip
    body = b"".join(wsgi_application(environ, lambda status, headers: statuses.append(status)))
    return statuses[0], body, bool(read)


def test_the_wsgi_entry_refuses_a_body_over_the_cap_unread(settings):
    settings.PODCAST_MAX_UPLOAD_MB = 500
    status, body, read = call_wsgi(str(4 * 1024**3))
    assert status.startswith("413")
    assert b"This upload is 4096 MB; the largest accepted is 500 MB" in body
    assert not read


def test_the_wsgi_entry_passes_a_body_within_the_cap(settings, db):
    settings.PODCAST_MAX_UPLOAD_MB = 500
    status, _, _ = call_wsgi("0", path="/healthz")
    assert not status.startswith("413")
