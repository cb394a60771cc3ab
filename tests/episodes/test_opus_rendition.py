"""podcast:alternateEnclosure: the worker's Opus rendition of an episode, in the feed with
podcast:source and podcast:integrity, read back by podcast-partytime and feedsmith, served
with ranges like the MP3, decoded back with PyAV."""

import base64
import hashlib
import io

import av
import pytest
from django.core.files.base import ContentFile
from lxml import etree

from episodes.audio.tones import tone_mp3
from episodes.models import Episode
from episodes.tasks import make_opus_rendition
from tests.conftest import SITE
from tests.episodes.feeds.test_views import NS
from tests.factories import ShowFactory, published_episode
from tests.responses import body_of

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("feed_site")]


@pytest.fixture
def episode():
    show = ShowFactory(slug="main", title="Opus Show")
    episode = published_episode(tone_mp3(20.0), duration=20.0, show=show, number=1, slug="one")
    Episode.objects.filter(pk=episode.pk).update(audio_source="uploads/one.mp3")
    return Episode.objects.select_related("show").get(pk=episode.pk)


def decoded_seconds(data: bytes) -> float:
    with av.open(io.BytesIO(data)) as container:
        stream = container.streams.audio[0]
        return sum(frame.samples for frame in container.decode(stream)) / stream.rate


def alternates(feed: bytes) -> list:
    return etree.fromstring(feed).xpath("//item/podcast:alternateEnclosure", namespaces=NS)


def test_the_worker_makes_the_opus_copy_that_both_parsers_read(
    client, episode, partytime_whole, feedsmith
):
    assert alternates(client.get("/episodes/rss").content) == []  # not made yet
    make_opus_rendition(episode.pk)
    make_opus_rendition(episode.pk)  # a second run encodes nothing new
    episode.refresh_from_db()
    assert episode.opus_version == 1 and episode.has_opus()
    feed = client.get("/episodes/rss").content
    url = SITE + episode.opus_url()
    (item,) = partytime_whole(feed)["items"]
    (alt,) = item["alternativeEnclosures"]
    assert (alt["type"], alt["length"], alt["bitrate"], alt["title"]) == (
        "audio/opus", episode.opus_size, episode.opus_bitrate, "Opus"
    )  # fmt: skip
    assert [source["uri"] for source in alt["source"]] == [url]
    assert alt["integrity"] == {"type": "sri", "value": episode.opus_integrity}
    (item,) = feedsmith(feed)["items"]
    (alt,) = item["podcast"]["alternateEnclosures"]
    assert (alt["type"], alt["length"], alt["bitrate"], alt["title"]) == (
        "audio/opus", episode.opus_size, episode.opus_bitrate, "Opus"
    )  # fmt: skip
    assert [source["uri"] for source in alt["sources"]] == [url]
    assert alt["integrity"] == {"type": "sri", "value": episode.opus_integrity}
    assert item["enclosures"][0]["type"] == "audio/mpeg"  # the MP3 stays the enclosure


def test_the_opus_url_serves_the_bytes_the_integrity_names_with_ranges(client, episode):
    make_opus_rendition(episode.pk)
    episode.refresh_from_db()
    whole = client.get(episode.opus_url())
    assert whole.status_code == 200 and whole["Content-Type"] == "audio/opus"
    data = body_of(whole)
    assert len(data) == episode.opus_size
    digest = base64.b64encode(hashlib.sha384(data).digest()).decode()
    assert episode.opus_integrity == f"sha384-{digest}"
    assert abs(decoded_seconds(data) - 20.0) < 1.0  # the MP3 lasts 20 s
    part = client.get(episode.opus_url(), HTTP_RANGE="bytes=0-1")
    assert part.status_code == 206
    assert part["Content-Range"] == f"bytes 0-1/{len(data)}"
    assert body_of(part) == b"Og"


def test_broken_audio_says_why_and_keeps_the_mp3_item(client, episode):
    episode.audio.storage.delete(episode.audio.name)
    episode.audio.storage.save(episode.audio.name, ContentFile(b"garbage" * 1000))
    make_opus_rendition(episode.pk)
    episode.refresh_from_db()
    assert "could not be read for the Opus copy" in episode.opus_error
    assert not episode.has_opus()
    feed = client.get("/episodes/rss").content
    assert alternates(feed) == []
    (enclosure,) = etree.fromstring(feed).xpath("//item/enclosure/@url")
    assert enclosure == SITE + episode.download_url()
    assert client.get("/episodes/download/1/one.opus?v=1").status_code == 404


def test_the_admin_says_why_the_opus_copy_is_missing(admin_client, episode):
    Episode.objects.filter(pk=episode.pk).update(opus_error="the audio could not be read")
    page = admin_client.get(f"/admin/episodes/episode/{episode.pk}/change/").content.decode()
    assert "Not made: the audio could not be read" in page
