"""Feed validators on the show row: trusted only while current, shared by every process."""

import datetime as dt
import http.client
import subprocess
import sys
import time
from collections.abc import Callable
from email.message import Message
from pathlib import Path

import pytest
from django.core.cache import cache
from django.utils import timezone

from episodes import services
from episodes.feeds import cache as feed_cache
from episodes.models import Episode, Show
from tests.conftest import ROOT, subprocess_env
from tests.episodes.feeds.test_serving import stored_validators
from tests.episodes.feeds.test_views import SITE, fetch, public
from tests.factories import EpisodeFactory, ShowFactory, published_episode
from tests.processes import free_port, stop, wait_for_port


@pytest.fixture(autouse=True)
def site(settings):
    settings.PODCAST_SITE_URL = SITE
    settings.PODCAST_WEBSUB_HUB = ""
    cache.clear()  # the locmem cache outlives each test's rolled-back database
    yield
    cache.clear()


def test_a_stored_validator_is_trusted_until_the_next_publish_or_rebuild_after_at_most():
    now = dt.datetime(2026, 1, 1, tzinfo=dt.UTC)
    entry = {"key": "k", "etag": "e", "modified": 5, "until": now.timestamp() + 10}
    show = Show(pk=1, feed_validators={"main": entry})
    assert feed_cache.current(show, "main", "k", now) == feed_cache.Validators("e", 5)
    assert feed_cache.current(show, "main", "other key", now) is None
    assert feed_cache.current(show, "full", "k", now) is None
    assert feed_cache.current(show, "main", "k", now + dt.timedelta(seconds=10)) is None


@pytest.mark.parametrize(
    ("previous", "etag", "expected"),
    [
        (None, "a", 1000),  # first build: now
        ({"etag": "a", "modified": 900}, "a", 900),  # same bytes: same date, however late
        ({"etag": "a", "modified": 900}, "b", 1000),  # new bytes: now
        ({"etag": "a", "modified": 1000}, "b", 1001),  # new bytes within the second
        ({"etag": "a", "modified": 1500}, "b", 1501),  # another server's clock ran ahead
    ],
)
def test_last_modified_moves_with_the_bytes_only_and_always_forward(previous, etag, expected):
    now = dt.datetime.fromtimestamp(1000.7, dt.UTC)
    assert feed_cache.last_modified(previous, etag, now) == expected


# ---------------------------------------------------------------- in this process


@pytest.mark.django_db
def test_conditional_requests_get_304_without_loading_episodes(
    client, tone, django_assert_max_num_queries
):
    public(tone)
    response, _ = fetch(client)
    with django_assert_max_num_queries(1):  # the show row, which holds the validators
        by_etag = client.get("/episodes/rss", HTTP_IF_NONE_MATCH=response["ETag"])
    with django_assert_max_num_queries(1):
        by_date = client.get("/episodes/rss", HTTP_IF_MODIFIED_SINCE=response["Last-Modified"])
    assert by_etag.status_code == by_date.status_code == 304
    assert by_etag.content == b"" and by_etag["ETag"] == response["ETag"]
    stale = client.get("/episodes/rss", HTTP_IF_NONE_MATCH='"something-else"')
    assert stale.status_code == 200


@pytest.mark.django_db
def test_a_stale_etag_wins_over_a_current_date(client, tone):
    """RFC 9110 section 13.2.2: with If-None-Match, If-Modified-Since is not evaluated.

    Last-Modified has one-second resolution: an app holding the bytes of an earlier build
    and a date no older than the current one must still get the new bytes, by the ETag.
    """
    episode = public(tone)
    first, _ = fetch(client)
    episode.title = "Renamed after the app fetched"
    episode.save()
    services.record_episode_change(episode=episode)
    current, root = fetch(client)
    assert current["ETag"] != first["ETag"]
    response = client.get(
        "/episodes/rss",
        HTTP_IF_NONE_MATCH=first["ETag"],
        HTTP_IF_MODIFIED_SINCE=current["Last-Modified"],
    )
    assert response.status_code == 200
    assert response.content == current.content
    assert "Renamed after the app fetched" in root.xpath("/rss/channel/item/title/text()")


@pytest.mark.django_db
def test_a_warm_request_serves_cached_bytes_without_loading_episodes(
    client, tone, django_assert_max_num_queries
):
    public(tone)
    first, _ = fetch(client)
    with django_assert_max_num_queries(1):
        second, _ = fetch(client)
    assert second.content == first.content


def forget_this_process() -> None:
    """What a restart or another web process starts with: no cached bytes at all."""
    cache.clear()
    feed_cache.recent.clear()


@pytest.mark.django_db
def test_etag_and_last_modified_stay_when_a_rebuild_changes_no_byte(client, tone):
    episode = public(tone)
    first, _ = fetch(client)
    built_from = stored_validators(episode.show)["main"]["key"]
    time.sleep(1.1)  # a rebuild now would date new bytes a second later
    episode.save()
    EpisodeFactory(show=episode.show, title="A draft edited meanwhile")
    services.record_episode_change(episode=episode)
    forget_this_process()
    second, _ = fetch(client)
    assert stored_validators(episode.show)["main"]["key"] != built_from  # it was rebuilt
    assert (second["ETag"], second["Last-Modified"]) == (first["ETag"], first["Last-Modified"])
    assert second.content == first.content


