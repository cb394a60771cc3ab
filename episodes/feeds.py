"""The podcast feed: items loaded in a few queries, bytes cached under a cheap validator.

Serving: every request runs ONE aggregate query over the show's published
episodes (count, sum of ids, newest edit, newest publish time, newest transcript
edit; the episode_feed_state index covers it) and reads two invalidation tokens
from the cache. Those, the show row and the feed's settings name the cached
entry. A scheduled episode changes the published count at its publish time, so
it appears without anyone doing anything. Conditional requests are answered from
that entry without building the feed or loading episodes; a miss builds once and
stores the bytes and their gzip under the content hash, which is the ETag.
"""

import gzip
import hashlib
import math
import threading
import uuid
from collections import OrderedDict, defaultdict
from dataclasses import dataclass

from django.conf import settings
from django.core.cache import cache
from django.db import transaction
from django.db.models import Count, Max, QuerySet, Sum
from django.http import Http404, HttpRequest, HttpResponse, HttpResponsePermanentRedirect
from django.shortcuts import get_object_or_404
from django.templatetags.static import static
from django.utils import timezone
from django.utils.http import http_date, parse_http_date_safe
from django.views.decorators.http import require_safe

from transcripts.models import Transcript

from . import feedxml
from .categories import parse_category
from .chapters import CONTENT_TYPE as CHAPTERS_TYPE
from .chapters import ChapterEntry, chapters_json
from .models import Chapter, Episode, EpisodePerson, ProcessingStatus, Show
from .pagecache import invalidate_pages
from .views import get_show

# Bump when the generator's output changes, so cached feeds are rebuilt after a deploy.
FORMAT_VERSION = 1
CACHE_SECONDS = 24 * 3600
MAX_AGE = 300
RSS_TYPE = "application/rss+xml; charset=utf-8"
ALL_FEEDS_TOKEN = "feed:token:all"
# (extension, MIME type, rel) per transcript file, in the order podcast apps prefer.
TRANSCRIPT_FORMATS = (
    ("vtt", "text/vtt", "captions"),
    ("json", "application/json", ""),
    ("srt", "application/x-subrip", "captions"),
    ("html", "text/html", ""),
)
EPISODE_FIELDS = (
    "id", "show_id", "number", "title", "slug", "summary", "show_notes", "show_notes_html",
    "publish_at", "guid", "explicit", "season", "episode_type", "artwork", "soundbite_start",
    "soundbite_duration", "soundbite_title", "audio", "audio_version", "audio_duration",
    "audio_size", "audio_mime_type",
)  # fmt: skip


# ---------------------------------------------------------------- invalidation


def show_token_key(show_id: int) -> str:
    return f"feed:token:show:{show_id}"


def invalidate_feed(show: Show) -> None:
    """Make every feed of the show rebuild on its next request, once the transaction commits.

    Episode and show edits made with save() and any change of the published set
    are seen by the validator query anyway; call this for what it cannot see
    (persons, funding links, chapters saved without their episode, bulk updates).
    """
    transaction.on_commit(lambda: cache.set(show_token_key(show.pk), uuid.uuid4().hex, None))
    invalidate_pages()  # what changes a feed changes the pages too


def invalidate_all_feeds() -> None:
    """Rebuild every show's feeds, e.g. after a Person (shared by shows) changed."""
    transaction.on_commit(lambda: cache.set(ALL_FEEDS_TOKEN, uuid.uuid4().hex, None))
    invalidate_pages()


# ---------------------------------------------------------------- variants


@dataclass(frozen=True, slots=True)
class Variant:
    """Which document of a show: the main feed, the full history, or page N (RFC 5005)."""

    kind: str = "main"
    page: int = 0

    @property
    def key(self) -> str:
        return f"page{self.page}" if self.kind == "page" else self.kind


def self_url(show: Show, variant: Variant) -> str:
    if variant.kind == "full":
        return show.absolute(show.reverse("rss_full_history"))
    if variant.kind == "page":
        return f"{show.feed_url()}?page={variant.page}"
    return show.feed_url()


def page_count(published: int) -> int:
    return max(1, math.ceil(published / settings.PODCAST_FEED_PAGE_SIZE))


