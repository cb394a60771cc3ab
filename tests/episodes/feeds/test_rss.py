"""The pure feed writer: well-formed XML from any text, descriptions cut cleanly."""

import datetime as dt

import pytest
from hypothesis import HealthCheck, given
from hypothesis import settings as hypothesis_settings
from hypothesis import strategies as st
from lxml import etree

from episodes.feeds import rss
from episodes.markup import render_markdown
from tests.episodes.feeds.test_views import NS, SITE


def channel(**overrides) -> rss.Channel:
    values = {"title": "T", "link": SITE, "description": "D", "language": "en", "self_url": SITE}
    return rss.Channel(**{**values, **overrides})


def item(**overrides) -> rss.Item:
    values = dict(
        title="t", link=SITE, guid="g", published=dt.datetime(2026, 1, 2, 3, 4, 5, tzinfo=dt.UTC),
        description_html="<p>d</p>", content_html="<p>c</p>", enclosure_url=SITE + "/a.mp3",
        enclosure_length=1, enclosure_type="audio/mpeg", duration=1, number=1,
    )  # fmt: skip
    return rss.Item(**{**values, **overrides})


# Every code point, lone surrogates and C0 controls included.
XML_TEXT = st.text(st.characters(exclude_categories=()), max_size=200)


@hypothesis_settings(max_examples=300, deadline=None)
@given(title=XML_TEXT, notes=XML_TEXT, author=XML_TEXT)
def test_any_unicode_gives_well_formed_xml_that_round_trips(title, notes, author):
    description, content = rss.notes_from_html(render_markdown(notes))
    feed = rss.render_feed(
        channel(title=title, author=author),
        [item(title=title, description_html=description, content_html=content)],
    )
    root = etree.fromstring(feed)
    expected = rss.clean(title)
    assert root.findtext("channel/title") == expected
    assert root.findtext("channel/item/title") == expected
    assert (root.findtext("channel/itunes:author", namespaces=NS) or "") == rss.clean(author)


@hypothesis_settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.text(st.characters(codec="utf-8"), max_size=300), st.integers(40, 400))
def test_truncated_html_is_well_formed_and_within_the_limit(words, limit):
    html = rss.notes_from_html(render_markdown(words * 20))[0]
    cut = rss.truncate_html(html, limit)
    assert len(cut.encode()) <= limit
    etree.fromstring(f"<div>{cut}</div>".encode())


@pytest.mark.parametrize(
    ("html", "limit", "expected"),
    [
        ("<p>short</p>", 100, "<p>short</p>"),
        ("<p>one two three four</p>", 20, "<p>one two…</p>"),
        ("<ul><li>a</li><li>bbbbbbbbbbbb</li></ul><p>x</p>", 30, "<ul><li>a</li></ul>"),
        ("<p>é" + "é" * 50 + "</p>", 20, "<p>ééééé…</p>"),
        ("<p>a &amp; b &amp; c</p>", 16, "<p>a…</p>"),
        ("<p>a &amp; b &amp; c</p>", 20, "<p>a &amp; b…</p>"),
        ('<p><a href="https://e.com/">link text</a></p>', 20, ""),
    ],
)
def test_truncation_cuts_between_elements_and_characters(html, limit, expected):
    cut = rss.truncate_html(html, limit)
    assert cut == expected
    assert len(cut.encode()) <= limit


def test_cdata_survives_its_own_terminator():
    feed = rss.render_feed(channel(), [item(content_html="<p>a]]>b</p>")])
    assert etree.fromstring(feed).findtext("channel/item/content:encoded", namespaces=NS) == (
        "<p>a]]>b</p>"
    )


def test_the_channel_description_is_cut_to_4000_bytes_on_a_character_boundary():
    feed = rss.render_feed(channel(description="🎙" * 1500), [])
    text = etree.fromstring(feed).findtext("channel/description")
    assert len(text.encode()) <= 4000 and text == "🎙" * 999 + "…"


LINK = '<a href="https://example.com/?a=1&amp;b=2">Tom &amp; Jerry</a>'


@pytest.mark.parametrize("offset", range(-70, 10, 3))
def test_the_channel_description_is_cut_between_tags_and_entities(offset):
    # The link and its entities straddle byte 4000 at every offset: a byte cut would
    # leave '<a hre', an open <p> or half of '&amp;'.
    filler = "word " * ((4000 + offset - len("<p>")) // 5)
    html = f"<p>{filler}{LINK} &amp; more</p><p>after</p>"
    feed = rss.render_feed(channel(description=html), [])
    text = etree.fromstring(feed).findtext("channel/description")
    assert len(text.encode()) <= 4000
    fragment = etree.fromstring(f"<div>{text}</div>")  # well-formed HTML, as XML too
    assert {e.tag for e in fragment.iter()} <= {"div", "p", "a"}
    assert fragment.find("p").text.startswith("word word")
    assert "after" not in text
    for link in fragment.iter("a"):  # its href whole, its text cut at a word at most
        assert link.get("href") == "https://example.com/?a=1&b=2"
        assert "Tom & Jerry".startswith(link.text.removesuffix("…"))
