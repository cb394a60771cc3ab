"""transcripts.segments: the report's summary and the clock every reader shares. Pure."""

import pytest

from transcripts.segments import clock, describe, not_a_time, seconds_of


@pytest.mark.parametrize(
    ("text", "seconds"),
    [("0:05", 5.0), ("1:02:03", 3723.0), ("00:01:02.500", 62.5), ("75:00", 4500.0)],
)
def test_a_clock_reads_as_seconds(text, seconds):
    assert seconds_of(clock(text)) == seconds


@pytest.mark.parametrize("text", ["1:75:00", "0:61"])
def test_an_impossible_clock_has_no_seconds(text):
    assert seconds_of(clock(text)) is None
    assert not_a_time(text) == f"{text} is not a valid time"


@pytest.mark.parametrize("text", ["hello", "5", "1:2"])
def test_words_are_no_clock(text):
    assert clock(text) is None


def test_the_summary_counts_what_was_read_kept_and_rejected():
    report = {
        "format": "vtt",
        "lines_read": 1,
        "segments_made": 3,
        "lines_joined": 2,
        "speakers": ["Michael", "Brian"],
        "warnings": ["w"],
        "rejected": [1, 2],
    }
    assert describe(report) == (
        "vtt: read 1 line, made 3 segments, joined 2, speakers: Michael, Brian; "
        "1 warning, 2 lines rejected"
    )
