"""podcast:liveItem: a live recording announced in the admin, in the feed as the spec
shows it, read back by podcast-partytime and feedsmith; ended ones drop out after days."""

import datetime as dt

import pytest
from django.utils import timezone
from lxml import etree

from episodes.models import LiveItem
from tests.episodes.feeds.test_views import NS
from tests.factories import ShowFactory, published_episode

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("feed_site")]
YOUTUBE = "https://www.youtube.com/watch?v=live123"


@pytest.fixture
def show(tone):
    show = ShowFactory(slug="main", title="Live Show")
    published_episode(tone, show=show, number=1, slug="one")
    return show


def add_form(show, **changes) -> dict:
    start = timezone.localtime() + dt.timedelta(days=2)
    data = {
        "show": show.pk, "title": "Episode 400, recorded live", "status": "pending",
        "start_0": start.strftime("%Y-%m-%d"), "start_1": "18:00:00",
        "end_0": start.strftime("%Y-%m-%d"), "end_1": "19:00:00",
        "content_url": YOUTUBE, "content_text": "Watch live on YouTube",
        "enclosure_url": "https://stream.example.com/live.mp3", "enclosure_type": "audio/mpeg",
    }  # fmt: skip
    return data | changes


def live_items(feed: bytes) -> list:
    return etree.fromstring(feed).xpath("/rss/channel/podcast:liveItem", namespaces=NS)


def test_a_live_item_added_in_the_admin_is_what_both_parsers_read(
    admin_client, client, show, partytime_whole, feedsmith
):
    response = admin_client.post("/admin/episodes/liveitem/add/", add_form(show))
    assert response.status_code == 302, response.content.decode()[-2000:]
    live = LiveItem.objects.get()
    feed = client.get("/episodes/rss").content
    (element,) = live_items(feed)
    assert element.get("status") == "pending"
    assert element.get("start") == live.start.astimezone(dt.UTC).isoformat()
    (parsed,) = partytime_whole(feed)["podcastLiveItems"]
    assert parsed["status"] == "pending" and parsed["title"] == "Episode 400, recorded live"
    assert parsed["guid"] == str(live.guid)
    assert parsed["enclosure"]["url"] == "https://stream.example.com/live.mp3"
    assert parsed["contentLinks"] == [{"url": YOUTUBE, "title": "Watch live on YouTube"}]
    assert dt.datetime.fromisoformat(parsed["start"]) == live.start
    assert dt.datetime.fromisoformat(parsed["end"]) == live.end
    # feedsmith reads a live item's attributes and content links, not its title, guid
    # or enclosure (partytime read those above; lxml checks them here).
    (parsed,) = feedsmith(feed)["podcast"]["liveItems"]
    assert parsed["status"] == "pending"
    assert dt.datetime.fromisoformat(parsed["start"]) == live.start
    assert dt.datetime.fromisoformat(parsed["end"]) == live.end
    assert parsed["contentLinks"] == [{"href": YOUTUBE, "display": "Watch live on YouTube"}]
    assert element.findtext("title") == "Episode 400, recorded live"
    assert element.findtext("guid") == str(live.guid)
    assert element.find("enclosure").get("url") == "https://stream.example.com/live.mp3"


def test_going_live_changes_the_feed_at_once(admin_client, client, show):
    admin_client.post("/admin/episodes/liveitem/add/", add_form(show))
    live = LiveItem.objects.get()
    assert live_items(client.get("/episodes/rss").content)[0].get("status") == "pending"
    response = admin_client.post(
        f"/admin/episodes/liveitem/{live.pk}/change/", add_form(show, status="live")
    )
    assert response.status_code == 302
    assert live_items(client.get("/episodes/rss").content)[0].get("status") == "live"


def test_a_stream_that_ends_before_it_starts_is_refused(admin_client, show):
    form = add_form(show, end_1="17:00:00")
    response = admin_client.post("/admin/episodes/liveitem/add/", form)
    assert "The stream must end after it starts." in response.content.decode()
    assert not LiveItem.objects.exists()


def test_ended_streams_drop_out_after_the_configured_days(client, show, settings):
    now = timezone.now()
    made = dict(show=show, content_url=YOUTUBE, status=LiveItem.Status.ENDED)
    LiveItem.objects.create(title="Last week", start=now - dt.timedelta(days=9),
                            end=now - dt.timedelta(days=9), **made)  # fmt: skip
    LiveItem.objects.create(title="Yesterday", start=now - dt.timedelta(days=1),
                            end=now - dt.timedelta(days=1), **made)  # fmt: skip
    settings.PODCAST_LIVE_ITEM_DAYS = 7
    titles = [e.findtext("title") for e in live_items(client.get("/episodes/rss").content)]
    assert titles == ["Yesterday"]
