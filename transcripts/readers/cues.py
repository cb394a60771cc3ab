"""WebVTT (voice tags, cue identifiers, NOTE, STYLE and REGION blocks, cue settings) and SRT.

Both are read as cue blocks separated by blank lines. Cue text is markup in both: tags are
stripped ("<i>", "<c.x>", "<00:01.000>", SRT's "{\\an8}") and character references decoded
("&amp;", "&lt;", "&#58;"), which is how our writers escape text that would read as markup.

YouTube's automatic captions roll: each cue repeats the line the cue before ended with
(a 10 ms cue repeats it alone), and new words carry word timings ("hello<00:00:00.480><c>
and</c>"). In a file with word timings, a line the cue before held already is counted as
markup, not read again, so each word is kept once; the report says so once.
"""

import html
import re

from ..segments import Builder, not_a_time, seconds_of
from ..speakers import speaker_names, split_label, split_voice
from .plaintext import CLOCK, add_or_count

Block = list[tuple[int, str]]  # consecutive non-blank lines with their 1-based numbers

# A cue timing: start --> end, then optional cue settings ("align:start"), which we ignore.
TIMING = re.compile(rf"\s*{CLOCK}\s*-->\s*{CLOCK}(?:\s.*)?$")
WEBVTT = re.compile(r"WEBVTT(?:[ \t].*)?$")
VTT_BLOCK = re.compile(r"(?:NOTE|STYLE|REGION)(?:[ \t]|$)")
# Tag bodies stop at the next "<" (or "{"), keeping a line of unclosed tags linear.
WORD_TIMING = re.compile(r"<\d{2}:\d{2}:\d{2}\.\d{3}><c>")
VTT_TAG = re.compile(r"</?(?:c|i|b|u|v|ruby|rt|lang)\b[^<>]*>|<\d[\d:.]*>")
SRT_TAG = re.compile(r"</?(?:i|b|u|s|font)\b[^<>]*>|\{\\[^{}]*\}")


def read_cues(lines: list[str], fmt: str, b: Builder) -> None:
    names = speaker_names(line.strip() for line in lines if ":" in line)
    b.orphan, b.open = "cue text without a valid timing line before it", False
    blocks = _blocks(lines)
    rolling: list[str] | None = None  # the text lines of the cue before, in rolling captions
    if fmt == "vtt":
        blocks = _after_vtt_header(blocks, b)
        rolling = [] if any(WORD_TIMING.search(line) for line in lines) else None
    for block in blocks:
        if fmt == "vtt" and VTT_BLOCK.match(block[0][1].lstrip()):
            b.structural += len(block)  # NOTE, STYLE and REGION blocks are not transcript text
        else:
            _read_cue_block(block, fmt, b, names, rolling)
        b.close()


def _blocks(lines: list[str]) -> list[Block]:
    """Runs of non-blank lines with their 1-based line numbers."""
    blocks: list[Block] = []
    current: Block = []
    for number, raw in enumerate(lines, 1):
        if raw.strip():
            current.append((number, raw))
        elif raw and current and "-->" in current[-1][1]:
            continue  # YouTube puts a line of one space after a timing: not a cue's end
        elif current:
            blocks.append(current)
            current = []
    return blocks + [current] if current else blocks


def _after_vtt_header(blocks: list[Block], b: Builder) -> list[Block]:
    if not blocks:
        return blocks
    first = blocks[0]
    if not WEBVTT.match(first[0][1].strip()):
        b.warn(first[0][0], first[0][1], "missing the WEBVTT header; read as WebVTT anyway")
        return blocks
    # Header metadata ("Kind: captions") runs until the blank line, or a cue if none comes.
    cue_at = next((i for i, (_, raw) in enumerate(first) if "-->" in raw), len(first))
    b.structural += cue_at
    return ([first[cue_at:]] if cue_at < len(first) else []) + blocks[1:]


def _read_cue_block(
    block: Block, fmt: str, b: Builder, names: dict[str, str], rolling: list[str] | None
) -> None:
    timing_at = next((i for i, (_, raw) in enumerate(block) if "-->" in raw), None)
    if timing_at is None:
        for number, raw in block:
            b.reject(number, raw, "no cue timing ('-->') for this text")
        return
    previous: list[str] = []
    if rolling is not None:
        previous, rolling[:] = rolling.copy(), []
    for number, raw in block[: max(timing_at - 1, 0)]:
        b.reject(number, raw, "unexpected line before the cue timing")
    b.structural += 1 if timing_at else 0  # the cue identifier or SRT index
    for index in range(timing_at, len(block)):
        number, raw = block[index]
        if "-->" in raw:
            _read_timing(number, raw, fmt, b)
        elif raw.strip().isdigit() and index + 1 < len(block) and "-->" in block[index + 1][1]:
            b.structural += 1  # the index of a next cue that lacks the blank line before it
        elif rolling is not None:
            _read_rolling(b, number, raw, _cue_text(raw, fmt, names), previous, rolling)
        else:
            add_or_count(b, number, raw, *_cue_text(raw, fmt, names))
    if rolling is not None:
        b.pending = None  # a cue that only repeated the one before adds nothing, silently


def _read_rolling(
    b: Builder, number: int, raw: str, cue: tuple[str, str], previous: list[str], rolling: list[str]
) -> None:
    """One text line of rolling captions: read once, however many cues repeat it."""
    speaker, text = cue
    if text and text in previous:
        b.structural += 1
        b.warn(number, raw, "rolling captions: lines repeated from the cue before are read once",
               once="rolling")  # fmt: skip
    else:
        add_or_count(b, number, raw, speaker, text)
    rolling.append(text)


def _read_timing(number: int, raw: str, fmt: str, b: Builder) -> None:
    timing = TIMING.match(raw)
    start = seconds_of(timing, 2) if timing else None
    end = seconds_of(timing, 7) if timing else None
    if timing is None or start is None or end is None:
        b.close()  # the text after a broken timing has no time, so it is rejected, not joined
        why = "malformed cue timing; expected 00:00:01.000 --> 00:00:04.000"
        if timing is not None:
            why = f"{not_a_time(timing[1] if start is None else timing[6])}; cue rejected"
        b.reject(number, raw, why)
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
    speaker, line = split_voice(line) or ("", line)
    tags = VTT_TAG if fmt == "vtt" else SRT_TAG
    if "<" in line or (fmt == "srt" and "{" in line):
        line = tags.sub("", line).strip()
    # A label is found before references are decoded: "Ann&#58; hi" is how a writer says
    # that "Ann: hi" is words, not Ann speaking. A voice tag is markup, so no label after it.
    if not speaker:
        speaker, line = split_label(line, names)
    return speaker, (html.unescape(line).strip() if "&" in line else line)
