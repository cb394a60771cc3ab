"""WebSub: publishing pings the hub once, against a real HTTP hub on loopback."""

import datetime as dt
import socket
import threading
import urllib.parse
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest
from django.utils import timezone

from episodes.models import Episode
from episodes.services import queue_websub_ping
from episodes.tasks import ping_websub_hub, websub_backoff
from tests.factories import EpisodeFactory, ShowFactory, published_episode


class HubHandler(BaseHTTPRequestHandler):
    def do_POST(self) -> None:  # noqa: N802 (http.server's naming)
        length = int(self.headers.get("Content-Length", 0))
        form = urllib.parse.parse_qs(self.rfile.read(length).decode())
        status = self.server.statuses.pop(0) if self.server.statuses else 204
        self.server.posts.append((form, self.headers.get("Content-Type"), status))
        self.send_response(status)
        self.send_header("Content-Length", "0")
        self.end_headers()

    def log_message(self, format: str, *args: object) -> None:
        pass


@pytest.fixture
def hub(settings):
    """A WebSub hub on 127.0.0.1 that records each POST; `statuses` scripts its answers."""
    server = ThreadingHTTPServer(("127.0.0.1", 0), HubHandler)
    server.posts, server.statuses = [], []
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    settings.PODCAST_WEBSUB_HUB = f"http://127.0.0.1:{server.server_address[1]}/hub"
    yield server
    server.shutdown()
    server.server_close()


def pinged_at(episode: Episode):
    return Episode.objects.values_list("websub_pinged_at", flat=True).get(pk=episode.pk)


def feed_urls(show) -> list[str]:
    """The main feed and the full history: the two feeds a subscriber may follow."""
    return [show.feed_url(), show.absolute(show.reverse("rss_full_history"))]


def publish_form(feed_url: str) -> dict:
    return {"hub.mode": ["publish"], "hub.url": [feed_url]}


@pytest.mark.django_db
def test_two_runs_of_the_task_post_once_per_feed(hub, tone, settings):
    settings.PODCAST_SITE_URL = "https://pod.example.com"
    episode = published_episode(tone)
    ping_websub_hub(episode.pk)
    ping_websub_hub(episode.pk)
    assert feed_urls(episode.show) == [
        "https://pod.example.com/episodes/rss",
        "https://pod.example.com/episodes/rss_full_history",
    ]
    kind = "application/x-www-form-urlencoded"
    assert hub.posts == [(publish_form(url), kind, 204) for url in feed_urls(episode.show)]
    assert pinged_at(episode) is not None


@pytest.mark.django_db
def test_the_hub_hears_of_the_feeds_of_the_episodes_own_show(hub, tone):
    show = ShowFactory(slug="other", is_default=False)
    episode = published_episode(tone, show=show)
    ping_websub_hub(episode.pk)
    urls = [form["hub.url"][0] for form, _, _ in hub.posts]
    assert urls == feed_urls(show) and all("/shows/other/episodes/rss" in url for url in urls)


@pytest.mark.django_db
def test_a_failure_on_either_feed_releases_the_claim_so_the_retry_pings_both(hub, tone):
    episode = published_episode(tone)
    hub.statuses = [204, 503]  # the main feed's POST works, the full history's fails
    with pytest.raises(OSError):
        ping_websub_hub(episode.pk)
    assert pinged_at(episode) is None
    ping_websub_hub(episode.pk)
    ping_websub_hub(episode.pk)
    urls = [(form["hub.url"][0], status) for form, _, status in hub.posts]
    main, full = feed_urls(episode.show)
    assert urls == [(main, 204), (full, 503), (main, 204), (full, 204)]


@pytest.mark.django_db
def test_an_error_answer_releases_the_claim_so_a_retry_pings(hub, tone):
    episode = published_episode(tone)
    hub.statuses = [503]
    with pytest.raises(OSError):
        ping_websub_hub(episode.pk)  # called directly, Celery re-raises instead of retrying
    assert pinged_at(episode) is None
    ping_websub_hub(episode.pk)
    ping_websub_hub(episode.pk)
    assert [status for _, _, status in hub.posts] == [503, 204, 204]
    assert pinged_at(episode) is not None


@pytest.mark.django_db
def test_an_unreachable_hub_releases_the_claim(settings, tone):
    with socket.socket() as probe:  # a port that nothing listens on
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    settings.PODCAST_WEBSUB_HUB = f"http://127.0.0.1:{port}/hub"
    episode = published_episode(tone)
    with pytest.raises(OSError):
        ping_websub_hub(episode.pk)
    assert pinged_at(episode) is None


@pytest.mark.django_db
def test_the_retry_policy_retries_until_the_hub_answers(hub, tone):
    episode = published_episode(tone)
    hub.statuses = [500, 502]
    # apply() runs the retries in this process, without their countdown.
    ping_websub_hub.apply((episode.pk,)).get()
    assert [status for _, _, status in hub.posts] == [500, 502, 204, 204]


def test_the_backoff_grows_and_is_capped():
    assert [websub_backoff(n) for n in range(8)] == [30, 60, 120, 240, 480, 960, 1800, 1800]
    assert ping_websub_hub.max_retries == 6


@pytest.mark.django_db
def test_drafts_scheduled_episodes_and_missing_rows_are_not_pinged(hub, tone):
    draft = EpisodeFactory()
    later = published_episode(tone, publish_at=timezone.now() + dt.timedelta(hours=1))
    for pk in (draft.pk, later.pk, 999_999):
        ping_websub_hub(pk)
    assert hub.posts == []
    assert pinged_at(later) is None  # not claimed: the run at its publish time will ping


@pytest.mark.django_db
def test_without_a_hub_nothing_is_posted_or_claimed(settings, tone):
    settings.PODCAST_WEBSUB_HUB = ""
    episode = published_episode(tone)
    ping_websub_hub(episode.pk)
    assert pinged_at(episode) is None


@pytest.mark.django_db
def test_publishing_enqueues_the_ping_after_commit(
    hub, settings, tone, django_capture_on_commit_callbacks
):
    episode = published_episode(tone)
    with django_capture_on_commit_callbacks() as callbacks:
        queue_websub_ping(episode=episode)
    assert len(callbacks) == 1
    settings.PODCAST_WEBSUB_HUB = ""
    with django_capture_on_commit_callbacks() as callbacks:
        queue_websub_ping(episode=episode)
    assert callbacks == []
