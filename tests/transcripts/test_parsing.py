"""transcripts.parsing, the public entry: real files, detection, errors, any input.

Pure, no database. The readers' details are in tests/transcripts/readers/, the writers'
and the round trips in test_writing.py.
"""

import html
import io
import json
import re

import pytest
import webvtt
from hypothesis import given, settings
from hypothesis import strategies as st

from tests.transcripts.material import NAMESPACE_HTML, SEED, invariant_holds, lines_of, read
from transcripts.parsing import (
    Problem,
    Segment,
    TranscriptError,
    parse,
    to_text,
    to_vtt,
)

PYTHONBYTES_TEXT = [
    "transcripts/pythonbytes/001-intro-to-the-show-and-pip-9-is-out.txt",
    "transcripts/pythonbytes/203-scripting-a-masterpiece-for-python-web-automation.txt",
    "transcripts/pythonbytes/300-a-jupyter-merge-driver-for-git.txt",
]
PYTHONBYTES_VTT = [name.replace(".txt", ".vtt") for name in PYTHONBYTES_TEXT[:2]]
VARIANTS = [
    "transcripts/variants/pythonbytes_072.txt",
    "transcripts/variants/pythonbytes_169.txt",
    "transcripts/variants/pythonbytes_170.txt",
    "transcripts/variants/talkpython_253.txt",
    "transcripts/variants/talkpython_311.txt",
]
SUBTITLES = [
    "subtitles/webvtt-py/sample.vtt",
    "subtitles/webvtt-py/sample.srt",
    "subtitles/webvtt-py/using_identifiers.vtt",
    "subtitles/webvtt-py/cue_tags.vtt",
    "subtitles/webvtt-py/invalid.vtt",
    "subtitles/webvtt-py/invalid_timeframe.srt",
    "subtitles/webvtt-py/missing_timeframe.vtt",
    "subtitles/pysrt/bom-utf-8.srt",
    "subtitles/pysrt/empty.srt",
    "podcast-namespace/examples__transcripts__example.vtt",
    "podcast-namespace/examples__transcripts__example.srt",
    NAMESPACE_HTML,
]
LINE_FILES = PYTHONBYTES_TEXT + PYTHONBYTES_VTT + VARIANTS + [SEED] + SUBTITLES
# The real files that report problems (rejected lines or warnings); the others read cleanly.
WITH_PROBLEMS = {
    "transcripts/variants/pythonbytes_072.txt",
    "transcripts/variants/pythonbytes_170.txt",
    SEED,
    "subtitles/webvtt-py/invalid.vtt",
    "subtitles/webvtt-py/invalid_timeframe.srt",
    "subtitles/webvtt-py/missing_timeframe.vtt",
    "subtitles/pysrt/empty.srt",
}


# Real files: every non-blank line accounted for


@pytest.mark.parametrize("name", LINE_FILES)
def test_it_accounts_for_every_non_blank_line_exactly_once(name: str) -> None:
    data = read(name)
    parsed = parse(data, filename=name)
    non_blank = [line for line in lines_of(data) if line.strip()]
    assert parsed.report.lines_read == len(non_blank)
    assert invariant_holds(parsed)


@pytest.mark.parametrize("name", PYTHONBYTES_TEXT + VARIANTS + [SEED])
def test_it_keeps_the_words_of_every_line_of_a_plain_transcript(name: str) -> None:
    data = read(name)
    parsed = parse(data, filename=name)
    kept = "\n".join([s.text for s in parsed.segments] + [p.text for p in parsed.report.rejected])
    for line in lines_of(data):
        words = re.sub(r"^(\d+:)?\d+:\d\d\s+", "", line.strip())  # the timestamp is not words
        if words and not re.fullmatch(r"## .+ \d+:\d\d:\d\d", words):
            assert words in kept or words.split(": ", 1)[-1] in kept, line


@pytest.mark.parametrize("name", LINE_FILES)
def test_its_problems_point_at_the_line_they_quote(name: str) -> None:
    data = read(name)
    parsed = parse(data, filename=name)
    lines = lines_of(data)
    problems = parsed.report.rejected + parsed.report.warnings
    assert bool(problems) == (name in WITH_PROBLEMS), problems
    for problem in problems:
        assert problem.message.startswith(f"line {problem.line}: ")
        assert lines[problem.line - 1] == problem.text


