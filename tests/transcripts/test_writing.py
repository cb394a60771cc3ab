"""transcripts.writing: what each writer produces, and that parsing reads it back unchanged.

Pure, no database.
"""

import json
from collections.abc import Callable, Iterable

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from transcripts.parsing import (
    Segment,
    format_timestamp,
    parse,
    to_html,
    to_json,
    to_srt,
    to_text,
    to_vtt,
)

SEGMENTS = (
    Segment(0.0, None, "Ann", "Hi & <welcome>"),
    Segment(2.5, 4.0, "Ann", "Still me."),
    Segment(5.0, None, "", "Line one\n\nline two"),
    Segment(61.25, None, "Bob", "Bye"),
)


def test_it_writes_vtt_with_voices_and_ends_from_the_next_start() -> None:
    assert to_vtt(SEGMENTS) == (
        "WEBVTT\n\n"
        "00:00:00.000 --> 00:00:02.500\n<v Ann>Hi &amp; &lt;welcome&gt;\n\n"
        "00:00:02.500 --> 00:00:04.000\n<v Ann>Still me.\n\n"
        "00:00:05.000 --> 00:01:01.250\nLine one line two\n\n"
        "00:01:01.250 --> 00:01:06.250\n<v Bob>Bye\n"
    )


def test_it_writes_srt_with_labels_for_names_that_read_back_and_voices_for_others() -> None:
    # Ann speaks twice, so "Ann:" reads back as her; Bob once, so "Bob:" would read as words.
    assert to_srt(SEGMENTS) == (
        "1\n00:00:00,000 --> 00:00:02,500\nAnn: Hi & <welcome>\n\n"
        "2\n00:00:02,500 --> 00:00:04,000\nAnn: Still me.\n\n"
        "3\n00:00:05,000 --> 00:01:01,250\nLine one line two\n\n"
        "4\n00:01:01,250 --> 00:01:06,250\n<v Bob>Bye\n"
    )


def test_it_writes_podcast_index_json() -> None:
    written = json.loads(to_json(SEGMENTS[:2]))
    assert written == {
        "version": "1.0.0",
        "segments": [
            {"speaker": "Ann", "startTime": 0.0, "endTime": 2.5, "body": "Hi & <welcome>"},
            {"speaker": "Ann", "startTime": 2.5, "endTime": 4.0, "body": "Still me."},
        ],
    }


def test_it_writes_the_namespace_html_with_a_cite_for_each_named_paragraph() -> None:
    assert to_html(SEGMENTS) == (
        "<cite>Ann:</cite>\n<time>00:00</time>\n<p>Hi &amp; &lt;welcome&gt;</p>\n"
        "<cite>Ann:</cite>\n<time>00:02</time>\n<p>Still me.</p>\n"
        "<time>00:05</time>\n<p>Line one line two</p>\n"
        "<cite>Bob:</cite>\n<time>01:01</time>\n<p>Bye</p>\n"
    )


def test_it_writes_plain_text_as_pythonbytes_publishes_it() -> None:
    assert to_text(SEGMENTS) == (
        "00:00:00 Ann: Hi & <welcome>\n\n00:00:02 Ann: Still me.\n\n"
        "00:00:05 Line one line two\n\n00:01:01 <v Bob>Bye\n\n"
    )


def test_writers_skip_segments_without_words() -> None:
    segments = [Segment(1.0, None, "Ann", "  "), Segment(2.0, None, "", "hi")]
    assert to_text(segments) == "00:00:02 hi\n\n"
    assert to_srt(segments).startswith("1\n00:00:02,000 --> 00:00:07,000\nhi")


MARKUP = ["a --> b", "<b>bold</b>", "{\\an8}top", "&amp; &lt; &#58;", "Q&A < 3 > 2", "<v Bob>x"]


@pytest.mark.parametrize("write", [to_srt, to_vtt])
@pytest.mark.parametrize("text", MARKUP)
def test_words_that_look_like_cue_markup_read_back_as_words(
    write: Callable[[list[Segment]], str], text: str
) -> None:
    segments = [Segment(1.0, 2.0, "", text), Segment(2.0, 3.0, "", "after")]
    assert [s.text for s in parse(write(segments)).segments] == [text, "after"]


def test_srt_escapes_only_what_would_read_as_markup() -> None:
    written = to_srt([Segment(1.0, 2.0, "", "Q&A: a < b --> c <i>x</i> {\\an8} &amp;")])
    assert written.split("\n")[2] == "Q&A: a < b --&gt; c &#60;i>x&#60;/i> &#123;\\an8} &amp;amp;"


SPEAKERS = [
    ("Guido van Rossum", "Guido van Rossum", "Guido van Rossum"),  # a lower-case word
    ("Note", "Note", "Note"),  # a word that opens ordinary sentences
    ("Once", "", ""),  # a name that appears once
    ("KENNEDY", "Michael KENNEDY", "Michael KENNEDY"),  # a surname standing for a longer name
    ("Dr. Who?", "Speaker 1", "Speaker_2"),  # no label shape at all
]


