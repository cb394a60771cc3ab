"""transcripts.readers.cues (WebVTT and SRT) through transcripts.parsing.parse: pure."""

import pytest

from tests.transcripts.material import invariant_holds
from transcripts.parsing import parse

VTT = """WEBVTT - with a title
Kind: captions

STYLE
::cue { color: white }

REGION
id:left

NOTE a comment
spanning lines

intro
00:00:01.000 --> 00:00:04.000 align:start position:10%
<v.loud Ann Lee>Hello &amp; <i>welcome</i>
to the <c.yellow>show</c> <00:00:03.000>today

00:04.000 --> 00:06.500
<v Bob>Thanks!</v>
<v Ann Lee>You're welcome.
00:06.500 --> 00:07.000
no blank line before me
"""


def test_it_reads_webvtt_with_voices_blocks_settings_and_tags() -> None:
    parsed = parse(VTT)
    assert [(s.start, s.end, s.speaker, s.text, s.line) for s in parsed.segments] == [
        (1.0, 4.0, "Ann Lee", "Hello & welcome to the show today", 14),
        (4.0, 6.5, "Bob", "Thanks!", 18),
        (4.0, 6.5, "Ann Lee", "You're welcome.", 20),
        (6.5, 7.0, "", "no blank line before me", 21),
    ]
    report = parsed.report
    assert (report.lines_structural, report.lines_joined, report.rejected) == (12, 1, ())
    assert invariant_holds(parsed)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("1\n00:00:01,000 --> 00:00:02,500\nHi\n", [(1.0, 2.5, "", "Hi")]),
        ("00:00:01,000 --> 00:00:02,500\nNo index\n", [(1.0, 2.5, "", "No index")]),
        ("\ufeff1\r\n00:00:01,000 --> 00:00:02,000\r\nBOM\r\n", [(1.0, 2.0, "", "BOM")]),
        ("1\n00:00:01.000 --> 00:00:02.000\nDots\n", [(1.0, 2.0, "", "Dots")]),
        ("1\n00:00:01,000 --> 00:00:02,000\n<i>it</i> {\\an8}top\n", [(1.0, 2.0, "", "it top")]),
        ("1\n00:00:01,000 --> 00:00:02,000\na <b> & c\n", [(1.0, 2.0, "", "a  & c")]),
        ("1\n00:00:01,000 --> 00:00:02,000\nQ&A &lt;b&gt;\n", [(1.0, 2.0, "", "Q&A <b>")]),
        ("1\n00:00:01,000 --> 00:00:02,000\n<v Guido van Rossum>hi\n", [(1.0, 2.0, "Guido van Rossum", "hi")]),
        (
            "1\n00:00:01,000 --> 00:00:02,000\nSam: one\n\n2\n00:00:02,000 --> 00:00:03,000\n"
            "more\nSam: two\n",
            [(1.0, 2.0, "Sam", "one"), (2.0, 3.0, "", "more"), (2.0, 3.0, "Sam", "two")],
        ),
        (
            "1\n00:00:01,000 --> 00:00:02,000\nSam: one\n\n2\n00:00:02,000 --> 00:00:03,000\n"
            "Sam&#58; is words\n\n3\n00:00:03,000 --> 00:00:04,000\nSam: two\n",
            [(1.0, 2.0, "Sam", "one"), (2.0, 3.0, "", "Sam: is words"), (3.0, 4.0, "Sam", "two")],
        ),
        (
            "1\n00:00:01,000 --> 00:00:02,000\na\n2\n00:00:02,000 --> 00:00:03,000\nb\n",
            [(1.0, 2.0, "", "a"), (2.0, 3.0, "", "b")],
        ),
    ],
)  # fmt: skip
def test_it_reads_srt_with_or_without_indexes(text: str, expected: list) -> None:
    parsed = parse(text, filename="x.srt")
    assert [(s.start, s.end, s.speaker, s.text) for s in parsed.segments] == expected
    assert invariant_holds(parsed)


def test_text_after_a_broken_timing_is_rejected_not_joined() -> None:
    parsed = parse("WEBVTT\n\n00:01.000 --> 00:02.000\na\n\n00:03 --> soon\nb\n")
    assert [s.text for s in parsed.segments] == ["a"]
    assert [(p.line, p.text) for p in parsed.report.rejected] == [(6, "00:03 --> soon"), (7, "b")]
    assert invariant_holds(parsed)
