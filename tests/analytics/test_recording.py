"""Audio and feed requests through the real views, buffered, then aggregated as the worker does."""

import datetime as dt
import gzip

import pytest
from django.contrib.auth.models import AnonymousUser
from django.core.signals import request_finished
from django.db import close_old_connections
from django.urls import resolve
from django.utils import timezone

from analytics import aggregation, buffer, salts
from analytics.listeners import listener_key
from analytics.models import (
    ClientDownloads,
    DailyDownloads,
    DailyFeedPolls,
    DailyRequests,
    EpisodeDownloads,
    Event,
    ListenerDay,
    ProcessedBatch,
    Salt,
)
from analytics.retention import expire
from episodes.serving import SYNC_CHUNK_SIZE

OVERCAST = "Overcast/3.0 (+http://overcast.fm/; iOS podcast app)"
SPOTIFY = "Spotify/8.9 Android/34 (SM-S918B)"
IP = "203.0.113.5"


def get(client, url, ua=OVERCAST, ip=IP, **headers):
    response = client.get(url, HTTP_USER_AGENT=ua, REMOTE_ADDR=ip, **headers)
    if response.streaming:
        b"".join(response.streaming_content)  # the test client closes it at the end
    return response


def downloads(**filters) -> int:
    """Downloads in the daily counts; the three tables (by app, by episode, by show) agree."""
    counted = sum(DailyDownloads.objects.filter(**filters).values_list("downloads", flat=True))
    if not filters:
        for table in (EpisodeDownloads, ClientDownloads):
            assert sum(table.objects.values_list("downloads", flat=True)) == counted, table
    return counted


def test_a_full_get_from_an_app_is_one_download_by_that_app_and_device(client, episode):
    get(client, episode.download_url())
    get(client, episode.download_url())  # the same listener again the same day
    summary = aggregation.aggregate_pending()
    assert (summary.events, summary.downloads) == (2, 1)
    row = DailyDownloads.objects.get()
    assert (row.client, row.device_category, row.downloads) == ("Overcast", "mobile", 1)
    assert row.day == timezone.now().astimezone(dt.UTC).date()


def test_no_ip_address_is_stored_anywhere(client, episode):
    get(client, episode.download_url(), ip="198.51.100.77")
    aggregation.aggregate_pending()
    for event in Event.objects.values():
        assert not any("198.51.100.77" in str(value) for value in event.values())
    assert not any("198.51.100.77" in str(v) for v in ListenerDay.objects.values().get().values())


def test_a_probe_and_a_head_make_no_download_and_the_probe_shows_as_a_request(client, episode):
    get(client, episode.download_url(), HTTP_RANGE="bytes=0-1")
    client.head(episode.download_url(), HTTP_USER_AGENT=OVERCAST)
    aggregation.aggregate_pending()
    assert downloads() == 0
    assert DailyRequests.objects.get().requests == 1  # the HEAD is not even recorded


def test_ranges_across_two_batches_add_up_to_a_download_at_the_minute(client, episode):
    get(client, episode.download_url(), HTTP_RANGE="bytes=0-299999")
    aggregation.aggregate_pending()
    assert downloads() == 0
    get(client, episode.download_url(), HTTP_RANGE="bytes=200000-479999")
    aggregation.aggregate_pending()
    assert downloads() == 0  # 480,000 bytes: the minute, but not the header as well
    get(client, episode.download_url(), HTTP_RANGE="bytes=480000-520000")
    aggregation.aggregate_pending()
    assert downloads() == 1


def test_a_listener_who_hangs_up_is_credited_with_the_bytes_that_left(rf, episode):
    request = rf.get(episode.download_url(), HTTP_USER_AGENT=OVERCAST, REMOTE_ADDR=IP)
    request.user = AnonymousUser()
    match = resolve(episode.download_url())
    response = match.func(request, *match.args, **match.kwargs)
    next(response.streaming_content)  # one chunk (256 KiB), then the app goes away
    # The server closes the response; keep the test database open meanwhile.
    request_finished.disconnect(close_old_connections)
    try:
        response.close()
    finally:
        request_finished.connect(close_old_connections)
    aggregation.aggregate_pending()
    event = Event.objects.get()
    assert (event.status, event.range_start, event.range_end) == (200, 0, SYNC_CHUNK_SIZE - 1)
    assert downloads() == 0


def test_a_redirect_to_storage_counts_the_range_asked_for(client, episode, settings):
    settings.PODCAST_AUDIO_REDIRECT = True
    response = get(client, episode.download_url(), HTTP_RANGE="bytes=0-599999")
    assert response.status_code == 302
    aggregation.aggregate_pending()
    event = Event.objects.get()
    assert (event.status, event.range_start, event.range_end) == (302, 0, 599_999)
    assert downloads() == 1


def test_audio_handed_to_nginx_counts_the_range_asked_for(client, episode, settings):
    settings.PODCAST_ACCEL_REDIRECT = "/_media/"
    response = get(client, episode.download_url(), HTTP_RANGE="bytes=0-599999")
    assert response["X-Accel-Redirect"].startswith("/_media/")
    aggregation.aggregate_pending()
    event = Event.objects.get()
    assert (event.range_start, event.range_end) == (0, 599_999)
    assert downloads() == 1


def test_bots_and_empty_user_agents_are_requests_not_downloads(client, episode):
    get(client, episode.download_url(), ua="Googlebot/2.1 (+http://www.google.com/bot.html)")
    get(client, episode.download_url(), ua="")
    get(client, episode.download_url(), ua=SPOTIFY)
    aggregation.aggregate_pending()
    kinds = dict(DailyRequests.objects.values_list("client_kind", "requests"))
    assert kinds == {"bot": 1, "empty": 1, "app": 1}
    assert downloads() == 1


