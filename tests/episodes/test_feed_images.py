"""podcast:images: the worker's resized copies of the show's and an episode's artwork,
as a srcset on channel and item, read back by podcast-partytime, feedsmith and the XSD."""

import pytest
from django.core.files.base import ContentFile
from lxml import etree

from episodes.demoart import cover_jpeg
from episodes.models import Episode
from episodes.tasks import make_episode_page_art, make_show_page_art
from episodes.uploads import stored_url
from tests.episodes.feeds.test_views import NS, SITE
from tests.episodes.test_admin_editing import image_upload, post_change
from tests.episodes.test_feed_parsers import podcast_schema, validate
from tests.factories import ShowFactory, published_episode

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("feed_site")]


@pytest.fixture
def episode(tone):
    show = ShowFactory(slug="main", title="Images Show")
    show.artwork.save("cover.jpg", ContentFile(cover_jpeg("Show", size=3000)), save=True)
    return published_episode(tone, show=show, number=1, slug="one")


def srcsets(feed: bytes) -> list[str]:
    return etree.fromstring(feed).xpath("//podcast:images/@srcset", namespaces=NS)


def test_no_podcast_images_until_the_worker_made_the_copies(client, episode):
    assert srcsets(client.get("/episodes/rss").content) == []


def test_the_copies_of_an_uploaded_artwork_reach_both_parsers_and_are_served(
    admin_client, client, episode, partytime_whole, feedsmith, shared_data, tmp_path
):
    response = post_change(admin_client, episode, artwork=image_upload((1500, 1500)))
    assert response.status_code == 302
    make_show_page_art(episode.show_id)  # what the worker runs, as queued by the saves
    make_episode_page_art(episode.pk)
    episode = Episode.objects.get(pk=episode.pk)
    feed = client.get("/episodes/rss").content
    channel_set, item_set = srcsets(feed)
    assert [entry.rsplit(" ", 1)[1] for entry in channel_set.split(", ")] == [
        "3000w", "1500w", "600w", "300w"
    ]  # fmt: skip
    item_urls = [entry.rsplit(" ", 1)[0] for entry in item_set.split(", ")]
    assert [width for width, _ in episode.feed_art] == [1500, 600, 300]
    for url in item_urls:
        served = client.get(url.removeprefix(SITE))
        assert served.status_code == 200 and served["Content-Type"] == "image/jpeg"
    show_copies = expected(episode.show.feed_art)
    item_copies = expected(episode.feed_art)
    parsed = partytime_whole(feed)
    assert pairs(parsed["podcastImages"], "url") == show_copies
    assert pairs(parsed["items"][0]["podcastImages"], "url") == item_copies
    parsed = feedsmith(feed)
    assert [(i["href"], i["width"]) for i in parsed["podcast"]["images"]] == show_copies
    item = parsed["items"][0]["podcast"]["images"]
    assert [(i["href"], i["width"]) for i in item] == item_copies
    validate(podcast_schema(shared_data, tmp_path), feed_images(feed))


def expected(copies: list) -> list[tuple[str, int]]:
    return [(SITE + stored_url(name), width) for width, name in copies]


def pairs(images: list[dict], key: str) -> list[tuple[str, int]]:
    return [(i["parsed"][key], i["parsed"]["width"]) for i in images]


def feed_images(feed: bytes) -> list:
    return etree.fromstring(feed).xpath("//podcast:images", namespaces=NS)


def test_a_replaced_artwork_drops_its_stale_copies_from_the_feed(client, episode):
    make_show_page_art(episode.show_id)
    assert len(srcsets(client.get("/episodes/rss").content)) == 1
    episode.show.artwork.save("new.jpg", ContentFile(cover_jpeg("New", size=1400)), save=True)
    assert srcsets(client.get("/episodes/rss").content) == []
