"""Read transcripts (plain text, WebVTT, SRT, Podcast Index JSON) into segments, and back.

Pure: plain values in, frozen dataclasses out; no Django. Nothing is dropped silently:
every non-blank input line is counted once in the Report, as markup (`lines_structural`),
as the first text line of a segment, as a line joined to a segment, or as rejected.

Speaker rules, in the order they are tried on a line's text:
1. a voice tag at its start, `<v Name>` or `<v.class Name>` (any format);
2. a heading line `## Name 0:00:00` (plain text): it starts the next segment;
3. a label `Name: text`, where Name is one to three words, each starting with a capital
   letter, with no digits, at most 40 characters, not a word like "Note" or "Update", and
   used as a label (or heading) at least twice in the file, counted by its last word.
   A one-word label ("KENNEDY") means the one longer label ending in the same word
   ("Michael KENNEDY"), when there is exactly one.
A line without a speaker mark has speaker "", never the previous one. A speaker mark at the
start of a line without a timestamp still starts a new segment (at the last time given).
Segment text is the segment's lines stripped and joined with single spaces.
"""

import html
import json
import re
from collections import Counter
from dataclasses import asdict, dataclass, field
from pathlib import PurePath
from typing import Any

from .writing import format_timestamp, to_html, to_json, to_srt, to_text, to_vtt

__all__ = [
    "FORMATS", "Parsed", "Problem", "Report", "Segment", "TranscriptError", "detect_format",
    "format_timestamp", "parse", "to_html", "to_json", "to_srt", "to_text", "to_vtt",
]  # fmt: skip

FORMATS = ("text", "vtt", "srt", "json")
Block = list[tuple[int, str]]  # consecutive non-blank lines with their 1-based numbers
MAX_ERROR_PROBLEMS = 20

# M:SS, MM:SS, H:MM:SS or HH:MM:SS (fractions tolerated) at the start of a line, then white
# space, which includes the no-break space some exports put there, or the end of the line.
_TEXT_TIME = re.compile(r"(?:(\d{1,2}):)?(\d{1,2}):(\d{2})(?:[.,](\d{1,3}))?(?:\s+|$)")
_CLOCK = r"((?:(\d+):)?(\d{1,2}):(\d{2})(?:[.,](\d{1,3}))?)"
# A cue timing: start --> end, then optional cue settings ("align:start"), which we ignore.
_TIMING = re.compile(rf"\s*{_CLOCK}\s*-->\s*{_CLOCK}(?:\s.*)?$")
# "## Brian 0:00:00". Bounded name, possessive spaces: no backtracking on long lines.
_HEADING = re.compile(rf"#{{1,6}}[ \t]*(\S(?:[^\n]{{0,60}}?\S)?)[ \t]++{_CLOCK}[ \t]*$")
_TIMING_LINE = re.compile(r"^\s*(?:\d+:)?\d{1,2}:\d{2}[.,]\d{1,3}\s*-->", re.MULTILINE)
_WEBVTT = re.compile(r"WEBVTT(?:[ \t].*)?$")
_VTT_BLOCK = re.compile(r"(?:NOTE|STYLE|REGION)(?:[ \t]|$)")
# Tag bodies stop at the next "<" (or "{"), keeping a line of unclosed tags linear.
_VOICE = re.compile(r"<v(?:\.[^\s<>]*)?(?:\s+([^<>]*))?>")
_VTT_TAG = re.compile(r"</?(?:c|i|b|u|v|ruby|rt|lang)\b[^<>]*>|<\d[\d:.]*>")
_SRT_TAG = re.compile(r"</?(?:i|b|u|s|font)\b[^<>]*>|\{\\[^{}]*\}")
_LABEL = re.compile(r"([^\W\d_][\w.'’-]*(?: [^\W\d_][\w.'’-]*){0,2}) ?:(?:\s+|$)")
_JSON_LIST = re.compile(r"\[\s*[{\]]")  # not "[music]", which opens many plain transcripts
_JSON_STRING = re.compile(r'"(?:[^"\\]|\\.)*"')
_JSON_SEGMENTS = re.compile(r'^\s*\{.*?"segments"\s*:\s*(?=\[)|^\s*(?=\[)', re.DOTALL)
_JSON_PUNCTUATION = re.compile(r"[{}\[\],]")
_NON_SPACE = re.compile(r"[^\s\]]")  # an entry's first character; "]" ends an empty list
# Capitalised words that open ordinary sentences with a colon; recurrence alone
# would not rule them out in a long transcript.
# fmt: off
_NOT_NAMES = frozenset({
    "note", "notes", "nb", "update", "edit", "warning", "example", "question", "answer", "step",
    "tip", "ps", "todo", "fyi", "quote", "source", "link", "summary", "so", "well", "yes", "no",
    "ok", "okay", "yeah", "also", "and", "but", "now", "then", "here", "there", "this", "that",
    "the", "it", "what", "why", "how",
})
# fmt: on


