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
