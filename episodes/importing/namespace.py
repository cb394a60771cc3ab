"""The tags feedparser flattens, read from the XML tree: podcast:person, podcast:transcript...

feedparser keeps one value per unknown tag (the last transcript, the last person, and
no person's name), so the podcast namespace and the nested iTunes categories are read
from an ElementTree built by defusedxml, which refuses entity declarations (billion
laughs) and external references (XXE) outright. Pure: bytes in, frozen dataclasses out.
"""

from dataclasses import dataclass, field
from xml.etree.ElementTree import Element, ParseError

from defusedxml import DefusedXmlException
from defusedxml.ElementTree import fromstring

# The podcast:transcript tag the importer reads is the one our feed writes.
from ..feeds.rss import TranscriptLink

# Early feeds (pc20rss.xml, 2021) declare the namespace by its GitHub document URL.
PODCAST_NAMESPACES = (
    "{https://podcastindex.org/namespace/1.0}",
    "{https://github.com/Podcastindex-org/podcast-namespace/blob/main/docs/1.0.md}",
)
ITUNES = "{http://www.itunes.com/dtds/podcast-1.0.dtd}"


class HostileFeed(Exception):
    """The feed declares entities or external references: refused, never expanded."""


@dataclass(frozen=True)
class Person:
    name: str
    role: str = "host"
    group: str = "cast"
    href: str = ""
    img: str = ""


@dataclass(frozen=True)
class ItemTags:
    guid: str | None = None  # the guid element's text exactly, None when there is none
    persons: tuple[Person, ...] = ()
    transcripts: tuple[TranscriptLink, ...] = ()
    chapters_url: str = ""
    season: str = ""
    episode: str = ""


@dataclass(frozen=True)
class ChannelTags:
    podcast_guid: str = ""
    locked: bool = False
    locked_owner: str = ""
    funding: tuple[tuple[str, str], ...] = ()  # (url, label)
    persons: tuple[Person, ...] = ()
    categories: tuple[str, ...] = ()  # "Technology", "Education > How To"
    owner_name: str = ""
    owner_email: str = ""


@dataclass(frozen=True)
class Tree:
    channel: ChannelTags = field(default_factory=ChannelTags)
    items: tuple[ItemTags, ...] = ()
    problem: str = ""  # why the tree could not be read ("" when it was)


def read_tree(data: bytes) -> Tree:
    """The podcast-namespace tags of a feed; HostileFeed for entities or external references.

    A feed that is not well-formed gives an empty Tree with the parser's message: the
    caller falls back to feedparser's lenient reading and says what may be missing.
    """
    try:
        root = fromstring(data, forbid_dtd=False, forbid_entities=True, forbid_external=True)
    except DefusedXmlException as error:
        raise HostileFeed(
            f"the feed declares XML entities or external references ({type(error).__name__}): "
            "refused, since they can expand a few bytes into gigabytes or read local files"
        ) from None
    except ParseError as error:
        line, column = error.position
        # expat's message repeats the position after a colon.
        reason = str(error).split(":")[0]
        return Tree(problem=f"not well-formed XML at line {line}, column {column}: {reason}")
    channel = next((e for e in root.iter() if local(e.tag) == "channel"), root)
    items = [e for e in channel if local(e.tag) in ("item", "entry")]
    return Tree(channel=channel_tags(channel), items=tuple(item_tags(i) for i in items))


def local(tag: object) -> str:
    return tag.rsplit("}", 1)[-1] if isinstance(tag, str) else ""


def podcast_all(parent: Element, name: str) -> list[Element]:
    tags = {namespace + name for namespace in PODCAST_NAMESPACES}
    return [child for child in parent if child.tag in tags]


def podcast_one(parent: Element, name: str) -> Element | None:
    return next(iter(podcast_all(parent, name)), None)


def text(element: Element | None) -> str:
    return (element.text or "").strip() if element is not None else ""


def channel_tags(channel: Element) -> ChannelTags:
    locked = podcast_one(channel, "locked")
    owner = channel.find(f"{ITUNES}owner")
    return ChannelTags(
        podcast_guid=text(podcast_one(channel, "guid")),
        locked=text(locked).lower() == "yes",
        locked_owner=(locked.get("owner") or "").strip() if locked is not None else "",
        funding=tuple((f.get("url", "").strip(), text(f)) for f in podcast_all(channel, "funding")),
        persons=persons(channel),
        categories=categories(channel),
        owner_name=text(owner.find(f"{ITUNES}name")) if owner is not None else "",
        owner_email=text(owner.find(f"{ITUNES}email")) if owner is not None else "",
    )


def categories(channel: Element) -> tuple[str, ...]:
    found = []
    for top in channel.findall(f"{ITUNES}category"):
        name = (top.get("text") or "").strip()
        subs = [(s.get("text") or "").strip() for s in top.findall(f"{ITUNES}category")]
        found += [f"{name} > {sub}" for sub in subs if sub] or [name]
    return tuple(dict.fromkeys(c for c in found if c))


def persons(parent: Element) -> tuple[Person, ...]:
    return tuple(
        Person(
            name=text(p),
            role=(p.get("role") or "host").strip().lower(),
            group=(p.get("group") or "cast").strip().lower(),
            href=(p.get("href") or "").strip(),
            img=(p.get("img") or "").strip(),
        )
        for p in podcast_all(parent, "person")
        if text(p)
    )


def item_tags(item: Element) -> ItemTags:
    guid = next((e for e in item if local(e.tag) in ("guid", "id")), None)
    chapters = podcast_one(item, "chapters")
    return ItemTags(
        guid=text(guid) if guid is not None else None,
        persons=persons(item),
        transcripts=tuple(
            TranscriptLink(
                url=(t.get("url") or "").strip(),
                type=(t.get("type") or "").strip().lower(),
                language=(t.get("language") or "").strip(),
                rel=(t.get("rel") or "").strip(),
            )
            for t in podcast_all(item, "transcript")
            if t.get("url")
        ),
        chapters_url=(chapters.get("url") or "").strip() if chapters is not None else "",
        season=text(podcast_one(item, "season")) or text(item.find(f"{ITUNES}season")),
        episode=text(podcast_one(item, "episode")) or text(item.find(f"{ITUNES}episode")),
    )
