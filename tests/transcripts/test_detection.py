"""transcripts.parsing.detect_format: which format a pasted or uploaded transcript is in. Pure."""

import pytest

from tests.transcripts.material import invariant_holds
from transcripts.parsing import (
    detect_format,
    parse,
)

# Detection


@pytest.mark.parametrize(
    ("text", "filename", "fmt"),
    [
        ("WEBVTT\n\n00:01.000 --> 00:02.000\nhi", "", "vtt"),
        ("\ufeffWEBVTT", "upload.txt", "vtt"),
        ("1\n00:00:01,000 --> 00:00:02,000\nhi", "", "srt"),
        ("1\r00:00:01,000 --> 00:00:02,000\rhi", "", "srt"),
        ("00:00:01.000 --> 00:00:02.000\nhi", "captions.vtt", "vtt"),
        ('{"version": "1.0.0", "segments": []}', "", "json"),
        ('[{"startTime": 1, "body": "x"}]', "", "json"),
        ("<cite>Ann:</cite>\n<time>0:00</time>\n<p>hi</p>", "", "html"),
        ("<time>0:00</time><p>hi</p>", "", "html"),
        ("<!DOCTYPE html>\n<html><body><p>hi</p>", "", "html"),
        ("Transcript\n<p>hi</p>", "page.htm", "html"),
        ("<v Ann>hi", "", "text"),
        ("[music]\n00:01 hi", "", "text"),
        ("00:00:00 Hello", "transcript.txt", "text"),
        ("", "empty.srt", "srt"),
        ("", "", "text"),
    ],
)
def test_it_detects_the_format(text: str, filename: str, fmt: str) -> None:
    assert detect_format(text, filename) == fmt


CR_ONLY = [
    (
        "1\r00:00:01,000 --> 00:00:02,000\rHello\r\r2\r00:00:02,000 --> 00:00:03,500\rWorld\r",
        "srt",
    ),
    ("WEBVTT\r\r00:01.000 --> 00:02.000\rHello\r\r00:02.000 --> 00:03.500\rWorld\r", "vtt"),
]


@pytest.mark.parametrize(("text", "fmt"), CR_ONLY)
@pytest.mark.parametrize("as_bytes", [False, True])
def test_cr_only_subtitles_pasted_without_a_name_read_as_subtitles(
    text: str, fmt: str, as_bytes: bool
) -> None:
    parsed = parse(text.encode() if as_bytes else text, filename="pasted.txt")
    assert parsed.report.format == fmt
    assert [(s.start, s.end, s.text) for s in parsed.segments] == [
        (1.0, 2.0, "Hello"),
        (2.0, 3.5, "World"),
    ]
    assert invariant_holds(parsed)
