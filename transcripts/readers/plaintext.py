"""Plain text as pythonbytes.fm and Talk Python publish it: `00:05 text`, blank lines between.

A line without a timestamp continues the previous segment. A speaker mark at the start of
a line without a timestamp still starts a new segment (at the last time given). Segment
text is the segment's lines stripped and joined with single spaces.
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
# A cue timing ("00:00:01,000 --> 00:00:02,000") is SRT or WebVTT, not plain text.
CUE_TIMING = re.compile(rf"\s*{CLOCK}\s*-->\s*{CLOCK}")


def read_text(lines: list[str], b: Builder) -> None:
    names = _names(lines)
    for number, raw in enumerate(lines, 1):
        line = raw.strip()
        if not line:
            continue
        if "-->" in line and CUE_TIMING.match(line):
            message = "looks like a cue timing: is this SRT or WebVTT? read as plain text"
            b.warn(number, raw, message, once="cue timing")
        if (time := TEXT_TIME.match(line)) and (start := seconds_of(time)) is not None:
            b.check_order(number, raw, start, time[0].strip())
            speaker, text = split_speaker(line[time.end() :], names)
            b.mark(number, start, None, speaker, raw)
            add_or_count(b, number, raw, "", text)
        elif (heading := HEADING.match(line)) and (start := seconds_of(heading, 3)) is not None:
            b.check_order(number, raw, start, heading[2])
            b.mark(number, start, None, heading[1].strip(), raw)
            b.structural += 1
        else:
            if shown := (time[0].strip() if time else heading[2] if heading else ""):
                b.warn(number, raw, f"{not_a_time(shown)}; read as text")
            _read_untimed(b, number, raw, *split_speaker(line, names))


def _names(lines: list[str]) -> dict[str, str]:
    texts, declared = [], []
    for line in lines:
        if ":" not in line:
            continue
        text = line.strip()
        if heading := HEADING.match(text):
            declared.append(heading[1].strip())
            continue
        if time := TEXT_TIME.match(text):
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
