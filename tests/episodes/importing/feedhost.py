"""A real feed served from 127.0.0.1 with its files moved there too: the "old host" of a show.

The feed's bytes are kept except the URLs of its files: enclosures point at small real
MP3s from ../shared/data, transcripts at a real WebVTT file, chapters at a real JSON
chapters document, images at nothing (404), so an import fetches nothing from outside.
"""

import email.utils
import itertools
import re
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

import pytest
from lxml import etree

from tests.localhttp import Answer, LocalServer

MP3S = (
    "mp3/music-metadata/silence-2s-16000_no-tags.CBR-128.mp3",
    "mp3/mutagen/silence-44-s.mp3",
    "mp3/mutagen/xing.mp3",
    "mp3/music-metadata/chapters.mp3",
)
VTT = "transcripts/pythonbytes/001-intro-to-the-show-and-pip-9-is-out.vtt"
CHAPTERS = "chapters/rssblue/podcast-namespace-chapters.github-example.json"

ENCLOSURE = re.compile(rb'(<enclosure\b[^>]*?\burl=")([^"]*)(")', re.S)
ATOM_ENCLOSURE = re.compile(rb'(<link\b[^>]*?rel="enclosure"[^>]*?\bhref=")([^"]*)(")', re.S)
TRANSCRIPT = re.compile(rb'(<podcast:transcript\b[^>]*?\burl=")([^"]*)(")', re.S)
CHAPTER = re.compile(rb'(<podcast:chapters\b[^>]*?\burl=")([^"]*)(")', re.S)
IMAGE = re.compile(rb'(<itunes:image\b[^>]*?\bhref=")([^"]*)(")', re.S)
IMAGE_URL = re.compile(rb"(<image>\s*<url>)([^<]*)(</url>)", re.S)
TRANSCRIPT_TYPE = re.compile(rb'type="[^"]*"')


@pytest.fixture
def host(shared_data, settings):
    """The old host, on 127.0.0.1, which the setting allows in these tests."""
    settings.PODCAST_IMPORT_ALLOWED_NETWORKS = ["127.0.0.0/8"]
    feed_host = FeedHost(shared_data)
    yield feed_host
    feed_host.close()


class FeedHost:
    """Serves /feed.xml (a real feed, localised) and the files it names."""

    def __init__(self, shared: Path) -> None:
        self.shared = shared
        self.server = LocalServer(host="127.0.0.1")
        self.mp3s = [
            Answer(200, (shared / name).read_bytes(), {"Content-Type": "audio/mpeg"})
            for name in MP3S
        ]
        vtt = (shared / VTT).read_bytes()
        self.server.routes["/t.vtt"] = Answer(200, vtt, {"Content-Type": "text/vtt"})
        chapters = (shared / CHAPTERS).read_bytes()
        self.server.routes["/c.json"] = Answer(
            200, chapters, {"Content-Type": "application/json+chapters"}
        )

    def serve(self, feed: bytes, path: str = "/feed.xml") -> str:
        """Serve a feed (localised) at `path`; its URL."""
        self.server.routes[path] = Answer(
            200, self.localise(feed), {"Content-Type": "application/rss+xml"}
        )
        return self.server.url(path)

    def serve_file(self, name: str, path: str = "/feed.xml") -> str:
        return self.serve((self.shared / "feeds" / name).read_bytes(), path)

    def localise(self, feed: bytes) -> bytes:
        counter = itertools.count()

        def audio(match: re.Match) -> bytes:
            # One URL per item: a feed without guids falls back to the enclosure URL.
            number = next(counter)
            path = f"/audio/{number}.mp3"
            self.server.routes[path] = self.mp3s[number % len(self.mp3s)]
            return match.group(1) + self.server.url(path).encode() + match.group(3)

        feed = ENCLOSURE.sub(audio, feed)
        feed = ATOM_ENCLOSURE.sub(audio, feed)
        feed = TRANSCRIPT.sub(lambda m: self.local(m, "/t.vtt"), feed)
        # Every transcript is now the one WebVTT file, and says so.
        feed = re.sub(
            rb"<podcast:transcript\b[^>]*>",
            lambda m: TRANSCRIPT_TYPE.sub(b'type="text/vtt"', m.group(0)),
            feed,
        )
        feed = CHAPTER.sub(lambda m: self.local(m, "/c.json"), feed)
        feed = IMAGE.sub(lambda m: self.local(m, "/missing.jpg"), feed)
        return IMAGE_URL.sub(lambda m: self.local(m, "/missing.jpg"), feed)

    def local(self, match: re.Match, path: str) -> bytes:
        return match.group(1) + self.server.url(path).encode() + match.group(3)

    def close(self) -> None:
        self.server.close()


@dataclass(frozen=True)
class Expected:
    guid: str | None
    number: int | None
    published: datetime | None


def expected_items(path: Path) -> list[Expected]:
    """Each item's guid, episode number and date as lxml's recovering parser reads them.

    An independent reader of the same bytes: what an import must reproduce.
    """
    parser = etree.XMLParser(recover=True, resolve_entities=False, no_network=True)
    root = etree.fromstring(path.read_bytes().lstrip(), parser)
    return [
        expected(item) for item in root.iter(tag=etree.Element) if local(item) in ("item", "entry")
    ]


def expected(item) -> Expected:
    children = {local(child): (child.text or "").strip() for child in item}
    number = children.get("episode", "")
    return Expected(
        guid=children.get("guid") or children.get("id") or None,
        number=int(number) if number.isdigit() else None,
        published=date_of(children),
    )


def date_of(children: dict[str, str]) -> datetime | None:
    try:
        if "pubDate" in children:
            moment = email.utils.parsedate_to_datetime(children["pubDate"])
        else:
            moment = datetime.fromisoformat(children.get("published") or children["updated"])
    except (KeyError, TypeError, ValueError):
        return None
    # RFC 2822's "-0000" means UTC with no claim about local time.
    return moment if moment.tzinfo else moment.replace(tzinfo=UTC)


def local(element) -> str:
    return element.tag.rsplit("}", 1)[-1] if isinstance(element.tag, str) else ""
