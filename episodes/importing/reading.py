"""Reading a podcast's RSS or Atom feed into what an import keeps.

feedparser reads the feed (encodings, RSS 0.9x to 2.0, Atom, iTunes tags, dates, and
a lenient mode for feeds that are not well-formed); namespace.py reads the tags it
flattens. HTML is sanitised with the site's own nh3 rules. Pure: bytes in, frozen
dataclasses out; nothing here fetches.
"""

import calendar
import html.parser
from dataclasses import dataclass
from datetime import UTC, datetime
from urllib.parse import urljoin

import feedparser

from episodes.markup import safe_url, sanitize_html

from .namespace import ChannelTags, HostileFeed, ItemTags, Person, TranscriptLink, read_tree

# Largest text kept from one field: a hostile feed cannot make a row of megabytes.
MAX_TEXT = 100_000
# The transcript formats our pipeline reads, best first (JSON and VTT keep timings and speakers).
TRANSCRIPT_PREFERENCE = (
    "application/json", "text/vtt", "application/x-subrip", "application/srt", "text/srt",
    "text/html", "text/plain",
)  # fmt: skip
EPISODE_TYPES = ("full", "trailer", "bonus")

__all__ = ["FeedError", "HostileFeed", "Person", "TranscriptLink", "read_feed"]


class FeedError(Exception):
    """The bytes are not a feed we can import, with the reason."""


@dataclass(frozen=True)
class FeedItem:
    guid: str  # exactly as the feed has it; see guid_from
    guid_from: str  # "guid", or what stood in for a missing one: "enclosure", "link", "title"
    title: str
    number: int | None
    season: int | None
    episode_type: str
    published: datetime | None
    summary: str  # plain text
    notes_html: str  # sanitised
    links: tuple[tuple[str, str], ...]  # (text, url) of the notes' links
    enclosure_url: str
    enclosure_type: str
    enclosure_length: int
    image: str
    explicit: bool
    chapters_url: str
    transcripts: tuple[TranscriptLink, ...]  # preferred format first
    persons: tuple[Person, ...]


@dataclass(frozen=True)
class FeedChannel:
    title: str
    description: str
    language: str
    link: str
    author: str
    owner_name: str
    owner_email: str
    artwork: str
    categories: tuple[str, ...]
    explicit: bool
    show_type: str
    podcast_guid: str
    locked: bool
    locked_owner: str
    new_feed_url: str
    funding: tuple[tuple[str, str], ...]
    persons: tuple[Person, ...]


@dataclass(frozen=True)
class ReadFeed:
    channel: FeedChannel
    items: tuple[FeedItem, ...]
    notes: tuple[str, ...]  # what was read differently from how the feed put it, in words


def read_feed(data: bytes, url: str) -> ReadFeed:
    """Read a feed's channel and items; FeedError (or HostileFeed) when it is not importable."""
    # A blank line before <?xml?> is common and makes strict parsers give up.
    data = data.lstrip(b"\xef\xbb\xbf").lstrip()
    tree = read_tree(data)
    parsed = feedparser.parse(data, response_headers={"content-location": url})
    if not parsed.entries and not parsed.feed.get("title"):
        reason = parsed.get("bozo_exception") or "no channel and no items"
        raise FeedError(f"{url} is not an RSS or Atom feed ({reason})")
    notes = []
    if tree.problem:
        notes.append(
            f"The feed is {tree.problem}; it was read leniently, so where a tag repeats "
            "(persons, transcripts) only the last one was kept and categories were not read."
        )
    tags = list(tree.items) if len(tree.items) == len(parsed.entries) else []
    if tree.items and not tags:
        notes.append("Items could not be matched with their podcast: tags; those were skipped.")
    items = [
        read_item(entry, tags[i] if tags else fallback_tags(entry), url, notes)
        for i, entry in enumerate(parsed.entries)
    ]
    channel_tags = tree.channel if not tree.problem else fallback_channel(parsed.feed)
    return ReadFeed(read_channel(parsed.feed, channel_tags, url), tuple(items), tuple(notes))


