"""The feeds' cache: validators kept on the show row, the bytes they name, invalidation.

Serving: the show row the view loads anyway says whether the stored validators
of the requested document are current: its feed revision, which every change a
feed shows bumps in the same transaction (invalidate_feed), its updated_at, and
the next scheduled publish time, so a scheduled episode appears at its time
without anyone doing anything. Conditional requests are answered from that row
without building the feed or loading episodes; a stale or missing entry builds
once (build.py) and stores the bytes and their gzip under the content hash, the ETag.

Web and worker processes share the database, not the cache (the default one is
per process), so what decides whether a feed is current lives on the show row,
which the view loads anyway: `feed_revision`, bumped in the transaction of each
change a feed shows (invalidate_feed), and `feed_validators`, per feed
document ("main", "full", "page3"), the ETag and Last-Modified it was last
built with, the key of the state it was built from, and the time it stays good
until: the next scheduled publish time, REBUILD_AFTER at most. A conditional
request is answered from that row alone; a cache flush or a restart changes
neither validator, as the bytes rebuild to the same content hash.
"""

import datetime as dt
import gzip
import hashlib
import threading
from collections import OrderedDict
from dataclasses import dataclass

from django.conf import settings
from django.core.cache import cache
from django.db import transaction
from django.db.models import F, Min, Q, QuerySet
from django.http import Http404, HttpRequest, HttpResponse
from django.utils import timezone
from django.utils.http import http_date, parse_http_date_safe

from .. import hot
from ..cachecontrol import listener_cache_control
from ..models import Person, Show
from ..pagecache import invalidate_pages
from . import build

# The longest a stored validator is trusted. A change that no code path announces
# (an edit in a shell, a storage URL setting) still reaches the feed within it.
REBUILD_AFTER = 600
# Far enough ahead that published() at this time admits every scheduled episode.
FAR_FUTURE = dt.datetime(9999, 1, 1, tzinfo=dt.UTC)
CACHE_SECONDS = 24 * 3600
MAX_AGE = 300


@dataclass(frozen=True, slots=True)
class Validators:
    etag: str
    modified: int  # Last-Modified in epoch seconds


def state_key(show: Show, document: str, stylesheet: str) -> str:
    """Names what a feed document is built from, as far as the show row and settings tell."""
    # show.updated_at: Show.save() anywhere changes the feed without announcing it.
    parts = (
        build.FORMAT_VERSION,
        show.pk,
        show.feed_revision,
        show.updated_at.isoformat(),
        document,
    )
    parts += (stylesheet, settings.PODCAST_SITE_URL, settings.PODCAST_WEBSUB_HUB)
    parts += (settings.PODCAST_FEED_PAGE_SIZE, settings.PODCAST_FEED_MAX_EPISODES)
    parts += (settings.PODCAST_FEED_MAX_BYTES, settings.PODCAST_LIVE_ITEM_DAYS)
    return hashlib.blake2b(repr(parts).encode(), digest_size=12).hexdigest()


def current(show: Show, document: str, key: str, now: dt.datetime) -> Validators | None:
    """The stored validators of a document built from this state and still good at `now`."""
    stored = show.feed_validators if isinstance(show.feed_validators, dict) else {}
    entry = stored.get(document)
    if not isinstance(entry, dict) or entry.get("key") != key:
        return None
    if now.timestamp() >= entry.get("until", 0):
        return None
    return Validators(entry["etag"], entry["modified"])


def last_modified(previous: object, etag: str, now: dt.datetime) -> int:
    """Last-Modified moves when the bytes do, and only then, at least a second each time."""
    if not isinstance(previous, dict):
        return int(now.timestamp())
    if previous.get("etag") == etag:
        return previous["modified"]
    return max(int(now.timestamp()), previous["modified"] + 1)


