"""Refuse an upload over the cap before its body is read.

Django's ASGI handler reads the whole request body into a temporary file before
any middleware or form sees it; a 4 GB upload to a 500 MB cap would fill the disk
first and be refused after. This wrapper looks at Content-Length first.
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


async def refuse(send: Send, length: int, cap: int) -> None:
    body = (
        f"This upload is {length / 1024 / 1024:.0f} MB; the largest accepted is {cap} MB "
        "(setting PODCAST_MAX_UPLOAD_MB). Nothing was saved.\n"
    ).encode()
    headers = [
        (b"content-type", b"text/plain; charset=utf-8"),
        (b"content-length", str(len(body)).encode()),
        (b"connection", b"close"),
    ]
    await send({"type": "http.response.start", "status": 413, "headers": headers})
    await send({"type": "http.response.body", "body": body})
