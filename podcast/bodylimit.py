"""Refuse an upload over the cap before its body is read.

Django's ASGI handler reads the whole request body into a temporary file before
any middleware or form sees it, and under WSGI the form parser spools it to disk;
a 4 GB upload to a 500 MB cap would fill the disk first and be refused after.
These wrappers (ASGI for uvicorn, WSGI for granian) look at Content-Length first,
and count the bytes of a body sent without one (Transfer-Encoding: chunked) as they
arrive, refusing it with 413 as soon as it passes the cap.
"""

import tempfile
from collections.abc import Awaitable, Callable
from typing import Any

Scope = dict[str, Any]
Receive = Callable[[], Awaitable[dict]]
Send = Callable[[dict], Awaitable[None]]
# The other fields of the episode form travel in the same body.
FORM_ALLOWANCE = 1024 * 1024


def declared_length(scope: Scope) -> int | None:
    for name, value in scope.get("headers", []):
        if name == b"content-length":
            return int(value) if value.isdigit() else None
    return None


class RequestBodyLimit:
    """ASGI middleware: 413 with a message for bodies larger than the upload cap allows."""

    def __init__(self, app: Callable, *, max_upload_mb: Callable[[], int]) -> None:
        self.app, self.max_upload_mb = app, max_upload_mb

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        cap = self.max_upload_mb()
        length = declared_length(scope)
        if length is not None and length > limit_bytes(cap):
            await refuse(send, refusal(length, cap))
            return
        counted = CountedBody(receive, send, cap)
        await self.app(scope, counted.receive, counted.send)


def limit_bytes(cap_mb: int) -> int:
    return cap_mb * 1024 * 1024 + FORM_ALLOWANCE


class CountedBody:
    """The body's messages, counted; past the cap the client gets 413 and the app a disconnect."""

    def __init__(self, receive: Receive, send: Send, cap: int) -> None:
        self._receive, self._send, self.cap = receive, send, cap
        self.received, self.refused = 0, False

    async def receive(self) -> dict:
        if self.refused:
            return {"type": "http.disconnect"}
        message = await self._receive()
        if message["type"] == "http.request":
            self.received += len(message.get("body", b""))
            if self.received > limit_bytes(self.cap):
                self.refused = True
                await refuse(self._send, refusal(None, self.cap))
                return {"type": "http.disconnect"}
        return message

    async def send(self, message: dict) -> None:
        if not self.refused:  # the 413 went out instead
            await self._send(message)


def refusal(length: int | None, cap: int) -> bytes:
    size = f"is {length / 1024 / 1024:.0f} MB" if length is not None else f"passed {cap} MB"
    return (
        f"This upload {size}; the largest accepted is {cap} MB "
        "(setting PODCAST_MAX_UPLOAD_MB). Nothing was saved.\n"
    ).encode()


REFUSAL_HEADERS = [("Content-Type", "text/plain; charset=utf-8"), ("Connection", "close")]


async def refuse(send: Send, body: bytes) -> None:
    headers = [(k.lower().encode(), v.encode()) for k, v in REFUSAL_HEADERS]
    headers.append((b"content-length", str(len(body)).encode()))
    await send({"type": "http.response.start", "status": 413, "headers": headers})
    await send({"type": "http.response.body", "body": body})


class WSGIRequestBodyLimit:
    """The same refusal for the WSGI server of the Procfile (granian), before Django reads.

    A chunked body has no CONTENT_LENGTH, and Django reads none of a body without one:
    it is read here, counted, spooled (to disk past 1 MB) and handed on with its length,
    or refused with 413 the moment it passes the cap.
    """

    def __init__(self, app: Callable, *, max_upload_mb: Callable[[], int]) -> None:
        self.app, self.max_upload_mb = app, max_upload_mb

    def __call__(self, environ: dict, start_response: Callable) -> Any:
        cap = self.max_upload_mb()
        declared = environ.get("CONTENT_LENGTH", "")
        if declared.isdigit():
            if int(declared) > limit_bytes(cap):
                return wsgi_refuse(start_response, refusal(int(declared), cap))
            return self.app(environ, start_response)
        if "chunked" not in environ.get("HTTP_TRANSFER_ENCODING", "").lower():
            return self.app(environ, start_response)
        spooled = spool(environ["wsgi.input"], limit_bytes(cap))
        if spooled is None:
            return wsgi_refuse(start_response, refusal(None, cap))
        environ["wsgi.input"], environ["CONTENT_LENGTH"] = spooled, str(spooled.tell())
        spooled.seek(0)
        return self.app(environ, start_response)


def spool(stream, limit: int, chunk: int = 64 * 1024):
    """The body copied into a temporary file, or None once it passes `limit` bytes."""
    # Handed on as wsgi.input, so not closed here: it goes with the request.
    spooled, total = tempfile.SpooledTemporaryFile(max_size=FORM_ALLOWANCE), 0  # noqa: SIM115
    while data := stream.read(chunk):
        total += len(data)
        if total > limit:
            spooled.close()
            return None
        spooled.write(data)
    return spooled


def wsgi_refuse(start_response: Callable, body: bytes) -> list[bytes]:
    start_response("413 Content Too Large", [*REFUSAL_HEADERS, ("Content-Length", str(len(body)))])
    return [body]
