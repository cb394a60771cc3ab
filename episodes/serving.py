"""Stored files as HTTP responses: byte ranges, validators and a body streamed in chunks.

Podcast apps need HEAD, `Range` (Apple probes with `bytes=0-1`) and conditional
requests (RFC 9110 sections 13 and 14), which neither Django's FileResponse nor
WhiteNoise (for uploaded files) give us. The body never sits in memory whole:
it is read in pieces (CHUNK_SIZE, through an async iterator under ASGI so that a
slow listener waits on the event loop instead of holding a thread; SYNC_CHUNK_SIZE
under WSGI).
"""

import asyncio
import hashlib
import os
import re
import secrets
from collections.abc import AsyncIterator, Iterator
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import IO

from django.core.files.storage import FileSystemStorage, Storage
from django.core.handlers.asgi import ASGIRequest
from django.http import HttpRequest, HttpResponse, StreamingHttpResponse
from django.http.response import HttpResponseBase
from django.utils.cache import get_conditional_response
from django.utils.http import content_disposition_header, http_date, parse_http_date_safe

from . import streamslots

CHUNK_SIZE = 64 * 1024
# A WSGI thread hands the server bigger pieces: each crosses into granian once, and a
# 20 MB download went from 0.96 to 1.09x WhiteNoise (gunicorn's sendfile), medians of
# 4 rounds (bench_stack's harness, 2026-12-03). An event loop keeps the smaller piece.
SYNC_CHUNK_SIZE = 256 * 1024
# Under WSGI a range up to this size is read and handed to the server whole: the
# server sends it while the thread goes on, so it takes no stream slot. 256 KiB is
# what a player's seek asks for (bench/locustfile.py); a process holds at most its
# connections' worth (granian's backpressure) while slow clients read them.
MEMORY_RANGE_BYTES = 256 * 1024
# RFC 9110 section 14.2 lets a server ignore a Range header asking for many
# ranges; capping them stops a request for thousands of tiny parts.
MAX_RANGES = 16
CACHE_SECONDS = 365 * 24 * 3600
_RANGE_SPEC = re.compile(r"([0-9]*)-([0-9]*)")


@dataclass(frozen=True)
class ByteRange:
    """Bytes `start` to `end` of a file, both included, as in a Content-Range header."""

    start: int
    end: int

    @property
    def length(self) -> int:
        return self.end - self.start + 1

    def content_range(self, size: int) -> str:
        return f"bytes {self.start}-{self.end}/{size}"


def parse_range_header(header: str, size: int) -> tuple[ByteRange, ...] | None:
    """The satisfiable ranges of a Range header for a file of `size` bytes, sorted and merged.

    None means the header must be ignored and the whole file sent (absent,
    malformed, another unit, too many ranges); an empty tuple means no range
    is satisfiable (answer 416). Overlapping and adjacent ranges are merged, as
    RFC 9110 section 14.2 allows. An empty file satisfies no range.
    """
    unit, equals, range_set = header.partition("=")
    if not equals or unit.strip().lower() != "bytes":
        return None
    # The list syntax (RFC 9110 section 5.6.1) allows empty elements: "0-1, ,5-6".
    specs = [spec.strip() for spec in range_set.split(",") if spec.strip()]
    if not specs or len(specs) > MAX_RANGES:
        return None
    try:
        ranges = [_parse_range_spec(spec, size) for spec in specs]
    except ValueError:
        return None
    return merge_ranges([byte_range for byte_range in ranges if byte_range])


def _parse_range_spec(spec: str, size: int) -> ByteRange | None:
    """One range-spec clamped to the file, None if unsatisfiable; ValueError if malformed."""
    match = _RANGE_SPEC.fullmatch(spec)
    if not match or match.group(0) == "-":
        raise ValueError(f"not a byte range: {spec!r}")
    first, last = match.groups()
    if not first:  # A suffix range: the last N bytes, or the whole file if shorter.
        suffix = int(last)
        return ByteRange(max(0, size - suffix), size - 1) if suffix and size else None
    start = int(first)
    if last and int(last) < start:
        raise ValueError(f"range ends before it starts: {spec!r}")
    if start >= size:
        return None
    return ByteRange(start, min(int(last), size - 1) if last else size - 1)


def merge_ranges(ranges: list[ByteRange]) -> tuple[ByteRange, ...]:
    """Ranges sorted by start, with overlapping and adjacent ones joined."""
    merged: list[ByteRange] = []
    for byte_range in sorted(ranges, key=lambda r: r.start):
        if merged and byte_range.start <= merged[-1].end + 1:
            last = merged.pop()
            byte_range = ByteRange(last.start, max(last.end, byte_range.end))
        merged.append(byte_range)
    return tuple(merged)


