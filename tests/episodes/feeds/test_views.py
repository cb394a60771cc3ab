"""The podcast feed's content: Apple's required tags, channel and items, transcripts, notes (serving: test_serving.py)."""

import datetime as dt

import pytest
import time_machine
from django.core.files.base import ContentFile
from django.utils import timezone
from django.utils.http import http_date
from lxml import etree

from episodes.chapters import ChapterEntry, chapters_document
from episodes.models import Episode, EpisodePerson, FundingLink, ShowHost
from tests.conftest import SITE
from tests.factories import (
    ChapterFactory,
    EpisodeFactory,
    PersonFactory,
    ShowFactory,
    TranscriptFactory,
    published_episode,
)

NS = {
    "itunes": "http://www.itunes.com/dtds/podcast-1.0.dtd",
    "content": "http://purl.org/rss/1.0/modules/content/",
    "podcast": "https://podcastindex.org/namespace/1.0",
    "atom": "http://www.w3.org/2005/Atom",
}
# Apple Podcasts' required and recommended tags (SPECS.md "RSS feed").
CHANNEL_TAGS = [
    "title", "description", "itunes:image", "language", "itunes:category", "itunes:explicit",
    "itunes:author", "link", "itunes:owner", "itunes:type",
]  # fmt: skip
ITEM_TAGS = [
    "title", "enclosure", "guid", "pubDate", "description", "itunes:duration", "itunes:episode",
    "itunes:episodeType", "itunes:image", "itunes:explicit", "link",
]  # fmt: skip


pytestmark = pytest.mark.usefixtures("feed_site")


def fetch(client, path: str = "/episodes/rss", **headers):
    response = client.get(path, **headers)
    assert response.status_code == 200, response.content[:300]
    return response, etree.fromstring(response.content)


def item_titles(root) -> list[str]:
    return root.xpath("/rss/channel/item/title/text()")


def public(tone: bytes, **kwargs) -> Episode:
    """A public episode of the one default show (factories would make a show per episode)."""
    kwargs.setdefault("show", ShowFactory(slug="main"))
    return published_episode(tone, **kwargs)


def build_demo_show(tone: bytes):
    """A show like the demo: artwork, hosts, a guest, funding, chapters, a ready transcript."""
    show = ShowFactory(
        slug="demo",
        categories=["Technology", "Health & Fitness > Mental Health"],
        location_name="Austin, TX",
        location_geo="geo:30.2672,-97.7431",
        location_osm="R113314",
    )
    show.artwork.save("art.png", ContentFile(b"\x89PNG fake"), save=True)
    ada = PersonFactory(name="Ada Host", url="https://ada.example.com/", image_url=f"{SITE}/a.jpg")
    ShowHost.objects.create(show=show, person=ada, role="host")
    FundingLink.objects.create(show=show, url="https://example.com/support", label="Support us")
    show.value_recipients.create(name="Ada", address="02" + "ab" * 32, split=95)
    show.value_recipients.create(
        name="Host", type="lnaddress", address="h@e.org", split=5, fee=True
    )
    first = published_episode(tone, show=show, number=1, title="Why small tools win", season=1)
    second = published_episode(tone, show=show, number=2, title="Testing with real parts")
    EpisodePerson.objects.create(episode=second, person=PersonFactory(name="Lin Guest"))
    ChapterFactory(episode=first, start=0.0, title="Welcome")
    ChapterFactory(episode=first, start=2.0, title="Pipes", url="https://example.com/pipes")
    TranscriptFactory(episode=first, language="en")
    # A replaced audio file: the enclosure URL carries its version.
    Episode.objects.filter(pk=second.pk).update(
        soundbite_start=1.5, soundbite_duration=0.5, audio_version=2
    )
    return show


@pytest.fixture
def demo_feed(db, client, tone):
    """The demo show (build_demo_show) and its feed as a client reads it: (show, root)."""
    show = build_demo_show(tone)
    return show, fetch(client)[1]


def item_of(root, number: int):
    return root.xpath(f"//item[itunes:episode='{number}']", namespaces=NS)[0]


# ---------------------------------------------------------------- content


@pytest.mark.django_db
def test_it_declares_exactly_the_four_namespaces(client, tone):
    public(tone)
    response, root = fetch(client)
    assert root.nsmap == NS
    assert b'xmlns:podcast="https://podcastindex.org/namespace/1.0"' in response.content


def test_it_has_every_tag_apple_requires_on_the_channel_and_items(demo_feed):
    _, root = demo_feed
    channel = root.find("channel")
    for tag in CHANNEL_TAGS:
        assert channel.find(tag, NS) is not None, tag
    items = channel.findall("item")
    assert items, "the demo show's episodes are in the feed"
    for item in items:
        for tag in ITEM_TAGS:
            assert item.find(tag, NS) is not None, tag
        assert item.find("itunes:explicit", NS).text in ("true", "false")
    assert channel.find("itunes:explicit", NS).text == "false"


