"""The main feed holds the newest episodes up to a count and a size, and says where the rest is."""

import datetime as dt
import io

import feedparser
import podcastparser
import pytest
from django.utils import timezone

from tests.episodes.feeds.test_views import NS, SITE, fetch, item_titles
from tests.factories import ShowFactory, published_episode

FEED = f"{SITE}/episodes/rss"


pytestmark = pytest.mark.usefixtures("feed_site")


@pytest.fixture
def seven(tone):
    """A show of seven public episodes, E1 the oldest; pages of two."""
    show = ShowFactory(slug="main")
    now = timezone.now()
    for number in range(1, 8):
        published_episode(tone, show=show, number=number, title=f"E{number}",
                          publish_at=now - dt.timedelta(days=10 - number))  # fmt: skip
    return show


def next_link(root) -> str | None:
    link = root.find("channel/atom:link[@rel='next']", NS)
    return None if link is None else link.get("href")


def follow(client, root) -> list[str]:
    """Every title an RFC 5005 app collects from the main feed by following rel="next"."""
    titles = item_titles(root)
    while (href := next_link(root)) is not None:
        _, root = fetch(client, href.removeprefix(SITE))
        titles += [title for title in item_titles(root) if title not in titles]
    return titles


@pytest.mark.django_db
def test_the_main_feed_holds_the_newest_episodes_and_links_to_the_rest(client, seven, settings):
    settings.PODCAST_FEED_PAGE_SIZE = 2
    settings.PODCAST_FEED_MAX_EPISODES = 5
    _, main = fetch(client)
    assert item_titles(main) == ["E7", "E6", "E5", "E4", "E3"]
    # E2 is the first one left out: page 3 holds E3 and E2 (apps merge by guid).
    assert next_link(main) == f"{FEED}?page=3"
    assert follow(client, main) == ["E7", "E6", "E5", "E4", "E3", "E2", "E1"]
    _, full = fetch(client, "/episodes/rss_full_history")
    assert item_titles(full) == ["E7", "E6", "E5", "E4", "E3", "E2", "E1"]
    assert next_link(full) is None
    # Real app parsers read the capped feed, its items and the link.
    body = fetch(client)[0].content
    parsed = podcastparser.parse(FEED, io.BytesIO(body), max_episodes=0)
    assert [e["title"] for e in parsed["episodes"]] == ["E7", "E6", "E5", "E4", "E3"]
    read = feedparser.parse(body, sanitize_html=False)
    assert not read.bozo and len(read.entries) == 5
    assert {link.rel: link.href for link in read.feed.links}["next"] == f"{FEED}?page=3"


@pytest.mark.django_db
def test_a_show_within_the_cap_has_a_complete_main_feed_without_a_next_link(
    client, seven, settings
):
    settings.PODCAST_FEED_MAX_EPISODES = 7
    _, main = fetch(client)
    assert len(item_titles(main)) == 7 and next_link(main) is None


@pytest.mark.django_db
def test_a_main_feed_over_the_size_cap_drops_its_oldest_items(client, seven, settings):
    settings.PODCAST_FEED_PAGE_SIZE = 2
    whole, _ = fetch(client)
    settings.PODCAST_FEED_MAX_BYTES = len(whole.content) - 1
    response, main = fetch(client)
    titles = item_titles(main)
    assert len(response.content) <= settings.PODCAST_FEED_MAX_BYTES
    assert titles == ["E7", "E6", "E5", "E4", "E3", "E2", "E1"][: len(titles)]
    assert 1 <= len(titles) < 7
    assert follow(client, main) == ["E7", "E6", "E5", "E4", "E3", "E2", "E1"]
    # Too small for even one item: the newest stays, so the feed is never empty.
    settings.PODCAST_FEED_MAX_BYTES = 1
    _, main = fetch(client)
    assert item_titles(main) == ["E7"] and next_link(main) == f"{FEED}?page=1"
    _, full = fetch(client, "/episodes/rss_full_history")
    assert len(item_titles(full)) == 7


@pytest.mark.django_db
def test_changing_the_cap_changes_the_stored_validators(client, seven, settings):
    settings.PODCAST_FEED_MAX_EPISODES = 5
    first, _ = fetch(client)
    settings.PODCAST_FEED_MAX_EPISODES = 3
    again = client.get("/episodes/rss", HTTP_IF_NONE_MATCH=first["ETag"])
    assert again.status_code == 200 and again["ETag"] != first["ETag"]
    assert again.content.count(b"<item>") == 3
    settings.PODCAST_FEED_MAX_BYTES = len(again.content) - 1
    smaller = client.get("/episodes/rss", HTTP_IF_NONE_MATCH=again["ETag"])
    assert smaller.status_code == 200 and smaller.content.count(b"<item>") == 2
