"""Tags of M4A (AAC in MP4) files: the iTunes atoms and Nero-style chapters. Pure."""

from mutagen.mp4 import MP4, MP4Cover

from .id3 import Chapter, Picture, TagValues


def mp4_tags(mp4: MP4, length: float) -> TagValues:
    """The title, artist, album, comment, cover and chapters an MP4 file's atoms hold."""
    tags = mp4.tags or {}

    def first(key: str) -> str:
        values = tags.get(key) or [""]
        return str(values[0])

    covers = tags.get("covr") or []
    cover = mp4_cover(covers[0]) if covers else None
    return TagValues(
        title=first("\xa9nam"),
        artist=first("\xa9ART"),
        album=first("\xa9alb"),
        comment=first("\xa9cmt"),
        cover=cover,
        chapters=mp4_chapters(mp4, length),
    )


def mp4_cover(cover: MP4Cover) -> Picture:
    mime = "image/png" if cover.imageformat == MP4Cover.FORMAT_PNG else "image/jpeg"
    return Picture(data=bytes(cover), mime=mime, picture_type=3)


def mp4_chapters(mp4: MP4, length: float) -> tuple[Chapter, ...]:
    # Nero-style chapters (the chpl atom), which is what mutagen reads.
    marks = list(getattr(mp4, "chapters", None) or [])
    if not marks:
        return ()
    ends = [m.start for m in marks[1:]] + [length]
    return tuple(Chapter(m.start, end, m.title) for m, end in zip(marks, ends, strict=True))
