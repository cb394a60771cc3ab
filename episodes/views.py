from pathlib import PurePath

from django.conf import settings
from django.core.paginator import Paginator
from django.db import connection
from django.db.models import F, Q
from django.http import Http404, HttpRequest, HttpResponse
from django.http.response import HttpResponseBase
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.views.decorators.http import require_safe

from analytics.recording import record_download

from . import front
from . import search as search_index
from .accel import accel_response
from .episodepage import (
    links_outside_notes,
    people_with_pages,
    share_context,
    summary_is_in_notes,
)
from .lookups import get_show, get_show_and_episode, preview_token, private_unless_published
from .models import OPUS_TYPE, Episode, Person, Role, Sponsor
from .pagecache import cached_for_listeners
from .searchpage import EPISODES_PER_PAGE, grouped_results
from .seo import episode_jsonld, show_jsonld
from .serving import file_response
from .subscribe import directories
from .timecodes import parse_start

PAGE_SIZE = 20
HOST_ROLES = {Role.HOST, Role.CO_HOST}


@require_safe
@cached_for_listeners
def episode_list(request: HttpRequest, show_slug: str | None = None) -> HttpResponse:
    show = get_show(request, show_slug)
    episodes = show.episodes.public().newest_first()
    page = Paginator(episodes, PAGE_SIZE).get_page(request.GET.get("page"))
    context = {
        "show": show,
        "page": page,
        # The first page leads with the newest episode and its player.
        "latest": page[0] if page.number == 1 and page.object_list else None,
        "directories": directories(show),
        "offers_premium": show.offers_premium(),
        "jsonld": show_jsonld(show),
    }
    return render(request, "episodes/list.html", context)


@require_safe
@cached_for_listeners
def episode_detail(
    request: HttpRequest, number: int, slug: str = "", show_slug: str | None = None
) -> HttpResponse:
    show, episode = get_show_and_episode(request, show_slug, number)
    if slug != episode.slug:
        return redirect(episode.get_absolute_url(), permanent=True)
    credits = list(episode.credits.select_related("person"))
    previous_episode, next_episode = neighbours(episode)
    context = {
        "show": show,
        "episode": episode,
        "start": parse_start(request.GET.get("t")),
        "links": links_outside_notes(episode, list(episode.links.select_related("picked_by"))),
        "summary_in_notes": summary_is_in_notes(episode),
        "people_with_pages": people_with_pages(episode, credits),
        "hosts": [c for c in credits if c.role in HOST_ROLES],
        "guests": [c for c in credits if c.role not in HOST_ROLES],
        "sponsorships": episode.sponsorships.select_related("sponsor"),
        "chapters": episode.chapters.filter(toc=True),
        # Only whether there is one: its rendered HTML runs to hundreds of kilobytes.
        "transcript": episode.transcripts.servable().only("episode").first(),
        "previous_episode": previous_episode,
        "next_episode": next_episode,
        "jsonld": episode_jsonld(episode, credits),
        "preview": preview_token(request, episode),
        **share_context(episode),
    }
    return private_unless_published(render(request, "episodes/detail.html", context), episode)


def neighbours(episode: Episode) -> tuple[Episode | None, Episode | None]:
    """The public episodes just before and after this one, by publish time."""
    if episode.publish_at is None:
        return None, None
    at, number = episode.publish_at, episode.number
    # Only what the links show: the rows are wide and their columns cost time to fetch.
    published = episode.show.episodes.public().only("show", "number", "slug", "title")
    before = published.filter(Q(publish_at__lt=at) | Q(publish_at=at, number__lt=number))
    after = published.filter(Q(publish_at__gt=at) | Q(publish_at=at, number__gt=number))
    return before.newest_first().first(), after.order_by("publish_at", "number").first()


@require_safe
def download(
    request: HttpRequest, number: int, slug: str, show_slug: str | None = None
) -> HttpResponseBase:
    show, episode = get_show_and_episode(request, show_slug, number)
    if not episode.audio:
        raise Http404("This episode has no audio yet.")
    name = requested_audio_name(request, episode)
    if name is None:
        return redirect(episode.download_url())
    response = record_download(request, episode, audio_response(request, episode, name))
    return front.offer_audio(request, response, episode, name)


@require_safe
def download_opus(
    request: HttpRequest, number: int, slug: str, show_slug: str | None = None
) -> HttpResponseBase:
    """The worker's Opus rendition (podcast:alternateEnclosure), served as the MP3 is."""
    show, episode = get_show_and_episode(request, show_slug, number)
    if not episode.audio or not episode.has_opus():
        raise Http404("This episode has no Opus rendition yet.")
    response = audio_response(request, episode, episode.opus_audio, content_type=OPUS_TYPE)
    response = record_download(request, episode, response)
    return front.offer_audio(request, response, episode, episode.opus_audio)


