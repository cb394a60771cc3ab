"""The real transcripts in ../shared/data, and what every reader's report must satisfy.

A fresh clone has no ../shared/data: tests that need it skip with the reason (or fail under
PODCAST_TESTS_STRICT=1, see tests.missing).
"""

import re
from pathlib import Path

from tests.missing import missing
from transcripts.parsing import Parsed, parse

DATA = Path(__file__).resolve().parents[2] / ".." / "shared" / "data"
SEED = "seed/pythonbytes-203-transcript-page.txt"
NAMESPACE_HTML = "podcast-namespace/examples__transcripts__example.html"


def read(name: str) -> bytes:
    if not DATA.is_dir():
        missing(f"needs the real test material in {DATA.resolve()} (absent in a fresh clone)")
    return (DATA / name).read_bytes()


def lines_of(data: bytes) -> list[str]:
    return re.split(r"\r\n|\r|\n", data.decode("utf-8-sig"))


def invariant_holds(parsed: Parsed) -> bool:
    """Every non-blank line counted once: markup, a segment's first line, joined or rejected."""
    r = parsed.report
    return r.lines_read == r.lines_structural + r.segments_made + r.lines_joined + len(r.rejected)


def reads_as(text: str, fmt: str) -> list[tuple[float, str, str]]:
    """(start, speaker, text) of each segment of `text`, once it read as `fmt` keeping every line."""
    parsed = parse(text)
    assert parsed.report.format == fmt
    assert invariant_holds(parsed)
    return [(s.start, s.speaker, s.text) for s in parsed.segments]
