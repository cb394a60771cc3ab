from django.core.paginator import Paginator
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render

from .models import Episode, Show

PAGE_SIZE = 20


def get_show(show_slug: str | None) -> Show:
    show = Show.objects.filter(slug=show_slug).first() if show_slug else Show.objects.default()
    if show is None:
        raise Http404("No such show.")
    return show


def get_visible_episode(request: HttpRequest, show: Show, number: int) -> Episode:
    """A published episode; staff may also preview drafts and scheduled ones."""
    episodes = show.episodes.all() if request.user.is_staff else show.episodes.published()
    return get_object_or_404(episodes.select_related("show"), number=number)


def episode_list(request: HttpRequest, show_slug: str | None = None) -> HttpResponse:
    show = get_show(show_slug)
    episodes = show.episodes.published().newest_first()
    page = Paginator(episodes, PAGE_SIZE).get_page(request.GET.get("page"))
    return render(request, "episodes/list.html", {"show": show, "page": page})


def episode_detail(
    request: HttpRequest, number: int, slug: str = "", show_slug: str | None = None
) -> HttpResponse:
    show = get_show(show_slug)
    episode = get_visible_episode(request, show, number)
    if slug != episode.slug:
        return redirect(episode.get_absolute_url(), permanent=True)
    context = {
        "show": show,
        "episode": episode,
        "links": episode.links.select_related("picked_by"),
        "credits": episode.credits.select_related("person"),
        "sponsorships": episode.sponsorships.select_related("sponsor"),
        "chapters": episode.chapters.all(),
        "transcript": episode.transcripts.filter(status="ready").first(),
    }
    return render(request, "episodes/detail.html", context)


def download(request: HttpRequest, number: int, slug: str, show_slug: str | None = None):
    show = get_show(show_slug)
    episode = get_visible_episode(request, show, number)
    if not episode.audio:
        raise Http404("This episode has no audio yet.")
    return FileResponse(episode.audio.open("rb"), content_type=episode.audio_mime_type)