def good_until(show: Show, now: dt.datetime) -> float:
    """Until when bytes built at `now` stay right: the next publish time, REBUILD_AFTER at most."""
    ahead = show.episodes.published(FAR_FUTURE).filter(publish_at__gt=now)
    upcoming = ahead.aggregate(first=Min("publish_at"))["first"]
    limit = now.timestamp() + REBUILD_AFTER
    return min(limit, upcoming.timestamp()) if upcoming else limit


def store(show: Show, document: str, key: str, etag: str, now: dt.datetime) -> Validators:
    """Record the validators of a document just built at `now` and return them."""
    until = good_until(show, now)
    with transaction.atomic():
        # Locked and read again: another process may have stored another document meanwhile.
        row = Show.objects.select_for_update().filter(pk=show.pk)
        stored = row.values_list("feed_validators", flat=True).first()
        if stored is None:  # the show was deleted meanwhile
            return Validators(etag, int(now.timestamp()))
        stored = stored if isinstance(stored, dict) else {}
        validators = Validators(etag, last_modified(stored.get(document), etag, now))
        entry = {"key": key, "etag": etag, "modified": validators.modified, "until": until}
        stored[document] = entry
        row.update(feed_validators=stored)  # update(): the show's updated_at stays
    show.feed_validators = stored
    return validators


# ---------------------------------------------------------------- invalidation


def invalidate_feed(show: Show) -> None:
    """Make every feed of the show rebuild on its next request, in every process.

    Call it in the transaction of any change a feed shows (episodes, persons,
    funding, chapters, transcripts), so the new revision commits with the change,
    or after the change; never before it outside a transaction, or a request in
    between stores the old bytes under the new revision. Show.save() needs no call
    (the show's updated_at names its feeds too).
    """
    bump_feed_revisions(Show.objects.filter(pk=show.pk))
    invalidate_pages()  # what changes a feed changes the pages too


def invalidate_all_feeds() -> None:
    """Rebuild every show's feeds, e.g. after a change shared by all shows."""
    bump_feed_revisions(Show.objects.all())
    invalidate_pages()


def invalidate_feeds_for_person(person: Person) -> None:
    """Rebuild the feeds the person appears in: shows they host, shows of episodes crediting them.

    Before a delete, call it inside the deleting transaction: the credits that
    say which shows those are go with the person.
    """
    shows = Show.objects.filter(Q(hosts__person=person) | Q(episodes__credits__person=person))
    bump_feed_revisions(Show.objects.filter(pk__in=shows.values("pk")))
    invalidate_pages()


def bump_feed_revisions(shows: QuerySet) -> None:
    # One UPDATE, atomic in the database: concurrent bumps never lose one.
    shows.update(feed_revision=F("feed_revision") + 1)


# ---------------------------------------------------------------- bytes


def bytes_key(etag: str, gzipped: bool) -> str:
    # Apart, so a gzip request does not unpickle the (30x larger) plain bytes too.
    return f"feed:bytes:{etag}:{'gz' if gzipped else 'raw'}"


# The bytes served lately, also kept in this process: the shared cache unpickles a
# new copy on every read (14 MB for 3,000 episodes). Named by content hash, they
# can never be stale; the least recently served go first.
RECENT_BYTES_LIMIT = 64 * 1024 * 1024
recent: OrderedDict[str, bytes] = OrderedDict()
_recent_lock = threading.Lock()


def remember(key: str, body: bytes) -> None:
    with _recent_lock:
        recent[key] = body
        recent.move_to_end(key)
        while len(recent) > 1 and sum(map(len, recent.values())) > RECENT_BYTES_LIMIT:
            recent.popitem(last=False)


def cached_bytes(etag: str, gzipped: bool) -> bytes | None:
    key = bytes_key(etag, gzipped)
    with _recent_lock:
        body = recent.get(key)
        if body is not None:
            recent.move_to_end(key)
            return body
    body = cache.get(key)
    if body is not None:
        remember(key, body)
    return body


