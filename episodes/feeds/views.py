"""The podcast feed: items loaded in a few queries, served from validators on the show row.

Serving: the show row the view loads anyway says whether the stored validators
of the requested document are current (feedcache.py): its feed revision, which
every change a feed shows bumps in the same transaction, its updated_at, and
the next scheduled publish time, so a scheduled episode appears at its time
without anyone doing anything. Conditional requests are answered from that row
without building the feed or loading episodes; a stale or missing entry builds
once and stores the bytes and their gzip under the content hash, the ETag.
"""

import math
from dataclasses import dataclass

from django.conf import settings
from django.db.models import QuerySet
from django.http import Http404, HttpRequest, HttpResponse, HttpResponsePermanentRedirect
from django.templatetags.static import static
from django.utils import timezone
from django.views.decorators.http import require_safe

from analytics.recording import record_feed

from . import feedcache, feeditems, feedxml
from .categories import parse_category
from .chapters import CONTENT_TYPE as CHAPTERS_TYPE
from .chapters import ChapterEntry, chapters_json
from .lookups import get_show, get_visible_episode, private_unless_published
from .models import Show

RSS_TYPE = "application/rss+xml; charset=utf-8"


# ---------------------------------------------------------------- variants


@dataclass(frozen=True, slots=True)
class Variant:
    """Which document of a show: the main feed, the full history, or page N (RFC 5005)."""

    kind: str = "main"
    page: int = 0

    @property
    def key(self) -> str:
        return f"page{self.page}" if self.kind == "page" else self.kind


def websub_topics(show: Show) -> tuple[str, ...]:
    """The feeds a WebSub hub hears about when an episode goes public (pages shift anyway)."""
    return (self_url(show, Variant()), self_url(show, Variant("full")))


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
        image=feeditems.file_url(show, show.artwork),
        categories=categories(show),
        explicit=show.explicit,
        show_type=show.show_type,
        podcast_guid=str(show.podcast_guid or ""),
        locked=show.locked,
        funding=tuple((f.url, f.label) for f in show.funding_links.all()),
        persons=tuple(feeditems.person(h) for h in show.hosts.select_related("person")),
        medium=show.medium,
        new_feed_url=show.new_feed_url,
        hub_url=settings.PODCAST_WEBSUB_HUB,
        page_links=page_links(show, variant, published),
        stylesheet=stylesheet_url(),
    )


def feed_episodes(show: Show, variant: Variant, now) -> QuerySet:
    episodes = show.episodes.published(now).newest_first().only(*feeditems.EPISODE_FIELDS)
    if variant.kind == "page":
        size = settings.PODCAST_FEED_PAGE_SIZE
        return episodes[(variant.page - 1) * size : variant.page * size]
    return episodes


def build_feed(show: Show, variant: Variant, now, published: int = 0) -> bytes:
    """The feed document of one show as it is at `now`; `published` counts its pages."""
    channel = channel_for(show, variant, published)
    episodes = feed_episodes(show, variant, now)
    related = feeditems.load_related(channel, episodes)
    urls = feeditems.EpisodeUrls.for_show(show)
    items = (
        feeditems.item_for(show, episode, related, channel.image, urls) for episode in episodes
    )
    return feedxml.render_feed(channel, items)


# ---------------------------------------------------------------- serving


def build_and_store(
    show: Show, variant: Variant, now, key: str, gzipped: bool
) -> tuple[feedcache.Validators, bytes]:
    """Build the document, keep its bytes and store its validators; (validators, wanted bytes)."""
    published = show.episodes.published(now).count() if variant.kind == "page" else 0
    if variant.kind == "page" and variant.page > page_count(published):
        raise Http404("No such page.")
    etag, wanted = feedcache.keep_bytes(build_feed(show, variant, now, published), gzipped)
    return feedcache.store(show, variant.key, key, etag, now), wanted


def feed_response(request: HttpRequest, show: Show, variant: Variant) -> HttpResponse:
    now = timezone.now()
    gzipped = feedcache.accepts_gzip(request)
    key = feedcache.state_key(show, variant.key, stylesheet_url())
    validators, body = feedcache.current(show, variant.key, key, now), None
    if validators is None:
        validators, body = build_and_store(show, variant, now, key, gzipped)
    if feedcache.not_modified(request, validators):
        return feedcache.feed_headers(HttpResponse(status=304), validators, gzipped)
    body = body or feedcache.cached_bytes(validators.etag, gzipped)
    if body is None:  # built by another process, or dropped by the cache
        validators, body = build_and_store(show, variant, now, key, gzipped)
    response = HttpResponse(b"" if request.method == "HEAD" else body, content_type=RSS_TYPE)
    response["Content-Length"] = str(len(body))
    if gzipped:
        response["Content-Encoding"] = "gzip"
    return feedcache.feed_headers(response, validators, gzipped)


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
        # The show moved: apps follow a 301 and update the subscription. The feed
        # XML names the new URL too (itunes:new-feed-url), for a copy of this feed
        # served elsewhere, where no redirect can be set.
        return HttpResponsePermanentRedirect(show.new_feed_url)
    return record_feed(request, show, feed_response(request, show, requested_variant(request)))


@require_safe
def rss_full_history(request: HttpRequest, show_slug: str | None = None) -> HttpResponse:
    show = get_show(request, show_slug)
    if show.new_feed_url:
        return HttpResponsePermanentRedirect(show.new_feed_url)
    return record_feed(request, show, feed_response(request, show, Variant("full")))


@require_safe
def chapters(request: HttpRequest, number: int, show_slug: str | None = None) -> HttpResponse:
    """JSON chapters 1.2 of a published episode (or a previewed one); 404 when it has none."""
    show = get_show(request, show_slug)
    episode = get_visible_episode(request, show, number)
    entries = [
        ChapterEntry(c.start, c.title, c.url, feeditems.file_url(show, c.image), c.end, c.toc)
        for c in episode.chapters.all()
    ]
    if not entries:
        raise Http404("This episode has no chapters.")
    response = HttpResponse(chapters_json(entries), content_type=CHAPTERS_TYPE)
    # Web players fetch chapters from other origins.
    response["Access-Control-Allow-Origin"] = "*"
    response["Cache-Control"] = f"public, max-age={feedcache.MAX_AGE}"
    return private_unless_published(response, episode)