def audio_response(
    request: HttpRequest,
    episode: Episode,
    name: str,
    *,
    public: bool | None = None,
    content_type: str = "",
) -> HttpResponseBase:
    """The stored audio `name`; shared caches may keep it if `public` (default: the episode is)."""
    public = episode.is_public() if public is None else public
    if settings.PODCAST_AUDIO_REDIRECT:
        return redirect(episode.audio.storage.url(name))
    content_type = content_type or episode.audio_mime_type or "audio/mpeg"
    filename = f"{episode.number}-{episode.slug}{PurePath(name).suffix}"
    if settings.PODCAST_ACCEL_REDIRECT:
        return accel_response(name, content_type, filename, public=public)
    if not connection.in_atomic_block:
        # A download may stream for an hour: give the database connection back
        # now rather than when the response closes.
        connection.close()
    return file_response(
        request,
        storage=episode.audio.storage,
        name=name,
        content_type=content_type,
        filename=filename,
        public=public,
    )


def requested_audio_name(request: HttpRequest, episode: Episode) -> str | None:
    """The stored file an enclosure URL names, or None when that version is gone.

    Apps cache by URL, so a URL from an older feed (?v=1) keeps serving the bytes it
    always served; the current URL serves the current file, and so does the bare URL
    without ?v: a link shared by hand gets the tagged file, not the original upload.
    """
    version = request.GET.get("v", "")
    if not version:
        return episode.audio.name
    wanted = int(version) if version.isdigit() else 1
    if wanted == episode.audio_version or (wanted <= 1 and episode.audio_version <= 1):
        return episode.audio.name
    name = episode.served_audio_name(wanted)
    return name if episode.audio.storage.exists(name) else None


@require_safe
@cached_for_listeners
def person_detail(request: HttpRequest, slug: str, show_slug: str | None = None) -> HttpResponse:
    show = get_show(request, show_slug)
    person = get_object_or_404(Person, slug=slug)
    episodes = show.episodes.public().filter(credits__person=person).distinct()
    is_host = show.hosts.filter(person=person).exists()
    if not is_host and not episodes.exists():
        raise Http404("Nobody by that name on this show.")
    page = Paginator(episodes.newest_first(), PAGE_SIZE).get_page(request.GET.get("page"))
    context = {"show": show, "person": person, "is_host": is_host, "page": page}
    return render(request, "episodes/person.html", context)


@require_safe
@cached_for_listeners
def sponsor_list(request: HttpRequest, show_slug: str | None = None) -> HttpResponse:
    show = get_show(request, show_slug)
    published = show.episodes.public()
    sponsors = Sponsor.objects.filter(sponsorships__episode__in=published).distinct()
    return render(request, "episodes/sponsors.html", {"show": show, "sponsors": sponsors})


@require_safe
def sponsor_redirect(request: HttpRequest, slug: str, show_slug: str | None = None) -> HttpResponse:
    """Send a listener to the sponsor, counting the click in the database (no lost updates)."""
    if request.method == "GET":
        Sponsor.objects.filter(slug=slug).update(clicks=F("clicks") + 1)
    sponsor = get_object_or_404(Sponsor.objects.only("url"), slug=slug)
    response = redirect(sponsor.url)
    response["Cache-Control"] = "no-store"
    response["X-Robots-Tag"] = "noindex"
    return response


@require_safe
@cached_for_listeners
def search(request: HttpRequest, show_slug: str | None = None) -> HttpResponse:
    show = get_show(request, show_slug)
    query = request.GET.get("q", "")[: search_index.MAX_QUERY_CHARS]
    results = grouped_results(show, query)
    page = Paginator(results, EPISODES_PER_PAGE).get_page(parse_page(request.GET.get("page")))
    context = {"show": show, "query": query, "page": page, "results": page.object_list}
    return render(request, "episodes/search.html", context)


MAX_SEARCH_PAGE = 50


def parse_page(value: str | None) -> int:
    try:
        return min(max(int(value or 1), 1), MAX_SEARCH_PAGE)
    except ValueError:
        return 1


@require_safe
def robots_txt(request: HttpRequest) -> HttpResponse:
    sitemap = settings.PODCAST_SITE_URL.rstrip("/") + reverse("sitemap")
    lines = ["User-agent: *", f"Disallow: {reverse('admin:index')}", f"Sitemap: {sitemap}", ""]
    return HttpResponse("\n".join(lines), content_type="text/plain; charset=utf-8")