def test_it_keeps_every_line_of_the_seed_transcript() -> None:
    data = read(SEED)
    lines = lines_of(data)
    timed = [
        (number, int(m[1]) * 60 + int(m[2]), m[3])
        for number, line in enumerate(lines, 1)
        if (m := re.match(r"(\d\d):(\d\d) (.*)$", line))
    ]
    parsed = parse(data, filename="pythonbytes-203-transcript-page.txt")
    assert len(timed) == 528
    # The page's header, before the first timestamp, is an opening segment at 0:00.
    opening, *segments = parsed.segments
    assert (opening.line, opening.start) == (1, 0)
    assert opening.text.endswith("Recorded on Thursday, Oct 8, 2020.")
    assert [(s.line, s.start) for s in segments] == [(n, t) for n, t, _ in timed]
    assert [s.text for s in segments[:-1]] == [text for _, _, text in timed[:-1]]
    assert parsed.report.rejected == ()
    assert [w.message for w in parsed.report.warnings][:1] == [
        "line 1: text before the first timestamp; kept as an opening segment at 0:00"
    ]
    # The page footer has no timestamp, so it continues the last segment; the report says so.
    assert parsed.segments[-1].text.endswith("friends and colleagues. Back to show page")
    assert parsed.report.lines_joined == 4  # the footer and the header's three more lines


def test_the_namespace_html_example_gives_each_text_line_its_segment() -> None:
    data = read(NAMESPACE_HTML)
    parsed = parse(data)  # detected by content, no file name
    segments = iter(parsed.segments)
    for number, line in enumerate(lines_of(data), 1):
        if cite := re.fullmatch(r"<cite>(.*):</cite>", line):
            segment, speaker = next(segments), cite[1]
            assert segment.speaker == speaker
        elif time := re.fullmatch(r"<time>(\d+):(\d\d)</time>", line):
            assert segment.start == int(time[1]) * 60 + int(time[2])
        elif paragraph := re.fullmatch(r"<p>(.*)</p>", line):
            assert (segment.line, segment.text) == (number, html.unescape(paragraph[1]))
        else:
            assert not line.strip(), f"line {number} is neither <cite>, <time> nor <p>"
    assert next(segments, None) is None
    assert (parsed.report.format, parsed.report.lines_structural, parsed.report.rejected) == (
        "html",
        20,
        (),
    )


@pytest.mark.parametrize(
    ("name", "speakers"),
    [
        ("transcripts/variants/pythonbytes_072.txt", ("Michael KENNEDY", "Brian OKKEN")),
        ("transcripts/variants/pythonbytes_169.txt", ("KENNEDY", "OKKEN")),
        ("transcripts/variants/pythonbytes_170.txt", ("Brian", "Michael", "Speaker_3")),
        ("transcripts/variants/talkpython_253.txt", ("Michael Kennedy", "Richard Campbell")),
        ("transcripts/variants/talkpython_311.txt", ()),
        (PYTHONBYTES_TEXT[2], ()),
        (SEED, ()),
        ("podcast-namespace/examples__transcripts__example.srt", ("Travis", "Sarah", "Gilon")),
        ("podcast-namespace/examples__transcripts__example.vtt", ("Sarah", "Gillian")),
        (NAMESPACE_HTML, ("Travis", "Sarah", "Gilon")),
    ],
)
def test_it_finds_the_speakers_each_real_variant_marks(name: str, speakers: tuple) -> None:
    assert parse(read(name), filename=name).report.speakers == speakers


# Round trips on real files


@pytest.mark.parametrize("name", PYTHONBYTES_TEXT)
def test_plain_text_round_trips_line_for_line(name: str) -> None:
    original = read(name).decode("utf-8")
    written = to_text(parse(original).segments)
    assert [line.rstrip() for line in written.split("\n")] == [
        line.rstrip() for line in original.split("\n")
    ]


