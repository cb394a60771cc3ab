"""A small RSS 2.0 podcast feed writer: frozen dataclasses in, UTF-8 bytes out.

Pure: no ORM, no settings. It writes strings directly (measured several times
faster than feedgen and Django's feedgenerator, see bench/bench_feed.py) and
escapes every value (xmltext.py), so any Unicode, emoji included, gives well-formed XML.
The tags for media beyond the enclosure are written by media_tags.py, the other
Podcasting 2.0 tags (txt, trailer, license, location, value, ...) by namespace.py.
"""

import datetime as dt
import functools
import re
from collections.abc import Iterable
from dataclasses import dataclass
from html import escape as html_escape
from html.parser import HTMLParser

import nh3

from .media_tags import AlternateEnclosure, LiveItem, alternate_enclosure, images, live_item
from .namespace import ChannelTags, ItemTags
from .xmltext import attr, cdata, clean, number, rfc2822, text, truncate_bytes

__all__ = ["attr", "cdata", "clean", "number", "rfc2822", "text", "truncate_bytes"]

NAMESPACES = (
    ("itunes", "http://www.itunes.com/dtds/podcast-1.0.dtd"),
    ("content", "http://purl.org/rss/1.0/modules/content/"),
    # No trailing slash: strict parsers miss every tag under a near-miss URI.
    ("podcast", "https://podcastindex.org/namespace/1.0"),
    ("atom", "http://www.w3.org/2005/Atom"),
)
# Apple: descriptions of at most 4000 bytes, item descriptions only p/ol/ul/li/a.
DESCRIPTION_LIMIT = 4000
DESCRIPTION_TAGS = {"p", "ol", "ul", "li", "a"}


@dataclass(frozen=True, slots=True)
class Person:
    name: str
    role: str = "host"
    href: str = ""
    img: str = ""


@dataclass(frozen=True, slots=True)
class TranscriptLink:
    url: str
    type: str
    language: str = ""
    rel: str = ""


@dataclass(frozen=True, slots=True)
class Soundbite:
    start: float
    duration: float
    title: str = ""


@dataclass(frozen=True, slots=True)
class Item:
    title: str
    link: str
    guid: str
    published: dt.datetime
    description_html: str
    content_html: str
    enclosure_url: str
    enclosure_length: int
    enclosure_type: str
    duration: int
    number: int
    season: int | None = None
    episode_type: str = "full"
    image: str = ""
    explicit: bool = False
    persons: tuple[Person, ...] = ()
    transcripts: tuple[TranscriptLink, ...] = ()
    chapters_url: str = ""
    soundbite: Soundbite | None = None
    # podcast:images: (absolute URL, width in px) pairs, widest first.
    images: tuple[tuple[str, int], ...] = ()
    alternates: tuple[AlternateEnclosure, ...] = ()
    podcast20: ItemTags | None = None  # license, location, socialInteract, value


@dataclass(frozen=True, slots=True)
class Channel:
    title: str
    link: str
    description: str  # HTML; cut between tokens to Apple's 4000 bytes like item descriptions
    language: str
    self_url: str
    copyright: str = ""
    author: str = ""
    owner_name: str = ""
    owner_email: str = ""
    image: str = ""
    categories: tuple[tuple[str, tuple[str, ...]], ...] = ()
    explicit: bool = False
    show_type: str = "episodic"
    podcast_guid: str = ""
    locked: bool = False
    funding: tuple[tuple[str, str], ...] = ()
    persons: tuple[Person, ...] = ()
    medium: str = "podcast"
    new_feed_url: str = ""
    hub_url: str = ""
    # RFC 5005 paging: (rel, href) pairs such as ("next", ".../rss?page=3").
    page_links: tuple[tuple[str, str], ...] = ()
    stylesheet: str = ""
    images: tuple[tuple[str, int], ...] = ()  # podcast:images, as on Item
    block: bool = False  # a private feed: directories must not list it
    podcast20: ChannelTags | None = None  # txt, trailer, license, location, podroll, value, ...
    live_items: tuple[LiveItem, ...] = ()


# ---------------------------------------------------------------- show notes


def safe_description(text: str) -> str:
    """A show description as the HTML apps may render it: Apple's few tags, nothing executable."""
    return nh3.clean(text, tags=DESCRIPTION_TAGS, attributes={"a": {"href"}}, link_rel=None)


@functools.lru_cache(maxsize=4096)
def notes_from_html(html: str) -> tuple[str, str]:
    """(description, content) HTML of show notes as stored (markup.render_markdown made it)."""
    # &nbsp; is HTML, not XML: the character itself keeps the fragment XML-clean too.
    content = html.replace("&nbsp;", "\xa0")
    strict = nh3.clean(content, tags=DESCRIPTION_TAGS, attributes={"a": {"href"}}, link_rel=None)
    strict = strict.replace("&nbsp;", "\xa0")
    return truncate_html(strict.strip(), DESCRIPTION_LIMIT), content