@dataclass(frozen=True)
class Segment:
    start: float
    end: float | None
    speaker: str
    text: str
    line: int = 0


@dataclass(frozen=True)
class Problem:
    line: int
    message: str
    text: str = ""


@dataclass(frozen=True)
class Report:
    format: str
    lines_read: int
    segments_made: int
    lines_joined: int
    speakers: tuple[str, ...]
    warnings: tuple[Problem, ...]
    rejected: tuple[Problem, ...]
    # Non-blank lines that are markup, not words: the WEBVTT header block, NOTE/STYLE/REGION
    # blocks, cue identifiers and SRT indexes, timing lines, `## Name 0:00` headings, lines
    # holding only a timestamp or speaker label, lines holding only tags. For text, VTT and
    # SRT: lines_read == lines_structural + segments_made + lines_joined + len(rejected).
    # JSON has no line structure: all its lines are structural, entries become segments.
    lines_structural: int = 0

    def as_dict(self) -> dict[str, Any]:
        """Plain dicts and lists, for a JSONField."""
        return asdict(self) | {"speakers": list(self.speakers)}

    def summary(self) -> str:
        """One line for editors: what was read, made, joined, who speaks, what went wrong."""
        speakers = ", ".join(self.speakers) or "none"
        rejected = f", {_count(len(self.rejected), 'line')} rejected" if self.rejected else ""
        return (
            f"{self.format}: read {_count(self.lines_read, 'line')}, "
            f"made {_count(self.segments_made, 'segment')}, "
            f"joined {self.lines_joined}, speakers: {speakers}; "
            f"{_count(len(self.warnings), 'warning')}{rejected}"
        )


def _count(number: int, noun: str) -> str:
    return f"{number} {noun}" if number == 1 else f"{number} {noun}s"


@dataclass(frozen=True)
class Parsed:
    segments: tuple[Segment, ...]
    report: Report


class TranscriptError(ValueError):
    """Raised when nothing usable can be read; `problems` holds the first line-numbered ones."""

    def __init__(self, summary: str, problems: tuple[Problem, ...]) -> None:
        self.problems = problems[:MAX_ERROR_PROBLEMS]
        shown = "\n".join(problem.message for problem in self.problems[:5])
        more = f"\n... and {len(problems) - 5} more" if len(problems) > 5 else ""
        super().__init__(f"{summary}\n{shown}{more}" if shown else summary)


def detect_format(text: str, filename: str = "") -> str:
    """Guess "text", "vtt", "srt" or "json" from the content, the file name breaking ties."""
    head = text[:4096].lstrip("\ufeff \t\r\n")
    suffix = PurePath(filename).suffix.lower().lstrip(".")
    if head.startswith("WEBVTT"):
        return "vtt"
    if head.startswith("{") or _JSON_LIST.match(head):
        return "json"
    if _TIMING_LINE.search(head):
        # Timings without the WEBVTT header: SRT, unless the name says it is a broken VTT.
        return "vtt" if suffix == "vtt" else "srt"
    return suffix if suffix in ("vtt", "srt", "json") else "text"


