"""Podcasting 2.0 tags round trip: typed into the admin forms, read back from our feed by two
real parsers, podcast-partytime (Podcast Index's) and feedsmith. Where one of them does not
read a tag, lxml reads the XML instead and the test says so."""

import datetime as dt

import pytest
from lxml import etree

from episodes.models import Episode
from tests.conftest import SITE
from tests.episodes.feeds import namespace_forms as forms
from tests.episodes.feeds.test_views import NS, fetch, public
from tests.factories import ShowFactory

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("feed_site")]


@pytest.fixture(autouse=True)
def fast_password_hashing(settings) -> None:
    # admin_client creates a user per test; the real hasher is slow by design.
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture
def show():
    return ShowFactory(slug="main", title="Bytes Show")


def saved(response) -> None:
    assert response.status_code == 302, response.context and [
        (formset.prefix, formset.errors)
        for formset in response.context.get("inline_admin_formsets")
    ] + [response.context["adminform"].form.errors]


def read_feed(client) -> tuple[bytes, etree._Element]:
    response, root = fetch(client)
    return response.content, root


def item_named(parsed_items: list[dict], title: str) -> dict:
    return next(item for item in parsed_items if item["title"] == title)


# ---------------------------------------------------------------- channel


@pytest.fixture
def channel_feed(admin_client, client, show, tone):
    public(tone, show=show, number=1, title="An episode")
    saved(forms.post_show(admin_client, show, forms.every_show_tag()))
    return read_feed(client)


def test_partytime_reads_the_channel_tags_typed_into_the_show_form(channel_feed, partytime_whole):
    parsed = partytime_whole(channel_feed[0])
    assert parsed["podcastTxt"] == [
        {"value": "S6lpp-7ZCn8-dZfGc-OoyaG", "purpose": "verify"},
        {"value": "Free-form & <escaped> text"},
    ]
    assert parsed["license"] == {
        "identifier": "cc-by-4.0",
        "url": "https://creativecommons.org/licenses/by/4.0/",
    }
    assert parsed["podcastLocation"] == {
        "name": "Austin, TX",
        "geo": "geo:30.2672,-97.7431",
        "osm": "R113314",
    }
    assert parsed["podroll"] == [
        {"feedGuid": forms.PODROLL_GUID, "feedUrl": "https://feeds.example.org/pc20.xml"},
        {"feedGuid": "396d9ae0-da7e-5557-b894-b606231fa3ea", "medium": "music"},
    ]
    value = parsed["value"]
    assert (value["type"], value["method"], value["suggested"]) == ("lightning", "keysend", 5e-08)
    assert value["recipients"] == [
        {"name": "Ada (host)", "type": "node", "address": forms.NODE, "split": 90, "fee": False,
         "customKey": "696969", "customValue": "aBcDeF"},
        {"name": "Hosting", "type": "lnaddress", "address": "host@getalby.com", "split": 10,
         "fee": True},
    ]  # fmt: skip


def test_feedsmith_reads_the_channel_tags_typed_into_the_show_form(channel_feed, feedsmith):
    podcast = feedsmith(channel_feed[0])["podcast"]
    assert podcast["txts"] == [
        {"display": "S6lpp-7ZCn8-dZfGc-OoyaG", "purpose": "verify"},
        {"display": "Free-form & <escaped> text"},
    ]
    assert podcast["license"] == {
        "display": "cc-by-4.0",
        "url": "https://creativecommons.org/licenses/by/4.0/",
    }
    assert podcast["locations"] == [
        {"display": "Austin, TX", "geo": "geo:30.2672,-97.7431", "osm": "R113314"}
    ]
    assert podcast["updateFrequency"] == {
        "display": "Every other Monday",
        "rrule": "FREQ=WEEKLY;INTERVAL=2;BYDAY=MO",
        "dtstart": "2027-01-04T09:00:00.000Z",
    }
    assert [r["feedGuid"] for r in podcast["podroll"]["remoteItems"]] == [
        forms.PODROLL_GUID,
        "396d9ae0-da7e-5557-b894-b606231fa3ea",
    ]
    assert podcast["podroll"]["remoteItems"][1]["medium"] == "music"
    (value,) = podcast["values"]
    assert value["suggested"] == 5e-08
    assert [(r["name"], r["split"], r["fee"]) for r in value["valueRecipients"]] == [
        ("Ada (host)", 90, False),
        ("Hosting", 10, True),
    ]


def test_update_frequency_is_in_the_xml_as_typed(channel_feed):
    # podcast-partytime 5 does not read podcast:updateFrequency: lxml reads the XML instead.
    frequency = channel_feed[1].find("channel/podcast:updateFrequency", NS)
    assert frequency.text == "Every other Monday"
    assert frequency.get("rrule") == "FREQ=WEEKLY;INTERVAL=2;BYDAY=MO"
    assert frequency.get("dtstart") == "2027-01-04T09:00:00.000Z"
    assert frequency.get("complete") is None  # false is the default: left out


def test_a_complete_show_says_so(admin_client, client, show, tone, feedsmith):
    public(tone, show=show, number=1)
    changes = {"update_frequency": "That's all, folks", "update_frequency_complete": "on"}
    saved(forms.post_show(admin_client, show, changes))
    content, root = read_feed(client)
    assert root.find("channel/podcast:updateFrequency", NS).get("complete") == "true"
    assert feedsmith(content)["podcast"]["updateFrequency"]["complete"] is True


# ---------------------------------------------------------------- trailer


@pytest.fixture
def trailer_feed(admin_client, client, show, tone):
    public(tone, show=show, number=1, title="An episode")
    trailer = public(tone, show=show, number=2, title="Season two is coming", slug="s2-trailer")
    changes = {"episode_type": "trailer", "season": "2"}
    saved(forms.post_episode(admin_client, trailer, changes))
    return read_feed(client)[0], Episode.objects.get(pk=trailer.pk)


