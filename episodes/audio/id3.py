"""Read and write the ID3v2 frames a podcast episode carries: titles, cover, chapters.

Pure: mutagen objects or a file path in, frozen dataclasses out; no Django.
"""

from __future__ import annotations

import datetime
import os
from collections.abc import Iterable
from dataclasses import dataclass

from mutagen.id3 import (
    APIC,
    CHAP,
    COMM,
    CTOC,
    ID3,
    TALB,
    TDRC,
    TIT2,
    TPE1,
    TRCK,
    WXXX,
    CTOCFlags,
    Frame,
    ID3NoHeaderError,
    PictureType,
)
from mutagen.mp3 import MP3, HeaderNotFoundError

from . import frames

FRONT_COVER = int(PictureType.COVER_FRONT)
# Frames write_tags owns: it replaces them all, and leaves every other frame alone.
OWNED_FRAMES = ("TIT2", "TALB", "TRCK", "TDRC", "TYER", "TPE1", "COMM", "APIC", "CHAP", "CTOC")


@dataclass(frozen=True)
class Picture:
    data: bytes
    mime: str
    picture_type: int  # 3 = front cover


@dataclass(frozen=True)
class Chapter:
    start: float  # seconds
    end: float | None
    title: str
    url: str = ""
    image: bytes | None = None
    image_mime: str = ""


@dataclass(frozen=True)
class Tags:
    """What write_tags puts in a file."""

    title: str
    show: str
    episode_number: int
    date: str  # ISO date, e.g. "2024-05-01"
    artist: str = ""
    comment: str = ""
    cover: Picture | None = None
    chapters: tuple[Chapter, ...] = ()


@dataclass(frozen=True)
class TagValues:
    """What read_tags found in an ID3 tag."""

    title: str = ""
    artist: str = ""
    album: str = ""
    comment: str = ""
    cover: Picture | None = None
    chapters: tuple[Chapter, ...] = ()


def read_tags(id3: ID3 | None) -> TagValues:
    """Pick the episode's title, artist, album, comment, cover and chapters out of a tag."""
    if id3 is None:
        return TagValues()
    return TagValues(
        title=_text(id3, "TIT2"),
        artist=_text(id3, "TPE1"),
        album=_text(id3, "TALB"),
        comment=_comment(id3.getall("COMM")),
        cover=_cover(id3.getall("APIC")),
        chapters=_chapters(id3.getall("CHAP"), id3.getall("CTOC")),
    )


def _text(frames: ID3 | dict, frame_id: str) -> str:
    frame = frames.get(frame_id)
    return " / ".join(str(t) for t in frame.text) if frame is not None else ""


def _comment(comments: list[COMM]) -> str:
    # iTunes hides machine data in COMM frames with a description (iTunNORM, ...);
    # the human comment is the one without.
    human = [c for c in comments if not c.desc] or [c for c in comments if "iTun" not in c.desc]
    return "\n".join(str(t) for t in human[0].text) if human else ""


def _cover(pictures: list[APIC]) -> Picture | None:
    if not pictures:
        return None
    best = next((p for p in pictures if p.type == FRONT_COVER), pictures[0])
    mime = _sniff_image(best.data) or best.mime.lower()
    return Picture(data=best.data, mime=mime, picture_type=int(best.type))


def _sniff_image(data: bytes) -> str:
    # By content: taggers write "image/jpg", "jpg" or nothing, and Apple wants the real type.
    if data.startswith(b"\x89PNG"):
        return "image/png"
    return "image/jpeg" if data.startswith(b"\xff\xd8") else ""


def _chapters(chaps: list[CHAP], tocs: list[CTOC]) -> tuple[Chapter, ...]:
    """Order chapters as the top-level table of contents says, else by start time."""
    by_id = {c.element_id: c for c in chaps}
    order = _toc_order(tocs, by_id)
    rest = sorted((c for c in chaps if c.element_id not in order), key=lambda c: c.start_time)
    return tuple(_chapter(c) for c in [by_id[i] for i in order] + rest)


def _toc_order(tocs: list[CTOC], by_id: dict[str, CHAP]) -> list[str]:
    top = [t for t in tocs if t.flags & CTOCFlags.TOP_LEVEL] or tocs
    if not top:
        return []
    listed = [i for i in top[0].child_element_ids if i in by_id]
    return list(dict.fromkeys(listed))  # a CTOC may name a chapter twice; keep the first


def _chapter(chap: CHAP) -> Chapter:
    subs = chap.sub_frames
    urls = [f.url for f in subs.values() if f.FrameID.startswith("W")]
    image = _cover(subs.getall("APIC"))
    # end_time 0 or before the start means the writer left it unset.
    end = chap.end_time / 1000 if chap.end_time > chap.start_time else None
    return Chapter(
        start=chap.start_time / 1000,
        end=end,
        title=_text(subs, "TIT2"),
        url=urls[0] if urls else "",
        image=image.data if image else None,
        image_mime=image.mime if image else "",
    )