def keep_bytes(body: bytes, gzipped: bool) -> tuple[str, bytes]:
    """Cache both encodings of a document under its content hash; (hash, the bytes wanted)."""
    etag = hashlib.blake2b(body, digest_size=16).hexdigest()
    packed = gzip.compress(body, compresslevel=6, mtime=0)
    cache.set_many({bytes_key(etag, False): body, bytes_key(etag, True): packed}, CACHE_SECONDS)
    wanted = packed if gzipped else body
    remember(bytes_key(etag, gzipped), wanted)
    return etag, wanted


# ---------------------------------------------------------------- HTTP


def accepts_gzip(request: HttpRequest) -> bool:
    for coding in request.headers.get("Accept-Encoding", "").lower().split(","):
        name, _, params = coding.strip().partition(";")
        if name.strip() in ("gzip", "*"):
            return params.replace(" ", "") not in ("q=0", "q=0.0", "q=0.00", "q=0.000")
    return False


def not_modified(request: HttpRequest, validators: Validators) -> bool:
    """RFC 9110: If-None-Match wins over If-Modified-Since; weak comparison."""
    if_none_match = request.headers.get("If-None-Match")
    if if_none_match is not None:
        tags = {t.strip().removeprefix("W/").strip('"') for t in if_none_match.split(",")}
        return "*" in tags or validators.etag in {t.removesuffix("-gz") for t in tags}
    since = parse_http_date_safe(request.headers.get("If-Modified-Since", ""))
    return since is not None and validators.modified <= since


def feed_headers(response: HttpResponse, validators: Validators, gzipped: bool) -> HttpResponse:
    # The gzip bytes are another representation, so they get an ETag of their own.
    etag = validators.etag
    response["ETag"] = f'"{etag}-gz"' if gzipped else f'"{etag}"'
    response["Last-Modified"] = http_date(validators.modified)
    response["Cache-Control"] = listener_cache_control(MAX_AGE)
    response["Vary"] = "Accept-Encoding"
    return response


# ---------------------------------------------------------------- serving

# application/xml rather than application/rss+xml: podcast apps read either, but
# Chromium shows an rss+xml response as plain text and Firefox offers to download
# it, while both render application/xml as a document that our CSS stylesheet
# turns into a readable page (static/css/feed.css). Same bytes for everyone.
RSS_TYPE = "application/xml; charset=utf-8"


def build_document(show: Show, variant: build.Variant, now) -> bytes:
    """The document's bytes as they are at `now`; 404 for a page past the last."""
    published = build.audience_episodes(show, variant, now).count() if variant.kind == "page" else 0
    if variant.kind == "page" and variant.page > build.page_count(published):
        raise Http404("No such page.")
    return build.build_feed(show, variant, now, published)


def build_and_store(
    show: Show, variant: build.Variant, now, key: str, gzipped: bool
) -> tuple[Validators, bytes]:
    """Build the document, keep its bytes and store its validators; (validators, wanted bytes)."""
    etag, wanted = keep_bytes(build_document(show, variant, now), gzipped)
    validators = store(show, variant.key, key, etag, now)
    hot.forget_rows()  # the show rows kept in this process hold the old validators
    return validators, wanted


def feed_response(request: HttpRequest, show: Show, variant: build.Variant) -> HttpResponse:
    now = timezone.now()
    gzipped = accepts_gzip(request)
    key = state_key(show, variant.key, build.stylesheet_url())
    validators, body = current(show, variant.key, key, now), None
    if validators is None:
        validators, body = build_and_store(show, variant, now, key, gzipped)
    if not_modified(request, validators):
        return feed_headers(HttpResponse(status=304), validators, gzipped)
    body = body or cached_bytes(validators.etag, gzipped)
    if body is None:  # built by another process, or dropped by the cache
        validators, body = build_and_store(show, variant, now, key, gzipped)
    response = HttpResponse(b"" if request.method == "HEAD" else body, content_type=RSS_TYPE)
    response["Content-Length"] = str(len(body))
    if gzipped:
        response["Content-Encoding"] = "gzip"
    return feed_headers(response, validators, gzipped)
