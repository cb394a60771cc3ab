"""JSON chapters 1.2 (Podcast Index namespace) from plain chapter values.

Pure: the view turns Chapter rows into ChapterEntry values with absolute URLs.
"""

import json
from collections.abc import Iterable
from dataclasses import dataclass

CONTENT_TYPE = "application/json+chapters"
VERSION = "1.2.0"


@dataclass(frozen=True, slots=True)
class ChapterEntry:
    start: float
    title: str
    url: str = ""
    img: str = ""
    end: float | None = None
    toc: bool = True


def chapter_object(entry: ChapterEntry) -> dict[str, object]:
    """One chapter; optional keys only when they carry information."""
    data: dict[str, object] = {"startTime": round(entry.start, 3), "title": entry.title}
    if entry.url:
        data["url"] = entry.url
    if entry.img:
        data["img"] = entry.img
    if entry.end is not None and entry.end > entry.start:
        data["endTime"] = round(entry.end, 3)
    if not entry.toc:
        # The spec's default is true: only the exception is written.
        data["toc"] = False
    return data


def chapters_document(entries: Iterable[ChapterEntry]) -> dict[str, object]:
    """The JSON chapters document, chapters ascending by start time as the spec requires."""
    ordered = sorted(entries, key=lambda entry: entry.start)
    return {"version": VERSION, "chapters": [chapter_object(entry) for entry in ordered]}


def chapters_json(entries: Iterable[ChapterEntry]) -> bytes:
    return json.dumps(chapters_document(entries), ensure_ascii=False).encode()


def read_chapters_json(data: bytes) -> tuple[ChapterEntry, ...]:
    """Chapters of a JSON chapters document (podcast:chapters); ValueError saying what is wrong."""
    try:
        document = json.loads(data)
    except (ValueError, UnicodeDecodeError) as error:
        raise ValueError(f"not JSON ({error})") from None
    chapters = document.get("chapters") if isinstance(document, dict) else None
    if not isinstance(chapters, list):
        raise ValueError('no "chapters" list')
    return tuple(entry for item in chapters if (entry := chapter_entry(item)) is not None)


def chapter_entry(item: object) -> ChapterEntry | None:
    if not isinstance(item, dict) or not isinstance(item.get("startTime"), int | float):
        return None
    end = item.get("endTime")
    return ChapterEntry(
        start=float(item["startTime"]),
        title=str(item.get("title") or "")[:300],
        url=str(item.get("url") or "")[:1000],
        img=str(item.get("img") or "")[:1000],
        end=float(end) if isinstance(end, int | float) else None,
        toc=item.get("toc") is not False,
    )