@pytest.mark.parametrize("name", PYTHONBYTES_VTT)
def test_the_vtt_and_text_of_one_episode_give_the_same_start_seconds(name: str) -> None:
    from_vtt = parse(read(name), filename=name).segments
    from_text = parse(read(name.replace(".vtt", ".txt"))).segments
    # Only the times are promised to agree: the two files' wording differs in places.
    assert [int(s.start) for s in from_vtt] == [s.start for s in from_text]


def test_webvtt_py_reads_our_vtt_with_the_same_cues() -> None:
    segments = parse(read(PYTHONBYTES_VTT[1])).segments
    captions = webvtt.from_buffer(io.StringIO(to_vtt(segments))).captions
    assert [c.start_in_seconds for c in captions] == [int(s.start) for s in segments]
    assert [c.text for c in captions] == [s.text for s in segments]


def test_it_reads_the_namespace_json_example() -> None:
    parsed = parse(read("podcast-namespace/examples__transcripts__example.json"))
    assert parsed.segments[0] == Segment(0.5, 0.75, "Darth Vader", "I", line=4)
    assert [s.text for s in parsed.segments] == ["I", "am", "your", "father.", "Nooooo"]
    assert parsed.segments[-1].speaker == "Luke"


# Malformed files: line-numbered problems, never a crash


@pytest.mark.parametrize(
    ("name", "kind", "line", "says"),
    [
        ("subtitles/webvtt-py/invalid.vtt", "warnings", 1, "missing the WEBVTT header"),
        ("subtitles/webvtt-py/invalid_timeframe.srt", "warnings", 6, "should not use '.'"),
        ("subtitles/webvtt-py/missing_timeframe.vtt", "rejected", 6, "no cue timing"),
        ("subtitles/pysrt/empty.srt", "warnings", 13, "no text follows"),
        ("subtitles/pysrt/empty.srt", "warnings", 17, "no text follows"),
    ],
)
def test_malformed_subtitles_give_line_numbered_problems(
    name: str, kind: str, line: int, says: str
) -> None:
    problems = getattr(parse(read(name), filename=name).report, kind)
    assert any(p.line == line and says in p.message for p in problems), problems


def test_a_missing_timing_rejects_the_cue_text_with_its_line() -> None:
    parsed = parse(read("subtitles/webvtt-py/missing_timeframe.vtt"), filename="x.vtt")
    assert parsed.report.rejected == (
        Problem(6, "line 6: no cue timing ('-->') for this text", "Caption text #2"),
    )
    assert "Caption text #2" not in [s.text for s in parsed.segments]


@pytest.mark.parametrize(
    ("text", "fmt", "line", "says"),
    [
        ("", None, 1, "the file is empty"),
        ("\n \n\t\n", None, 1, "the file is empty"),
        ("WEBVTT\n\nNOTE nothing here\n", None, 1, "no vtt segments found"),
        ("WEBVTT\n\n00:01.000 --> 00:02.000\n", None, 3, "no text follows"),
        ("WEBVTT\n\n00:01.000 -> 00:02.000\nhi\n", None, 3, "no cue timing"),
        ("WEBVTT\n\n00:01.000 --> 00:99.000\nhi\n", None, 3, "00:99.000 is not a valid time"),
        ("WEBVTT\n\n00:01.000 --> soon\nhi\n", None, 3, "malformed cue timing"),
        ("Just some prose\nwith no times at all.\n", None, 1, "before the first timestamp"),
        ("1\n00:00:01,000 --> 00:00:02,000\n\n", None, 2, "no text follows"),
        ('{"version": "1.0.0",\n "segments": [\n', None, 3, "not valid JSON"),
        ('{"version": "1.0.0"}', None, 1, '"segments"'),
        ('{"segments": [\n  {"body": "no time"}\n]}', None, 2, "needs a startTime"),
        ("[music]\n", None, 1, "before the first timestamp"),
        ("<p>\n</p>\n<time>0:01</time>\n", None, 3, "no text follows"),
        ("<cite>Ann:</cite>\nwords outside\n", None, 2, "words outside"),
    ],
)
def test_unusable_input_raises_an_error_with_line_numbered_problems(
    text: str, fmt: str | None, line: int, says: str
) -> None:
    with pytest.raises(TranscriptError) as caught:
        parse(text, format=fmt)
    first = caught.value.problems[0]
    assert (first.line, says in first.message) == (line, True), caught.value.problems
    assert str(caught.value).startswith("No transcript segments")


