"""The text exports of transcription services, from samples written in their documented shapes.

Each keeps every input line: in a segment (first or joined), as markup, or numbered in the report.
"""

import json

from tests.transcripts.material import invariant_holds
from transcripts.parsing import parse

# Otter.ai's .txt export: the speaker and [h:]mm:ss on a line (two spaces between), the
# words on the lines below, a blank line between turns.
OTTER = """Brian Okken  00:11
Welcome to Python Bytes, where we deliver Python news
directly to your earbuds.

Michael Kennedy  00:19
And I'm Michael Kennedy.

Speaker 3  1:02:03
A listener question at the end.
"""

# Riverside's .txt export: "Name (mm:ss.mmm)" or with hours, the words below.
RIVERSIDE = """Brian Okken (00:11.250)
Welcome to Python Bytes.

Michael Kennedy (01:02:03):
Thanks for listening.
"""

# Descript's plain-text export with timecodes and speaker labels: one paragraph per line.
DESCRIPT = """[00:00:11] Brian Okken: Welcome to Python Bytes.
[00:00:19] Michael Kennedy: And I'm Michael Kennedy.
[00:00:25] Brian Okken: Let's start.
[00:00:31] Michael Kennedy: Sounds good.
"""

# YouTube's automatic captions: rolling lines, word timings, 10 ms cues that repeat.
YOUTUBE = """WEBVTT
Kind: captions
Language: en

00:00:00.000 --> 00:00:02.350 align:start position:0%
␠
hello<00:00:00.480><c> and</c><00:00:00.640><c> welcome</c><00:00:01.120><c> to</c>

00:00:02.350 --> 00:00:02.360 align:start position:0%
hello and welcome to
␠

00:00:02.360 --> 00:00:04.950 align:start position:0%
hello and welcome to
python<00:00:02.800><c> bytes</c><00:00:03.200><c> episode</c>

00:00:04.950 --> 00:00:04.960 align:start position:0%
python bytes episode
␠

00:00:04.960 --> 00:00:07.000 align:start position:0%
python bytes episode
two<00:00:05.400><c> hundred</c>
""".replace("␠", " ")  # a line of one space, as YouTube writes after timings


def test_otter_turns_keep_speaker_time_and_every_line() -> None:
    parsed = parse(OTTER, filename="otter.txt")
    assert [(s.start, s.speaker, s.text) for s in parsed.segments] == [
        (11, "Brian Okken", "Welcome to Python Bytes, where we deliver Python news "
                            "directly to your earbuds."),
        (19, "Michael Kennedy", "And I'm Michael Kennedy."),
        (3723, "Speaker 3", "A listener question at the end."),
    ]  # fmt: skip
    assert parsed.report.rejected == () and parsed.report.warnings == ()
    assert invariant_holds(parsed)


def test_riverside_turns_keep_speaker_and_time() -> None:
    parsed = parse(RIVERSIDE, filename="riverside.txt")
    assert [(s.start, s.speaker, s.text) for s in parsed.segments] == [
        (11.25, "Brian Okken", "Welcome to Python Bytes."),
        (3723, "Michael Kennedy", "Thanks for listening."),
    ]
    assert parsed.report.rejected == ()
    assert invariant_holds(parsed)


def test_descript_paragraphs_keep_speaker_and_time() -> None:
    parsed = parse(DESCRIPT, filename="descript.txt")
    assert [(s.start, s.speaker, s.text) for s in parsed.segments] == [
        (11, "Brian Okken", "Welcome to Python Bytes."),
        (19, "Michael Kennedy", "And I'm Michael Kennedy."),
        (25, "Brian Okken", "Let's start."),
        (31, "Michael Kennedy", "Sounds good."),
    ]
    assert invariant_holds(parsed)


def test_youtube_rolling_captions_keep_each_word_once() -> None:
    parsed = parse(YOUTUBE, filename="auto.en.vtt")
    text = " ".join(s.text for s in parsed.segments)
    assert text == "hello and welcome to python bytes episode two hundred"
    assert [s.start for s in parsed.segments] == [0, 2.36, 4.96]
    assert [w.message for w in parsed.report.warnings] == [
        "line 10: rolling captions: lines repeated from the cue before are read once"
    ]
    assert parsed.report.rejected == ()
    assert invariant_holds(parsed)


def test_repeated_lines_in_ordinary_captions_are_kept() -> None:
    vtt = "WEBVTT\n\n00:01.000 --> 00:02.000\nYeah.\n\n00:02.000 --> 00:03.000\nYeah.\n"
    assert [s.text for s in parse(vtt).segments] == ["Yeah.", "Yeah."]


def test_an_intro_paragraph_opens_at_zero() -> None:
    parsed = parse("This week: packaging news.\nAnd a joke.\n\n00:05 Hello and welcome.\n")
    assert [(s.start, s.text) for s in parsed.segments] == [
        (0, "This week: packaging news. And a joke."),
        (5, "Hello and welcome."),
    ]
    assert invariant_holds(parsed)


def test_a_file_without_any_time_is_still_refused() -> None:
    import pytest

    from transcripts.parsing import TranscriptError

    with pytest.raises(TranscriptError, match="before the first timestamp"):
        parse("Just prose.\nNo times.\n")


def test_a_malformed_timestamp_is_reported_with_its_line() -> None:
    parsed = parse("00:01 Hello.\n00:0x:61 Next words.\n")
    assert [(w.line, w.message, w.kind) for w in parsed.report.warnings] == [
        (2, "line 2: 00:0x:61 is not a valid time; read as text", "bad_time")
    ]


def test_json_control_characters_are_removed_and_reported() -> None:
    data = {"version": "1.0.0", "segments": [
        {"startTime": 0, "endTime": 2, "body": "Hello\u0000 there\u0007"},
        {"startTime": 2, "endTime": 3, "body": "\u0000\u0001"},
    ]}  # fmt: skip
    parsed = parse(json.dumps(data, indent=1), filename="t.json")
    assert [s.text for s in parsed.segments] == ["Hello there"]
    messages = [p.message for p in parsed.report.warnings + parsed.report.rejected]
    assert messages == [
        "line 4: control characters (such as NUL) removed from the text",
        "line 9: control characters (such as NUL) removed from the text",
        "line 9: nothing but control characters",
    ]
