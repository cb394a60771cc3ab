"""Listeners' hot paths answer from this process: no query once warm, changes seen at once."""

import pytest
from django.core.cache import cache

from episodes import hot, services
from tests.factories import ShowFactory, published_episode

GZIP = {"HTTP_ACCEPT_ENCODING": "gzip"}


@pytest.fixture
def episode(db, tone, settings):
    settings.PODCAST_HOT_SECONDS = 1
    settings.PODCAST_PAGE_CACHE_SECONDS = 10
    cache.clear()
    hot.rows.clear()
    hot.pages.clear()
    yield published_episode(tone, show=ShowFactory(slug="main"), slug="hot", title="Before")
    cache.clear()


def announce(episode, capture) -> None:
    with capture(execute=True):
        services.record_episode_change(episode=episode)


def test_feed_304_page_and_range_probe_touch_no_database_once_warm(
    client, episode, django_assert_num_queries
):
    page, audio = episode.get_absolute_url(), episode.download_url()
    feed = client.get("/episodes/rss", **GZIP)
    client.get(page)
    client.get(audio, HTTP_RANGE="bytes=0-1")
    with django_assert_num_queries(0):
        assert client.get("/episodes/rss", **GZIP).status_code == 200
        again = client.get("/episodes/rss", HTTP_IF_NONE_MATCH=feed["ETag"], **GZIP)
        assert again.status_code == 304
        assert b"Before" in client.get(page).content
        probe = client.get(audio, HTTP_RANGE="bytes=0-1")
        assert probe.status_code == 206 and len(b"".join(probe)) == 2


def test_an_announced_change_reaches_listeners_at_once(
    client, episode, django_capture_on_commit_callbacks
):
    client.get(episode.get_absolute_url())
    client.get("/episodes/rss")
    episode.title = "After"
    episode.save()
    announce(episode, django_capture_on_commit_callbacks)
    assert b"After" in client.get(episode.get_absolute_url()).content
    assert b"After" in client.get("/episodes/rss").content


def test_an_unpublished_episode_is_gone_at_once_from_every_hot_path(
    client, episode, django_capture_on_commit_callbacks
):
    client.get(episode.download_url(), HTTP_RANGE="bytes=0-1")
    client.get(episode.get_absolute_url())
    episode.publish_at = None
    episode.save()
    announce(episode, django_capture_on_commit_callbacks)
    assert client.get(episode.download_url(), HTTP_RANGE="bytes=0-1").status_code == 404
    assert client.get(episode.get_absolute_url()).status_code == 404


def test_an_unannounced_change_is_seen_within_the_hot_seconds(client, episode, monkeypatch):
    client.get("/episodes/rss")
    type(episode).objects.filter(pk=episode.pk).update(publish_at=None)
    clock = hot.time.monotonic() + 1.5
    monkeypatch.setattr(hot.time, "monotonic", lambda: clock)
    assert client.get(episode.download_url()).status_code == 404


def test_editors_read_the_database_every_time(admin_client, client, episode):
    client.get(episode.download_url(), HTTP_RANGE="bytes=0-1")
    type(episode).objects.filter(pk=episode.pk).update(title="Edited in a shell")
    page = admin_client.get(episode.get_absolute_url())
    assert b"Edited in a shell" in page.content


def test_a_kept_page_has_an_etag_and_answers_a_revalidation_with_304(client, episode):
    first = client.get(episode.get_absolute_url())
    assert first["ETag"] and "s-maxage=60" in first["Cache-Control"]
    again = client.get(episode.get_absolute_url(), HTTP_IF_NONE_MATCH=first["ETag"])
    assert again.status_code == 304 and again.content == b""


def test_a_cache_flush_drops_what_each_process_kept(client, episode):
    client.get(episode.get_absolute_url())
    type(episode).objects.filter(pk=episode.pk).update(title="After a flush")
    cache.clear()
    assert b"After a flush" in client.get(episode.get_absolute_url()).content
