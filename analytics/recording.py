"""Recording audio and feed requests: one line into the buffer, the bytes counted as they go.

The views call record_download() and record_feed() once each. What is kept is
the listener key (salted; no IP address), the user agent and Referer as sent
(classified by the worker, stored as a classification and a host), the status
and the byte spans delivered: for a streamed body, from the bytes that actually
left, so a client that hangs up early is credited only with what it received;
for a small range sent from memory (a probe, a seek), that range; for a redirect
to storage or a CDN, or a file handed to nginx, the range the client asked for.
"""

import json
import logging
import re
import time
from collections.abc import AsyncIterator, Iterator
from dataclasses import dataclass, replace
from json.encoder import encode_basestring_ascii

from django.conf import settings
from django.http import HttpRequest, StreamingHttpResponse
from django.http.response import HttpResponseBase
from redis import RedisError

from episodes.serving import parse_range_header
from podcast.settingscache import from_settings

from .buffer import get_buffer
from .datacentres import is_datacentre
from .listeners import recent_keys
from .salts import salt_at

log = logging.getLogger(__name__)
CONTENT_RANGE = re.compile(r"bytes (\d+)-(\d+)/")
REDIRECTS = frozenset({301, 302, 303, 307, 308})
quote = encode_basestring_ascii  # a JSON string, as encode_line() writes it
# json.dumps() with options builds an encoder per call; a line is encoded by this one.
encode_line = json.JSONEncoder(separators=(",", ":")).encode
Span = tuple[int, int]


def record_download(
    request: HttpRequest, episode, response: HttpResponseBase, *, subscriber_id: int | None = None
) -> HttpResponseBase:
    """Record an audio response (not HEAD) and return it, its body counting the bytes sent.

    `subscriber_id`: the audio was fetched through that subscriber's personal feed URL; the
    worker counts it for them too (analytics/personal.py).
    """
    if not settings.PODCAST_ANALYTICS or request.method != "GET":
        return response
    line = request_fields(request, "a", episode.show_id, episode.pk, response.status_code)
    # Checked here, before the address is hashed away; only the flag is kept.
    tail = row_tail(subscriber_id, is_datacentre(request.META.get("REMOTE_ADDR", "")))
    if isinstance(response, StreamingHttpResponse):
        spans = body_spans(request, response, episode.audio_size or 0)
        response.streaming_content = counted(response, Delivery(line, spans, tail))
    elif response.status_code in REDIRECTS or response.has_header("X-Accel-Redirect"):
        # The bytes go from storage or from nginx: count the range asked for.
        size = episode.audio_size or 0
        asked = parse_range_header(request.headers.get("Range", ""), size)
        spans = [(r.start, r.end) for r in asked] if asked is not None else [(0, size - 1)]
        push([[*line, start, end, end - start + 1, *tail] for start, end in spans if size])
    elif response.status_code in (200, 206):  # a small range, sent from memory whole
        spans = body_spans(request, response, episode.audio_size or 0)
        push([[*line, start, end, end - start + 1, *tail] for start, end in spans])
    else:  # 304, 416: nothing delivered
        push([[*line, None, None, 0, *tail]])
    return response


def audio_range_tail(meta: dict, start: int, end: int) -> list:
    """What follows an audio line's first fields for one range sent whole, no subscriber."""
    return [
        start,
        end,
        end - start + 1,
        *row_tail(None, is_datacentre(meta.get("REMOTE_ADDR", ""))),
    ]


def row_tail(subscriber_id: int | None, datacentre: bool) -> list:
    """What follows an audio line's spans: the feed's gzip fields, the subscriber, the flag."""
    if datacentre:
        return [False, 0, subscriber_id, True]
    return [False, 0, subscriber_id] if subscriber_id else []


def record_feed(request: HttpRequest, show, response: HttpResponseBase) -> HttpResponseBase:
    """Record a feed response (not HEAD) and return it unchanged."""
    if settings.PODCAST_ANALYTICS and request.method == "GET":
        line = request_fields(request, "f", show.pk, None, response.status_code)
        push([[*line, *feed_tail(response)]])
    return response


def feed_tail(response: HttpResponseBase) -> list:
    """What follows a feed line's first fields: no span, bytes sent, gzip, unpacked size."""
    sent = int(response.get("Content-Length") or 0) if response.status_code == 200 else 0
    gzipped = response.get("Content-Encoding") == "gzip"
    return [None, None, sent, gzipped, unpacked_size(response) if gzipped else sent]


