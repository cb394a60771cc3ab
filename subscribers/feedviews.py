"""A subscriber's personal feed and the files its URLs name, all behind their token.

Every request checks the token against the database before anything else: a
revoked or expired subscriber gets 410 Gone on the feed and 403 on files at once,
in every process, whatever any cache holds. A token nobody holds gets 404.
Nothing here may be kept by a shared cache (`private`, `no-store` on refusals).
"""

from dataclasses import replace

from django.http import Http404, HttpRequest, HttpResponse
from django.http.response import HttpResponseBase
from django.shortcuts import redirect
from django.urls import reverse
from django.views.decorators.http import require_safe

from analytics.recording import record_download
from episodes.feeds.views import chapters_response, requested_variant
from episodes.models import Episode
from episodes.views import audio_response, requested_audio_name
from transcripts.views import transcript_file_response

from . import feeds
from .models import Subscriber


def refused(status: int, reason: str) -> HttpResponse:
    response = HttpResponse(reason, status=status, content_type="text/plain; charset=utf-8")
    response["Cache-Control"] = "no-store"
    response["X-Robots-Tag"] = "noindex"
    return response


def find_subscriber(token: str) -> Subscriber:
    """The token's subscriber, active or not (constant-time comparison); 404 if nobody's."""
    subscriber = Subscriber.objects.for_token(token)
    if subscriber is None:
        raise Http404("No such feed.")
    return subscriber


def subscriber_episode(subscriber: Subscriber, number: int) -> Episode:
    """A published episode of the subscriber's show, premium or not; 404 otherwise."""
    episode = subscriber.show.episodes.published().filter(number=number).first()
    if episode is None:
        raise Http404("No such episode.")
    return episode


@require_safe
def personal_feed(request: HttpRequest, token: str) -> HttpResponse:
    subscriber = find_subscriber(token)
    if not subscriber.is_active():
        return refused(410, "This personal feed has been revoked or has expired.")
    variant = replace(requested_variant(request), personal=True)
    return feeds.personal_response(request, subscriber.show, variant, token)


@require_safe
def download(request: HttpRequest, token: str, number: int, slug: str) -> HttpResponseBase:
    subscriber = find_subscriber(token)
    if not subscriber.is_active():
        return refused(403, "This subscription has been revoked or has expired.")
    episode = subscriber_episode(subscriber, number)
    name = requested_audio_name(request, episode)
    if name is None or slug != episode.slug:
        return redirect(personal_download_url(token, episode))
    response = audio_response(request, episode, name, public=False)
    return record_download(request, episode, response, subscriber_id=subscriber.pk)


def personal_download_url(token: str, episode: Episode) -> str:
    """The episode's current audio under the token, as the personal feed names it."""
    name = "download_m4a" if episode.audio_suffix() == "m4a" else "download"
    kwargs = {"token": token, "number": episode.number, "slug": episode.slug}
    path = reverse(f"personal:{name}", kwargs=kwargs)
    return f"{path}?v={episode.audio_version}" if episode.audio_version > 1 else path


@require_safe
def transcript_file(
    request: HttpRequest, token: str, number: int, slug: str, fmt: str
) -> HttpResponseBase:
    subscriber = find_subscriber(token)
    if not subscriber.is_active():
        return refused(403, "This subscription has been revoked or has expired.")
    episode = subscriber_episode(subscriber, number)
    if slug != episode.slug:
        kwargs = {"token": token, "number": number, "slug": episode.slug, "fmt": fmt}
        return redirect(reverse("personal:transcript_file", kwargs=kwargs), permanent=True)
    return transcript_file_response(request, episode, fmt, public=False)


@require_safe
def chapters(request: HttpRequest, token: str, number: int) -> HttpResponse:
    subscriber = find_subscriber(token)
    if not subscriber.is_active():
        return refused(403, "This subscription has been revoked or has expired.")
    episode = subscriber_episode(subscriber, number)
    return chapters_response(subscriber.show, episode, public=False)
