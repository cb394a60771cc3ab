"""Every reader refuses a time no clock shows (1:75:00, 0:61) with its line, never reads it.

Minutes over 59 after an hour, or seconds over 59, are a typo or a broken export: read as a
time they would move a segment by minutes (0:61 as 1:01, 1:75:00 as 2:15:00).
"""

import pytest

from transcripts.parsing import parse

VTT = "WEBVTT\n\n00:01.000 --> 00:02.000\nfirst\n\n"
SRT = "1\n00:00:01,000 --> 00:00:02,000\nfirst\n\n2\n"
HTML = "<time>0:01</time>\n<p>first</p>\n"
JSON = '{"segments": [\n{"startTime": 1, "body": "first"},\n'


@pytest.mark.parametrize(
    ("text", "fmt", "kind", "line", "shown"),
    [
        ("00:01 first\n1:75:00 later words\n", "text", "warnings", 2, "1:75:00"),
        ("00:01 first\n0:61 later words\n", "text", "warnings", 2, "0:61"),
        ("00:01 first\n## Ann 1:75:00\nlater words\n", "text", "warnings", 2, "1:75:00"),
        (VTT + "1:75:00.000 --> 1:76:00.000\nlater\n", "vtt", "rejected", 6, "1:75:00.000"),
        (VTT + "00:03.000 --> 0:61.000\nlater\n", "vtt", "rejected", 6, "0:61.000"),
        (SRT + "01:75:00,000 --> 01:76:00,000\nlater\n", "srt", "rejected", 6, "01:75:00,000"),
        (SRT + "00:00:61,000 --> 00:00:62,000\nlater\n", "srt", "rejected", 6, "00:00:61,000"),
        (HTML + "<time>1:75:00</time>\n<p>later</p>\n", "html", "warnings", 3, "<time>1:75:00</time>"),
        (HTML + "<time>0:61</time>\n<p>later</p>\n", "html", "warnings", 3, "<time>0:61</time>"),
        (JSON + '{"startTime": "1:75:00", "body": "later"}\n]}', "json", "rejected", 3, 'startTime "1:75:00"'),
        (JSON + '{"startTime": "0:61", "body": "later"}\n]}', "json", "rejected", 3, 'startTime "0:61"'),
        ('{"segments": [\n{"startTime": 1, "endTime": "0:61", "body": "first"}\n]}', "json", "warnings", 2, 'endTime "0:61"'),
    ],
)  # fmt: skip
def test_every_reader_reports_an_impossible_time_with_its_line(
    text: str, fmt: str, kind: str, line: int, shown: str
) -> None:
    parsed = parse(text, format=fmt)
    problems = [p.message for p in getattr(parsed.report, kind)]
    assert any(m.startswith(f"line {line}: {shown} is not a valid time") for m in problems), (
        parsed.report
    )
    # Never read as a time: nothing starts or ends after the one valid time, 0:01-0:02.
    assert parsed.segments and parsed.segments[0].text.startswith("first")
    assert all(s.start <= 1 and (s.end or 0) <= 2 for s in parsed.segments), parsed.segments


@pytest.mark.parametrize(
    ("text", "fmt", "start"),
    [
        ("75:00 minutes past an hour, without hours\n", "text", 4500.0),
        ("1:59:59 the last second of an hour\n", "text", 7199.0),
        ("<time>59:59</time>\n<p>late</p>\n", "html", 3599.0),
        ('{"segments": [{"startTime": "1:02:03.5", "body": "a clock"}]}', "json", 3723.5),
        ('{"segments": [{"startTime": "12.25", "body": "seconds"}]}', "json", 12.25),
    ],
)
def test_a_possible_time_next_to_the_limits_is_read(text: str, fmt: str, start: float) -> None:
    parsed = parse(text, format=fmt)
    assert [s.start for s in parsed.segments] == [start]
    assert not parsed.report.warnings and not parsed.report.rejected