def test_it_writes_the_channel_from_the_show(demo_feed):
    show, root = demo_feed
    channel = root.find("channel")
    assert channel.find("podcast:guid", NS).text == str(show.podcast_guid)
    locked = channel.find("podcast:locked", NS)
    assert (locked.text, locked.get("owner")) == ("yes", "owner@example.com")
    funding = channel.find("podcast:funding", NS)
    assert (funding.get("url"), funding.text) == ("https://example.com/support", "Support us")
    person = channel.find("podcast:person", NS)
    assert (person.text, person.get("role"), person.get("href")) == (
        "Ada Host",
        "host",
        "https://ada.example.com/",
    )
    assert channel.find("itunes:image", NS).get("href").startswith(f"{SITE}/media/artwork/")
    assert channel.find("atom:link[@rel='self']", NS).get("href") == f"{SITE}/episodes/rss"
    assert channel.find("podcast:medium", NS).text == "podcast"


@pytest.mark.django_db
def test_it_escapes_the_ampersand_of_apple_categories(client, tone):
    build_demo_show(tone)
    response, root = fetch(client)
    assert b'<itunes:category text="Health &amp; Fitness">' in response.content
    top = root.find("channel/itunes:category[@text='Health & Fitness']", NS)
    assert top.find("itunes:category", NS).get("text") == "Mental Health"


def test_items_carry_enclosure_guid_date_and_numbers(demo_feed, tone):
    show, root = demo_feed
    first = show.episodes.get(number=1)
    item = item_of(root, 1)
    enclosure = item.find("enclosure")
    assert enclosure.get("url") == SITE + first.download_url()
    assert int(enclosure.get("length")) == first.audio_size == len(tone)
    assert enclosure.get("type") == "audio/mpeg"
    guid = item.find("guid")
    assert (guid.text, guid.get("isPermaLink")) == (str(first.guid), "false")
    assert item.findtext("pubDate") == http_date(first.publish_at.timestamp())
    assert item.findtext("itunes:duration", namespaces=NS) == "2"
    assert item.findtext("itunes:season", namespaces=NS) == "1"
    assert item.find("podcast:season", NS).text == "1"
    assert item.findtext("podcast:episode", namespaces=NS) == "1"
    assert item.findtext("link") == SITE + first.get_absolute_url()
    second = item_of(root, 2)
    assert second.find("itunes:season", NS) is None


def test_items_restate_the_hosts_before_the_guests(demo_feed):
    _, root = demo_feed
    item = item_of(root, 2)
    people = [(p.text, p.get("role")) for p in item.findall("podcast:person", NS)]
    assert people == [("Ada Host", "host"), ("Lin Guest", "guest")]


def test_a_ready_transcript_gives_one_tag_per_format(demo_feed):
    show, root = demo_feed
    first = show.episodes.get(number=1)
    item = item_of(root, 1)
    tags = [
        (t.get("url"), t.get("type"), t.get("rel")) for t in item.findall("podcast:transcript", NS)
    ]
    base = SITE + first.transcript_url()
    assert tags == [
        (base + ".vtt", "text/vtt", "captions"),
        (base + ".json", "application/json", None),
        (base + ".srt", "application/x-subrip", "captions"),
        (base + ".html", "text/html", None),
    ]
    assert {t.get("language") for t in item.findall("podcast:transcript", NS)} == {"en"}
    other = item_of(root, 2)
    assert other.find("podcast:transcript", NS) is None


@pytest.mark.django_db
def test_a_transcript_never_built_is_not_linked(client, tone):
    episode = public(tone)
    TranscriptFactory(episode=episode, status="pending")
    _, root = fetch(client)
    assert root.find(".//podcast:transcript", NS) is None


@pytest.mark.django_db
@pytest.mark.parametrize("status", ["pending", "processing", "failed"])
def test_a_transcript_being_rebuilt_stays_linked_as_its_files_are_still_served(
    client, tone, status
):
    episode = public(tone)
    TranscriptFactory(episode=episode, status=status, good_build_at=timezone.now())
    _, root = fetch(client)
    links = root.findall(".//podcast:transcript", NS)
    assert len(links) == 4
    vtt = client.get(links[0].get("url").removeprefix(SITE))
    assert vtt.status_code == 200


def test_chapters_and_soundbite_tags(demo_feed):
    _, root = demo_feed
    first = item_of(root, 1)
    chapters = first.find("podcast:chapters", NS)
    assert chapters.get("url") == f"{SITE}/episodes/chapters/1.json"
    assert chapters.get("type") == "application/json+chapters"
    second = item_of(root, 2)
    assert second.find("podcast:chapters", NS) is None
    bite = second.find("podcast:soundbite", NS)
    assert (bite.get("startTime"), bite.get("duration")) == ("1.5", "0.5")


@pytest.mark.django_db
def test_drafts_scheduled_and_audioless_episodes_stay_out(client, tone):
    public(tone, title="Public")
    EpisodeFactory(show=ShowFactory(slug="main"), title="Draft")
    public(tone, title="Scheduled", publish_at=timezone.now() + dt.timedelta(days=1))
    EpisodeFactory(
        show=ShowFactory(slug="main"),
        title="No audio yet",
        publish_at=timezone.now() - dt.timedelta(days=1),
    )
    _, root = fetch(client)
    assert item_titles(root) == ["Public"]