def make_etag(name: str, size: int, modified: datetime | None) -> str:
    """A strong ETag for stored bytes, from their name, size and modification time."""
    stamp = modified.timestamp() if modified else ""
    digest = hashlib.sha256(f"{name}\0{size}\0{stamp}".encode()).hexdigest()[:32]
    return f'"{digest}"'


def if_range_matches(if_range: str, etag: str, last_modified: int | None) -> bool:
    """Whether an If-Range validator still names the current bytes (RFC 9110 section 13.1.5)."""
    if_range = if_range.strip()
    if not if_range:
        return True
    if if_range.startswith(('"', "W/")):
        # Strong comparison: a weak tag never matches, so it gets the whole file.
        return if_range == etag
    # A date matches only if it is exactly the Last-Modified we would send.
    return last_modified is not None and parse_http_date_safe(if_range) == last_modified


@dataclass(frozen=True)
class StoredFile:
    """What the validators and headers of a stored file derive from."""

    storage: Storage
    name: str
    size: int
    modified: datetime | None

    @classmethod
    def stat(cls, storage: Storage, name: str) -> "StoredFile":
        if isinstance(storage, FileSystemStorage):  # one stat() instead of two
            found = os.stat(storage.path(name))
            modified = datetime.fromtimestamp(found.st_mtime, UTC)
            return cls(storage, name, found.st_size, modified)
        return cls(storage, name, storage.size(name), _modified_time(storage, name))

    @property
    def etag(self) -> str:
        return make_etag(self.name, self.size, self.modified)

    @property
    def last_modified(self) -> int | None:
        return int(self.modified.timestamp()) if self.modified else None


def _modified_time(storage: Storage, name: str) -> datetime | None:
    # Storage.get_modified_time() is optional for third-party storages.
    try:
        return storage.get_modified_time(name)
    except NotImplementedError:
        return None


Piece = bytes | ByteRange  # literal bytes (multipart headers) or a slice of the file


@dataclass(frozen=True)
class Body:
    """The status, type and pieces of a response body, decided before any byte is read."""

    status: int
    content_type: str
    pieces: tuple[Piece, ...]
    content_range: str = ""

    @property
    def length(self) -> int:
        return sum(len(p) if isinstance(p, bytes) else p.length for p in self.pieces)


def plan_body(ranges: tuple[ByteRange, ...] | None, size: int, content_type: str) -> Body:
    """The whole file (no ranges), one range, or a multipart/byteranges body of several."""
    if ranges is None:
        return Body(200, content_type, (ByteRange(0, size - 1),) if size else ())
    if len(ranges) == 1:
        return Body(206, content_type, ranges, ranges[0].content_range(size))
    return multipart_body(ranges, size, content_type, secrets.token_hex(16))


def multipart_body(
    ranges: tuple[ByteRange, ...], size: int, content_type: str, boundary: str
) -> Body:
    """A multipart/byteranges body (RFC 9110 section 14.6) for several ranges."""
    pieces: list[Piece] = []
    for index, byte_range in enumerate(ranges):
        # The CRLF before a boundary belongs to the boundary (RFC 2046 section 5.1.1).
        lead = "\r\n" if index else ""
        head = (
            f"{lead}--{boundary}\r\nContent-Type: {content_type}\r\n"
            f"Content-Range: {byte_range.content_range(size)}\r\n\r\n"
        )
        pieces += [head.encode("ascii"), byte_range]
    pieces.append(f"\r\n--{boundary}--\r\n".encode("ascii"))
    return Body(206, f"multipart/byteranges; boundary={boundary}", tuple(pieces))


def file_response(
    request: HttpRequest,
    *,
    storage: Storage,
    name: str,
    content_type: str,
    filename: str,
    public: bool = True,
) -> HttpResponseBase:
    """Answer GET or HEAD for a stored file with validators, ranges and a streamed body."""
    stored = StoredFile.stat(storage, name)
    headers = file_headers(stored, content_type, filename, public)
    base = HttpResponse(headers=headers)
    conditional = get_conditional_response(request, stored.etag, stored.last_modified, base)
    if conditional is not base:  # 304 Not Modified or 412 Precondition Failed
        return conditional
    ranges = requested_ranges(request, stored)
    if ranges == ():
        return range_not_satisfiable(stored.size)
    body = plan_body(ranges, stored.size, content_type)
    return body_response(request, stored, body, headers)


def file_headers(
    stored: StoredFile, content_type: str, filename: str, public: bool
) -> dict[str, str]:
    """Headers every answer for the file carries, whatever the range."""
    headers = {
        "Accept-Ranges": "bytes",
        "ETag": stored.etag,
        # Our URLs never change bytes (a new version gets a new URL), so caches
        # may keep them long; drafts shown to staff must stay out of shared caches.
        "Cache-Control": f"public, max-age={CACHE_SECONDS}" if public else "private, no-store",
        "X-Content-Type-Options": "nosniff",
        "Content-Disposition": content_disposition_header(False, filename),
        "Content-Type": content_type,
    }
    if stored.last_modified is not None:
        headers["Last-Modified"] = http_date(stored.last_modified)
    return headers