def parse(text: str | bytes, *, filename: str = "", format: str | None = None) -> Parsed:
    """Read a transcript into segments with a report; raise TranscriptError if none result."""
    builder = _Builder()
    if isinstance(text, bytes):
        text = _decode(text, builder)
    text = text.removeprefix("\ufeff")
    fmt = format or detect_format(text, filename)
    if fmt not in FORMATS:
        raise ValueError(f"unknown transcript format {fmt!r}; expected one of {FORMATS}")
    lines = text.replace("\r\n", "\n").replace("\r", "\n").split("\n")
    if fmt == "json":
        _read_json(text, builder)
    elif fmt == "text":
        _read_text(lines, builder, _speaker_names(lines, timed=True))
    else:
        _read_cues(lines, fmt, builder, _speaker_names(lines, timed=False))
    return builder.result(fmt, sum(1 for line in lines if line.strip()))


def _decode(data: bytes, builder: "_Builder") -> str:
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        return data.decode("utf-16", errors="replace")
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        line = data.count(b"\n", 0, error.start) + 1
        builder.warn(line, "", "not UTF-8 text; read as Windows-1252")
        try:
            return data.decode("cp1252")
        except UnicodeDecodeError:  # cp1252 leaves five bytes undefined; latin-1 has them all
            return data.decode("latin-1")


@dataclass
class _Draft:
    start: float
    end: float | None
    speaker: str
    line: int
    raw: str  # the source line, for a problem about a timing without text
    parts: list[str] = field(default_factory=list)


class _Builder:
    """Collects segments and counts every line exactly once while a reader walks the input."""

    def __init__(self) -> None:
        self.drafts: list[_Draft] = []
        self.pending: _Draft | None = None  # a timing or heading waiting for its text
        self.open = True  # may the next untimed text join the last segment?
        self.orphan = "text before the first timestamp or speaker label"
        self.joined = self.structural = 0
        self.warnings: list[Problem] = []
        self.rejected: list[Problem] = []
        self.previous: tuple[float, str] | None = None
        self.warned: set[str] = set()

    def warn(self, line: int, text: str, message: str, once: str = "") -> None:
        if once and once in self.warned:
            return
        self.warned.add(once)
        self.warnings.append(Problem(line, f"line {line}: {message}", text))

    def reject(self, line: int, text: str, message: str) -> None:
        self.rejected.append(Problem(line, f"line {line}: {message}", text))

    def check_order(self, line: int, text: str, start: float, shown: str) -> None:
        if self.previous is not None and start < self.previous[0]:
            self.warn(line, text, f"timestamp {shown} goes backwards (previous {self.previous[1]})")
        self.previous = (start, shown)

    def mark(self, line: int, start: float, end: float | None, speaker: str, raw: str) -> None:
        self.flush()
        self.pending = _Draft(start, end, speaker, line, raw)

    def flush(self) -> None:
        if self.pending is not None:
            self.warn(
                self.pending.line, self.pending.raw, "no text follows this time; nothing kept"
            )
        self.pending = None

    def close(self) -> None:
        self.flush()
        self.open = False

    def add_text(self, line: int, raw: str, speaker: str, text: str) -> None:
        if self.pending is not None:
            draft, self.pending = self.pending, None
            draft.speaker = speaker or draft.speaker
            self._keep(draft, text)
        elif self.open and self.drafts:
            last = self.drafts[-1]
            if speaker and speaker != last.speaker:
                self._keep(_Draft(last.start, last.end, speaker, line, raw), text)
            else:
                last.parts.append(text)
                self.joined += 1
        else:
            self.reject(line, raw, self.orphan)

    def _keep(self, draft: _Draft, text: str) -> None:
        draft.parts.append(text)
        self.drafts.append(draft)
        self.open = True

    def result(self, fmt: str, lines_read: int) -> Parsed:
        self.flush()
        segments = tuple(
            Segment(d.start, d.end, d.speaker, " ".join(d.parts), d.line) for d in self.drafts
        )
        if fmt == "json":
            self.structural = lines_read
        report = Report(
            format=fmt,
            lines_read=lines_read,
            segments_made=len(segments),
            lines_joined=self.joined,
            speakers=tuple(dict.fromkeys(s.speaker for s in segments if s.speaker)),
            warnings=tuple(sorted(self.warnings, key=lambda problem: problem.line)),
            rejected=tuple(self.rejected),
            lines_structural=self.structural,
        )
        if not segments:
            raise TranscriptError(f"No transcript segments found in this {fmt} file.", _why(report))
        return Parsed(segments, report)