def test_a_trailer_episode_is_the_channels_podcast_trailer(trailer_feed, partytime_whole):
    content, trailer = trailer_feed
    (found,) = partytime_whole(content)["trailers"]
    assert found == {
        "title": "Season two is coming",
        "url": SITE + trailer.download_url(),
        "pubdate": trailer.publish_at.replace(microsecond=0).isoformat().replace("+00:00", ".000Z"),
        "type": "audio/mpeg",
        "length": trailer.audio_size,
        "season": 2,
    }


def test_feedsmith_reads_the_trailer_with_its_rfc_2822_date(trailer_feed, feedsmith):
    content, trailer = trailer_feed
    (found,) = feedsmith(content)["podcast"]["trailers"]
    assert found["display"] == "Season two is coming"
    assert found["url"] == SITE + trailer.download_url()
    assert found["pubDate"] == trailer.publish_at.strftime("%a, %d %b %Y %H:%M:%S GMT")
    assert (found["length"], found["type"], found["season"]) == (
        trailer.audio_size,
        "audio/mpeg",
        2,
    )


def test_a_scheduled_trailer_is_not_announced_before_its_time(client, show, tone):
    public(tone, show=show, number=1)
    later = dt.datetime.now(dt.UTC) + dt.timedelta(days=2)
    public(tone, show=show, number=2, episode_type="trailer", publish_at=later)
    assert read_feed(client)[1].find("channel/podcast:trailer", NS) is None


# ---------------------------------------------------------------- items


@pytest.fixture
def item_feed(admin_client, client, show, tone):
    tagged = public(tone, show=show, number=1, title="Tagged")
    quiet = public(tone, show=show, number=2, title="No comments", slug="quiet")
    saved(
        forms.post_show(
            admin_client, show, forms.rows("value_recipients", forms.SHOW_RECIPIENTS[0])
        )
    )
    saved(forms.post_episode(admin_client, tagged, forms.every_episode_tag()))
    disabled = forms.rows("social_interacts", {"protocol": "disabled"})
    saved(forms.post_episode(admin_client, quiet, disabled))
    return read_feed(client)


def test_partytime_reads_the_item_tags_typed_into_the_episode_form(item_feed, partytime_whole):
    items = partytime_whole(item_feed[0])["items"]
    tagged = item_named(items, "Tagged")
    assert tagged["license"] == {
        "identifier": "my-show-license-v1",
        "url": "https://example.org/license.pdf",
    }
    assert tagged["podcastLocation"] == {
        "name": "Dreamworld (Queensland)",
        "geo": "geo:-27.86159,153.3169",
        "osm": "W43678282",
    }
    assert tagged["podcastSocialInteraction"] == [
        {"platform": "activitypub", "url": "https://podcastindex.social/@dave/1", "id": "@dave",
         "profileUrl": "https://podcastindex.social/@dave", "priority": 1},
        {"platform": "atproto", "url": "at://did:plc:abc/app.bsky.feed.post/3k", "id": "",
         "priority": 2},
    ]  # fmt: skip
    value = tagged["value"]  # the episode's recipients replace the show's
    assert value["suggested"] == 1e-07
    assert value["recipients"] == [
        {"name": "Lin (guest)", "type": "node", "address": forms.GUEST_NODE, "split": 50,
         "fee": False},
    ]  # fmt: skip
    # An item without recipients of its own: apps fall back on the channel's.
    assert item_named(items, "No comments")["value"]["recipients"][0]["name"] == "Ada (host)"


def test_feedsmith_reads_the_item_tags_typed_into_the_episode_form(item_feed, feedsmith):
    items = feedsmith(item_feed[0])["items"]
    tagged = item_named(items, "Tagged")["podcast"]
    assert tagged["license"] == {
        "display": "my-show-license-v1",
        "url": "https://example.org/license.pdf",
    }
    assert tagged["locations"] == [
        {"display": "Dreamworld (Queensland)", "geo": "geo:-27.86159,153.3169", "osm": "W43678282"}
    ]
    assert tagged["socialInteracts"] == [
        {"protocol": "activitypub", "uri": "https://podcastindex.social/@dave/1",
         "accountId": "@dave", "accountUrl": "https://podcastindex.social/@dave", "priority": 1},
        {"protocol": "atproto", "uri": "at://did:plc:abc/app.bsky.feed.post/3k", "priority": 2},
    ]  # fmt: skip
    (value,) = tagged["values"]
    assert (value["type"], value["method"], value["suggested"]) == ("lightning", "keysend", 1e-07)
    assert [(r["name"], r["address"], r["split"]) for r in value["valueRecipients"]] == [
        ("Lin (guest)", forms.GUEST_NODE, 50)
    ]
    # feedsmith reads protocol="disabled" as it is.
    assert item_named(items, "No comments")["podcast"]["socialInteracts"] == [
        {"protocol": "disabled"}
    ]


def test_disabled_comments_are_a_bare_tag(item_feed):
    # podcast-partytime 5 drops a socialInteract without a uri: lxml reads the XML instead.
    item = next(i for i in item_feed[1].iter("item") if i.findtext("title") == "No comments")
    (social,) = item.findall("podcast:socialInteract", NS)
    assert dict(social.attrib) == {"protocol": "disabled"}
    assert item.find("podcast:value", NS) is None  # the channel's applies


def test_a_premium_trailer_stays_out_of_the_public_feed(client, show, tone):
    public(tone, show=show, number=1)
    public(tone, show=show, number=2, episode_type="trailer", premium=True)
    assert read_feed(client)[1].find("channel/podcast:trailer", NS) is None
