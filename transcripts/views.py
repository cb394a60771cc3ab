from django.http import Http404, HttpRequest, HttpResponse
from django.http.response import HttpResponseBase
from django.shortcuts import redirect, render
from django.views.decorators.http import require_safe

from episodes import hot
from episodes.cachecontrol import listener_cache_control
from episodes.lookups import (
    get_show_and_episode,
    preview_token,
    private_unless_published,
)
from episodes.models import Episode
from episodes.pagecache import cached_for_listeners

from . import files
from .models import Transcript


def servable(episode: Episode) -> Transcript | None:
    """The transcript to serve: its last good build, even while a newer upload is pending
    or has failed (editors see that in the admin; listeners keep the transcript)."""
    return episode.transcripts.servable().order_by("pk").first()


def ready_transcript(episode: Episode) -> Transcript:
    transcript = servable(episode)
    if transcript is None:
        raise Http404("This episode has no transcript yet.")
    return transcript


@require_safe
@cached_for_listeners
def transcript_page(
    request: HttpRequest, number: int, slug: str, show_slug: str | None = None
) -> HttpResponse:
    show, episode = get_show_and_episode(request, show_slug, number)
    if slug != episode.slug:
        return redirect(episode.transcript_url(), permanent=True)
    transcript = ready_transcript(episode)
    source_url = show.transcript_source_url(episode)
    context = {
        "show": show,
        "episode": episode,
        "transcript": transcript,
        "source_url": source_url,
        "preview": preview_token(request, episode),
    }
    response = render(request, "transcripts/page.html", context)
    return private_unless_published(response, episode)


@require_safe
def transcript_file(
    request: HttpRequest, number: int, slug: str, fmt: str, show_slug: str | None = None
) -> HttpResponseBase:
    show, episode = get_show_and_episode(request, show_slug, number)
    if slug != episode.slug:
        return redirect(f"{episode.transcript_url()}.{fmt}", permanent=True)
    return transcript_file_response(request, episode, fmt, public=episode.is_public())


def transcript_file_response(
    request: HttpRequest, episode: Episode, fmt: str, *, public: bool
) -> HttpResponseBase:
    """The episode's transcript in format `fmt`; shared caches may keep it only if `public`."""
    transcript = hot.row(request, ("transcript", episode.pk), lambda: servable(episode))
    if transcript is None:
        raise Http404("This episode has no transcript yet.")
    # Written once per build (by the worker, or here the first time); then served as a
    # stored file: validators from its name, size and time, ranges, a streamed body.
    name = files.write(transcript, fmt)
    response = files.serve(request, name, files.FORMATS[fmt].content_type, public)
    response.headers.pop("Content-Disposition", None)  # shown in the browser, not saved
    # In-browser players fetch transcripts from other origins.
    response["Access-Control-Allow-Origin"] = "*"
    # The URL stays across builds: caches keep it briefly. A draft's stays out of them.
    response["Cache-Control"] = listener_cache_control(300) if public else "private, no-store"
    return response