def page_links(show: Show, variant: Variant, published: int) -> tuple[tuple[str, str], ...]:
    if variant.kind != "page":
        return ()  # the main and full feeds are complete: no paging for apps to follow
    last = page_count(published)
    links = [("first", 1), ("last", last)]
    links += [("prev", variant.page - 1)] if variant.page > 1 else []
    links += [("next", variant.page + 1)] if variant.page < last else []
    return tuple((rel, f"{show.feed_url()}?page={page}") for rel, page in links)


# ---------------------------------------------------------------- loading


def file_url(show: Show, field) -> str:
    """Absolute URL of a stored file; object storage already gives absolute ones."""
    if not field:
        return ""
    url = field.url
    return url if url.startswith(("http://", "https://")) else show.absolute(url)


def stylesheet_url() -> str:
    try:
        return static("feed.xsl")
    except ValueError:  # hashed storage without a manifest (tests, before collectstatic)
        return settings.STATIC_URL + "feed.xsl"


def categories(show: Show) -> tuple[tuple[str, tuple[str, ...]], ...]:
    grouped: dict[str, list[str]] = {}
    for value in show.categories:
        top, sub = parse_category(value)
        grouped.setdefault(top, []).extend([sub] if sub else [])
    return tuple((top, tuple(subs)) for top, subs in grouped.items())


def person(credit) -> feedxml.Person:
    p = credit.person
    return feedxml.Person(name=p.name, role=credit.role, href=p.url, img=p.image_url)


def channel_for(show: Show, variant: Variant, published: int) -> feedxml.Channel:
    return feedxml.Channel(
        title=show.title,
        link=show.website or show.absolute(show.get_absolute_url()),
        description=feedxml.safe_description(show.description),
        language=show.language,
        self_url=self_url(show, variant),
        copyright=show.copyright,
        author=show.author,
        owner_name=show.owner_name,
        owner_email=show.owner_email,
        image=file_url(show, show.artwork),
        categories=categories(show),
        explicit=show.explicit,
        show_type=show.show_type,
        podcast_guid=str(show.podcast_guid or ""),
        locked=show.locked,
        funding=tuple((f.url, f.label) for f in show.funding_links.all()),
        persons=tuple(person(h) for h in show.hosts.select_related("person")),
        medium=show.medium,
        new_feed_url=show.new_feed_url,
        hub_url=settings.PODCAST_WEBSUB_HUB,
        page_links=page_links(show, variant, published),
        stylesheet=stylesheet_url(),
    )


@dataclass(frozen=True, slots=True)
class Related:
    """What the items need beyond the episode rows, each loaded in one query."""

    hosts: tuple[feedxml.Person, ...]
    guests: dict[int, list[feedxml.Person]]
    chaptered: set[int]
    transcripts: dict[int, str]  # episode id -> language of its ready transcript


def load_related(channel: feedxml.Channel, episodes: QuerySet) -> Related:
    ids = episodes.values("pk")
    guests: dict[int, list[feedxml.Person]] = defaultdict(list)
    credits = EpisodePerson.objects.filter(episode__in=ids).select_related("person")
    for credit in credits.order_by("episode_id", "position", "pk"):
        guests[credit.episode_id].append(person(credit))
    chaptered = set(Chapter.objects.filter(episode__in=ids).values_list("episode_id", flat=True))
    ready = Transcript.objects.filter(episode__in=ids, status=ProcessingStatus.READY)
    transcripts: dict[int, str] = {}
    for episode_id, language in ready.order_by("-pk").values_list("episode_id", "language"):
        transcripts[episode_id] = language  # lowest pk wins, as the transcript files do
    return Related(channel.persons, guests, chaptered, transcripts)


