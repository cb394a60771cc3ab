"""Lookups the public views of both apps share: the show a URL names, the episode it may see."""

import re

from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404

from . import hot
from .models import Episode, Show


def find_show(request: HttpRequest, show_slug: str | None) -> Show | None:
    """The show a URL names (the default one at the root), looked up once per request.

    The view and the context processor both need it: remembered on the request.
    """
    if not hasattr(request, "show"):
        by_slug = Show.objects.filter(slug=show_slug) if show_slug else None
        request.show = hot.row(
            request,
            ("show", show_slug),
            lambda: by_slug.first() if by_slug is not None else Show.objects.default(),
        )
    return request.show


def get_show(request: HttpRequest, show_slug: str | None) -> Show:
    show = find_show(request, show_slug)
    if show is None:
        raise Http404("No such show.")
    return show


PREVIEW_TOKEN = re.compile(r"[A-Za-z0-9_-]{1,32}")


def get_visible_episode(request: HttpRequest, show: Show, number: int) -> Episode:
    """A public episode; staff see any, and anyone with its preview link sees a draft.

    A premium episode (or any of a private show) is 404 here: subscribers reach it
    only through the token URLs of their personal feed (subscribers/urls.py).
    """
    # The related manager sets episode.show; made only when the database is asked.
    if hot.listener(request):
        episode = hot.row(
            request,
            ("episode", show.pk, number),
            lambda: show.episodes.public().filter(number=number).first(),
        )
    elif request.user.is_staff:
        return get_object_or_404(show.episodes.all(), number=number)
    else:
        episode = previewed_episode(request, show, number)
    if episode is None:
        raise Http404("No episode matches the given query.")
    return episode


def previewed_episode(request: HttpRequest, show: Show, number: int) -> Episode | None:
    """The episode a preview link names while unpublished, else the published one."""
    token = request.GET.get("preview", "")
    # Tokens are URL-safe base64; anything else (a NUL byte PostgreSQL refuses in a
    # query, a 10 KB string) cannot match one and never reaches the database.
    if PREVIEW_TOKEN.fullmatch(token):
        episode = show.episodes.filter(number=number, preview_token=token).first()
        if episode is not None and not episode.is_published():
            return episode
    return show.episodes.public().filter(number=number).first()


def get_show_and_episode(
    request: HttpRequest, show_slug: str | None, number: int
) -> tuple[Show, Episode]:
    """The URL's show and its episode `number` as this request may see it; 404 otherwise."""
    show = get_show(request, show_slug)
    return show, get_visible_episode(request, show, number)


def preview_token(request: HttpRequest, episode: Episode) -> str:
    """The token a preview visit carries on to the episode's other URLs; "" otherwise."""
    token = request.GET.get("preview", "")
    previewing = token and token == episode.preview_token and not episode.is_published()
    return token if previewing else ""


def private_unless_published(response: HttpResponse, episode: Episode) -> HttpResponse:
    """A draft or premium episode seen by staff or through a preview link stays out of every cache."""
    if not episode.is_public():
        response["Cache-Control"] = "private, no-store"
    return response