@dataclass(frozen=True, slots=True)
class Again:
    """A line recorded again for requests answered before Django (episodes/front.py).

    Only the time, the listener key, the user agent and the Referer change from one
    request to the next: the rest is encoded once, and each request's line is
    the text encode_line() makes of request_fields() and the tail.
    """

    head: str  # '["f",': the kind
    middle: str  # ',1,null,304,': the show, the episode and the status
    end: str  # the fields after the Referer, and the closing bracket

    def with_tail(self, tail: list) -> "Again":
        return replace(self, end=encoded_tail(tail))

    def text(self, meta: dict) -> str:
        now = time.time()
        user_agent = meta.get("HTTP_USER_AGENT", "")
        key = recent_keys.key(meta.get("REMOTE_ADDR", ""), user_agent, salt_at(now))
        user_agent = quote(user_agent[:500])
        referrer = quote(meta.get("HTTP_REFERER", "")[:500])
        return f'{self.head}{round(now, 3)!r}{self.middle}"{key}",{user_agent},{referrer}{self.end}'


def again(kind: str, show: int, episode: int | None, status: int, tail: list) -> Again:
    """The line a view records, to be recorded again: `tail`, the fields after the first ones."""
    middle = encode_line([show, episode, status])[1:-1]
    return Again(f"[{quote(kind)},", f",{middle},", encoded_tail(tail))


def encoded_tail(tail: list) -> str:
    return f",{encode_line(tail)[1:]}" if tail else "]"


def record_again(meta: dict, line: Again) -> None:
    """Record a request answered before Django as its view did; `meta`: the WSGI environ."""
    if recording():
        push_lines([line.text(meta)])


@from_settings
def recording() -> bool:
    return settings.PODCAST_ANALYTICS


def unpacked_size(response: HttpResponseBase) -> int:
    """The size of a gzipped body before compression, from its trailer: nothing is decompressed.

    RFC 1952 ends a member with ISIZE, the input's length modulo 2**32 (a feed is far smaller).
    """
    body = getattr(response, "content", b"")
    return (
        int.from_bytes(body[-4:], "little")
        if response.status_code == 200 and len(body) >= 18
        else 0
    )


def request_fields(request: HttpRequest, kind: str, show: int, episode: int | None, status: int):
    """The first fields of a line, from the request."""
    now = time.time()
    user_agent = request.META.get("HTTP_USER_AGENT", "")
    ip = request.META.get("REMOTE_ADDR", "")
    referrer = request.META.get("HTTP_REFERER", "")
    return event_fields(kind, now, show, episode, status, ip, user_agent, referrer, salt_at(now))


def event_fields(
    kind: str,
    when: float,
    show: int,
    episode: int | None,
    status: int,
    ip: str,
    user_agent: str,
    referrer: str,
    salt: bytes,
) -> list:
    """The first fields of a buffered line; the IP address goes no further than this."""
    key = recent_keys.key(ip, user_agent, salt)
    return [kind, round(when, 3), show, episode, status, key, user_agent[:500], referrer[:500]]


def body_spans(request: HttpRequest, response: HttpResponseBase, size: int) -> list[Span]:
    """The byte spans a body carries, in order (several for multipart/byteranges)."""
    if response.status_code == 200:
        return [(0, int(response.get("Content-Length") or size) - 1)]
    found = CONTENT_RANGE.match(response.get("Content-Range", ""))
    if found:
        return [(int(found.group(1)), int(found.group(2)))]
    ranges = parse_range_header(request.headers.get("Range", ""), size) or ()
    return [(r.start, r.end) for r in ranges]


class Delivery:
    """The record of one streamed response, written once when its body ends or is cut off."""

    def __init__(self, line: list, spans: list[Span], tail: list) -> None:
        self.line, self.spans, self.tail, self.sent = line, spans, tail, 0

    def finish(self) -> None:
        spans = delivered(self.spans, self.sent)
        push([[*self.line, s, e, e - s + 1, *self.tail] for s, e in spans])


def delivered(spans: list[Span], sent: int) -> list[Span]:
    """The spans covered by the first `sent` bytes (multipart headers counted as content)."""
    out = []
    for start, end in spans:
        if sent <= 0:
            break
        last = min(end, start + sent - 1)
        out.append((start, last))
        sent -= last - start + 1
    return out


def counted(response: StreamingHttpResponse, delivery: Delivery):
    body = response.streaming_content
    if response.is_async:
        return _count_async(body, delivery)
    return _count_sync(body, delivery)


def _count_sync(body: Iterator[bytes], delivery: Delivery) -> Iterator[bytes]:
    try:
        for chunk in body:
            delivery.sent += len(chunk)
            yield chunk
    finally:
        delivery.finish()


async def _count_async(body: AsyncIterator[bytes], delivery: Delivery) -> AsyncIterator[bytes]:
    try:
        async for chunk in body:
            delivery.sent += len(chunk)
            yield chunk
    finally:
        delivery.finish()  # also when a disconnect cancels the stream


def push(rows: list[list]) -> None:
    """Append rows to the buffer; a buffer that is down costs the event, never the download."""
    if rows:
        push_lines([encode_line(row) for row in rows])


def push_lines(lines: list[str]) -> None:
    buffer = get_buffer()
    try:
        for line in lines:
            buffer.push(line)
    except (RedisError, OSError) as error:
        log.warning("analytics: %d event(s) not recorded: %s", len(lines), error)
