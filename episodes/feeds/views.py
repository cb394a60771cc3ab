"""The feed views: the show's feeds (served by cache.feed_response) and an episode's JSON chapters."""

from django.http import Http404, HttpRequest, HttpResponse, HttpResponsePermanentRedirect
from django.views.decorators.http import require_safe

from analytics.recording import record_feed

from ..cachecontrol import listener_cache_control
from ..chapters import CONTENT_TYPE as CHAPTERS_TYPE
from ..chapters import ChapterEntry, chapters_json
from ..front import offer_feed
from ..lookups import get_show, get_show_and_episode
from ..models import Episode, Show
from . import build, cache


def requested_variant(request: HttpRequest) -> build.Variant:
    page = request.GET.get("page")
    if page is None:
        return build.Variant()
    if not page.isascii() or not page.isdigit() or int(page) < 1:
        raise Http404("Pages are numbered from 1.")
    return build.Variant("page", int(page))


@require_safe
def rss(request: HttpRequest, show_slug: str | None = None) -> HttpResponse:
    """The podcast feed with the newest published episodes; `?page=N` for RFC 5005 pages."""
    show = get_show(request, show_slug)
    if show.new_feed_url:
        # The show moved: apps follow a 301 and update the subscription. The feed
        # XML names the new URL too (itunes:new-feed-url), for a copy of this feed
        # served elsewhere, where no redirect can be set.
        return HttpResponsePermanentRedirect(show.new_feed_url)
    return feed_answer(request, show, requested_variant(request))


@require_safe
def rss_full_history(request: HttpRequest, show_slug: str | None = None) -> HttpResponse:
    show = get_show(request, show_slug)
    if show.new_feed_url:
        return HttpResponsePermanentRedirect(show.new_feed_url)
    return feed_answer(request, show, build.Variant("full"))


def feed_answer(request: HttpRequest, show: Show, variant: build.Variant) -> HttpResponse:
    """The feed document, recorded, and offered to the front (episodes/front.py)."""
    response = record_feed(request, show, cache.feed_response(request, show, variant))
    return offer_feed(request, response, show)


@require_safe
def chapters(request: HttpRequest, number: int, show_slug: str | None = None) -> HttpResponse:
    """JSON chapters 1.2 of a published episode (or a previewed one); 404 when it has none."""
    show, episode = get_show_and_episode(request, show_slug, number)
    return chapters_response(show, episode, public=episode.is_public())


def chapters_response(show: Show, episode: Episode, *, public: bool) -> HttpResponse:
    """The episode's JSON chapters; shared caches may keep them only if `public`."""
    entries = [
        ChapterEntry(c.start, c.title, c.url, build.file_url(show, c.image), c.end, c.toc)
        for c in episode.chapters.all()
    ]
    if not entries:
        raise Http404("This episode has no chapters.")
    response = HttpResponse(chapters_json(entries), content_type=CHAPTERS_TYPE)
    # Web players fetch chapters from other origins.
    response["Access-Control-Allow-Origin"] = "*"
    response["Cache-Control"] = (
        listener_cache_control(cache.MAX_AGE) if public else "private, no-store"
    )
    return response