def requested_ranges(request: HttpRequest, stored: StoredFile) -> tuple[ByteRange, ...] | None:
    """The ranges to send, or None for the whole file (no Range, or a stale If-Range)."""
    header = request.headers.get("Range", "")
    if not header:
        return None
    if not if_range_matches(request.headers.get("If-Range", ""), stored.etag, stored.last_modified):
        return None
    return parse_range_header(header, stored.size)


def range_not_satisfiable(size: int) -> HttpResponse:
    """416 with the current length, so the client can ask again sensibly."""
    response = HttpResponse(status=416, content_type="text/plain")
    response.headers["Content-Range"] = f"bytes */{size}"
    return response


def body_response(
    request: HttpRequest, stored: StoredFile, body: Body, headers: dict[str, str]
) -> HttpResponseBase:
    """The response for a planned body; HEAD gets the same headers and no bytes."""
    headers = {**headers, "Content-Type": body.content_type, "Content-Length": str(body.length)}
    if body.content_range:
        headers["Content-Range"] = body.content_range
    if request.method == "HEAD":
        return HttpResponse(status=body.status, headers=headers)
    asynchronous = isinstance(request, ASGIRequest)
    if is_small_range(body, CHUNK_SIZE if asynchronous else MEMORY_RANGE_BYTES):
        # Apple's `bytes=0-1` probe and a player's seeks: read at once, answered in one
        # piece, with no stream slot taken and no file left open while the client reads.
        return HttpResponse(read_range(stored, body.pieces[0]), status=206, headers=headers)
    content = stream(request, stored, body.pieces)
    if not asynchronous:
        content = streamslots.hold(content)
        if content is None:
            return streamslots.busy()
    return StreamingHttpResponse(content, status=body.status, headers=headers)


def is_small_range(body: Body, limit: int) -> bool:
    """One range of `limit` bytes at most: cheaper to send from memory than to stream."""
    return body.status == 206 and len(body.pieces) == 1 and body.length <= limit


def read_range(stored: StoredFile, byte_range: ByteRange) -> bytes:
    with stored.storage.open(stored.name, "rb") as file:
        return read_exactly(file, byte_range.start, byte_range.length)


def stream(
    request: HttpRequest, stored: StoredFile, pieces: tuple[Piece, ...]
) -> Iterator[bytes] | AsyncIterator[bytes]:
    """The body's chunks: async under ASGI, sync under WSGI (the test Client included).

    Each handler loads an iterator of the other kind into memory whole before
    sending it (Django 5.2, StreamingHttpResponse), so the kind must match.
    """
    if isinstance(request, ASGIRequest):
        return _read_async(stored, pieces)
    return _read_sync(stored, pieces)


def _read_sync(stored: StoredFile, pieces: tuple[Piece, ...]) -> Iterator[bytes]:
    """Yield the pieces, reading file slices one chunk at a time."""
    with stored.storage.open(stored.name, "rb") as file:
        for piece in pieces:
            if isinstance(piece, bytes):
                yield piece
                continue
            for offset, length in chunk_spans(piece, SYNC_CHUNK_SIZE):
                yield read_exactly(file, offset, length)


async def _read_async(stored: StoredFile, pieces: tuple[Piece, ...]) -> AsyncIterator[bytes]:
    """Yield the pieces, reading in a thread so the event loop never waits on the disk."""
    file = await asyncio.to_thread(stored.storage.open, stored.name, "rb")
    try:
        for piece in pieces:
            if isinstance(piece, bytes):
                yield piece
                continue
            for offset, length in chunk_spans(piece, CHUNK_SIZE):
                yield await asyncio.to_thread(read_exactly, file, offset, length)
    finally:
        # Plain close, not awaited: this also runs when a disconnect cancels us.
        file.close()


def chunk_spans(byte_range: ByteRange, size: int) -> Iterator[tuple[int, int]]:
    """(offset, length) of each chunk of a range, `size` bytes at most."""
    for offset in range(byte_range.start, byte_range.end + 1, size):
        yield offset, min(size, byte_range.end + 1 - offset)


def read_exactly(file: IO[bytes], offset: int, length: int) -> bytes:
    """`length` bytes at `offset`; OSError if the file is shorter than its stated size."""
    file.seek(offset)
    data = file.read(length)
    if len(data) != length:
        # Content-Length is already sent: failing aborts the connection, so the
        # client sees a truncated download instead of wrong bytes.
        raise OSError(f"{file!r} ended at {offset + len(data)}, expected {offset + length}")
    return data
