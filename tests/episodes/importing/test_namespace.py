"""The podcast-namespace tags feedparser flattens, read from the XML tree."""

import pytest

from episodes.importing.namespace import HostileFeed, Person, read_tree

FEED = b"""<rss version="2.0" xmlns:podcast="https://podcastindex.org/namespace/1.0"
 xmlns:itunes="http://www.itunes.com/dtds/podcast-1.0.dtd"><channel>
<podcast:guid> 917393e3-1b1e-5cef-ace4-edaa54e1f810 </podcast:guid>
<podcast:locked owner="me@example.com">yes</podcast:locked>
<podcast:funding url="https://example.com/donate">Support us</podcast:funding>
<podcast:person role="Host" href="https://example.com/ann">Ann</podcast:person>
<itunes:owner><itunes:name>Ann</itunes:name><itunes:email>ann@example.com</itunes:email></itunes:owner>
<itunes:category text="Technology"/>
<itunes:category text="Education"><itunes:category text="How To"/></itunes:category>
<item><guid isPermaLink="false">  abc-1  </guid>
<podcast:person role="guest">Bo</podcast:person><podcast:person></podcast:person>
<podcast:transcript url="https://example.com/1.vtt" type="text/VTT" language="en"/>
<podcast:chapters url="https://example.com/1.json" type="application/json+chapters"/>
<podcast:season>2</podcast:season><itunes:episode>7</itunes:episode>
</item><item><title>no guid</title></item>
</channel></rss>"""


def test_channel_tags_are_read_with_their_attributes():
    channel = read_tree(FEED).channel
    assert channel.podcast_guid == "917393e3-1b1e-5cef-ace4-edaa54e1f810"
    assert (channel.locked, channel.locked_owner) == (True, "me@example.com")
    assert channel.funding == (("https://example.com/donate", "Support us"),)
    assert channel.persons == (Person("Ann", "host", "cast", "https://example.com/ann"),)
    assert (channel.owner_name, channel.owner_email) == ("Ann", "ann@example.com")
    assert channel.categories == ("Technology", "Education > How To")


def test_item_tags_keep_every_person_and_transcript():
    first, second = read_tree(FEED).items
    assert first.guid == "abc-1"
    assert [p.name for p in first.persons] == ["Bo"]  # the nameless one is left out
    assert [(t.url, t.type) for t in first.transcripts] == [
        ("https://example.com/1.vtt", "text/vtt")
    ]
    assert first.chapters_url == "https://example.com/1.json"
    assert (first.season, first.episode) == ("2", "7")
    assert second.guid is None


@pytest.mark.parametrize(
    ("locked", "expected"), [("yes", True), ("YES", True), ("no", False), ("", False)]
)
def test_locked_is_yes_or_not(locked, expected):
    data = FEED.replace(b">yes</podcast:locked>", f">{locked}</podcast:locked>".encode())
    assert read_tree(data).channel.locked is expected


def test_a_feed_that_is_not_well_formed_says_where():
    tree = read_tree(b"<rss><channel><title>a &nbsp; b</title></channel></rss>")
    assert tree.problem == "not well-formed XML at line 1, column 23: undefined entity"


def test_an_internal_entity_is_refused():
    with pytest.raises(HostileFeed):
        read_tree(b'<!DOCTYPE r [<!ENTITY a "b">]><rss><channel/></rss>')