@pytest.mark.django_db
def test_validators_survive_a_restart_and_answer_304_without_the_bytes(
    client, tone, django_assert_num_queries
):
    public(tone)
    first, _ = fetch(client)
    forget_this_process()
    with django_assert_num_queries(1):
        again = client.get("/episodes/rss", HTTP_IF_NONE_MATCH=first["ETag"])
    assert again.status_code == 304
    assert (again["ETag"], again["Last-Modified"]) == (first["ETag"], first["Last-Modified"])
    forget_this_process()
    with django_assert_num_queries(1):
        by_date = client.get("/episodes/rss", HTTP_IF_MODIFIED_SINCE=first["Last-Modified"])
    assert by_date.status_code == 304


@pytest.mark.django_db
def test_a_stored_validator_lives_until_the_next_publish_time_at_most(client, tone):
    show = public(tone).show
    soon = timezone.now() + dt.timedelta(minutes=3)
    public(tone, title="Later", publish_at=soon)
    fetch(client)
    assert stored_validators(show)["main"]["until"] == soon.timestamp()
    public(tone, title="Much later", publish_at=soon + dt.timedelta(days=1))
    feed_cache.invalidate_feed(show)
    started = time.time()
    fetch(client, "/episodes/rss_full_history")
    until = stored_validators(show)["full"]["until"]
    assert until == soon.timestamp()
    feed_cache.invalidate_feed(show)
    Episode.objects.filter(publish_at__gt=timezone.now()).update(publish_at=None)
    fetch(client)
    until = stored_validators(show)["main"]["until"]
    assert started + feed_cache.REBUILD_AFTER <= until <= time.time() + feed_cache.REBUILD_AFTER


# ---------------------------------------------------------------- across processes


class WebProcess:
    """A uvicorn process serving the site from the test database, with a cache of its own."""

    def __init__(self, media_root: Path, data_dir: Path) -> None:
        self.port = free_port()
        command = [sys.executable, "-m", "uvicorn", "podcast.asgi:application", "--host",
                   "127.0.0.1", "--port", str(self.port), "--no-access-log"]  # fmt: skip
        env = subprocess_env(media_root, PODCAST_DATA_DIR=str(data_dir), CACHE_URL="locmem://")
        self.process = subprocess.Popen(command, cwd=ROOT, env=env)
        try:
            wait_for_port(self.port, self.process)
        except RuntimeError:
            self.stop()
            raise

    def get(self, path: str, **headers: str) -> tuple[int, Message, bytes]:
        connection = http.client.HTTPConnection("127.0.0.1", self.port, timeout=30)
        try:
            connection.request("GET", path, headers=headers)
            response = connection.getresponse()
            return response.status, response.headers, response.read()
        finally:
            connection.close()

    def stop(self) -> None:
        stop(self.process, timeout=10)


@pytest.fixture
def web(transactional_db, media_root, tmp_path, cleanup) -> Callable[[], WebProcess]:
    """Starts web processes on demand; each is stopped at the end of the test."""

    def start() -> WebProcess:
        process = WebProcess(media_root, tmp_path)
        cleanup.callback(process.stop)
        return process

    return start


def test_an_invalidation_in_another_process_reaches_the_web_process(web, tone):
    episode = published_episode(tone, show=ShowFactory(slug="main"), title="Before")
    server = web()
    status, first, body = server.get("/episodes/rss")
    assert status == 200 and b"Before" in body
    # This test process stands for a Celery worker: its change and its invalidation
    # never touch the web process's cache.
    Episode.objects.filter(pk=episode.pk).update(title="After")
    feed_cache.invalidate_feed(episode.show)
    status, second, body = server.get("/episodes/rss", **{"If-None-Match": first["ETag"]})
    assert status == 200 and b"After" in body and second["ETag"] != first["ETag"]


def test_validators_survive_a_restart_of_the_web_process(web, tone):
    published_episode(tone, show=ShowFactory(slug="main"))
    first_server = web()
    _, first, body = first_server.get("/episodes/rss")
    first_server.stop()
    time.sleep(1.1)  # a new date would show now
    server = web()
    status, again, _ = server.get("/episodes/rss", **{"If-None-Match": first["ETag"]})
    assert status == 304 and again["ETag"] == first["ETag"]
    status, rebuilt, same = server.get("/episodes/rss")
    assert status == 200 and same == body
    assert (rebuilt["ETag"], rebuilt["Last-Modified"]) == (first["ETag"], first["Last-Modified"])


def test_a_scheduled_episode_reaches_the_web_process_at_its_time(web, tone):
    show = ShowFactory(slug="main")
    published_episode(tone, show=show, title="Old")
    server = web()
    assert server.get("/episodes/rss")[0] == 200  # started and warm: it has built a feed
    # The publish time is set only now, so the server's start-up (seconds on a busy
    # machine) cannot use it up; one warm request takes milliseconds of it.
    soon = timezone.now() + dt.timedelta(seconds=1)
    published_episode(tone, show=show, title="Scheduled", publish_at=soon)
    feed_cache.invalidate_feed(show)  # as saving it in the admin does, before its time
    _, first, body = server.get("/episodes/rss")
    assert b"Scheduled" not in body and timezone.now() < soon
    time.sleep(max(0.0, (soon - timezone.now()).total_seconds()) + 0.2)
    status, _, body = server.get("/episodes/rss", **{"If-None-Match": first["ETag"]})
    assert status == 200 and b"Scheduled" in body