@dataclass(frozen=True, slots=True)
class EpisodeUrls:
    """Absolute URLs of a show's episodes, reversed once with markers then filled in.

    reverse() costs tens of microseconds and a feed makes three per episode; the
    parser tests compare every URL with the model's own methods.
    """

    detail: str
    download: str
    transcript: str
    chapters: str

    NUMBER = "987654321"
    SLUG = "slug-marker-7f3a"

    @classmethod
    def for_show(cls, show: Show) -> "EpisodeUrls":
        marker = {"number": int(cls.NUMBER), "slug": cls.SLUG}
        return cls(
            detail=show.absolute(show.reverse("detail", **marker)),
            download=show.absolute(show.reverse("download", **marker)),
            transcript=show.absolute(show.reverse("transcript", **marker)),
            chapters=show.absolute(show.reverse("chapters", number=marker["number"])),
        )

    def fill(self, template: str, episode: Episode) -> str:
        return template.replace(self.NUMBER, str(episode.number)).replace(self.SLUG, episode.slug)

    def download_url(self, episode: Episode) -> str:
        # Mirrors Episode.download_url(): a new version of the bytes gets a new URL.
        url = self.fill(self.download, episode)
        return f"{url}?v={episode.audio_version}" if episode.audio_version > 1 else url


def transcript_links(urls: EpisodeUrls, episode: Episode, language: str):
    base = urls.fill(urls.transcript, episode)
    return tuple(
        feedxml.TranscriptLink(url=f"{base}.{ext}", type=mime, language=language, rel=rel)
        for ext, mime, rel in TRANSCRIPT_FORMATS
    )


def item_for(
    show: Show, episode: Episode, related: Related, image: str, urls: EpisodeUrls
) -> feedxml.Item:
    description, content = notes(episode)
    language = related.transcripts.get(episode.pk)
    hosts = {p.name for p in related.hosts}
    guests = [p for p in related.guests.get(episode.pk, ()) if p.name not in hosts]
    return feedxml.Item(
        title=episode.title,
        link=urls.fill(urls.detail, episode),
        guid=str(episode.guid),
        published=episode.publish_at,
        description_html=description,
        content_html=content,
        enclosure_url=urls.download_url(episode),
        enclosure_length=episode.audio_size or 0,
        enclosure_type=episode.audio_mime_type or "audio/mpeg",
        duration=round(episode.audio_duration or 0),
        number=episode.number,
        season=episode.season or None,
        episode_type=episode.episode_type,
        image=file_url(show, episode.artwork) or image,
        explicit=episode.explicit,
        # An item's persons replace the channel's, so the hosts are restated.
        persons=related.hosts + tuple(guests),
        transcripts=transcript_links(urls, episode, language) if language is not None else (),
        chapters_url=urls.fill(urls.chapters, episode) if episode.pk in related.chaptered else "",
        soundbite=soundbite(episode),
    )


def notes(episode: Episode) -> tuple[str, str]:
    """(description, content) of an item, from the stored HTML of its notes when it can."""
    # The feed strips what XML forbids before rendering; the page strips only NUL,
    # so for such rare notes the stored HTML is not what the feed would render.
    stored = episode.show_notes_html
    if stored and not feedxml.FORBIDDEN.search(episode.show_notes.replace("\x00", "")):
        return feedxml.notes_from_html(stored)
    return feedxml.notes_html(episode.show_notes or episode.summary)


def soundbite(episode: Episode) -> feedxml.Soundbite | None:
    if episode.soundbite_start is None or not episode.soundbite_duration:
        return None
    return feedxml.Soundbite(
        episode.soundbite_start, episode.soundbite_duration, episode.soundbite_title
    )


def feed_episodes(show: Show, variant: Variant, now) -> QuerySet:
    episodes = show.episodes.published(now).newest_first().only(*EPISODE_FIELDS)
    if variant.kind == "page":
        size = settings.PODCAST_FEED_PAGE_SIZE
        return episodes[(variant.page - 1) * size : variant.page * size]
    return episodes


def build_feed(show: Show, variant: Variant, now, published: int) -> bytes:
    """The feed document of one show as it is at `now`."""
    channel = channel_for(show, variant, published)
    episodes = feed_episodes(show, variant, now)
    related = load_related(channel, episodes)
    urls = EpisodeUrls.for_show(show)
    items = (item_for(show, episode, related, channel.image, urls) for episode in episodes)
    return feedxml.render_feed(channel, items)


# ---------------------------------------------------------------- validators and cache


