"""Write transcript segments as WebVTT, SRT, Podcast Index JSON, namespace HTML or plain text.

Pure: anything with `start`, `end`, `speaker` and `text` attributes goes in (parsed
segments or stored rows), strings come out.
"""

import html
import json
import re
from collections.abc import Iterable, Iterator
from typing import Protocol

# A missing end becomes the next segment's start; the last segment has no next one,
# so players get this much time to show it.
LAST_SEGMENT_SECONDS = 5.0

_LINE_BREAKS = re.compile(r"\s*[\r\n]+\s*")


class TimedText(Protocol):
    @property
    def start(self) -> float: ...
    @property
    def end(self) -> float | None: ...
    @property
    def speaker(self) -> str: ...
    @property
    def text(self) -> str: ...


def format_timestamp(seconds: float) -> str:
    """Show a time as on the transcript page: "MM:SS" under an hour, "H:MM:SS" beyond."""
    hours, rest = divmod(max(int(seconds), 0), 3600)
    minutes, secs = divmod(rest, 60)
    return f"{hours}:{minutes:02d}:{secs:02d}" if hours else f"{minutes:02d}:{secs:02d}"


def to_vtt(segments: Iterable[TimedText]) -> str:
    """WebVTT with speakers as voice tags (what Apple Podcasts ingests)."""
    blocks = ["WEBVTT\n"]
    for start, end, segment in _timed(segments):
        voice = f"<v {_vtt_escape(segment.speaker)}>" if segment.speaker else ""
        cue_text = _vtt_escape(_one_line(segment.text))
        blocks.append(f"{_clock(start, '.')} --> {_clock(end, '.')}\n{voice}{cue_text}\n")
    return "\n".join(blocks)


def to_srt(segments: Iterable[TimedText]) -> str:
    """SRT with the speaker's name and a colon before the text, as the namespace asks."""
    blocks = []
    for number, (start, end, segment) in enumerate(_timed(segments), 1):
        label = f"{segment.speaker}: " if segment.speaker else ""
        timing = f"{_clock(start, ',')} --> {_clock(end, ',')}"
        blocks.append(f"{number}\n{timing}\n{label}{_one_line(segment.text)}\n")
    return "\n".join(blocks)


def to_json(segments: Iterable[TimedText]) -> str:
    """Podcast Index JSON transcript (version 1.0.0), ends filled in like the VTT's."""
    entries = [
        {
            "speaker": segment.speaker,
            "startTime": round(start, 3),
            "endTime": round(end, 3),
            "body": segment.text.strip(),
        }
        for start, end, segment in _timed(segments)
    ]
    return json.dumps({"version": "1.0.0", "segments": entries}, ensure_ascii=False, indent=2)


def to_html(segments: Iterable[TimedText]) -> str:
    """The namespace's HTML transcript: <cite>, <time> and <p> per monologue."""
    parts = []
    for monologue in _monologues(segments):
        first = monologue[0]
        if first.speaker:
            parts.append(f"<cite>{html.escape(first.speaker)}:</cite>")
        parts.append(f"<time>{format_timestamp(first.start)}</time>")
        body = " ".join(_one_line(segment.text) for segment in monologue)
        parts.append(f"<p>{html.escape(body)}</p>")
    return "".join(f"{part}\n" for part in parts)


def to_text(segments: Iterable[TimedText]) -> str:
    """The pythonbytes.fm plain text: "HH:MM:SS text" lines with a blank line after each."""
    lines = []
    for segment in _spoken(segments):
        label = f"{segment.speaker}: " if segment.speaker else ""
        lines.append(f"{_hours_clock(segment.start)} {label}{_one_line(segment.text)}\n\n")
    return "".join(lines)


def _spoken(segments: Iterable[TimedText]) -> list[TimedText]:
    # A segment without words would become an empty cue, which readers drop or reject.
    return [segment for segment in segments if segment.text.strip()]


def _timed(segments: Iterable[TimedText]) -> Iterator[tuple[float, float, TimedText]]:
    """Each segment with its start and an end that is never missing nor before the start."""
    items = _spoken(segments)
    for index, segment in enumerate(items):
        following = items[index + 1].start if index + 1 < len(items) else None
        end = segment.end
        if end is None:
            end = following if following is not None else segment.start + LAST_SEGMENT_SECONDS
        yield segment.start, max(end, segment.start), segment


def _monologues(segments: Iterable[TimedText]) -> list[list[TimedText]]:
    # Consecutive segments of one named speaker make one monologue, as in the
    # namespace example; unnamed segments stay apart so each keeps its time.
    groups: list[list[TimedText]] = []
    for segment in _spoken(segments):
        if groups and segment.speaker and groups[-1][0].speaker == segment.speaker:
            groups[-1].append(segment)
        else:
            groups.append([segment])
    return groups


def _one_line(text: str) -> str:
    # A line break inside a cue is fine, but a blank line would end it early.
    text = text.strip()
    return _LINE_BREAKS.sub(" ", text) if "\n" in text or "\r" in text else text


def _vtt_escape(text: str) -> str:
    # "<" would open a tag and "-->" would end the cue; escaping "<", ">" and "&" avoids both.
    return html.escape(text, quote=False)


def _clock(seconds: float, separator: str) -> str:
    millis = max(round(seconds * 1000), 0)
    hours, millis = divmod(millis, 3_600_000)
    minutes, millis = divmod(millis, 60_000)
    secs, millis = divmod(millis, 1000)
    return f"{hours:02d}:{minutes:02d}:{secs:02d}{separator}{millis:03d}"


def _hours_clock(seconds: float) -> str:
    hours, rest = divmod(max(int(seconds), 0), 3600)
    minutes, secs = divmod(rest, 60)
    return f"{hours:02d}:{minutes:02d}:{secs:02d}"
