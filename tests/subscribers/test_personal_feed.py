"""A subscriber's personal feed: premium episodes, their token in every URL, blocked, private."""

import gzip
import io

import podcastparser
import pytest
from django.test import Client
from lxml import etree

from tests.subscribers.conftest import SITE, local

pytestmark = pytest.mark.django_db
BLOCK_TAGS = ["{http://www.itunes.com/dtds/podcast-1.0.dtd}block",
              "{https://podcastindex.org/namespace/1.0}block"]  # fmt: skip


def personal_feed(subscriber, **headers) -> bytes:
    response = Client().get(f"/feeds/{subscriber.token}/rss", headers=headers)
    assert response.status_code == 200
    return response.content


def test_a_subscriber_reads_premium_episodes_and_downloads_them(
    subscriber, public_episode, premium_episode, tone
):
    feed_url = f"{SITE}/feeds/{subscriber.token}/rss"
    parsed = podcastparser.parse(feed_url, io.BytesIO(personal_feed(subscriber)))
    episodes = {e["title"]: e["enclosures"][0]["url"] for e in parsed["episodes"]}
    assert set(episodes) == {"Free for all", "Members only bonus"}
    assert all(url.startswith(f"{SITE}/feeds/{subscriber.token}/") for url in episodes.values())
    audio = Client().get(local(episodes["Members only bonus"]))
    assert audio.status_code == 200
    assert b"".join(audio.streaming_content) == tone * 2


def test_partytime_reads_the_premium_transcripts_and_chapters_under_the_token(
    subscriber, public_episode, premium_episode, partytime_whole
):
    parsed = partytime_whole(personal_feed(subscriber))
    items = {item["title"]: item for item in parsed["items"]}
    assert set(items) == {"Free for all", "Members only bonus"}
    bonus, client = items["Members only bonus"], Client()
    assert parsed["itunesBlock"] is True and parsed["podcastBlocked"] == "yes"
    transcripts = [t["url"] for t in bonus["podcastTranscripts"]]
    assert len(transcripts) == 4
    for url in transcripts:
        assert url.startswith(f"{SITE}/feeds/{subscriber.token}/")
        assert "members hear" in client.get(local(url)).content.decode()
    chapters = client.get(local(bonus["podcastChapters"]["url"]))
    assert "Members chapter" in chapters.content.decode()


def test_the_personal_feed_is_blocked_unindexed_and_private(subscriber, public_episode):
    response = Client().get(f"/feeds/{subscriber.token}/rss")
    assert response["X-Robots-Tag"] == "noindex"
    assert response["Cache-Control"].startswith("private")
    assert response["Referrer-Policy"] == "no-referrer"
    channel = etree.fromstring(response.content).find("channel")
    assert [channel.findtext(tag) for tag in BLOCK_TAGS] == ["Yes", "yes"]
    assert channel.find("{http://www.w3.org/2005/Atom}link[@rel='hub']") is None


def test_the_public_feed_carries_no_block(client, subscriber, public_episode, settings):
    settings.PODCAST_WEBSUB_HUB = "https://hub.example.com/"
    channel = etree.fromstring(client.get("/episodes/rss").content).find("channel")
    assert [channel.find(tag) for tag in BLOCK_TAGS] == [None, None]


def test_the_gzip_feed_is_the_same_document(subscriber, public_episode, premium_episode):
    plain = personal_feed(subscriber)
    response = Client().get(f"/feeds/{subscriber.token}/rss", headers={"Accept-Encoding": "gzip"})
    assert response["Content-Encoding"] == "gzip"
    assert gzip.decompress(response.content) == plain


def test_two_subscribers_get_one_document_with_their_own_tokens(
    show, subscriber, public_episode, premium_episode
):
    bob = show.subscribers.create(email="bob@example.com")
    ann_feed, bob_feed = personal_feed(subscriber), personal_feed(bob)
    assert subscriber.token.encode() in ann_feed and subscriber.token.encode() not in bob_feed
    assert ann_feed.replace(subscriber.token.encode(), bob.token.encode()) == bob_feed


def test_an_unchanged_feed_answers_304(subscriber, public_episode):
    first = Client().get(f"/feeds/{subscriber.token}/rss")
    again = Client().get(f"/feeds/{subscriber.token}/rss", headers={"If-None-Match": first["ETag"]})
    assert again.status_code == 304


def test_a_newly_published_premium_episode_reaches_the_feed(subscriber, public_episode, tone):
    from episodes.feeds.cache import invalidate_feed
    from tests.factories import published_episode

    assert b"Late bonus" not in personal_feed(subscriber)
    published_episode(tone, show=subscriber.show, number=3, title="Late bonus", premium=True)
    invalidate_feed(subscriber.show)
    assert b"Late bonus" in personal_feed(subscriber)


def test_a_token_nobody_holds_is_404(subscriber, public_episode):
    other = subscriber.token[::-1]
    assert Client().get(f"/feeds/{other}/rss").status_code == 404
    assert Client().get("/feeds/short/rss").status_code == 404


def test_the_personal_feeds_pages_carry_the_token(
    settings, subscriber, public_episode, premium_episode
):
    settings.PODCAST_FEED_MAX_EPISODES = settings.PODCAST_FEED_PAGE_SIZE = 1
    atom = "{http://www.w3.org/2005/Atom}link"
    channel = etree.fromstring(personal_feed(subscriber)).find("channel")
    following = channel.find(f"{atom}[@rel='next']").get("href")
    assert following == f"{SITE}/feeds/{subscriber.token}/rss?page=2"
    page = Client().get(local(following))
    assert page.status_code == 200 and b"Free for all" in page.content
    assert b"Members only bonus" not in page.content  # the newest is on page 1


def test_a_moved_show_keeps_its_subscribers_on_their_personal_feed(
    show, subscriber, public_episode
):
    show.new_feed_url = "https://elsewhere.example.com/rss"
    show.save()
    assert Client().get("/episodes/rss").status_code == 301
    assert b"elsewhere.example.com" not in personal_feed(subscriber)
