"""Refuse an upload over the cap before its body is read.

Django's ASGI handler reads the whole request body into a temporary file before
any middleware or form sees it, and under WSGI the form parser spools it to disk;
a 4 GB upload to a 500 MB cap would fill the disk first and be refused after.
These wrappers (ASGI for uvicorn, WSGI for granian) look at Content-Length first.
"""

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
        cap = self.max_upload_mb()
        length = declared_length(scope) if scope["type"] == "http" else None
        if length is not None and length > cap * 1024 * 1024 + FORM_ALLOWANCE:
            await refuse(send, length, cap)
            return
        await self.app(scope, receive, send)


def refusal(length: int, cap: int) -> bytes:
    return (
        f"This upload is {length / 1024 / 1024:.0f} MB; the largest accepted is {cap} MB "
        "(setting PODCAST_MAX_UPLOAD_MB). Nothing was saved.\n"
    ).encode()


async def refuse(send: Send, length: int, cap: int) -> None:
    body = refusal(length, cap)
    headers = [
        (b"content-type", b"text/plain; charset=utf-8"),
        (b"content-length", str(len(body)).encode()),
        (b"connection", b"close"),
    ]
    await send({"type": "http.response.start", "status": 413, "headers": headers})
    await send({"type": "http.response.body", "body": body})


class WSGIRequestBodyLimit:
    """The same refusal for the WSGI server of the Procfile (granian), before Django reads."""

    def __init__(self, app: Callable, *, max_upload_mb: Callable[[], int]) -> None:
        self.app, self.max_upload_mb = app, max_upload_mb

    def __call__(self, environ: dict, start_response: Callable) -> Any:
        cap = self.max_upload_mb()
        declared = environ.get("CONTENT_LENGTH", "")
        length = int(declared) if declared.isdigit() else None
        if length is None or length <= cap * 1024 * 1024 + FORM_ALLOWANCE:
            return self.app(environ, start_response)
        body = refusal(length, cap)
        start_response(
            "413 Content Too Large",
            [
                ("Content-Type", "text/plain; charset=utf-8"),
                ("Content-Length", str(len(body))),
                ("Connection", "close"),
            ],
        )
        return [body]
