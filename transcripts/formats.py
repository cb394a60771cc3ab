"""The transcript formats, in one table: what parsing, models, views, feed items and URLs read.

Adding a format is a row here and a reader (transcripts/readers/) and writer
(transcripts/writing.py) for it; nothing else names formats. Pure: no Django.
"""

from collections.abc import Callable, Iterable
from dataclasses import dataclass

from .readers.cues import read_cues
from .readers.htmlfile import read_html
from .readers.jsonfile import read_json
from .readers.plaintext import read_text
from .segments import Builder
from .writing import TimedText, to_html, to_json, to_srt, to_text, to_vtt

# A reader gets the whole text, its lines, and the builder it adds segments to.
Reader = Callable[[str, list[str], Builder], None]


@dataclass(frozen=True)
class Format:
    name: str  # what the parser reports and Transcript.source_format stores
    suffixes: tuple[str, ...]  # of uploads; the first also names the served file
    mime_type: str  # the served type and the feed's podcast:transcript type
    rel: str  # podcast:transcript rel: "captions" for timed cues, else ""
    reader: Reader
    writer: Callable[[Iterable[TimedText]], str]
    in_feed: bool  # offered to podcast apps in the feed items

    @property
    def suffix(self) -> str:
        return self.suffixes[0]

    @property
    def content_type(self) -> str:
        """The served Content-Type: JSON is UTF-8 by definition, text types say so."""
        text = self.mime_type != "application/json"
        return f"{self.mime_type}; charset=utf-8" if text else self.mime_type


# In the order podcast apps prefer them in the feed.
FORMATS = (
    Format(
        name="vtt",
        suffixes=("vtt",),
        mime_type="text/vtt",
        rel="captions",
        reader=lambda text, lines, b: read_cues(lines, "vtt", b),
        writer=to_vtt,
        in_feed=True,
    ),
    Format(
        name="json",
        suffixes=("json",),
        mime_type="application/json",
        rel="",
        reader=lambda text, lines, b: read_json(text, b),
        writer=to_json,
        in_feed=True,
    ),
    Format(
        name="srt",
        suffixes=("srt",),
        mime_type="application/x-subrip",
        rel="captions",
        reader=lambda text, lines, b: read_cues(lines, "srt", b),
        writer=to_srt,
        in_feed=True,
    ),
    Format(
        name="html",
        suffixes=("html", "htm"),
        mime_type="text/html",
        rel="",
        reader=read_html,
        writer=to_html,
        in_feed=True,
    ),
    Format(
        name="text",
        suffixes=("txt",),
        mime_type="text/plain",
        rel="",
        reader=lambda text, lines, b: read_text(lines, b),
        writer=to_text,
        in_feed=False,
    ),
)
BY_NAME = {f.name: f for f in FORMATS}
BY_SUFFIX = {suffix: f for f in FORMATS for suffix in f.suffixes}
NAMES = tuple(BY_NAME)
# Served files: one URL suffix per format.
SERVED_SUFFIXES = tuple(f.suffix for f in FORMATS)
IN_FEED = tuple(f for f in FORMATS if f.in_feed)