def _why(report: Report) -> tuple[Problem, ...]:
    problems = sorted(report.rejected + report.warnings, key=lambda problem: problem.line)
    if problems:
        return tuple(problems)
    what = "the file is empty" if not report.lines_read else f"no {report.format} segments found"
    return (Problem(1, f"line 1: {what}"),)


# Speakers


def _speaker_names(lines: list[str], *, timed: bool) -> dict[str, str]:
    """Map each label accepted as a speaker name (see the module docstring) to the name used."""
    labels, declared = [], []
    for line in lines:
        if ":" not in line:
            continue
        text = line.strip()
        if timed and (heading := _HEADING.match(text)):
            declared.append(heading[1].strip())
            continue
        if timed and (time := _TEXT_TIME.match(text)):
            text = text[time.end() :]
        if (label := _LABEL.match(text)) and _looks_like_name(label[1]):
            labels.append(label[1])
    counts = Counter(_surname(name) for name in labels + declared)
    accepted = {name for name in labels if counts[_surname(name)] >= 2}
    return {name: _full_name(name, accepted) for name in accepted}


def _looks_like_name(name: str) -> bool:
    words = name.split()
    return (
        len(name) <= 40
        and all(word[0].isupper() for word in words)
        and words[0].casefold() not in _NOT_NAMES
    )


def _surname(name: str) -> str:
    return name.split()[-1].casefold()


def _full_name(name: str, accepted: set[str]) -> str:
    # "KENNEDY:" after one "Michael KENNEDY:" is the same person.
    if " " in name:
        return name
    longer = [other for other in accepted if " " in other and _surname(other) == _surname(name)]
    return longer[0] if len(longer) == 1 else name


def _split_speaker(text: str, names: dict[str, str]) -> tuple[str, str]:
    """Split a leading voice tag or accepted label off the text: (speaker, rest)."""
    if text.startswith("<v") and (voice := _VOICE.match(text)):
        return html.unescape(voice[1] or "").strip(), text[voice.end() :].strip()
    return _split_label(text, names)


def _split_label(text: str, names: dict[str, str]) -> tuple[str, str]:
    if ":" in text and (label := _LABEL.match(text)) and label[1] in names:
        return names[label[1]], text[label.end() :].strip()
    return "", text


# Plain text


def _read_text(lines: list[str], b: _Builder, names: dict[str, str]) -> None:
    for number, raw in enumerate(lines, 1):
        line = raw.strip()
        if not line:
            continue
        if (time := _TEXT_TIME.match(line)) and (start := _time_of(time)) is not None:
            b.check_order(number, raw, start, time[0].strip())
            speaker, text = _split_speaker(line[time.end() :], names)
            b.mark(number, start, None, speaker, raw)
            _add_or_count(b, number, raw, "", text)
        elif (heading := _HEADING.match(line)) and (start := _time_of(heading, 3)) is not None:
            b.check_order(number, raw, start, heading[2])
            b.mark(number, start, None, heading[1].strip(), raw)
            b.structural += 1
        else:
            if time:
                b.warn(number, raw, f"{time[0].strip()} is not a valid time; read as text")
            _read_untimed(b, number, raw, *_split_speaker(line, names))


def _read_untimed(b: _Builder, number: int, raw: str, speaker: str, text: str) -> None:
    # A speaker label without a timestamp is still a new turn: it starts a segment at the
    # last time seen, so the words keep their speaker instead of joining someone else's.
    # A file without any timestamps would repeat the warning on every turn, hence once.
    if speaker and b.pending is None:
        start = b.previous[0] if b.previous else 0.0
        message = f"speaker turn without a timestamp; it starts at {format_timestamp(start)}"
        b.warn(number, raw, f"{message}, the last time given, as will later ones", once="untimed")
        b.mark(number, start, None, speaker, raw)
    _add_or_count(b, number, raw, speaker, text)


def _add_or_count(b: _Builder, number: int, raw: str, speaker: str, text: str) -> None:
    if text:
        b.add_text(number, raw, speaker, text)
        return
    b.structural += 1  # a timestamp, label or tags alone on their line
    if speaker and b.pending is not None:
        b.pending.speaker = speaker  # "<v Ann>" alone on a line names who says the next one