@dataclass(frozen=True, slots=True)
class Snapshot:
    """What the validator query saw: enough to name the cache entry and date it."""

    key: str
    published: int
    data_time: int  # newest timestamp behind the feed, in epoch seconds


def snapshot(show: Show, variant: Variant, now) -> Snapshot:
    """The cache key of this feed as it is at `now`: one aggregate query, one cache read."""
    state = show.episodes.published(now).aggregate(
        count=Count("pk", distinct=True),
        ids=Sum("pk", distinct=True),
        edited=Max("updated_at"),
        newest=Max("publish_at"),
        transcripts=Max("transcripts__updated_at"),
    )
    tokens = cache.get_many([ALL_FEEDS_TOKEN, show_token_key(show.pk)])
    parts = (FORMAT_VERSION, settings.PODCAST_SITE_URL, settings.PODCAST_WEBSUB_HUB)
    parts += (settings.PODCAST_FEED_PAGE_SIZE, show.pk, show.updated_at, variant.key)
    parts += (sorted(tokens.items()), sorted(state.items()), stylesheet_url())
    digest = hashlib.blake2b(repr(parts).encode(), digest_size=16).hexdigest()
    times = (show.updated_at, state["edited"], state["newest"], state["transcripts"])
    newest = max(t for t in times if t is not None)
    return Snapshot(f"feed:meta:{digest}", state["count"], int(newest.timestamp()))


def state_key(show: Show, variant: Variant) -> str:
    return f"feed:state:{show.pk}:{variant.key}"


def last_modified(show: Show, variant: Variant, etag: str, data_time: int) -> int:
    """Last-Modified moves only when the bytes change.

    Normally the newest timestamp behind the feed; but an edit that no timestamp
    records (a person's name) must still move it, so a new ETag gets at least one
    second more than the previous one, and an unchanged ETag keeps its date.
    """
    previous = cache.get(state_key(show, variant))
    if previous is None:
        return data_time
    old_etag, old_time = previous
    return old_time if old_etag == etag else max(data_time, old_time + 1)


def bytes_key(etag: str, gzipped: bool) -> str:
    # Apart, so a gzip request does not unpickle the (30x larger) plain bytes too.
    return f"feed:bytes:{etag}:{'gz' if gzipped else 'raw'}"


# The bytes served lately, also kept in this process: the shared cache unpickles a
# new copy on every read (14 MB for 3,000 episodes). Named by content hash, they
# can never be stale; the least recently served go first.
RECENT_BYTES_LIMIT = 64 * 1024 * 1024
_recent: OrderedDict[str, bytes] = OrderedDict()
_recent_lock = threading.Lock()


def remember(key: str, body: bytes) -> None:
    with _recent_lock:
        _recent[key] = body
        _recent.move_to_end(key)
        while len(_recent) > 1 and sum(map(len, _recent.values())) > RECENT_BYTES_LIMIT:
            _recent.popitem(last=False)


def cached_bytes(etag: str, gzipped: bool) -> bytes | None:
    key = bytes_key(etag, gzipped)
    with _recent_lock:
        body = _recent.get(key)
        if body is not None:
            _recent.move_to_end(key)
            return body
    body = cache.get(key)
    if body is not None:
        remember(key, body)
    return body


def build_and_store(show: Show, variant: Variant, now, snap: Snapshot, gzipped: bool):
    """Build the feed, cache both encodings under its content hash; (meta, wanted bytes)."""
    body = build_feed(show, variant, now, snap.published)
    etag = hashlib.blake2b(body, digest_size=16).hexdigest()
    meta = (etag, last_modified(show, variant, etag, snap.data_time))
    packed = gzip.compress(body, compresslevel=6, mtime=0)
    cache.set_many({bytes_key(etag, False): body, bytes_key(etag, True): packed}, CACHE_SECONDS)
    remember(bytes_key(etag, gzipped), packed if gzipped else body)
    cache.set(snap.key, meta, CACHE_SECONDS)
    cache.set(state_key(show, variant), meta, None)
    return meta, packed if gzipped else body


# ---------------------------------------------------------------- responses


