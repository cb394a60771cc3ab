"""Real podcast-app requests through a running uvicorn, a real worker aggregating, the admin's numbers.

The server and the worker share the buffer as a deployment does: the spool folder
by default, the Redis list when CACHE_URL is Redis (.ci/run's PostgreSQL pass).
"""

import re

import pytest

from analytics import buffer
from analytics.models import DailyDownloads, DailyFeedPolls, DailyRequests, Event
from analytics.tasks import aggregate_events
from episodes.audio.tones import tone_mp3
from tests.episodes.test_serving_live import Server, server_data_dir  # noqa: F401 (a fixture)
from tests.factories import published_episode
from tests.integration.conftest import wait_for

pytestmark = pytest.mark.integration

OVERCAST = "Overcast/3.0 (+http://overcast.fm/; iOS podcast app)"
APPLE = "Podcasts/1650.20 CFNetwork/1408.0.4 Darwin/22.5.0"
SPOTIFY = "Spotify/8.9.10 Android/34 (SM-S918B)"
POCKETCASTS = "PocketCasts/1.0 (Pocket Casts Feed Parser; +http://pocketcasts.com/)"
FEEDLY = "Feedly/1.0 (+http://www.feedly.com/fetcher.html; 57 subscribers; like FeedFetcher-Google)"


@pytest.fixture
def live(worker_factory, settings, tmp_path, monkeypatch, collected_data_dir):
    spool = tmp_path / "analytics-spool"
    monkeypatch.setenv("PODCAST_ANALYTICS_SPOOL_DIR", str(spool))  # both processes read it
    settings.PODCAST_ANALYTICS_SPOOL_DIR = spool
    worker_factory(settings.CELERY_BROKER_URL)
    episode = published_episode(tone_mp3(90.0), slug="tone")
    episode.audio_duration, episode.audio_bitrate = 90.0, 64_000
    episode.save()
    server = Server(settings.MEDIA_ROOT, collected_data_dir, tmp_path / "uvicorn.log")
    server.wait_until_ready()
    yield server, episode
    server.stop()


def fetch(
    server, path: str, agent: str | None, method: str = "GET", **headers
) -> tuple[int, dict, bytes]:
    connection = server.connection()
    if agent is not None:
        headers["User-Agent"] = agent
    connection.putrequest(method, path, skip_accept_encoding=True)
    for name, value in headers.items():
        connection.putheader(name, value)
    connection.endheaders()
    response = connection.getresponse()
    body = response.read()
    connection.close()
    return response.status, dict(response.getheaders()), body


def listen(server, url: str) -> None:
    """What real apps do: probes, progressive ranges, repeats, HEADs; and what bots do."""
    fetch(server, url, OVERCAST, "HEAD")
    fetch(server, url, OVERCAST)
    fetch(server, url, APPLE, Range="bytes=0-1")
    fetch(server, url, APPLE, Range="bytes=0-")
    fetch(server, url, SPOTIFY, Range="bytes=0-299999")
    fetch(server, url, SPOTIFY, Range="bytes=300000-")
    fetch(server, url, POCKETCASTS)
    fetch(server, url, POCKETCASTS)
    fetch(server, url, "Googlebot/2.1 (+http://www.google.com/bot.html)")
    fetch(server, url, "curl/8.5.0")
    fetch(server, url, None)  # no User-Agent header at all


@pytest.fixture(autouse=True)
def empty_redis_buffer() -> None:
    """With Redis (.ci/run's second pass) the list is shared by every server the run
    started, and each sends its last lines as it stops: start from an empty one."""
    gathered = buffer.get_buffer()
    if isinstance(gathered, buffer.RedisBuffer):
        gathered.flush()
        batches = gathered.client.smembers(buffer.IN_FLIGHT)
        gathered.client.delete(buffer.EVENTS, buffer.IN_FLIGHT, *batches)


def recorded() -> int:
    """Lines the server has put in the buffer: with Redis, up to 0.2 s after the request
    (RedisBuffer.FLUSH_SECONDS), so a worker started at once could find none."""
    return buffer.get_buffer().pending()


def test_real_apps_through_a_running_server_and_worker_reach_the_admin(live, admin_client, client):
    server, episode = live
    listen(server, episode.download_url())
    status, headers, _ = fetch(server, "/episodes/rss", FEEDLY, **{"Accept-Encoding": "gzip"})
    assert status == 200
    fetch(
        server,
        "/episodes/rss",
        FEEDLY,
        **{"Accept-Encoding": "gzip", "If-None-Match": headers["ETag"]},
    )

    assert wait_for(lambda: recorded() == 12), recorded()  # every request but the HEAD
    aggregate_events.delay()
    counted = lambda: sum(DailyDownloads.objects.values_list("downloads", flat=True)) == 4  # noqa: E731
    assert wait_for(counted, timeout=60), list(DailyDownloads.objects.values())
    assert wait_for(lambda: DailyFeedPolls.objects.exists(), timeout=30)

    apps = dict(DailyDownloads.objects.values_list("client", "downloads"))
    assert apps == {"Overcast": 1, "Apple Podcasts": 1, "Spotify": 1, "Pocket Casts": 1}

    # The admin page, from the running server, with an editor's session.
    admin_client.get("/admin/")
    cookie = f"sessionid={admin_client.cookies['sessionid'].value}"
    status, _, body = fetch(
        server, f"/admin/analytics/show/{episode.show.slug}/", "Firefox", Cookie=cookie
    )
    html = body.decode()
    assert status == 200
    assert "<strong>4</strong><span>downloads in all</span>" in html
    for app in apps:
        assert re.search(rf"<td>{re.escape(app)}</td><td class=\"number\">1</td>", html), app
    assert '<td>bot</td><td class="number">2</td>' in html
    assert '<td>empty</td><td class="number">1</td>' in html
    assert "<td>Feedly</td>" in html and ">57<" in html and "50%" in html


def test_a_listed_data_centre_network_is_read_by_the_server_at_start_and_never_counts(
    worker_factory, settings, tmp_path, monkeypatch, collected_data_dir
):
    """The server sees this test's requests from 127.0.0.1: list it, and no request counts."""
    ranges = tmp_path / "datacentres.txt"
    ranges.write_text("# our own loopback, standing in for a hosting provider\n127.0.0.0/8\n")
    monkeypatch.setenv("PODCAST_DATACENTRE_RANGES", str(ranges))  # the server's environment
    spool = tmp_path / "analytics-spool"
    monkeypatch.setenv("PODCAST_ANALYTICS_SPOOL_DIR", str(spool))
    settings.PODCAST_ANALYTICS_SPOOL_DIR = spool
    worker_factory(settings.CELERY_BROKER_URL)
    episode = published_episode(tone_mp3(90.0), slug="tone")
    server = Server(settings.MEDIA_ROOT, collected_data_dir, tmp_path / "uvicorn.log")
    server.wait_until_ready()
    try:
        fetch(server, episode.download_url(), OVERCAST)
        fetch(server, episode.download_url(), SPOTIFY)
        assert wait_for(lambda: recorded() == 2), recorded()
    finally:
        server.stop()
    aggregate_events.delay()
    kinds = lambda: dict(DailyRequests.objects.values_list("client_kind", "requests"))  # noqa: E731
    assert wait_for(lambda: kinds() == {"datacentre": 2}, timeout=60), kinds()
    assert not DailyDownloads.objects.exists()
    # Only the flag was kept: the raw events hold a listener key, never the address.
    assert set(Event.objects.values_list("client_kind", flat=True)) == {"datacentre"}
    assert "127.0.0.1" not in str(list(Event.objects.values()))