def test_an_empty_user_agent_counts_when_the_site_says_so(client, episode, settings):
    settings.PODCAST_ANALYTICS_COUNT_EMPTY_UA = True
    get(client, episode.download_url(), ua="")
    aggregation.aggregate_pending()
    assert downloads(client="Unknown") == 1


def test_feed_polls_count_304s_bytes_and_reported_subscribers(client, episode):
    feedly = (
        "Feedly/1.0 (+http://www.feedly.com/fetcher.html; 123 subscribers; like FeedFetcher-Google)"
    )
    first = get(client, "/episodes/rss", ua=feedly)
    get(client, "/episodes/rss", ua=feedly, HTTP_IF_NONE_MATCH=first["ETag"])
    aggregation.aggregate_pending()
    poll = DailyFeedPolls.objects.get()
    assert (poll.client, poll.requests, poll.not_modified, poll.full_responses) == (
        "Feedly",
        2,
        1,
        1,
    )
    assert poll.bytes_sent == len(first.content)
    assert poll.subscribers == 123


def test_gzipped_feed_answers_count_the_bytes_gzip_saved(client, episode):
    plain = get(client, "/episodes/rss", ua=OVERCAST)
    packed = get(client, "/episodes/rss", ua=OVERCAST, HTTP_ACCEPT_ENCODING="gzip, br")
    get(client, "/episodes/rss", ua=OVERCAST, HTTP_ACCEPT_ENCODING="gzip")
    assert packed["Content-Encoding"] == "gzip" and gzip.decompress(packed.content) == plain.content
    aggregation.aggregate_pending()
    poll = DailyFeedPolls.objects.get()
    assert (poll.full_responses, poll.gzipped) == (3, 2)
    assert poll.gzip_saved == 2 * (len(plain.content) - len(packed.content))
    assert poll.bytes_sent == len(plain.content) + 2 * len(packed.content)


def test_a_batch_handed_out_twice_is_counted_once(client, episode):
    get(client, episode.download_url())
    batch = buffer.get_buffer().claim(100)
    aggregation.aggregate_lines(batch.lines)  # applied, as by a worker killed before done()
    ProcessedBatch.objects.create(name=batch.name, events=1)
    assert aggregation.aggregate_pending().events == 0
    assert downloads() == 1 and not buffer.get_buffer().files()


def test_a_key_with_implausibly_many_downloads_in_a_day_is_withdrawn(
    client, episode, ninety_seconds
):
    from tests.factories import published_episode

    others = [published_episode(ninety_seconds, show=episode.show) for _ in range(3)]
    for other in others:
        get(client, other.download_url())
    aggregation.aggregate_pending()
    assert downloads() == 3
    aggregation.counting.IMPLAUSIBLE_PER_DAY, old = 3, aggregation.counting.IMPLAUSIBLE_PER_DAY
    try:
        get(client, episode.download_url())
        aggregation.aggregate_pending()
    finally:
        aggregation.counting.IMPLAUSIBLE_PER_DAY = old
    assert downloads() == 0
    assert ListenerDay.objects.filter(implausible=True).count() == 4


def test_after_rotation_yesterdays_keys_cannot_be_recomputed(db):
    yesterday = timezone.now() - dt.timedelta(days=1)
    key = listener_key(IP, OVERCAST, salts.salt_for(yesterday))
    salts.rotate(timezone.now())
    assert not Salt.objects.filter(day__lt=timezone.now().date()).exists()
    today = salts.salt_for(timezone.now())
    stored = [bytes(v) for v in Salt.objects.values_list("value", flat=True)] + [today]
    assert all(listener_key(IP, OVERCAST, salt) != key for salt in stored)
    assert salts._today[0] == timezone.now().astimezone(dt.UTC).date()  # no copy of yesterday's


def test_raw_events_expire_after_their_days_and_aggregates_stay(client, episode):
    get(client, episode.download_url())
    aggregation.aggregate_pending()
    expire(now=timezone.now() + dt.timedelta(days=31), keep=dt.timedelta(days=30))
    assert not Event.objects.exists() and not ListenerDay.objects.exists()
    assert downloads() == 1


@pytest.mark.parametrize("aggregations", [1, 2])
def test_counting_off_records_nothing(client, episode, settings, aggregations):
    settings.PODCAST_ANALYTICS = False
    get(client, episode.download_url())
    for _ in range(aggregations):
        assert aggregation.aggregate_pending().events == 0


@pytest.fixture
def redis_buffer(settings):
    from tests.integration.conftest import redis_is_up
    from tests.missing import missing

    if not redis_is_up():
        missing("needs Redis on 127.0.0.1:6379")
    settings.PODCAST_ANALYTICS_REDIS_URL = "redis://127.0.0.1:6379/11"
    source = buffer.get_buffer()
    source.client.delete(buffer.EVENTS, buffer.IN_FLIGHT)
    yield source
    source.client.delete(buffer.EVENTS, buffer.IN_FLIGHT)


def test_the_redis_buffer_carries_requests_to_the_worker(client, episode, redis_buffer):
    get(client, episode.download_url())
    get(client, episode.download_url(), ua=SPOTIFY)
    assert redis_buffer.pending() == 2
    assert aggregation.aggregate_pending(limit=1).batches == 2
    assert downloads() == 2 and redis_buffer.pending() == 0


def test_a_redis_batch_left_by_a_dead_worker_is_taken_up_again(client, episode, redis_buffer):
    get(client, episode.download_url())
    redis_buffer.claim(100)  # claimed, then the worker died before aggregating
    assert redis_buffer.pending() == 0
    assert aggregation.aggregate_pending().events == 1
    assert downloads() == 1