def test_an_error_carries_the_report_of_what_was_read() -> None:
    with pytest.raises(TranscriptError) as caught:
        parse("Title\n\nSubtitle\n", filename="t.txt")
    report = caught.value.report
    assert report is not None
    assert (report.format, report.lines_read, report.segments_made) == ("text", 2, 0)
    assert [p.line for p in report.rejected] == [1, 3]


def test_json_problems_carry_the_line_of_their_entry() -> None:
    text = (
        '{"segments": [\n {"startTime": 1, "body": "a"},\n {"body": "b"},\n\n'
        ' {"startTime": 3, "body": "c \\"{[,", "x": [{"y": 1}]},\n 5\n]}'
    )
    parsed = parse(text)
    assert [(s.line, s.text) for s in parsed.segments] == [(2, "a"), (5, 'c "{[,')]
    assert [(p.line, p.text) for p in parsed.report.rejected] == [(3, '{"body": "b"}'), (6, "5")]


def test_an_unknown_format_name_is_a_programming_error() -> None:
    with pytest.raises(ValueError, match="unknown transcript format"):
        parse("00:01 hi", format="docx")


# Properties


@settings(max_examples=250, deadline=None)
@given(
    st.one_of(st.text(), st.binary()),
    st.sampled_from([None, "text", "vtt", "srt", "json", "html"]),
)
def test_any_input_parses_or_raises_a_transcript_error_with_line_numbers(
    data: str | bytes, fmt: str | None
) -> None:
    try:
        parsed = parse(data, format=fmt)
    except TranscriptError as error:
        assert error.problems
        assert all(p.line >= 1 and p.message.startswith(f"line {p.line}: ") for p in error.problems)
    else:
        assert parsed.segments
        if parsed.report.format != "json":
            assert invariant_holds(parsed)


_LINE_LIKE = st.lists(
    st.sampled_from(
        ["WEBVTT", "", "00:01.000 --> 00:02.000", "1", "hi there", "<v Ann>yo", "NOTE x",
         "00:00:03,000 --> 00:00:01,000", "12:00 at noon", "Ann: hey", "## Ann 0:00:09",
         "00:01 -->", "&amp;", "<i>", "[music]", "\ufeff", "\u00a0", "\r", "<cite>Ann:</cite>",
         "<time>0:01</time>", "<time>soon</time>", "<p>words</p>", "<p>", "</p>", "<br>"]
    ),
    max_size=25,
)  # fmt: skip


@settings(max_examples=250, deadline=None)
@given(_LINE_LIKE, st.sampled_from([None, "text", "vtt", "srt", "html"]))
def test_any_mix_of_format_lines_is_accounted_for(lines: list[str], fmt: str | None) -> None:
    try:
        parsed = parse("\n".join(lines), format=fmt)
    except TranscriptError as error:
        assert all(p.message.startswith(f"line {p.line}: ") for p in error.problems)
    else:
        assert invariant_holds(parsed)


# Report


def test_the_report_summary_is_one_line_for_editors() -> None:
    parsed = parse("Title\n00:01 Michael Kennedy: hi\nmore\n00:02 Brian Okken: yo\n"
                   "00:03 Michael Kennedy: a\n00:04 Brian Okken: b\n")  # fmt: skip
    assert parsed.report.summary() == (
        "text: read 6 lines, made 5 segments, joined 1, "
        "speakers: Michael Kennedy, Brian Okken; 1 warning"
    )


def test_the_report_dict_is_json_serialisable() -> None:
    report = parse("00:10 a\n00:05 b\n").report
    assert json.loads(json.dumps(report.as_dict())) == {
        "format": "text",
        "lines_read": 2,
        "segments_made": 2,
        "lines_joined": 0,
        "lines_structural": 0,
        "speakers": [],
        "warnings": [
            {
                "line": 2,
                "message": "line 2: timestamp 00:05 goes backwards (previous 00:10)",
                "text": "00:05 b",
                "kind": "backwards",
            }
        ],
        "rejected": [],
    }
