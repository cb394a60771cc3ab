"""The embeddable player (/embed/<n>) and oEmbed (/oembed?url=...) for other sites.

Only the embed page may be framed by other sites: it sends its own
Content-Security-Policy with `frame-ancestors *` and no X-Frame-Options; every
other page keeps `frame-ancestors 'none'` and `X-Frame-Options: DENY`.

oEmbed answers for URLs of this site only, found by resolving the URL's path
against our own URL patterns; a URL of another site is 404 and is never fetched.
"""

import re
from urllib.parse import urlencode, urlsplit

from django.conf import settings
from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render
from django.urls import Resolver404, resolve, reverse
from django.utils.html import format_html
from django.views.decorators.clickjacking import xframe_options_exempt
from django.views.decorators.http import require_safe

from .lookups import get_show
from .models import Episode, Show
from .pagecache import cached_for_listeners
from .uploads import media_url

EMBED_HEIGHT = 200
DEFAULT_WIDTH, MIN_WIDTH, MAX_WIDTH = 600, 280, 1200
# Pages of an episode that an oEmbed consumer may name.
EPISODE_URL_NAMES = {"detail", "detail_by_number", "embed", "transcript"}


def embed_policy() -> str:
    """The site's Content-Security-Policy, except that any site may frame this page."""
    policy = re.sub(r"frame-ancestors [^;]*", "frame-ancestors *", settings.PODCAST_CSP)
    return policy if "frame-ancestors" in policy else f"{policy}; frame-ancestors *".lstrip("; ")


@require_safe
@xframe_options_exempt
@cached_for_listeners
def embed(request: HttpRequest, number: int, show_slug: str | None = None) -> HttpResponse:
    show = get_show(request, show_slug)
    episode = published_episode(show, number)
    context = {"show": show, "episode": episode, "chapters": episode.chapters.filter(toc=True)}
    response = render(request, "episodes/embed.html", context)
    if settings.PODCAST_CSP:
        response["Content-Security-Policy"] = embed_policy()
    return response


def published_episode(show: Show, number: int) -> Episode:
    episode = show.episodes.public().filter(number=number).first()
    if episode is None:
        raise Http404("No such published episode.")
    return episode


@require_safe
def oembed(request: HttpRequest) -> HttpResponse:
    if request.GET.get("format", "json") != "json":
        return HttpResponse("Only format=json is offered.", status=501, content_type="text/plain")
    episode = episode_for_url(request.GET.get("url", ""))
    width = clamp_width(request.GET.get("maxwidth"))
    return JsonResponse(oembed_data(episode, width))


def episode_for_url(url: str) -> Episode:
    """The published episode one of our own URLs names; 404 for anything else, never fetched."""
    ours = urlsplit(settings.PODCAST_SITE_URL)
    parts = urlsplit(url.strip())
    if (parts.scheme, parts.netloc) != (ours.scheme, ours.netloc) or not parts.path:
        raise Http404("Not a URL of this site.")
    try:
        match = resolve(parts.path)
    except Resolver404:
        raise Http404("Not an episode of this site.") from None
    if match.url_name not in EPISODE_URL_NAMES or match.namespace not in ("episodes", "shows"):
        raise Http404("Not an episode of this site.")
    slug = match.kwargs.get("show_slug")
    show = Show.objects.filter(slug=slug).first() if slug else Show.objects.default()
    if show is None:
        raise Http404("No such show.")
    return published_episode(show, match.kwargs["number"])


def clamp_width(value: str | None) -> int:
    try:
        return min(max(int(value or DEFAULT_WIDTH), MIN_WIDTH), MAX_WIDTH)
    except ValueError:
        return DEFAULT_WIDTH


def embed_url(episode: Episode) -> str:
    return episode.show.absolute(episode.show.reverse("embed", number=episode.number))


def iframe_html(episode: Episode, width: int | str = "100%") -> str:
    return format_html(
        '<iframe src="{}" width="{}" height="{}" title="{}" style="border:0" loading="lazy"'
        ' allow="autoplay"></iframe>',
        embed_url(episode),
        width,
        EMBED_HEIGHT,
        f"#{episode.number}: {episode.title} ({episode.show.title})",
    )


def oembed_data(episode: Episode, width: int) -> dict:
    """The oEmbed 1.0 "rich" answer: an iframe of our embed page."""
    show = episode.show
    data = {
        "version": "1.0",
        "type": "rich",
        "title": f"#{episode.number}: {episode.title}",
        "provider_name": show.title,
        "provider_url": show.absolute(show.get_absolute_url()),
        "html": iframe_html(episode, width),
        "width": width,
        "height": EMBED_HEIGHT,
    }
    if art := episode.artwork or show.artwork:
        url = media_url(art)
        data["thumbnail_url"] = url if url.startswith("http") else show.absolute(url)
        data.update(thumbnail_width=art.width, thumbnail_height=art.height)
    return data


def oembed_discovery_url(episode: Episode) -> str:
    """The oEmbed endpoint's URL for an episode page, for the page's discovery link."""
    page = episode.show.absolute(episode.get_absolute_url())
    return (
        episode.show.absolute(reverse("oembed")) + "?" + urlencode({"url": page, "format": "json"})
    )
