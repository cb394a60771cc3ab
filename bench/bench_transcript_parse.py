"""Parse a one-hour WebVTT transcript with ours and with webvtt-py, in the same run.

Both read the same text from memory, so the ratio compares parsing work only.
Prints rows `name<TAB>value<TAB>unit<TAB>note`.
"""

import io
import random
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

import webvtt  # noqa: E402
from timing import best_of  # noqa: E402

from transcripts.parsing import Segment, parse, to_vtt  # noqa: E402

CUES = 700
HOUR = 3600.0
ROUNDS = 15
WORDS = "python bytes podcast episode package release test async typing web data".split()  # noqa: SIM905


def one_hour_vtt(seed: int = 203) -> str:
    """About 700 cues over an hour, two speakers taking turns, one or two lines each."""
    rng = random.Random(seed)
    step = HOUR / CUES
    segments = []
    for index in range(CUES):
        words = " ".join(rng.choice(WORDS) for _ in range(rng.randint(6, 24)))
        start = round(index * step, 3)
        speaker = "Michael Kennedy" if (index // 3) % 2 == 0 else "Brian Okken"
        segments.append(Segment(start, round(start + step * 0.95, 3), speaker, words.capitalize()))
    return to_vtt(segments)


def run() -> list[tuple[str, float, str, str]]:
    text = one_hour_vtt()
    cues = len(parse(text).segments)
    assert cues == len(webvtt.from_buffer(io.StringIO(text)).captions) == CUES
    ours = best_of(ROUNDS, lambda: parse(text)) * 1000
    theirs = best_of(ROUNDS, lambda: webvtt.from_buffer(io.StringIO(text))) * 1000
    size = f"{cues} cues, {len(text) // 1024} KiB"
    return [
        ("transcript_parse_vtt_ours", round(ours, 2), "ms", size),
        ("transcript_parse_vtt_webvtt_py", round(theirs, 2), "ms", f"{size}, webvtt.from_buffer"),
        ("transcript_parse_vtt_ratio", round(ours / theirs, 3), "x", "ours/webvtt-py"),
    ]


if __name__ == "__main__":
    for row in run():
        print("\t".join(str(cell) for cell in row))