@pytest.mark.django_db
def test_a_scheduled_episode_appears_at_its_time_without_anyone_doing_anything(client, tone):
    public(tone, title="Old")
    soon = timezone.now() + dt.timedelta(hours=1)
    public(tone, title="Soon", publish_at=soon)
    first, root = fetch(client)
    assert item_titles(root) == ["Old"]
    # The clock moves (time-machine), so no request races a deadline a second away;
    # nothing invalidates the feed meanwhile.
    with time_machine.travel(soon - dt.timedelta(seconds=1), tick=False):
        early, root = fetch(client)
    assert item_titles(root) == ["Old"] and early["ETag"] == first["ETag"]
    with time_machine.travel(soon, tick=False):
        second, root = fetch(client)
    assert item_titles(root) == ["Soon", "Old"]
    assert second["ETag"] != first["ETag"]


@pytest.mark.django_db
def test_items_are_newest_first(client, tone):
    now = timezone.now()
    for number, days in [(1, 30), (3, 1), (2, 10)]:
        public(tone, number=number, title=f"E{number}", publish_at=now - dt.timedelta(days))
    _, root = fetch(client)
    assert item_titles(root) == ["E3", "E2", "E1"]


@pytest.mark.django_db
def test_show_notes_become_a_short_strict_description_and_full_content(client, tone):
    notes = (
        "## Heading\n\nSome **bold** [link](https://example.com/x) <script>alert(1)</script>\n\n"
    )
    notes += "".join(f"- point {i} with ünïcödé and emoji 🎙\n" for i in range(400))
    public(tone, show_notes=notes)
    _, root = fetch(client)
    description = root.find("channel/item/description").text
    content = root.find("channel/item/content:encoded", NS).text
    assert len(description.encode()) <= 4000
    fragment = etree.fromstring(f"<div>{description}</div>")  # well-formed: never cut mid-tag
    assert {e.tag for e in fragment.iter()} <= {"div", "p", "ol", "ul", "li", "a"}
    assert "script" not in description and "script" not in content
    assert "<strong>bold</strong>" in content and "point 399" in content
    assert "point 10 " in description and "point 399" not in description


@pytest.mark.django_db
def test_the_feed_serves_the_notes_html_stored_on_save(client, tone):
    notes = [
        "Footnote[^1] and a table\n\n| a | b |\n|---|---|\n| 1 | 2 |\n\n[^1]: The note.",
        "Non&nbsp;breaking, <script>x</script> **bold** [a](https://example.com/?a=1&b=2)",
        "A control \x01 character and a NUL \x00 too",
        "",
    ]
    for n, text in enumerate(notes, start=1):
        public(tone, number=n, show_notes=text, summary="The *summary*")
    _, root = fetch(client)
    served = {
        int(item.findtext("podcast:episode", namespaces=NS)): item.findtext(
            "content:encoded", namespaces=NS
        )
        for item in root.iter("item")
    }
    stored = dict(Episode.objects.values_list("number", "show_notes_html"))
    for number, html in stored.items():
        expected = html.replace("&nbsp;", "\xa0") if html else "<p>The <em>summary</em></p>"
        assert served[number] == expected
    assert "<script" not in "".join(stored.values()) and "\x01" not in stored[3]


@pytest.mark.django_db
def test_control_characters_are_stripped_and_emoji_kept(client, tone):
    public(tone, title="Bell\x07 and \x00null 🎙 ok", show_notes="Tab\there\x1b[0m")
    _, root = fetch(client)
    assert item_titles(root) == ["Bell and null 🎙 ok"]


@pytest.mark.django_db
def test_a_long_show_description_reaches_the_feed_cut_cleanly(client, tone):
    show = public(tone).show
    link = '<a href="https://example.com/?a=1&amp;b=2">Tom &amp; Jerry</a>'
    show.description = "<p>" + "word " * 790 + link + " &amp; the rest</p>"
    show.save()
    _, root = fetch(client)
    text = root.findtext("channel/description")
    assert len(text.encode()) <= 4000 < len(show.description.encode())
    etree.fromstring(f"<div>{text}</div>")
    assert text.endswith("</p>")


def test_chapters_document_is_sorted_with_optional_keys_only_when_set():
    document = chapters_document(
        [
            ChapterEntry(61.5, "Second", url="https://e.com/", end=90.0, toc=False),
            ChapterEntry(0, "First", img="https://e.com/i.jpg"),
        ]
    )
    assert document == {
        "version": "1.2.0",
        "chapters": [
            {"startTime": 0, "title": "First", "img": "https://e.com/i.jpg"},
            {
                "startTime": 61.5,
                "title": "Second",
                "url": "https://e.com/",
                "endTime": 90.0,
                "toc": False,
            },
        ],
    }
