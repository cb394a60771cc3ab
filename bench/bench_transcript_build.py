"""Build a one-hour transcript (700 segments): parse, store, index and render, as the worker does.

The baseline, in the same run, is parsing alone: the ratio says what storing,
indexing and pre-rendering the page cost on top.
"""

import django_env
from timing import best_of

SEGMENTS = 700
RUNS = 7


def one_hour_text() -> str:
    words = [
        "we",
        "talked",
        "about",
        "python",
        "packaging",
        "testing",
        "and",
        "the",
        "new",
        "release",
        "of",
        "the",
        "web",
        "framework",
    ]
    lines = []
    for i in range(SEGMENTS):
        seconds = i * 3600 // SEGMENTS
        text = " ".join(words[(i + k) % len(words)] for k in range(14))
        speaker = ("Michael", "Brian")[i % 2]
        lines.append(
            f"{seconds // 3600:02}:{seconds // 60 % 60:02}:{seconds % 60:02} {speaker}: {text}."
        )
    return "\n\n".join(lines) + "\n"


def run() -> list[tuple[str, float, str, str]]:
    django_env.setup_django("bench-transcript-")
    from django.core.files.base import ContentFile

    from episodes.demo import load_demo
    from transcripts.parsing import parse
    from transcripts.services import process_transcript, store_transcript_source

    episode = load_demo().episodes.get(number=1)  # not the trailer (episode 0)
    # The demo audio is 75 s long; a one-hour transcript on it would be held for
    # review (lines after the end of the audio), not built. Say the audio runs an hour.
    episode.audio_duration = 3600.0
    episode.save(update_fields=["audio_duration"])
    text = one_hour_text()
    transcript = store_transcript_source(
        episode=episode, upload=ContentFile(text.encode(), name="t.txt")
    )
    build = best_of(RUNS, lambda: process_transcript(transcript_id=transcript.pk))
    parse_only = best_of(RUNS, lambda: parse(text.encode()))
    transcript.refresh_from_db()
    assert transcript.segments.count() == SEGMENTS, (transcript.status, transcript.report)
    return [
        (
            "transcript_build",
            round(build * 1000, 1),
            "ms",
            f"{SEGMENTS} segments: parse+store+index+render",
        ),
        ("transcript_parse_only", round(parse_only * 1000, 1), "ms", "baseline, same text"),
        ("transcript_build_ratio", round(build / parse_only, 2), "x", "build / parse alone"),
    ]


if __name__ == "__main__":
    for row in run():
        print("\t".join(str(cell) for cell in row))