def write_tags(path: str | os.PathLike, tags: Tags) -> None:
    """Write the episode's ID3v2.4 tag into the MP3 at `path`, in place.

    Replaces the frames listed in OWNED_FRAMES (an empty value removes its
    frame) and keeps every other frame. Raises ValueError (AudioError) when the
    file is not an MP3 and ValueError for a malformed date.
    """
    datetime.date.fromisoformat(tags.date)  # refuse "May 1st" before touching the file
    try:
        audio = MP3(path)
    except HeaderNotFoundError as exc:
        raise frames.AudioError(frames.NOT_MP3) from exc
    if audio.tags is None:
        audio.add_tags()
    for frame_id in OWNED_FRAMES:
        audio.tags.delall(frame_id)
    for frame in _frames(tags, _audio_length(path)):
        audio.tags.add(frame)
    audio.save(v2_version=4)


def tags_match(path: str | os.PathLike, tags: Tags) -> bool:
    """True when the MP3 at `path` already holds the frames write_tags would write for `tags`.

    Compares the values, not the bytes: chapter end times left open in `tags` are
    filled from the audio length on writing, so only given ones are compared.
    """
    try:
        id3 = ID3(path)
    except ID3NoHeaderError:
        return False
    found = read_tags(id3)
    texts = {"TIT2": tags.title, "TALB": tags.show, "TPE1": tags.artist, "TDRC": tags.date}
    texts["TRCK"] = str(tags.episode_number)
    if any(_text(id3, frame_id) != text for frame_id, text in texts.items()):
        return False
    cover = (tags.cover.data, tags.cover.picture_type) if tags.cover else None
    found_cover = (found.cover.data, found.cover.picture_type) if found.cover else None
    return (
        found.comment == tags.comment
        and cover == found_cover
        and len(found.chapters) == len(tags.chapters)
        and all(map(_chapter_matches, found.chapters, tags.chapters))
    )


def _chapter_matches(found: Chapter, wanted: Chapter) -> bool:
    def ms(seconds: float | None) -> int | None:
        return None if seconds is None else round(seconds * 1000)

    same_end = wanted.end is None or ms(found.end) == ms(wanted.end)
    key = (ms(wanted.start), wanted.title, wanted.url, wanted.image)
    return same_end and (ms(found.start), found.title, found.url, found.image) == key


def _audio_length(path: str | os.PathLike) -> float:
    # The last chapter needs an end time; the frames know it even when headers lie.
    with open(path, "rb") as fileobj:
        return frames.count_mp3_frames(fileobj).duration


def _frames(tags: Tags, length: float) -> Iterable[Frame]:
    texts = {TIT2: tags.title, TALB: tags.show, TPE1: tags.artist, TDRC: tags.date}
    for kind, text in texts.items():
        if text:
            yield kind(encoding=3, text=[text])
    yield TRCK(encoding=3, text=[str(tags.episode_number)])
    if tags.comment:
        yield COMM(encoding=3, lang="eng", desc="", text=[tags.comment])
    if tags.cover is not None:
        yield _apic(tags.cover.data, tags.cover.mime, tags.cover.picture_type)
    if tags.chapters:
        yield from _chapter_frames(tags.chapters, length)


def _apic(data: bytes, mime: str, picture_type: int) -> APIC:
    return APIC(encoding=3, mime=mime, type=picture_type, desc="", data=data)


def _chapter_frames(chapters: tuple[Chapter, ...], length: float) -> Iterable[Frame]:
    ids = [f"chp{i}" for i in range(len(chapters))]
    nexts = [c.start for c in chapters[1:]] + [max(length, chapters[-1].start)]
    for element_id, chapter, next_start in zip(ids, chapters, nexts, strict=True):
        end = chapter.end if chapter.end is not None else next_start
        yield CHAP(
            element_id=element_id,
            start_time=round(chapter.start * 1000),
            end_time=round(end * 1000),
            sub_frames=list(_chapter_sub_frames(chapter)),
        )
    flags = CTOCFlags.TOP_LEVEL | CTOCFlags.ORDERED
    yield CTOC(element_id="toc", flags=flags, child_element_ids=ids, sub_frames=[])


def _chapter_sub_frames(chapter: Chapter) -> Iterable[Frame]:
    yield TIT2(encoding=3, text=[chapter.title])
    if chapter.url:
        yield WXXX(encoding=3, desc="", url=chapter.url)
    if chapter.image:
        mime = chapter.image_mime or _sniff_image(chapter.image)
        yield _apic(chapter.image, mime, int(PictureType.OTHER))
