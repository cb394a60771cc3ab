"""Plain text as pythonbytes.fm and Talk Python publish it: `00:05 text`, blank lines between.

A line without a timestamp continues the previous segment. A speaker mark at the start of
a line without a timestamp still starts a new segment (at the last time given). Segment
text is the segment's lines stripped and joined with single spaces. Words before the first
timestamp (an intro paragraph) are an opening segment at 0:00.

The text exports of transcription services are read too; each starts a segment with a line
that names the speaker and the time, the words following on the next lines:
- Otter.ai: `Brian Okken  00:11` (the name, two spaces, [h:]mm:ss);
- Riverside: `Brian Okken (00:11)` or `Brian Okken (00:00:11.250):`;
- Descript: `[00:00:11] Brian Okken: words` (a bracketed time, then a label) on one line.
A line opening with something shaped like a time that is none (`00:0x:61 words`, `1:75:00`)
is read as text with a warning that holds the build for an editor's review.
"""

import re

from ..segments import Builder, not_a_time, seconds_of
from ..speakers import speaker_names, split_speaker
from ..writing import format_timestamp

# M:SS, MM:SS, H:MM:SS or HH:MM:SS (fractions tolerated) at the start of a line, then white
# space, which includes the no-break space some exports put there, or the end of the line.
TEXT_TIME = re.compile(r"(?:(\d{1,2}):)?(\d{1,2}):(\d{2})(?:[.,](\d{1,3}))?(?:\s+|$)")
CLOCK = r"((?:(\d+):)?(\d{1,2}):(\d{2})(?:[.,](\d{1,3}))?)"
# "## Brian 0:00:00". Bounded name, possessive spaces: no backtracking on long lines.
HEADING = re.compile(rf"#{{1,6}}[ \t]*(\S(?:[^\n]{{0,60}}?\S)?)[ \t]++{CLOCK}[ \t]*$")
# Otter.ai: "Brian Okken  00:11" (two spaces or a tab before the time); Riverside:
# "Brian Okken (00:11)". The name is not a sentence: no sentence punctuation in it.
NAME = r"([^\W\d_][^.!?;:,()\n]{0,59}?)"
OTTER = re.compile(rf"{NAME}(?:[ \t]{{2,}}|\t)[ \t]*{CLOCK}[ \t]*$")
RIVERSIDE = re.compile(rf"{NAME}[ \t]*\({CLOCK}\):?[ \t]*$")
# Descript: "[00:00:11] Brian Okken: words".
BRACKETED = re.compile(rf"\[{CLOCK}\](?:\s+|$)")
# Something in a timestamp's place that is not one: "00:0x:61", "12:3o".
TIME_LIKE = re.compile(r"\[?\d{1,2}:[0-9A-Za-z]{1,2}(?::[0-9A-Za-z]{1,3})?(?:[.,]\w+)?\]?(?=\s|$)")
# A cue timing ("00:00:01,000 --> 00:00:02,000") is SRT or WebVTT, not plain text.
CUE_TIMING = re.compile(rf"\s*{CLOCK}\s*-->\s*{CLOCK}")


def read_text(lines: list[str], b: Builder) -> None:
    names = _names(lines)
    b.opening = any(_start_of(line.strip()) is not None for line in lines)
    for number, raw in enumerate(lines, 1):
        line = raw.strip()
        if not line:
            continue
        if "-->" in line and CUE_TIMING.match(line):
            message = "looks like a cue timing: is this SRT or WebVTT? read as plain text"
            b.warn(number, raw, message, once="cue timing")
        time = TEXT_TIME.match(line) or BRACKETED.match(line)
        start = _start_of(line) if time else None
        heading = _heading(line)
        if start is not None:
            b.check_order(number, raw, start, time[0].strip())
            speaker, text = split_speaker(line[time.end() :], names)
            b.mark(number, start, None, speaker, raw)
            add_or_count(b, number, raw, "", text)
        elif heading and heading[1] is not None:
            name, start, shown = heading
            b.check_order(number, raw, start, shown)
            b.mark(number, start, None, name, raw)
            b.structural += 1
        else:
            bad = time or TIME_LIKE.match(line)
            if shown := (bad[0].strip() if bad else heading[2] if heading else ""):
                b.warn(number, raw, f"{not_a_time(shown)}; read as text", kind="bad_time")
            _read_untimed(b, number, raw, *split_speaker(line, names))


def _start_of(line: str) -> float | None:
    """The time a line starts a segment at, if it does (a timestamp or a heading)."""
    if time := TEXT_TIME.match(line) or BRACKETED.match(line):
        return seconds_of(time, 1 if time.re is TEXT_TIME else 2)
    heading = _heading(line)
    return heading[1] if heading else None


def _heading(line: str) -> tuple[str, float | None, str] | None:
    """A line naming the speaker and the time of the words below: (name, seconds, time).

    Seconds are None for an impossible time ("## Ann 1:75:00").
    """
    for pattern in (HEADING, OTTER, RIVERSIDE):
        if heading := pattern.match(line):
            return heading[1].strip(), seconds_of(heading, 3), heading[2]
    return None


def _names(lines: list[str]) -> dict[str, str]:
    texts, declared = [], []
    for line in lines:
        if ":" not in line:
            continue
        text = line.strip()
        if heading := _heading(text):
            declared.append(heading[0])
            continue
        if time := TEXT_TIME.match(text) or BRACKETED.match(text):
            text = text[time.end() :]
        texts.append(text)
    return speaker_names(texts, declared)


def _read_untimed(b: Builder, number: int, raw: str, speaker: str, text: str) -> None:
    # A speaker label without a timestamp is still a new turn: it starts a segment at the
    # last time seen, so the words keep their speaker instead of joining someone else's.
    # A file without any timestamps would repeat the warning on every turn, hence once.
    if speaker and b.pending is None:
        start = b.previous[0] if b.previous else 0.0
        message = f"speaker turn without a timestamp; it starts at {format_timestamp(start)}"
        b.warn(number, raw, f"{message}, the last time given, as will later ones", once="untimed")
        b.mark(number, start, None, speaker, raw)
    add_or_count(b, number, raw, speaker, text)


def add_or_count(b: Builder, number: int, raw: str, speaker: str, text: str) -> None:
    """Add the text of a line, or count the line as markup when nothing but marks is on it."""
    if text:
        b.add_text(number, raw, speaker, text)
        return
    b.structural += 1  # a timestamp, label or tags alone on their line
    if speaker and b.pending is not None:
        b.pending.speaker = speaker  # "<v Ann>" alone on a line names who says the next one
