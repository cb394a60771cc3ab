"""The canonical transcript model the readers produce, and the builder that keeps their count.

Pure: plain values in, frozen dataclasses out; no Django. Nothing is dropped silently:
every non-blank input line is counted once in the Report, as markup (`lines_structural`),
as the first text line of a segment, as a line joined to a segment, or as rejected.
"""

import re
from collections.abc import Mapping
from dataclasses import asdict, dataclass, field
from typing import Any

MAX_ERROR_PROBLEMS = 20
# C0 controls but tab and line ends, and DEL: a JSON "\\u0000" decodes to NUL, which
# PostgreSQL cannot store in text and no page should show.
CONTROL_CHARACTERS = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")


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
    # Why a build waits for an editor (transcripts.review): "backwards", "bad_time",
    # "after_end"; rejected lines always count. "" for a note that needs no review.
    kind: str = ""


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
    # SRT: lines_read == lines_structural + segments_made + lines_joined + len(rejected); for
    # HTML too while each <p> starts on a line of its own (as in the namespace's files).
    # JSON has no line structure: all its lines are structural, entries become segments.
    lines_structural: int = 0

    def as_dict(self) -> dict[str, Any]:
        """Plain dicts and lists, for a JSONField."""
        return asdict(self) | {"speakers": list(self.speakers)}

    def summary(self) -> str:
        """One line for editors: what was read, made, joined, who speaks, what went wrong."""
        return describe(self.as_dict())


def describe(report: Mapping[str, Any]) -> str:
    """The summary line of a report stored as a dict (see Report.as_dict)."""
    speakers = ", ".join(report.get("speakers") or ()) or "none"
    rejected = len(report.get("rejected") or ())
    rejected_part = f", {_count(rejected, 'line')} rejected" if rejected else ""
    return (
        f"{report.get('format', '')}: read {_count(report.get('lines_read', 0), 'line')}, "
        f"made {_count(report.get('segments_made', 0), 'segment')}, "
        f"joined {report.get('lines_joined', 0)}, speakers: {speakers}; "
        f"{_count(len(report.get('warnings') or ()), 'warning')}{rejected_part}"
    )


def _count(number: int, noun: str) -> str:
    return f"{number} {noun}" if number == 1 else f"{number} {noun}s"


@dataclass(frozen=True)
class Parsed:
    segments: tuple[Segment, ...]
    report: Report


class TranscriptError(ValueError):
    """Raised when nothing usable can be read; `problems` holds the first line-numbered ones.

    `report` is what was read all the same (format, counts, every problem), for editors.
    """

    def __init__(
        self, summary: str, problems: tuple[Problem, ...], report: Report | None = None
    ) -> None:
        self.problems = problems[:MAX_ERROR_PROBLEMS]
        self.report = report
        shown = "\n".join(problem.message for problem in self.problems[:5])
        more = f"\n... and {len(problems) - 5} more" if len(problems) > 5 else ""
        super().__init__(f"{summary}\n{shown}{more}" if shown else summary)


# A clock written alone: "1:02:03", "0:05", "00:01:02.500" (hours, minutes, seconds, fraction).
CLOCK = re.compile(r"(?:(\d+):)?(\d{1,2}):(\d{2})(?:[.,](\d{1,3}))?")


def clock(text: str) -> re.Match[str] | None:
    """`text` read as a clock (see CLOCK), or None when it is not written as one at all."""
    return CLOCK.fullmatch(text.strip())


def not_a_time(shown: str) -> str:
    """What every reader says of a clock that cannot be one, such as 1:75:00 or 0:61."""
    return f"{shown} is not a valid time"


def seconds_of(match: re.Match[str], first: int = 1) -> float | None:
    """Seconds from the (hours, minutes, seconds, fraction) groups starting at `first`.

    None for an impossible time: seconds over 59, or minutes over 59 when hours are given
    (a reader reports it with `not_a_time`; "75:00" without hours is 75 minutes).
    """
    hours, minutes, secs, fraction = match.group(first, first + 1, first + 2, first + 3)
    if int(secs) > 59 or (hours is not None and int(minutes) > 59):
        return None
    millis = (int(hours or 0) * 3600 + int(minutes) * 60 + int(secs)) * 1000
    # Whole milliseconds over 1000 give the float nearest the written decimal, as JSON has.
    return (millis + int(fraction.ljust(3, "0"))) / 1000 if fraction else millis / 1000