@pytest.mark.parametrize("write", [to_srt, to_text, to_vtt, to_html, to_json])
@pytest.mark.parametrize("speakers", SPEAKERS)
def test_every_speaker_reads_back_as_written(
    write: Callable[[list[Segment]], str], speakers: tuple[str, ...]
) -> None:
    segments = [Segment(float(i), None, name, f"words {i}") for i, name in enumerate(speakers)]
    assert [s.speaker for s in parse(write(segments)).segments] == list(speakers)


@pytest.mark.parametrize("write", [to_srt, to_text, to_vtt, to_html, to_json])
def test_unnamed_words_opening_like_a_label_stay_unnamed(
    write: Callable[[list[Segment]], str],
) -> None:
    segments = [
        Segment(0.0, None, "Ann", "hello"),
        Segment(1.0, None, "Ann", "again"),
        Segment(2.0, None, "", "Ann: is what the sign said"),
        Segment(3.0, None, "", "<v Ann>in tags"),
        Segment(4.0, None, "", "Bob: twice"),
        Segment(5.0, None, "", "Bob: twice"),
    ]
    read = parse(write(segments)).segments
    assert [(s.speaker, s.text) for s in read] == [(s.speaker, s.text) for s in segments]


@pytest.mark.parametrize(
    ("seconds", "shown"),
    [(0, "00:00"), (4.9, "00:04"), (59.99, "00:59"), (600, "10:00"), (3599, "59:59"),
     (3600, "1:00:00"), (3725.5, "1:02:05"), (36000, "10:00:00"), (-3, "00:00")],
)  # fmt: skip
def test_format_timestamp_shows_hours_only_when_needed(seconds: float, shown: str) -> None:
    assert format_timestamp(seconds) == shown


# Properties: writing then reading gives back the same segments, for every format


def _canonical(text: str) -> str:
    # The model's text: stripped, on one line, single spaces (readers join lines that way).
    return " ".join(text.split())


# Any letter, digit, punctuation, symbol or space, of any script: "<", ">", ":", "-", "&",
# "{", "\\", digits, accents, CJK, Cyrillic, emoji.
_CHARS = st.characters(codec="utf-8", categories=("L", "N", "P", "S", "Zs"))
_BODY = st.text(_CHARS, min_size=1, max_size=40).map(_canonical).filter(bool)
# Openings that are markup in some format, so that every escape is exercised often.
_OPENING = st.sampled_from(
    ["", "", "Ann: ", "KENNEDY: ", "Michael Kennedy: ", "Note: ", "<v Bob>", "<v>", "-->",
     "<b>", "{\\an8}", "&amp;", "&#58;", "00:05 ", "## Ann 0:00:09 ", "1 ", "WEBVTT "]
)  # fmt: skip
_TEXT = st.builds(lambda opening, body: _canonical(opening + body), _OPENING, _BODY)
_NAMES = st.sampled_from(
    ["Ann", "Michael Kennedy", "KENNEDY", "Michael KENNEDY", "Brian Okken", "Guido van Rossum",
     "Note", "Dr. Jane O'Neil", "Speaker_3", "SETH"]
)  # fmt: skip
_SPEAKER = st.one_of(st.just(""), _NAMES, st.text(_CHARS, max_size=30).map(_canonical))


@st.composite
def segment_lists(draw: st.DrawFn, *, whole_seconds: bool) -> list[Segment]:
    """Segments in time order (equal starts allowed) under ten hours, times in whole millis."""
    unit = 1000 if whole_seconds else 1
    starts = draw(st.lists(st.integers(0, 36_000_000 // unit), min_size=1, max_size=12))
    segments = []
    for start in sorted(starts):
        seconds = start * unit / 1000
        end = None if whole_seconds else (start + draw(st.integers(0, 20_000))) / 1000
        segments.append(Segment(seconds, end, draw(_SPEAKER), draw(_TEXT)))
    return segments


def _comparable(segments: Iterable[Segment]) -> list[tuple]:
    return [(s.start, s.end, s.speaker, s.text) for s in segments]


@settings(max_examples=400, deadline=None)
@given(segment_lists(whole_seconds=False), st.sampled_from([to_vtt, to_srt, to_json]))
def test_writing_then_reading_gives_back_the_same_timed_segments(
    segments: list[Segment], write: Callable[[list[Segment]], str]
) -> None:
    assert _comparable(parse(write(segments)).segments) == _comparable(segments)


@settings(max_examples=400, deadline=None)
@given(segment_lists(whole_seconds=True), st.sampled_from([to_text, to_html]))
def test_writing_then_reading_text_or_html_gives_back_the_same_segments(
    segments: list[Segment], write: Callable[[list[Segment]], str]
) -> None:
    # Plain text and HTML keep whole seconds and no ends, so whole-second starts come back.
    assert _comparable(parse(write(segments)).segments) == _comparable(segments)
