"""Read transcripts (plain text, WebVTT, SRT, Podcast Index JSON, namespace HTML), and back.

The public entry: `parse` detects the format and hands the text to its reader (one module
per format in transcripts.readers); the writers live in transcripts.writing, the model in
transcripts.segments and the speaker rules in transcripts.speakers.

Pure: plain values in, frozen dataclasses out; no Django. Nothing is dropped silently:
every non-blank input line is counted once in the Report, as markup (`lines_structural`),
as the first text line of a segment, as a line joined to a segment, or as rejected.
"""

import re
from pathlib import PurePath

from .formats import BY_NAME, BY_SUFFIX, NAMES
from .segments import Builder, Parsed, Problem, Report, Segment, TranscriptError, describe
from .writing import format_timestamp, to_html, to_json, to_srt, to_text, to_vtt

__all__ = [
    "Parsed", "Problem", "Report", "Segment", "TranscriptError", "describe",
    "detect_format", "format_timestamp", "parse", "to_html", "to_json", "to_srt", "to_text",
    "to_vtt",
]  # fmt: skip

_TIMING_LINE = re.compile(r"^\s*(?:\d+:)?\d{1,2}:\d{2}[.,]\d{1,3}\s*-->", re.MULTILINE)
_JSON_LIST = re.compile(r"\[\s*[{\]]")  # not "[music]", which opens many plain transcripts
# The namespace's HTML opens with <cite>, <time> or <p>; a whole page with its doctype.
_HTML = re.compile(
    r"<(?:!--|(?:!doctype\s+html|html|head|body|main|article|section|div|h[1-6]|cite|time|p)[\s>])",
    re.IGNORECASE,
)


def detect_format(text: str, filename: str = "") -> str:
    """Guess "text", "vtt", "srt", "json" or "html" from the content, the name breaking ties."""
    head = _one_kind_of_line_end(text[:4096]).lstrip("\ufeff \t\n")
    by_name = BY_SUFFIX.get(PurePath(filename).suffix.lower().lstrip("."))
    suffix = by_name.name if by_name is not None else ""
    if head.startswith("WEBVTT"):
        return "vtt"
    if head.startswith("{") or _JSON_LIST.match(head):
        return "json"
    if _HTML.match(head):
        return "html"
    if _TIMING_LINE.search(head):
        # Timings without the WEBVTT header: SRT, unless the name says it is a broken VTT.
        return "vtt" if suffix == "vtt" else "srt"
    return suffix or "text"


def parse(text: str | bytes, *, filename: str = "", format: str | None = None) -> Parsed:
    """Read a transcript into segments with a report; raise TranscriptError if none result."""
    builder = Builder()
    if isinstance(text, bytes):
        text = _decode(text, builder)
    # Line ends first: a CR-only file is one long line to every pattern below.
    text = _one_kind_of_line_end(text.removeprefix("\ufeff"))
    fmt = format or detect_format(text, filename)
    if fmt not in BY_NAME:
        raise ValueError(f"unknown transcript format {fmt!r}; expected one of {NAMES}")
    lines = text.split("\n")
    BY_NAME[fmt].reader(text, lines, builder)
    return builder.result(fmt, sum(1 for line in lines if line.strip()))


def _one_kind_of_line_end(text: str) -> str:
    return text.replace("\r\n", "\n").replace("\r", "\n") if "\r" in text else text


def _decode(data: bytes, builder: Builder) -> str:
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        return data.decode("utf-16", errors="replace")
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        before = data[: error.start]
        line = before.count(b"\n") + before.replace(b"\r\n", b"\n").count(b"\r") + 1
        builder.warn(line, "", "not UTF-8 text; read as Windows-1252")
        try:
            return data.decode("cp1252")
        except UnicodeDecodeError:  # cp1252 leaves five bytes undefined; latin-1 has them all
            return data.decode("latin-1")