@dataclass
class Draft:
    start: float
    end: float | None
    speaker: str
    line: int
    raw: str  # the source line, for a problem about a timing without text
    parts: list[str] = field(default_factory=list)


class Builder:
    """Collects segments and counts every line exactly once while a reader walks the input."""

    def __init__(self) -> None:
        self.drafts: list[Draft] = []
        self.pending: Draft | None = None  # a timing or heading waiting for its text
        self.open = True  # may the next untimed text join the last segment?
        self.orphan = "text before the first timestamp or speaker label"
        # Plain text with timestamps: words before the first (an intro paragraph) open at 0:00.
        self.opening = False
        self.joined = self.structural = 0
        self.warnings: list[Problem] = []
        self.rejected: list[Problem] = []
        self.previous: tuple[float, str] | None = None
        self.warned: set[str] = set()

    def warn(self, line: int, text: str, message: str, once: str = "", kind: str = "") -> None:
        if once and once in self.warned:
            return
        self.warned.add(once)
        self.warnings.append(Problem(line, f"line {line}: {message}", text, kind))

    def reject(self, line: int, text: str, message: str, kind: str = "") -> None:
        self.rejected.append(Problem(line, f"line {line}: {message}", text, kind))

    def check_order(self, line: int, text: str, start: float, shown: str) -> None:
        if self.previous is not None and start < self.previous[0]:
            message = f"timestamp {shown} goes backwards (previous {self.previous[1]})"
            self.warn(line, text, message, kind="backwards")
        self.previous = (start, shown)

    def mark(self, line: int, start: float, end: float | None, speaker: str, raw: str) -> None:
        self.flush()
        self.pending = Draft(start, end, speaker, line, raw)

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
        if CONTROL_CHARACTERS.search(text):
            text = CONTROL_CHARACTERS.sub("", text).strip()
            self.warn(line, raw, "control characters (such as NUL) removed from the text")
            if not text:
                self.pending = None  # its time came with this line: rejected with it
                self.reject(line, raw, "nothing but control characters")
                return
        if self.pending is not None:
            draft, self.pending = self.pending, None
            draft.speaker = speaker or draft.speaker
            self._keep(draft, text)
        elif self.open and self.drafts:
            last = self.drafts[-1]
            if speaker and speaker != last.speaker:
                self._keep(Draft(last.start, last.end, speaker, line, raw), text)
            else:
                last.parts.append(text)
                self.joined += 1
        elif self.opening and not self.drafts:
            message = "text before the first timestamp; kept as an opening segment at 0:00"
            self.warn(line, raw, message, once="opening")
            self._keep(Draft(0.0, None, speaker, line, raw), text)
        else:
            self.reject(line, raw, self.orphan)

    def _keep(self, draft: Draft, text: str) -> None:
        draft.parts.append(text)
        self.drafts.append(draft)
        self.open = True

    def result(self, fmt: str, lines_read: int) -> Parsed:
        self.flush()
        segments = tuple(
            Segment(d.start, d.end, d.speaker, " ".join(d.parts), d.line) for d in self.drafts
        )
        report = Report(
            format=fmt,
            lines_read=lines_read,
            segments_made=len(segments),
            lines_joined=self.joined,
            speakers=tuple(dict.fromkeys(s.speaker for s in segments if s.speaker)),
            warnings=tuple(sorted(self.warnings, key=lambda problem: problem.line)),
            rejected=tuple(self.rejected),
            lines_structural=lines_read if fmt == "json" else self.structural,
        )
        if not segments:
            summary = f"No transcript segments found in this {fmt} file."
            raise TranscriptError(summary, _why(report), report)
        return Parsed(segments, report)


def _why(report: Report) -> tuple[Problem, ...]:
    problems = sorted(report.rejected + report.warnings, key=lambda problem: problem.line)
    if problems:
        return tuple(problems)
    what = "the file is empty" if not report.lines_read else f"no {report.format} segments found"
    return (Problem(1, f"line 1: {what}"),)
