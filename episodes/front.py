"""Listeners' repeated requests answered before Django, from what Django answered them.

A range probe or a feed 304 costs Django more in its own per-request work (twelve
middleware, URL resolving, the request signals) than in our views. So the WSGI
entry (podcast/wsgi.py, the Procfile's `web`) wraps Django in ListenerFront: when
the feed or audio view answers a listener for a public URL, it offers the answer
(offer_feed, offer_audio); the front keeps it, with every header the middleware
added, and answers a later request of the same URL and headers itself:

- the feed: the same status, headers and bytes (a 304 or a 200, plain or gzip);
- a page the page cache keeps for every listener (episodes/pagecache.py), the same;
- the audio: any single range of MEMORY_RANGE_BYTES or less of the same file,
  `bytes=0-1` included, with the headers Django sent and the range's own.

Only GET without a session cookie; conditional and Range headers are part of what
must match, so anything else (HEAD, If-Range, several ranges, a malformed or
larger range, a 416) goes to Django. Premium, preview and personal (tokenized)
URLs are never offered. What is kept carries the generation (episodes/hot.py) and
lasts PODCAST_HOT_SECONDS at most, as the rows those views read: a publish or an
edit anywhere is served within the generation's recheck time (a quarter second),
a change nobody announces within those seconds (a page: within its page-cache
seconds and those). Each answer is recorded for the
analytics as the view records it. Under ASGI (`make run`) Django answers everything.
"""

import logging
import os
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.core.files.storage import FileSystemStorage
from django.http import HttpRequest
from django.http.response import HttpResponseBase

from analytics.recording import Again, again, audio_range_tail, feed_tail, record_again
from podcast.settingscache import from_settings

from . import hot
from .serving import MEMORY_RANGE_BYTES, parse_range_header

log = logging.getLogger(__name__)
KEPT_LIMIT = 10_000
KEPT_BYTES_LIMIT = 64 * 1024 * 1024
# Request headers an answer depends on, besides the URL; Range is the audio answer's own.
VARYING = (
    "wsgi.url_scheme",
    "HTTP_HOST",
    "HTTP_X_FORWARDED_HOST",
    "HTTP_X_FORWARDED_PROTO",
    "SERVER_NAME",
    "SERVER_PORT",
    "SCRIPT_NAME",
    "PATH_INFO",
    "QUERY_STRING",
    "HTTP_ACCEPT_ENCODING",
    "HTTP_COOKIE",  # pages say Vary: Cookie; a session cookie never gets this far
    "HTTP_IF_NONE_MATCH",
    "HTTP_IF_MODIFIED_SINCE",
    "HTTP_IF_MATCH",
    "HTTP_IF_UNMODIFIED_SINCE",
    "HTTP_IF_RANGE",
)
Answer = tuple[str, list[tuple[str, str]], bytes]


@dataclass(frozen=True, slots=True)
class Fixed:
    """An answer sent again as it was: a feed's or a cached page's 200 or 304."""

    status: str
    headers: list[tuple[str, str]]
    body: bytes
    recorded: Again | None  # a feed's analytics line

    @property
    def weight(self) -> int:
        return len(self.body)

    def answer(self, environ: dict) -> Answer | None:
        if self.recorded is not None:
            record_again(environ, self.recorded)
        return self.status, self.headers, self.body


@dataclass(frozen=True, slots=True)
class FileRanges:
    """Small ranges of a stored file, with the headers Django sends for any of them."""

    path: str
    size: int
    headers: list[tuple[str, str]]
    recorded: Again  # the analytics line of a 206, without its range
    weight = 0

    def answer(self, environ: dict) -> Answer | None:
        ranges = parse_range_header(environ.get("HTTP_RANGE", ""), self.size)
        if not ranges or len(ranges) > 1 or ranges[0].length > MEMORY_RANGE_BYTES:
            return None
        wanted = ranges[0]
        body = read_span(self.path, wanted.start, wanted.length)
        if body is None:
            return None
        headers = [
            *self.headers,
            ("Content-Length", str(wanted.length)),
            ("Content-Range", wanted.content_range(self.size)),
        ]
        tail = audio_range_tail(environ, wanted.start, wanted.end)
        record_again(environ, self.recorded.with_tail(tail))
        return "206 Partial Content", headers, body


def read_span(path: str, offset: int, length: int) -> bytes | None:
    """`length` bytes at `offset`, or None (Django then answers, as it would fail)."""
    try:
        descriptor = os.open(path, os.O_RDONLY)
    except OSError:
        return None
    try:
        data = os.pread(descriptor, length, offset)
    except OSError:
        return None
    finally:
        os.close(descriptor)
    return data if len(data) == length else None


# ---------------------------------------------------------------- what views offer