def accepts_gzip(request: HttpRequest) -> bool:
    for coding in request.headers.get("Accept-Encoding", "").lower().split(","):
        name, _, params = coding.strip().partition(";")
        if name.strip() in ("gzip", "*"):
            return params.replace(" ", "") not in ("q=0", "q=0.0", "q=0.00", "q=0.000")
    return False


def not_modified(request: HttpRequest, etag: str, modified: int) -> bool:
    """RFC 9110: If-None-Match wins over If-Modified-Since; weak comparison."""
    if_none_match = request.headers.get("If-None-Match")
    if if_none_match is not None:
        tags = {t.strip().removeprefix("W/").strip('"') for t in if_none_match.split(",")}
        return "*" in tags or etag in {t.removesuffix("-gz") for t in tags}
    since = parse_http_date_safe(request.headers.get("If-Modified-Since", ""))
    return since is not None and modified <= since


def feed_headers(response: HttpResponse, etag: str, modified: int, gzipped: bool) -> HttpResponse:
    # The gzip bytes are another representation, so they get an ETag of their own.
    response["ETag"] = f'"{etag}-gz"' if gzipped else f'"{etag}"'
    response["Last-Modified"] = http_date(modified)
    response["Cache-Control"] = f"public, max-age={MAX_AGE}"
    response["Vary"] = "Accept-Encoding"
    return response


def feed_response(request: HttpRequest, show: Show, variant: Variant) -> HttpResponse:
    now = timezone.now()
    snap = snapshot(show, variant, now)
    if variant.kind == "page" and variant.page > page_count(snap.published):
        raise Http404("No such page.")
    gzipped = accepts_gzip(request)
    meta, body = cache.get(snap.key), None
    if meta is None:
        meta, body = build_and_store(show, variant, now, snap, gzipped)
    etag, modified = meta
    if not_modified(request, etag, modified):
        return feed_headers(HttpResponse(status=304), etag, modified, gzipped)
    body = body or cached_bytes(etag, gzipped)
    if body is None:  # the bytes were evicted before their validator
        (etag, modified), body = build_and_store(show, variant, now, snap, gzipped)
    response = HttpResponse(b"" if request.method == "HEAD" else body, content_type=RSS_TYPE)
    response["Content-Length"] = str(len(body))
    if gzipped:
        response["Content-Encoding"] = "gzip"
    return feed_headers(response, etag, modified, gzipped)


def requested_variant(request: HttpRequest) -> Variant:
    page = request.GET.get("page")
    if page is None:
        return Variant()
    if not page.isascii() or not page.isdigit() or int(page) < 1:
        raise Http404("Pages are numbered from 1.")
    return Variant("page", int(page))


# ---------------------------------------------------------------- views


@require_safe
def rss(request: HttpRequest, show_slug: str | None = None) -> HttpResponse:
    """The podcast feed with every published episode; `?page=N` for RFC 5005 pages."""
    show = get_show(request, show_slug)
    if show.new_feed_url:
        # The show moved: apps follow a 301 and update the subscription. The XML
        # keeps itunes:new-feed-url for copies cached before the move.
        return HttpResponsePermanentRedirect(show.new_feed_url)
    return feed_response(request, show, requested_variant(request))


@require_safe
def rss_full_history(request: HttpRequest, show_slug: str | None = None) -> HttpResponse:
    show = get_show(request, show_slug)
    if show.new_feed_url:
        return HttpResponsePermanentRedirect(show.new_feed_url)
    return feed_response(request, show, Variant("full"))


@require_safe
def chapters(request: HttpRequest, number: int, show_slug: str | None = None) -> HttpResponse:
    """JSON chapters 1.2 of a published episode; 404 when it has none."""
    show = get_show(request, show_slug)
    episode = get_object_or_404(show.episodes.published(), number=number)
    entries = [
        ChapterEntry(c.start, c.title, c.url, file_url(show, c.image), c.end, c.toc)
        for c in episode.chapters.all()
    ]
    if not entries:
        raise Http404("This episode has no chapters.")
    response = HttpResponse(chapters_json(entries), content_type=CHAPTERS_TYPE)
    # Web players fetch chapters from other origins.
    response["Access-Control-Allow-Origin"] = "*"
    response["Cache-Control"] = f"public, max-age={MAX_AGE}"
    return response
