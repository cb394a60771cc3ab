"""transcripts.readers.jsonfile: Podcast Index JSON. Pure, no database."""

import json

import pytest

from transcripts.parsing import TranscriptError, parse


def document(*segments: dict) -> str:
    return json.dumps({"version": "1.0.0", "segments": list(segments)}, indent=2)


def test_it_reads_numbers_numeric_strings_and_clocks_as_seconds():
    parsed = parse(
        document(
            {"startTime": 0, "endTime": 2.5, "speaker": "Michael", "body": "Hello."},
            {"startTime": "2.5", "endTime": "0:05", "speaker": "Brian", "body": "Hi."},
        ),
        format="json",
    )
    assert [(s.start, s.end, s.speaker, s.text) for s in parsed.segments] == [
        (0.0, 2.5, "Michael", "Hello."),
        (2.5, 5.0, "Brian", "Hi."),
    ]


def test_an_impossible_clock_is_refused_with_its_line():
    parsed = parse(
        document(
            {"startTime": 0, "endTime": 1, "body": "Kept."},
            {"startTime": "1:75:00", "body": "Refused."},
        ),
        format="json",
    )
    assert [s.text for s in parsed.segments] == ["Kept."]
    (rejected,) = parsed.report.rejected
    assert (rejected.line, rejected.message) == (
        9,
        'line 9: startTime "1:75:00" is not a valid time',
    )


@pytest.mark.parametrize(
    ("text", "reason"), [("{broken", "not valid JSON"), ('{"a": 1}', "segments")]
)
def test_no_transcript_in_it_says_why(text, reason):
    with pytest.raises(TranscriptError, match=reason):
        parse(text, format="json")