def _time_of(match: re.Match[str], first: int = 1) -> float | None:
    """Seconds from the (hours, minutes, seconds, fraction) groups starting at `first`."""
    hours, minutes, secs, fraction = match.group(first, first + 1, first + 2, first + 3)
    if int(secs) > 59 or (hours is not None and int(minutes) > 59):
        return None
    millis = (int(hours or 0) * 3600 + int(minutes) * 60 + int(secs)) * 1000
    # Whole milliseconds over 1000 give the float nearest the written decimal, as JSON has.
    return (millis + int(fraction.ljust(3, "0"))) / 1000 if fraction else millis / 1000


# WebVTT and SRT


def _read_cues(lines: list[str], fmt: str, b: _Builder, names: dict[str, str]) -> None:
    b.orphan, b.open = "cue text without a valid timing line before it", False
    blocks = _blocks(lines)
    if fmt == "vtt":
        blocks = _after_vtt_header(blocks, b)
    for block in blocks:
        if fmt == "vtt" and _VTT_BLOCK.match(block[0][1].lstrip()):
            b.structural += len(block)  # NOTE, STYLE and REGION blocks are not transcript text
        else:
            _read_cue_block(block, fmt, b, names)
        b.close()


def _blocks(lines: list[str]) -> list[Block]:
    """Runs of non-blank lines with their 1-based line numbers."""
    blocks: list[Block] = []
    current: Block = []
    for number, raw in enumerate(lines, 1):
        if raw.strip():
            current.append((number, raw))
        elif current:
            blocks.append(current)
            current = []
    return blocks + [current] if current else blocks


def _after_vtt_header(blocks: list[Block], b: _Builder) -> list[Block]:
    if not blocks:
        return blocks
    first = blocks[0]
    if not _WEBVTT.match(first[0][1].strip()):
        b.warn(first[0][0], first[0][1], "missing the WEBVTT header; read as WebVTT anyway")
        return blocks
    # Header metadata ("Kind: captions") runs until the blank line, or a cue if none comes.
    cue_at = next((i for i, (_, raw) in enumerate(first) if "-->" in raw), len(first))
    b.structural += cue_at
    return ([first[cue_at:]] if cue_at < len(first) else []) + blocks[1:]


def _read_cue_block(block: Block, fmt: str, b: _Builder, names: dict[str, str]) -> None:
    timing_at = next((i for i, (_, raw) in enumerate(block) if "-->" in raw), None)
    if timing_at is None:
        for number, raw in block:
            b.reject(number, raw, "no cue timing ('-->') for this text")
        return
    for number, raw in block[: max(timing_at - 1, 0)]:
        b.reject(number, raw, "unexpected line before the cue timing")
    b.structural += 1 if timing_at else 0  # the cue identifier or SRT index
    for index in range(timing_at, len(block)):
        number, raw = block[index]
        if "-->" in raw:
            _read_timing(number, raw, fmt, b)
        elif raw.strip().isdigit() and index + 1 < len(block) and "-->" in block[index + 1][1]:
            b.structural += 1  # the index of a next cue that lacks the blank line before it
        else:
            _add_or_count(b, number, raw, *_cue_text(raw, fmt, names))


def _read_timing(number: int, raw: str, fmt: str, b: _Builder) -> None:
    timing = _TIMING.match(raw)
    start = _time_of(timing, 2) if timing else None
    end = _time_of(timing, 7) if timing else None
    if timing is None or start is None or end is None:
        b.close()  # the text after a broken timing has no time, so it is rejected, not joined
        b.reject(number, raw, "malformed cue timing; expected 00:00:01.000 --> 00:00:04.000")
        return
    wrong = "." if fmt == "srt" else ","
    if wrong in timing[1] or wrong in timing[6]:
        b.warn(number, raw, f"{fmt.upper()} times should not use '{wrong}'; accepted", once=wrong)
    b.check_order(number, raw, start, timing[1])
    if end < start:
        b.warn(number, raw, "cue ends before it starts; end ignored")
    b.mark(number, start, end if end >= start else None, "", raw)
    b.structural += 1


