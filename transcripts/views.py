from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.cache import get_conditional_response, set_response_etag
from django.utils.http import http_date
from django.views.decorators.http import require_safe

from episodes.lookups import (
    get_show,
    get_visible_episode,
    preview_token,
    private_unless_published,
)
from episodes.models import Episode
from episodes.pagecache import cached_for_listeners

from . import parsing
from .formats import BY_SUFFIX
from .models import Transcript


def ready_transcript(episode: Episode) -> Transcript:
    """The transcript to serve: its last good build, even while a newer upload is pending
    or has failed (editors see that in the admin; listeners keep the transcript)."""
    transcript = episode.transcripts.servable().order_by("pk").first()
    if transcript is None:
        raise Http404("This episode has no transcript yet.")
    return transcript


@require_safe
@cached_for_listeners
def transcript_page(
    request: HttpRequest, number: int, slug: str, show_slug: str | None = None
) -> HttpResponse:
    show = get_show(request, show_slug)
    episode = get_visible_episode(request, show, number)
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
) -> HttpResponse:
    show = get_show(request, show_slug)
    episode = get_visible_episode(request, show, number)
    if slug != episode.slug:
        return redirect(f"{episode.transcript_url()}.{fmt}", permanent=True)
    served = BY_SUFFIX[fmt]  # the URL pattern admits only served suffixes
    transcript = ready_transcript(episode)
    segments = [
        parsing.Segment(start=s.start, end=s.end, speaker=s.speaker, text=s.text)
        for s in transcript.segments.all()
    ]
    response = HttpResponse(served.writer(segments), content_type=served.content_type)
    # Validators: the bytes' hash, and the row's last save (every build and rename saves).
    # Two builds within one second share the date; RFC 9110 lets the ETag tell them apart.
    set_response_etag(response)
    modified = int(transcript.updated_at.timestamp())
    response["Last-Modified"] = http_date(modified)
    response = get_conditional_response(request, response["ETag"], modified, response)
    # In-browser players fetch transcripts from other origins.
    response["Access-Control-Allow-Origin"] = "*"
    # A draft's transcript (staff or preview link) must not sit in shared caches.
    public = episode.is_published()
    response["Cache-Control"] = "public, max-age=300" if public else "private, no-store"
    return response