def read_channel(feed, tags: ChannelTags, url: str) -> FeedChannel:
    owner = feed.get("publisher_detail") or {}
    return FeedChannel(
        title=clip(feed.get("title", ""), 200),
        description=clip(plain(feed.get("summary") or feed.get("subtitle", "")), MAX_TEXT),
        language=(feed.get("language") or "").strip().lower(),
        link=absolute(url, feed.get("link", "")),
        author=clip(
            feed.get("itunes_author") or feed.get("author_detail", {}).get("name", ""), 200
        ),
        owner_name=tags.owner_name or owner.get("name", ""),
        owner_email=tags.owner_email or owner.get("email", ""),
        artwork=absolute(url, (feed.get("image") or {}).get("href", "")),
        categories=tags.categories,
        explicit=is_yes(feed.get("itunes_explicit")),
        show_type="serial" if feed.get("itunes_type") == "serial" else "episodic",
        podcast_guid=tags.podcast_guid,
        locked=tags.locked,
        locked_owner=tags.locked_owner,
        new_feed_url=safe_url(feed.get("itunes_new-feed-url", "")),
        funding=tuple((u, label) for u, label in tags.funding if safe_url(u)),
        persons=tags.persons,
    )


def read_item(entry, tags: ItemTags, url: str, notes: list[str]) -> FeedItem:
    title = clip(plain(entry.get("title", "")), 200)
    enclosure = audio_enclosure(entry, url)
    guid, guid_from = pick_guid(entry, tags, enclosure[0], title)
    if guid_from != "guid":
        notes.append(f"Item {title!r} has no guid: its {guid_from} stands in ({guid[:120]}).")
    notes_html = clip(sanitize_html(notes_source(entry)), MAX_TEXT)
    return FeedItem(
        guid=guid,
        guid_from=guid_from,
        title=title or "Untitled",
        number=whole_number(tags.episode or entry.get("itunes_episode", "")),
        season=whole_number(tags.season or entry.get("itunes_season", "")),
        episode_type=type_of(entry.get("itunes_episodetype", "")),
        published=moment(entry.get("published_parsed") or entry.get("updated_parsed")),
        summary=clip(plain(entry.get("itunes_subtitle") or entry.get("summary", "")), 4000),
        notes_html=notes_html,
        links=links_in(notes_html),
        enclosure_url=enclosure[0],
        enclosure_type=enclosure[1],
        enclosure_length=enclosure[2],
        image=absolute(url, (entry.get("image") or {}).get("href", "")),
        explicit=is_yes(entry.get("itunes_explicit")),
        chapters_url=absolute(url, tags.chapters_url),
        transcripts=preferred(tags.transcripts, url),
        persons=tags.persons,
    )


def pick_guid(entry, tags: ItemTags, enclosure: str, title: str) -> tuple[str, str]:
    guid = tags.guid if tags.guid is not None else (entry.get("id") or "").strip()
    for value, source in ((guid, "guid"), (enclosure, "enclosure"), (entry.get("link"), "link")):
        if value:
            return value, source
    return title, "title"


def audio_enclosure(entry, url: str) -> tuple[str, str, int]:
    """(url, type, length) of the first audio enclosure, else of the first enclosure."""
    enclosures = [e for e in entry.get("enclosures", []) if e.get("href")]
    audio = [e for e in enclosures if (e.get("type") or "").startswith("audio/")]
    if not (audio or enclosures):
        return "", "", 0
    chosen = (audio or enclosures)[0]
    length = str(chosen.get("length") or "0").strip()
    return (
        absolute(url, chosen["href"].strip()),
        (chosen.get("type") or "").strip().lower(),
        int(length) if length.isdigit() else 0,
    )


def notes_source(entry) -> str:
    contents = [c.get("value", "") for c in entry.get("content", []) if c.get("value")]
    return max(contents, key=len) if contents else entry.get("summary", "")


