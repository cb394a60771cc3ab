from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render

from episodes.views import get_show, get_visible_episode


def transcript_page(
    request: HttpRequest, number: int, slug: str, show_slug: str | None = None
) -> HttpResponse:
    show = get_show(show_slug)
    episode = get_visible_episode(request, show, number)
    if slug != episode.slug:
        return redirect(episode.transcript_url(), permanent=True)
    transcript = episode.transcripts.filter(status="ready").first()
    if transcript is None:
        raise Http404("This episode has no transcript yet.")
    context = {"show": show, "episode": episode, "transcript": transcript}
    return render(request, "transcripts/page.html", context)
