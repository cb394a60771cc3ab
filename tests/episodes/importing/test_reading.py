"""Reading real feeds written by others, and hostile ones, into what an import keeps."""

from datetime import UTC, datetime

import pytest
from lxml import etree

from episodes.importing.reading import FeedError, HostileFeed, read_feed

BASE = "https://old-host.example/feed.xml"

# (file, items) as PROVENANCE.md counts them.
REAL_FEEDS = [
    ("podcast-namespace/example.xml", 3),
    ("partytime/themnshow.xml", 54),
    ("partytime/pc20rss.xml", 56),
    ("partytime/dk-podcast.xml", 59),
    ("partytime/sentimental-garbage.xml", 138),
    ("partytime/no-agenda.xml", 29),
    ("rss-parser/giantbomb-podcast.rss", 730),
    ("rss-parser/itunes-missing-image.rss", 131),
    ("rss-parser/heraldsun.rss", 2),
    ("lukaswhite-podcast-feed-parser/serial.rss", 40),
    ("feedjira/CRE.xml", 30),
    ("feedjira/itunes.xml", 3),
    ("feed-rs/rss_2.0_nightvale.xml", 1),
    ("feed-rs/rss_2.0_relurl_2.xml", 1),
    ("feed-rs/atom_relative.xml", 1),
    ("feedparser/atom10.xml", 1),
    ("node-feedparser/iconv.xml", 10),
    ("node-feedparser/mediacontent-dupes.xml", 1),
    ("node-feedparser/rss-with-relative-urls.xml", 2),
]


@pytest.fixture
def feeds(shared_data):
    return shared_data / "feeds"


def read(feeds, name: str):
    return read_feed((feeds / name).read_bytes(), BASE)


def oracle_guids(feeds, name: str) -> list[str | None]:
    """Each item's <guid> text as lxml's recovering parser reads it: an independent reader."""
    parser = etree.XMLParser(recover=True, resolve_entities=False, no_network=True)
    root = etree.fromstring((feeds / name).read_bytes().lstrip(), parser)
    items = [e for e in root.iter(tag=etree.Element) if local(e) == "item"]
    guids = [next((g for g in i if local(g) == "guid"), None) for i in items]
    return [g.text.strip() if g is not None and g.text else None for g in guids]


def local(element) -> str:
    return element.tag.rsplit("}", 1)[-1] if isinstance(element.tag, str) else ""


@pytest.mark.parametrize(("name", "count"), REAL_FEEDS)
def test_every_item_of_a_real_feed_is_read(feeds, name, count):
    assert len(read(feeds, name).items) == count


@pytest.mark.parametrize(("name", "count"), [f for f in REAL_FEEDS if "atom" not in f[0]])
def test_guids_are_kept_exactly_as_the_feed_has_them(feeds, name, count):
    read_guids = [(item.guid, item.guid_from) for item in read(feeds, name).items]
    for (guid, source), expected in zip(read_guids, oracle_guids(feeds, name), strict=True):
        if expected is not None:
            assert (guid, source) == (expected, "guid")
        else:
            assert source in ("enclosure", "link", "title") and guid


def test_a_missing_guid_falls_back_to_the_enclosure_and_says_so(feeds):
    feed = read(feeds, "rss-parser/heraldsun.rss")
    assert [i.guid for i in feed.items] == [
        "http://www.oreilly.com/001.mp3",
        "http://www.oreilly.com/002.mp3",
    ]
    assert "Item 'The First Item' has no guid: its enclosure stands in" in feed.notes[0]


def test_the_podcast_namespace_example_keeps_every_tag_an_import_needs(feeds):
    feed = read(feeds, "podcast-namespace/example.xml")
    channel = feed.channel
    assert channel.podcast_guid == "y0ur-gu1d-g035-h3r3"
    assert (channel.locked, channel.locked_owner) == (True, "podcastowner@example.com")
    assert channel.funding[0][0] == "https://example.com/donate"
    assert "Technology" in channel.categories
    episode = feed.items[0]
    assert (episode.guid, episode.number, episode.season) == ("https://example.com/ep0003", 3, 1)
    assert episode.published == datetime(2020, 10, 9, 4, 30, 38, tzinfo=UTC)
    assert episode.chapters_url == "https://example.com/ep3_chapters.json"
    assert [t.type for t in episode.transcripts][:2] == ["text/vtt", "text/plain"]
    assert {p.name for p in episode.persons} >= {"Becky Smith"}