def _cue_text(raw: str, fmt: str, names: dict[str, str]) -> tuple[str, str]:
    line = raw.strip()
    speaker, line = _split_speaker(line, names) if line.startswith("<v") else ("", line)
    if fmt == "vtt":
        line = _VTT_TAG.sub("", line) if "<" in line else line
        line = html.unescape(line) if "&" in line else line
    elif "<" in line or "{" in line:
        line = _SRT_TAG.sub("", line)
    line = line.strip()
    # Labels only: a voice tag is markup, and "&lt;v" unescaped above is the speaker's words.
    return (speaker, line) if speaker else _split_label(line, names)


# Podcast Index JSON


def _read_json(text: str, b: _Builder) -> None:
    try:
        data = json.loads(text)
    except json.JSONDecodeError as error:
        bad = text.split("\n")[error.lineno - 1]  # json counts lines by "\n" alone too
        problem = Problem(error.lineno, f"line {error.lineno}: not valid JSON ({error.msg})", bad)
        raise TranscriptError("This JSON transcript cannot be read.", (problem,)) from None
    except RecursionError:
        problem = Problem(1, "line 1: JSON nested too deeply to be a transcript")
        raise TranscriptError("This JSON transcript cannot be read.", (problem,)) from None
    entries = data.get("segments") if isinstance(data, dict) else data
    if not isinstance(entries, list):
        problem = Problem(1, 'line 1: expected {"version": "1.0.0", "segments": [...]}')
        raise TranscriptError("This JSON file is not a Podcast Index transcript.", (problem,))
    lines = _json_entry_lines(text)
    if len(lines) != len(entries):
        lines = [1] * len(entries)
    for entry, number in zip(entries, lines, strict=True):
        _read_json_entry(entry, number, b)


def _read_json_entry(entry: object, number: int, b: _Builder) -> None:
    why = _json_entry_problem(entry)
    if why:
        b.reject(number, _shown(entry), why)
        return
    assert isinstance(entry, dict)
    start, body = _json_time(entry["startTime"]), entry["body"].strip()
    if not body:
        b.warn(number, _shown(entry), "segment has an empty body; skipped")
        return
    end = _json_time(entry.get("endTime"))
    if end is not None and end < start:
        b.warn(number, _shown(entry), "segment ends before it starts; endTime ignored")
        end = None
    speaker = entry.get("speaker")
    backwards = b.previous is not None and start < b.previous[0]
    b.check_order(number, _shown(entry) if backwards else "", start, f"{start:g}s")
    b.mark(number, start, end, speaker.strip() if isinstance(speaker, str) else "", "")
    b.add_text(number, "", "", body)


def _json_entry_problem(entry: object) -> str:
    if not isinstance(entry, dict):
        return "segment is not an object"
    if _json_time(entry.get("startTime")) is None or not isinstance(entry.get("body"), str):
        return "segment needs a startTime number and a body string"
    return ""


def _shown(entry: object) -> str:
    # Only for problems: dumping every entry would double the time to read a long file.
    return json.dumps(entry, ensure_ascii=False)[:200]


def _json_time(value: object) -> float | None:
    if isinstance(value, str):
        try:
            value = float(value)
        except ValueError:
            return None
    if isinstance(value, bool) or not isinstance(value, int | float):
        return None
    return round(float(value), 3) if 0 <= value < float("inf") else None


def _json_entry_lines(text: str) -> list[int]:
    """The line where each entry of the segments list starts (json.loads gives no positions)."""
    # Strings cannot hold raw line breaks, so standing in a 0 for each keeps the line numbers
    # and leaves no quoted bracket or comma; the "segments" key stays to find the list.
    skeleton = _JSON_STRING.sub(_json_placeholder, text)
    opening = _JSON_SEGMENTS.search(skeleton)
    found: list[int] = []
    depth, line, position = 0, 1, 0
    for token in _JSON_PUNCTUATION.finditer(skeleton, opening.end() if opening else len(text)):
        depth += {"{": 1, "[": 1, "}": -1, "]": -1}.get(token[0], 0)
        if depth == 0:
            break
        if depth == 1 and token[0] in "[," and (value := _NON_SPACE.search(skeleton, token.end())):
            line += skeleton.count("\n", position, value.start())
            position = value.start()
            found.append(line)
    return found


def _json_placeholder(string: re.Match[str]) -> str:
    return string[0] if string[0] == '"segments"' else "0"