class _Tokens(HTMLParser):
    """Splits sanitized HTML into (kind, tag, markup) tokens, re-escaped."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.tokens: list[tuple[str, str, str]] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        rendered = "".join(f' {k}="{html_escape(v or "")}"' for k, v in attrs)
        self.tokens.append(("start", tag, f"<{tag}{rendered}>"))

    def handle_endtag(self, tag: str) -> None:
        self.tokens.append(("end", tag, f"</{tag}>"))

    def handle_data(self, data: str) -> None:
        self.tokens.append(("text", "", html_escape(data, quote=False)))


def truncate_html(html: str, limit: int) -> str:
    """At most `limit` bytes of an HTML fragment, cut between tokens and closed properly.

    A text that does not fit is cut at a word boundary with an ellipsis; open
    elements are closed; elements left empty by the cut are dropped.
    """
    if len(html.encode()) <= limit:
        return html
    parser = _Tokens()
    parser.feed(html)
    parser.close()
    kept, stack = fit_tokens(parser.tokens, limit)
    result = "".join(kept) + "".join(f"</{tag}>" for tag in reversed(stack))
    return drop_empty_elements(result)


def fit_tokens(tokens: list[tuple[str, str, str]], limit: int) -> tuple[list[str], list[str]]:
    """The tokens that fit in `limit` bytes together with the end tags still needed."""
    kept: list[str] = []
    stack: list[str] = []
    used = closing = 0  # bytes kept; bytes needed to close what is open
    for kind, tag, markup in tokens:
        if kind == "end":  # its bytes are already counted in `closing`
            if stack and stack[-1] == tag:
                kept.append(markup)
                stack.pop()
                used, closing = used + len(markup), closing - len(markup)
            continue
        size = len(markup.encode()) + (len(tag) + 3 if kind == "start" else 0)
        if used + closing + size > limit:
            if kind == "text":
                kept.append(cut_text(markup, limit - used - closing))
            break
        kept.append(markup)
        if kind == "start":
            stack.append(tag)
            used, closing = used + size - len(tag) - 3, closing + len(tag) + 3
        else:
            used += size
    return kept, stack


def cut_text(escaped: str, budget: int) -> str:
    """Escaped text shortened to `budget` bytes at a word boundary, never inside an entity."""
    budget -= 3  # the ellipsis
    if budget <= 0:
        return ""
    head = truncate_bytes(escaped, budget)
    if "&" in head[-8:] and ";" not in head[head.rfind("&") :]:
        head = head[: head.rfind("&")]
    words = head.rsplit(" ", 1)
    head = words[0] if len(words) == 2 and words[0] else head
    return head.rstrip() + "…"


EMPTY_ELEMENT = re.compile(r"<(p|ol|ul|li|a)(?: [^>]*)?>\s*</\1>")


def drop_empty_elements(html: str) -> str:
    while True:
        shorter = EMPTY_ELEMENT.sub("", html)
        if shorter == html:
            return html
        html = shorter


# ---------------------------------------------------------------- the feed


def render_feed(channel: Channel, items: Iterable[Item]) -> bytes:
    """The whole feed document as UTF-8 bytes."""
    parts = ['<?xml version="1.0" encoding="UTF-8"?>\n']
    if channel.stylesheet:
        parts.append(f'<?xml-stylesheet type="text/css" href="{attr(channel.stylesheet)}"?>\n')
    namespaces = " ".join(f'xmlns:{prefix}="{uri}"' for prefix, uri in NAMESPACES)
    parts.append(f'<rss version="2.0" {namespaces}>\n<channel>\n')
    channel_elements(channel, parts)
    for live in channel.live_items:
        live_item(live, parts)
    for item in items:
        item_element(item, parts)
    parts.append("</channel>\n</rss>\n")
    return "".join(parts).encode()


def item_bytes(item: Item) -> int:
    """How many bytes the item adds to the document."""
    parts: list[str] = []
    item_element(item, parts)
    return len("".join(parts).encode())


def channel_elements(c: Channel, parts: list[str]) -> None:
    parts.append(
        f"<title>{text(c.title)}</title>\n<link>{text(c.link)}</link>\n"
        f"<description>{text(truncate_html(clean(c.description), DESCRIPTION_LIMIT))}"
        f"</description>\n<language>{text(c.language)}</language>\n"
        f'<atom:link rel="self" type="application/rss+xml" href="{attr(c.self_url)}"/>\n'
    )
    if c.hub_url:
        parts.append(f'<atom:link rel="hub" href="{attr(c.hub_url)}"/>\n')
    parts.extend(f'<atom:link rel="{rel}" href="{attr(href)}"/>\n' for rel, href in c.page_links)
    if c.copyright:
        parts.append(f"<copyright>{text(c.copyright)}</copyright>\n")
    if c.image:
        parts.append(
            f"<image><url>{text(c.image)}</url><title>{text(c.title)}</title>"
            f"<link>{text(c.link)}</link></image>\n"
        )
    itunes_channel(c, parts)
    podcast_channel(c, parts)


def itunes_channel(c: Channel, parts: list[str]) -> None:
    if c.author:
        parts.append(f"<itunes:author>{text(c.author)}</itunes:author>\n")
    if c.owner_name or c.owner_email:
        parts.append(
            f"<itunes:owner><itunes:name>{text(c.owner_name)}</itunes:name>"
            f"<itunes:email>{text(c.owner_email)}</itunes:email></itunes:owner>\n"
        )
    if c.image:
        parts.append(f'<itunes:image href="{attr(c.image)}"/>\n')
    for top, subs in c.categories:
        inner = "".join(f'<itunes:category text="{attr(sub)}"/>' for sub in subs)
        close = f">{inner}</itunes:category>" if inner else "/>"
        parts.append(f'<itunes:category text="{attr(top)}"{close}\n')
    parts.append(
        f"<itunes:explicit>{'true' if c.explicit else 'false'}</itunes:explicit>\n"
        f"<itunes:type>{text(c.show_type)}</itunes:type>\n"
    )
    if c.new_feed_url:
        parts.append(f"<itunes:new-feed-url>{text(c.new_feed_url)}</itunes:new-feed-url>\n")
    if c.block:
        parts.append("<itunes:block>Yes</itunes:block>\n")


def podcast_channel(c: Channel, parts: list[str]) -> None:
    if c.podcast_guid:
        parts.append(f"<podcast:guid>{text(c.podcast_guid)}</podcast:guid>\n")
    owner = f' owner="{attr(c.owner_email)}"' if c.owner_email else ""
    parts.append(f"<podcast:locked{owner}>{'yes' if c.locked else 'no'}</podcast:locked>\n")
    if c.block:
        parts.append("<podcast:block>yes</podcast:block>\n")
    for url, label in c.funding:
        # The schema caps the label at 128 characters.
        parts.append(f'<podcast:funding url="{attr(url)}">{text(label[:128])}</podcast:funding>\n')
    persons(c.persons, parts)
    images(c.images, parts)
    if c.medium:
        parts.append(f"<podcast:medium>{text(c.medium)}</podcast:medium>\n")
    if c.podcast20:
        c.podcast20.write(parts)


def persons(people: Iterable[Person], parts: list[str]) -> None:
    for p in people:
        extra = (f' href="{attr(p.href)}"' if p.href else "") + (
            f' img="{attr(p.img)}"' if p.img else ""
        )
        parts.append(
            f'<podcast:person role="{attr(p.role)}"{extra}>{text(p.name[:128])}</podcast:person>\n'
        )


def item_element(i: Item, parts: list[str]) -> None:
    parts.append(
        f"<item>\n<title>{text(i.title)}</title>\n<link>{text(i.link)}</link>\n"
        f'<guid isPermaLink="false">{text(i.guid)}</guid>\n'
        f"<pubDate>{rfc2822(i.published)}</pubDate>\n"
        f"<description>{cdata(i.description_html)}</description>\n"
        f"<content:encoded>{cdata(i.content_html)}</content:encoded>\n"
        f'<enclosure url="{attr(i.enclosure_url)}" length="{i.enclosure_length}" '
        f'type="{attr(i.enclosure_type)}"/>\n'
    )
    itunes_item(i, parts)
    podcast_item(i, parts)
    parts.append("</item>\n")


def itunes_item(i: Item, parts: list[str]) -> None:
    parts.append(f"<itunes:duration>{i.duration}</itunes:duration>\n")
    if i.number:
        parts.append(f"<itunes:episode>{i.number}</itunes:episode>\n")
    if i.season:
        parts.append(f"<itunes:season>{i.season}</itunes:season>\n")
    parts.append(f"<itunes:episodeType>{text(i.episode_type)}</itunes:episodeType>\n")
    if i.image:
        parts.append(f'<itunes:image href="{attr(i.image)}"/>\n')
    parts.append(f"<itunes:explicit>{'true' if i.explicit else 'false'}</itunes:explicit>\n")


def podcast_item(i: Item, parts: list[str]) -> None:
    if i.season:
        # The schema requires a name although the spec calls it optional.
        parts.append(f'<podcast:season name="Season {i.season}">{i.season}</podcast:season>\n')
    if i.number:
        parts.append(f"<podcast:episode>{i.number}</podcast:episode>\n")
    persons(i.persons, parts)
    images(i.images, parts)
    for alt in i.alternates:
        alternate_enclosure(alt, parts)
    for t in i.transcripts:
        extra = (f' language="{attr(t.language)}"' if t.language else "") + (
            f' rel="{attr(t.rel)}"' if t.rel else ""
        )
        parts.append(f'<podcast:transcript url="{attr(t.url)}" type="{attr(t.type)}"{extra}/>\n')
    if i.chapters_url:
        parts.append(
            f'<podcast:chapters url="{attr(i.chapters_url)}" type="application/json+chapters"/>\n'
        )
    if i.soundbite:
        s = i.soundbite
        parts.append(
            f'<podcast:soundbite startTime="{number(s.start)}" duration="{number(s.duration)}">'
            f"{text(s.title[:128])}</podcast:soundbite>\n"
        )
    if i.podcast20:
        i.podcast20.write(parts)
