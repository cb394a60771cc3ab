"""Write transcript segments as WebVTT, SRT, Podcast Index JSON, namespace HTML or plain text.

Pure: anything with `start`, `end`, `speaker` and `text` attributes goes in (parsed
segments or stored rows), strings come out. Whatever is written reads back, with
transcripts.parsing, as the same segments (VTT, SRT, JSON: exactly; plain text and HTML:
whole-second starts, no ends): speakers, "-->", tags and "Name:" openings included.
"""

import html
import json
import re
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from typing import Protocol

from .speakers import LABEL, VOICE, could_be_label, label_of, speaker_names

# A missing end becomes the next segment's start; the last segment has no next one,
# so players get this much time to show it.
LAST_SEGMENT_SECONDS = 5.0

_LINE_BREAKS = re.compile(r"\s*[\r\n]+\s*")
# SRT markup our reader strips: tags it knows and "{\an8}" positioning.
_SRT_MARKUP = re.compile(r"</?(?:i|b|u|s|font)\b|\{\\")


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
    timed = list(_timed(segments))
    marks = _plan_marks([segment for _, _, segment in timed], labels=False)
    blocks = ["WEBVTT\n"]
    for index, (start, end, segment) in enumerate(timed):
        voice = f"<v {_vtt_escape(segment.speaker)}>" if segment.speaker else ""
        cue_text = _vtt_escape(_one_line(segment.text))
        if index in marks.not_labels:
            cue_text = _escape_label_colon(cue_text)
        blocks.append(f"{_clock(start, '.')} --> {_clock(end, '.')}\n{voice}{cue_text}\n")
    return "\n".join(blocks)


def to_srt(segments: Iterable[TimedText]) -> str:
    """SRT with the speaker's name and a colon before the text, as the namespace asks.

    A name that would not read back as a label (used once, "Note", "Guido van Rossum")
    is written as a voice tag instead, `<v Guido van Rossum>`, which our reader also takes.
    """
    timed = list(_timed(segments))
    marks = _plan_marks([segment for _, _, segment in timed], labels=True)
    blocks = []
    for number, (start, end, segment) in enumerate(timed, 1):
        timing = f"{_clock(start, ',')} --> {_clock(end, ',')}"
        text = _srt_escape(_one_line(segment.text))
        if number - 1 in marks.not_labels:
            text = _escape_label_colon(text)
        blocks.append(f"{number}\n{timing}\n{_mark(segment.speaker, marks)}{text}\n")
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
    """The namespace's HTML transcript: <cite>, <time> and <p> for each segment.

    A <cite> names the speaker of the one <p> after it, as in the namespace's example.
    """
    parts = []
    for segment in _spoken(segments):
        if segment.speaker:
            parts.append(f"<cite>{html.escape(segment.speaker, quote=False)}:</cite>")
        parts.append(f"<time>{format_timestamp(segment.start)}</time>")
        parts.append(f"<p>{html.escape(_one_line(segment.text), quote=False)}</p>")
    return "".join(f"{part}\n" for part in parts)


def to_text(segments: Iterable[TimedText]) -> str:
    """The pythonbytes.fm plain text: "HH:MM:SS text" lines with a blank line after each.

    Speakers are "Name: " labels where a reader takes them back as that name, voice tags
    otherwise; words that would read as a label or voice tag get an empty `<v>` before them.
    """
    spoken = _spoken(segments)
    marks = _plan_marks(spoken, labels=True)
    lines = []
    for index, segment in enumerate(spoken):
        text = _one_line(segment.text)
        if index in marks.not_labels or (not segment.speaker and VOICE.match(text)):
            text = f"<v>{text}"
        lines.append(f"{_hours_clock(segment.start)} {_mark(segment.speaker, marks)}{text}\n\n")
    return "".join(lines)


@dataclass(frozen=True)
class _Marks:
    labels: frozenset[str]  # speakers written as "Name: "; the others get voice tags
    not_labels: frozenset[int]  # positions of unnamed segments whose words open with a label


def _plan_marks(segments: Sequence[TimedText], *, labels: bool) -> _Marks:
    """Which speakers can be labels and which words must not read as one (speakers' rules).

    Whether a label reads back depends on the whole file (a name must recur, and a lone
    surname stands for a longer name), so try the reader's own rule on what would be
    written, and drop labels or escape words until it agrees; each round only removes.
    """
    named = {s.speaker for s in segments if labels and s.speaker and could_be_label(s.speaker)}
    escaped: set[int] = set()
    while True:
        texts = [f"{s.speaker}: {s.text}" for s in segments if s.speaker in named] + [
            s.text for i, s in enumerate(segments) if not s.speaker and i not in escaped
        ]
        names = speaker_names(_one_line(text) for text in texts)
        wrong = {name for name in named if names.get(name) != name}
        misread = {
            i
            for i, s in enumerate(segments)
            if not s.speaker and i not in escaped and label_of(_one_line(s.text)) in names
        }
        if not wrong and not misread:
            return _Marks(frozenset(named), frozenset(escaped))
        named -= wrong
        escaped |= misread


def _mark(speaker: str, marks: _Marks) -> str:
    if not speaker:
        return ""
    return f"{speaker}: " if speaker in marks.labels else f"<v {_vtt_escape(speaker)}>"


def _escape_label_colon(text: str) -> str:
    # "&#58;" is a colon to a reader that decodes references, after it looked for labels.
    label = LABEL.match(text)
    assert label is not None
    colon = text.index(":", label.end(1))
    return f"{text[:colon]}&#58;{text[colon + 1 :]}"


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


def _one_line(text: str) -> str:
    # A line break inside a cue is fine, but a blank line would end it early.
    text = text.strip()
    return _LINE_BREAKS.sub(" ", text) if "\n" in text or "\r" in text else text


def _vtt_escape(text: str) -> str:
    # "<" would open a tag and "-->" would end the cue; escaping "<", ">" and "&" avoids both.
    return html.escape(text, quote=False)


def _srt_escape(text: str) -> str:
    """Escape only what an SRT reader would take as markup, so players show plain words.

    Our reader strips SRT tags, then decodes character references (as ffmpeg does): an "&"
    is escaped where it would start one, "<" before a tag, ">" in "-->", "{" before "\\".
    """
    if "&" in text:
        first, *rest = text.split("&")  # a reference never holds an "&", so each is alone
        text = first + "".join(
            ("&amp;" if html.unescape(f"&{piece}") != f"&{piece}" else "&") + piece
            for piece in rest
        )
    if "<" in text or "{" in text:
        text = _SRT_MARKUP.sub(lambda tag: f"&#{ord(tag[0][0])};{tag[0][1:]}", text)
    if text.startswith("<v") and VOICE.match(text):
        text = f"&lt;{text[1:]}"
    return text.replace("-->", "--&gt;")


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
