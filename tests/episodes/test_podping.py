"""Podping on publish and when a live item goes live, against a real HTTP server on
loopback (tests/localhttp.py), by calling the tasks as the worker would."""

import datetime as dt
import urllib.parse

import pytest
from django.utils import timezone

from episodes import podping
from episodes.models import Episode, LiveItem
from episodes.tasks import send_episode_podping, send_live_podping
from tests.factories import ShowFactory, published_episode
from tests.localhttp import Answer, LocalServer

pytestmark = pytest.mark.django_db
SITE = "https://pod.example.com"


@pytest.fixture
def endpoint(settings):
    """A Podping endpoint that answers 200, as podping.cloud does."""
    server = LocalServer(routes={"/": Answer(200, b"Success!")})
    settings.PODCAST_SITE_URL = SITE
    settings.PODCAST_PODPING_URL = server.url("/")
    settings.PODCAST_PODPING_TOKEN = "secret-podping-token"
    yield server
    server.close()


def pings(server: LocalServer) -> list[dict]:
    return [
        dict(urllib.parse.parse_qsl(urllib.parse.urlsplit(path).query)) for path, _ in server.seen
    ]


def test_a_published_episode_is_podpinged_once_with_the_token(endpoint, tone):
    episode = published_episode(tone, show=ShowFactory(slug="main"))
    send_episode_podping(episode.pk)
    send_episode_podping(episode.pk)
    assert pings(endpoint) == [
        {"url": f"{SITE}/episodes/rss", "reason": "update", "medium": "podcast"}
    ]
    assert endpoint.headers[0]["Authorization"] == "secret-podping-token"
    assert Episode.objects.get(pk=episode.pk).podping_pinged_at is not None


def test_an_error_answer_releases_the_claim_so_the_retry_pings(endpoint, tone):
    episode = published_episode(tone)
    endpoint.routes["/"] = Answer(500, b"down")
    with pytest.raises(OSError):
        podping.notify_episode_podping(episode_id=episode.pk)
    assert Episode.objects.get(pk=episode.pk).podping_pinged_at is None
    endpoint.routes["/"] = Answer(200, b"Success!")
    assert podping.notify_episode_podping(episode_id=episode.pk) is True
    assert len(pings(endpoint)) == 2


def test_drafts_premium_episodes_and_private_shows_are_never_pinged(endpoint, tone):
    draft = published_episode(tone, number=1, publish_at=timezone.now() + dt.timedelta(days=1))
    premium = published_episode(tone, number=2, premium=True)
    private = published_episode(tone, number=3, show=ShowFactory(slug="club", private=True))
    for episode in (draft, premium, private):
        send_episode_podping(episode.pk)
    assert pings(endpoint) == []


def test_a_live_item_going_live_and_ending_is_podpinged_once_each(endpoint, tone):
    show = ShowFactory(slug="main")
    live = LiveItem.objects.create(
        show=show, title="Live", start=timezone.now(), content_url="https://youtube.com/x"
    )
    send_live_podping(live.pk)  # still pending: nothing to say
    LiveItem.objects.filter(pk=live.pk).update(status=LiveItem.Status.LIVE)
    send_live_podping(live.pk)
    send_live_podping(live.pk)
    LiveItem.objects.filter(pk=live.pk).update(status=LiveItem.Status.ENDED)
    send_live_podping(live.pk)
    send_live_podping(live.pk)
    assert pings(endpoint) == [
        {"url": f"{SITE}/episodes/rss", "reason": "live", "medium": "podcast"},
        {"url": f"{SITE}/episodes/rss", "reason": "liveEnd", "medium": "podcast"},
    ]


def test_the_live_ping_is_queued_after_commit_once_the_item_is_live(
    endpoint, django_capture_on_commit_callbacks
):
    show = ShowFactory(slug="main")
    live = LiveItem.objects.create(
        show=show, title="Live", start=timezone.now(), content_url="https://youtube.com/x"
    )
    with django_capture_on_commit_callbacks() as callbacks:
        podping.queue_live_podping(live_item=live)
    assert callbacks == []  # pending
    live.status = LiveItem.Status.LIVE
    with django_capture_on_commit_callbacks() as callbacks:
        podping.queue_live_podping(live_item=live)
    assert len(callbacks) == 1


def test_without_an_endpoint_nothing_is_sent_or_claimed(
    settings, tone, django_capture_on_commit_callbacks
):
    settings.PODCAST_PODPING_URL = ""
    episode = published_episode(tone)
    with django_capture_on_commit_callbacks() as callbacks:
        podping.queue_episode_podping(episode=episode)
    assert callbacks == []
    assert podping.notify_episode_podping(episode_id=episode.pk) is False
    assert Episode.objects.get(pk=episode.pk).podping_pinged_at is None
