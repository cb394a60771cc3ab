"""What listeners' requests read, kept in this process and checked by one small key.

A feed poll, a 304, a cached page or a range probe would otherwise read the show
row and the episode from the database, and a cached page would fetch its bytes
(tens of KB) from the shared cache on every request. Here, for anonymous
requests only (staff and preview links always read the database):

- rows: the show a URL names and a published episode, kept PODCAST_HOT_SECONDS
  (1 s) at most;
- pages: the rendered page per URL, kept PODCAST_PAGE_CACHE_SECONDS at most.

Both are dropped as soon as the generation moves: a 32-character cache key that
every change reaching the feeds or pages bumps once it commits (pagecache). A
process reads it from a shared cache at most every GENERATION_RECHECK_SECONDS (a
quarter second), so a change announced in another process (a worker, another web
process) reaches listeners within that; in this process, at once. A change no
code path announces (an edit in a shell, a scheduled episode reaching its time)
is seen within those seconds. With the
per-process default cache, a change made in another process (a worker) is too.
"""

import copy
import hashlib
import threading
import time
import uuid
from collections import OrderedDict
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.core.cache import cache
from django.http import HttpRequest, HttpResponse
from django.utils.cache import get_conditional_response

from podcast.settingscache import from_settings

from .cachecontrol import listener_cache_control

GENERATION_KEY = "pages:generation"
ROWS_LIMIT = 10_000
PAGES_BYTES_LIMIT = 64 * 1024 * 1024


# A round trip to a shared cache (Redis) costs more than the rest of a range probe
# or a feed 304, so this process trusts the value it read for this long: a change
# made in another process reaches these paths within it; one made here, at once.
GENERATION_RECHECK_SECONDS = 0.25
_known: tuple[str, float] = ("", -GENERATION_RECHECK_SECONDS)  # (value, monotonic time read)


def generation(request: HttpRequest) -> str:
    """The current generation, looked up once per request."""
    if not hasattr(request, "hot_generation"):
        request.hot_generation = current_generation()
    return request.hot_generation


def current_generation() -> str:
    """The generation: from this process within the recheck time, else read from the cache."""
    global _known
    value, read_at = _known
    now = time.monotonic()
    if value and now - read_at < GENERATION_RECHECK_SECONDS and not per_process_cache():
        return value
    value = cache.get(GENERATION_KEY)
    if value is None:
        # After a flush or on first use: a fresh value, so nothing kept before can match.
        cache.add(GENERATION_KEY, uuid.uuid4().hex, None)
        value = cache.get(GENERATION_KEY, "")
    _known = (value, now)
    return value


@from_settings
def per_process_cache() -> bool:
    # A per-process cache is a dictionary lookup away: read it every time, so even a
    # flush (cache.clear()) is seen at once.
    return settings.CACHES["default"]["BACKEND"].endswith(".LocMemCache")


def bump_generation() -> None:
    global _known
    value = uuid.uuid4().hex
    cache.set(GENERATION_KEY, value, None)
    _known = (value, time.monotonic())


class Recent:
    """A thread-safe map whose entries carry the generation and the time they were made.

    Bounded by a count of entries and by their summed weight (bytes, say), kept as a
    running total so a put costs the same however many entries there are; the oldest
    go first.
    """

    def __init__(
        self,
        max_entries: int | None = None,
        max_weight: int | None = None,
        weigh: Callable[[Any], int] = lambda value: 0,
    ) -> None:
        self.entries: OrderedDict[Any, tuple[str, float, Any]] = OrderedDict()
        self.lock = threading.Lock()
        self.max_entries, self.max_weight, self.weigh = max_entries, max_weight, weigh
        self.weight = 0

    def get(self, key: Any, current: str, seconds: float) -> Any:
        with self.lock:
            entry = self.entries.get(key)
        if entry is None or entry[0] != current or time.monotonic() - entry[1] >= seconds:
            return None
        return entry[2]

    def put(self, key: Any, current: str, value: Any) -> None:
        with self.lock:
            replaced = self.entries.pop(key, None)
            if replaced is not None:
                self.weight -= self.weigh(replaced[2])
            self.entries[key] = (current, time.monotonic(), value)
            self.weight += self.weigh(value)
            while len(self.entries) > 1 and self.too_much():
                self.weight -= self.weigh(self.entries.popitem(last=False)[1][2])

    def too_much(self) -> bool:
        if self.max_entries is not None and len(self.entries) > self.max_entries:
            return True
        return self.max_weight is not None and self.weight > self.max_weight

    def clear(self) -> None:
        with self.lock:
            self.entries.clear()
            self.weight = 0


rows = Recent(max_entries=ROWS_LIMIT)
pages = Recent(max_weight=PAGES_BYTES_LIMIT, weigh=lambda page: len(page.content))


def listener(request: HttpRequest) -> bool:
    """An anonymous request without a preview link: what every listener and app sends."""
    if "preview" in request.GET:
        return False
    # Without a session cookie nobody is logged in: no need to load the (lazy) user.
    return settings.SESSION_COOKIE_NAME not in request.COOKIES or not request.user.is_authenticated


def row(request: HttpRequest, key: tuple, load: Callable[[], Any]) -> Any:
    """`load()`'s model instance, from this process when a listener asked within the second.

    Each request gets its own copy: views may set attributes on it. None is not kept.
    """
    seconds = settings.PODCAST_HOT_SECONDS
    if not seconds or not listener(request):
        return load()
    current = generation(request)
    kept = rows.get(key, current, seconds)
    if kept is None:
        kept = load()
        if kept is None:
            return None
        rows.put(key, current, kept)
    return clone(kept)


def clone(instance: Any) -> Any:
    """A shallow copy of a model instance, as copy.copy() makes, without its pickling detour."""
    copied = object.__new__(type(instance))
    copied.__dict__.update(instance.__dict__)
    copied._state = copy.copy(instance._state)
    copied._state.fields_cache = instance._state.fields_cache.copy()
    return copied


def forget_rows() -> None:
    """Drop the rows this process keeps, e.g. once it stored new feed validators on the show."""
    rows.clear()


@dataclass(frozen=True, slots=True)
class Page:
    content: bytes
    content_type: str
    etag: str
    headers: tuple[tuple[str, str], ...]


def cached_page(
    request: HttpRequest, seconds: int, build: Callable[[], HttpResponse]
) -> HttpResponse:
    """The page from this process's memory, or `build()` kept when it is a plain 200."""
    key = (request.get_host(), request.get_full_path())
    current = generation(request)
    page = pages.get(key, current, seconds)
    if page is None:
        response = build()
        if response.status_code != 200 or response.streaming or response.cookies:
            return response
        content = response.content
        etag = f'"{hashlib.blake2b(content, digest_size=12).hexdigest()}"'
        kept = tuple((k, v) for k, v in response.items() if k not in ("Content-Type", "Vary"))
        page = Page(content, response["Content-Type"], etag, kept)
        pages.put(key, current, page)
    return page_response(request, page, seconds)


def page_response(request: HttpRequest, page: Page, seconds: int) -> HttpResponse:
    response = HttpResponse(page.content, content_type=page.content_type)
    for name, value in page.headers:
        response[name] = value
    response["ETag"] = page.etag
    response["Cache-Control"] = listener_cache_control(seconds)
    return get_conditional_response(request, etag=page.etag, response=response)