def preferred(links: tuple[TranscriptLink, ...], url: str) -> tuple[TranscriptLink, ...]:
    def rank(link: TranscriptLink) -> int:
        known = link.type in TRANSCRIPT_PREFERENCE
        return TRANSCRIPT_PREFERENCE.index(link.type) if known else len(TRANSCRIPT_PREFERENCE)

    resolved = [TranscriptLink(absolute(url, t.url), t.type, t.language, t.rel) for t in links]
    return tuple(sorted((t for t in resolved if t.url), key=rank))


def fallback_tags(entry) -> ItemTags:
    """What feedparser kept of the podcast: tags (one per name) when the tree is not readable."""
    transcript = entry.get("podcast_transcript") or {}
    person = entry.get("podcast_person")
    return ItemTags(
        guid=None,
        transcripts=(
            (TranscriptLink(transcript["url"], transcript.get("type", "").lower()),)
            if transcript.get("url")
            else ()
        ),
        chapters_url=(entry.get("podcast_chapters") or {}).get("url", ""),
        persons=(Person(person),) if isinstance(person, str) and person.strip() else (),
        episode=entry.get("podcast_episode", "")
        if isinstance(entry.get("podcast_episode"), str)
        else "",
    )


def fallback_channel(feed) -> ChannelTags:
    locked = feed.get("podcast_locked")
    funding = feed.get("podcast_funding") or {}
    return ChannelTags(
        podcast_guid=feed.get("podcast_guid", "")
        if isinstance(feed.get("podcast_guid"), str)
        else "",
        # feedparser keeps the attributes of <podcast:locked>, not its yes/no: a locked
        # tag counts as locked, the safe reading.
        locked=locked is not None,
        locked_owner=locked.get("owner", "") if isinstance(locked, dict) else "",
        funding=((funding["url"], ""),) if funding.get("url") else (),
    )


def absolute(base: str, href: str) -> str:
    """An http(s) URL resolved against the feed's URL; "" for none or another scheme."""
    return safe_url(urljoin(base, href.strip())) if href and href.strip() else ""


def whole_number(raw: object) -> int | None:
    try:
        value = float(str(raw).strip())
    except ValueError:
        return None
    return int(value) if value.is_integer() and 0 <= value < 2**31 else None


def type_of(raw: str) -> str:
    value = (raw or "").strip().lower()
    return value if value in EPISODE_TYPES else "full"


def moment(parsed) -> datetime | None:
    # feedparser gives UTC struct_times.
    return datetime.fromtimestamp(calendar.timegm(parsed), tz=UTC) if parsed else None


def is_yes(raw: object) -> bool:
    return str(raw).strip().lower() in ("yes", "true", "explicit")


def clip(value: str, limit: int) -> str:
    return (value or "").strip()[:limit]


class _Text(html.parser.HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []
        self.links: list[tuple[str, str]] = []
        self.href: str | None = None
        self.anchor: list[str] = []

    def handle_starttag(self, tag: str, attrs: list) -> None:
        if tag == "a":
            self.href, self.anchor = dict(attrs).get("href") or "", []
        elif tag in ("br", "p", "li", "div"):
            self.parts.append(" ")

    def handle_endtag(self, tag: str) -> None:
        if tag == "a" and self.href is not None:
            self.links.append((" ".join("".join(self.anchor).split()), self.href))
            self.href = None

    def handle_data(self, data: str) -> None:
        self.parts.append(data)
        if self.href is not None:
            self.anchor.append(data)


def plain(fragment: str) -> str:
    """The text of an HTML fragment, whitespace collapsed."""
    reader = _Text()
    reader.feed(fragment or "")
    return " ".join("".join(reader.parts).split())


def links_in(fragment: str) -> tuple[tuple[str, str], ...]:
    """(text, url) of each http(s) link in sanitised HTML, first occurrence of each URL."""
    reader = _Text()
    reader.feed(fragment)
    seen: dict[str, str] = {}
    for anchor, href in reader.links:
        if href.startswith(("http://", "https://")) and href not in seen:
            seen[href] = anchor or href
    return tuple((text, url) for url, text in seen.items())