@dataclass(frozen=True, slots=True)
class FixedOffer:
    feed_of_show: int | None  # a page: None (pages are not recorded)

    def kept(self, response: HttpResponseBase) -> Fixed | None:
        if response.status_code not in (200, 304) or response.streaming:
            return None
        status = f"{response.status_code} {response.reason_phrase}"
        recorded = None
        if self.feed_of_show is not None:
            tail = feed_tail(response)
            recorded = again("f", self.feed_of_show, None, response.status_code, tail)
        return Fixed(status, list(response.items()), response.content, recorded)


@dataclass(frozen=True, slots=True)
class AudioOffer:
    path: str
    show: int
    episode: int

    def kept(self, response: HttpResponseBase) -> FileRanges | None:
        size = file_size(response)
        if size is None or response.get("Content-Type", "").startswith("multipart/"):
            return None
        omitted = ("Content-Length", "Content-Range")
        headers = [(name, value) for name, value in response.items() if name not in omitted]
        recorded = again("a", self.show, self.episode, 206, [])
        return FileRanges(self.path, size, headers, recorded)


def file_size(response: HttpResponseBase) -> int | None:
    """The whole file's size, from a 200's Content-Length or a 206's Content-Range."""
    if response.status_code == 200:
        length = response.get("Content-Length", "")
        return int(length) if length.isdigit() else None
    total = response.get("Content-Range", "").rpartition("/")[2]
    return int(total) if response.status_code == 206 and total.isdigit() else None


def offer_feed(request: HttpRequest, response: HttpResponseBase, show) -> HttpResponseBase:
    """Let the front answer this feed request again (a public feed, asked by a listener)."""
    if request.method == "GET" and hot.listener(request):
        response.front_offer = FixedOffer(show.pk)
    return response


def offer_page(request: HttpRequest, response: HttpResponseBase) -> HttpResponseBase:
    """Let the front answer this page again: one pagecache keeps for every listener anyway."""
    if request.method == "GET":
        response.front_offer = FixedOffer(None)
    return response


def offer_audio(request: HttpRequest, response: HttpResponseBase, episode, name: str):
    """Let the front answer small ranges of this public episode's stored file `name`."""
    storage = episode.audio.storage
    served_here = not (settings.PODCAST_AUDIO_REDIRECT or settings.PODCAST_ACCEL_REDIRECT)
    if (
        served_here
        and request.method == "GET"
        and isinstance(storage, FileSystemStorage)
        and episode.is_public()
        and hot.listener(request)
    ):
        response.front_offer = AudioOffer(storage.path(name), episode.show_id, episode.pk)
    return response


# ---------------------------------------------------------------- the WSGI layer


class Kept(hot.Recent):
    def keep(self, key: tuple, generation: str, response: Any) -> None:
        offer = getattr(response, "front_offer", None)
        if offer is None or not shareable(response):
            return
        entry = offer.kept(response)
        if entry is not None:
            self.put(key, generation, entry)


def shareable(response: HttpResponseBase) -> bool:
    """Public and setting no cookie (the request's cookies are part of the key)."""
    return response.get("Cache-Control", "").startswith("public") and not response.cookies


kept = Kept(max_entries=KEPT_LIMIT, max_weight=KEPT_BYTES_LIMIT, weigh=lambda entry: entry.weight)


@dataclass(frozen=True, slots=True)
class Setup:
    seconds: int  # PODCAST_HOT_SECONDS: 0 when the front answers nothing
    session_cookie: str


@from_settings
def setup() -> Setup:
    # CommonMiddleware would look at each user agent against DISALLOWED_USER_AGENTS.
    seconds = 0 if settings.DISALLOWED_USER_AGENTS else settings.PODCAST_HOT_SECONDS
    return Setup(seconds, settings.SESSION_COOKIE_NAME)


def request_key(environ: dict, session_cookie: str) -> tuple | None:
    """What an answer depends on, or None when the front must not answer this request."""
    if environ.get("REQUEST_METHOD") != "GET":
        return None
    if session_cookie in environ.get("HTTP_COOKIE", ""):
        return None
    return tuple(map(environ.get, VARYING))


class ListenerFront:
    """WSGI middleware: answers what Django answered before for the same public request."""

    def __init__(self, app: Callable) -> None:
        self.app = app

    def __call__(self, environ: dict, start_response: Callable) -> Iterable[bytes]:
        known = setup()
        key = request_key(environ, known.session_cookie) if known.seconds else None
        generation = current_generation() if key is not None else None
        if generation is None:
            return self.app(environ, start_response)
        entry = kept.get(key, generation, known.seconds)
        answer = entry.answer(environ) if entry is not None else None
        if answer is not None:
            status, headers, body = answer
            start_response(status, headers)
            return [body]
        response = self.app(environ, start_response)
        kept.keep(key, generation, response)
        return response


def current_generation() -> str | None:
    """The generation, or None when the shared cache cannot say: Django then answers."""
    try:
        return hot.current_generation()
    except Exception as error:  # whatever the cache backend raises
        log.warning("front: no generation, Django answers: %s", error)
        return None