def test_the_early_namespace_uri_is_read_too(feeds):
    channel = read(feeds, "partytime/pc20rss.xml").channel
    assert (channel.locked, channel.locked_owner) == (True, "adam@curry.com")
    assert channel.owner_email == "adam@curry.com"


def test_transcripts_are_listed_json_then_vtt_then_srt():
    data = b"""<rss xmlns:podcast="https://podcastindex.org/namespace/1.0" version="2.0"><channel>
    <title>T</title><item><guid>g</guid><title>One</title>
    <podcast:transcript url="/t.html" type="text/html"/>
    <podcast:transcript url="/t.srt" type="application/srt"/>
    <podcast:transcript url="/t.vtt" type="text/vtt"/>
    <podcast:transcript url="/t.json" type="application/json" language="en"/>
    </item></channel></rss>"""
    links = read_feed(data, BASE).items[0].transcripts
    assert [t.url for t in links] == [
        "https://old-host.example/t.json",
        "https://old-host.example/t.vtt",
        "https://old-host.example/t.srt",
        "https://old-host.example/t.html",
    ]


def test_itunes_numbers_seasons_and_types_are_read(feeds):
    items = read(feeds, "feedjira/itunes.xml").items
    assert [(i.number, i.season, i.episode_type) for i in items] == [
        (3, 1, "full"),
        (2, 1, "full"),
        (1, 1, "full"),
    ]


def test_a_malformed_feed_is_read_leniently_and_the_report_says_what_may_be_missing(feeds):
    feed = read(feeds, "partytime/no-agenda.xml")
    assert len(feed.items) == 29
    assert feed.channel.locked and feed.channel.locked_owner == "adam@curry.com"
    assert "not well-formed XML at line 2760" in feed.notes[0]
    assert "only the last one was kept" in feed.notes[0]


def test_a_relative_enclosure_is_resolved_against_the_feed_url(feeds):
    item = read(feeds, "feed-rs/rss_2.0_relurl_2.xml").items[0]
    assert item.enclosure_url == "https://old-host.example/images/me/hackergotchi-simpler.png"


def test_html_notes_are_sanitised_and_their_links_kept(feeds):
    item = read(feeds, "feedparser/atom10.xml").items[0]
    assert "javascript:" not in item.notes_html
    notes = read(feeds, "lukaswhite-podcast-feed-parser/serial.rss").items[0]
    assert "<script" not in notes.notes_html


BILLION_LAUGHS = b"""<?xml version="1.0"?>
<!DOCTYPE rss [
 <!ENTITY lol "lol">
 <!ENTITY lol2 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">
 <!ENTITY lol3 "&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;">
 <!ENTITY lol9 "&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;">
]>
<rss version="2.0"><channel><title>&lol9;</title><item><title>&lol9;</title></item></channel></rss>
"""
XXE = b"""<?xml version="1.0"?>
<!DOCTYPE rss [<!ENTITY xxe SYSTEM "file:///etc/passwd">]>
<rss version="2.0"><channel><title>x</title><item><title>&xxe;</title>
<guid>1</guid></item></channel></rss>
"""
XXE_PARAMETER = b"""<?xml version="1.0"?>
<!DOCTYPE rss [<!ENTITY % remote SYSTEM "http://127.0.0.1:9/evil.dtd"> %remote;]>
<rss version="2.0"><channel><title>x</title></channel></rss>
"""


@pytest.mark.parametrize("data", [BILLION_LAUGHS, XXE, XXE_PARAMETER, b"\n\n" + XXE])
def test_entities_and_external_references_are_refused_not_expanded(data):
    with pytest.raises(HostileFeed, match="declares XML entities or external references"):
        read_feed(data, BASE)


def test_scripts_in_notes_and_huge_fields_are_inert():
    evil = "<p>hi<script>alert(1)</script><a href='javascript:alert(2)'>x</a>"
    data = f"""<rss version="2.0"><channel><title>Evil</title><item><guid>g1</guid>
    <title>{"T" * 10_000}</title><description><![CDATA[{evil}{"y" * 300_000}]]></description>
    <enclosure url="https://cdn.example/a.mp3" type="audio/mpeg" length="12"/>
    </item></channel></rss>""".encode()
    item = read_feed(data, BASE).items[0]
    assert "script" not in item.notes_html and "javascript" not in item.notes_html
    assert len(item.title) == 200 and len(item.notes_html) <= 100_000
    assert item.links == ()


def test_bytes_that_are_no_feed_are_refused_with_the_reason():
    with pytest.raises(FeedError, match="is not an RSS or Atom feed"):
        read_feed(b"<html><body>Moved</body></html>", BASE)
