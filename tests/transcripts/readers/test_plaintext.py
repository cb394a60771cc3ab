"""transcripts.readers.plaintext through transcripts.parsing.parse: pure, no database."""

import pytest

from tests.transcripts.material import reads_as
from transcripts.parsing import parse


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("00:05 hi\n", [(5.0, "", "hi")]),
        ("0:05 hi\n\n1:02 there\n", [(5.0, "", "hi"), (62.0, "", "there")]),
        ("01:02:03 late\n", [(3723.0, "", "late")]),
        ("1:02:03 late\n", [(3723.0, "", "late")]),
        ("75:00 long minutes\n", [(4500.0, "", "long minutes")]),
        ("00:05\u00a0no-break space\n", [(5.0, "", "no-break space")]),
        ("00:05 a\r\n\r\n00:06 b\r\n", [(5.0, "", "a"), (6.0, "", "b")]),
        ("00:05 a\r\r00:06 b\r", [(5.0, "", "a"), (6.0, "", "b")]),
        ("\ufeff00:05 bom\n", [(5.0, "", "bom")]),
        ("00:05 a\n[music]\n00:09 [music]\n", [(5.0, "", "a [music]"), (9.0, "", "[music]")]),
        ("00:05 first\nsecond line\n\nthird\n", [(5.0, "", "first second line third")]),
        ("00:05\nbare timestamp, text below\n", [(5.0, "", "bare timestamp, text below")]),
        ("00:05 <v Ann>Hi there\n", [(5.0, "Ann", "Hi there")]),
        ("00:05 <v Ann>\nHi there\n", [(5.0, "Ann", "Hi there")]),
        ("00:05 <v>Ann: said once\n", [(5.0, "", "Ann: said once")]),
        (
            "00:05 Ann Lee: hi\n00:06 Ann Lee: bye\n",
            [(5.0, "Ann Lee", "hi"), (6.0, "Ann Lee", "bye")],
        ),
        (
            "00:05 ANN: hi\n00:06 BOB: yo\n00:07 ANN: ok\n",
            [(5.0, "ANN", "hi"), (6.0, "", "BOB: yo"), (7.0, "ANN", "ok")],
        ),
        ("## Ann 0:00:05\n\n\nHello.\n\nMore.\n", [(5.0, "Ann", "Hello. More.")]),
        ("## Ann 0:00:05\nhi\nAnn: me again\n", [(5.0, "Ann", "hi"), (5.0, "Ann", "me again")]),
        (
            "00:05 Note: this is not a speaker\n00:06 Note: nor this\n",
            [(5.0, "", "Note: this is not a speaker"), (6.0, "", "Note: nor this")],
        ),
        ("00:05 Brian: said once is not a name\n", [(5.0, "", "Brian: said once is not a name")]),
        ("00:05 So the ratio is 3:1 here: fine\n", [(5.0, "", "So the ratio is 3:1 here: fine")]),
        (
            "00:05 Michael Kennedy: hi\n00:06 KENNEDY: again\n",
            [(5.0, "Michael Kennedy", "hi"), (6.0, "Michael Kennedy", "again")],
        ),
        ("00:05.500 fractions\n", [(5.5, "", "fractions")]),
    ],
)
def test_it_reads_plain_text_variants(text: str, expected: list) -> None:
    assert reads_as(text, "text") == expected


@pytest.mark.parametrize(
    ("text", "kind", "message"),
    [
        (
            "00:10 a\n\n00:05 b\n",
            "warnings",
            "line 3: timestamp 00:05 goes backwards (previous 00:10)",
        ),
        (
            "Title\n00:01 a\n",
            "warnings",
            "line 1: text before the first timestamp; kept as an opening segment at 0:00",
        ),
        (
            "00:01 a\n00:0x:61 odd\n",
            "warnings",
            "line 2: 00:0x:61 is not a valid time; read as text",
        ),
        ("00:01 a\n12:75 odd\n", "warnings", "line 2: 12:75 is not a valid time; read as text"),
        (
            "00:01 a\n00:02\n00:03 b\n",
            "warnings",
            "line 2: no text follows this time; nothing kept",
        ),
        (
            "00:01 Ann: a\n00:02 Ann: b\nAnn: c\n",
            "warnings",
            "line 3: speaker turn without a timestamp; it starts at 00:02, the last time given, "
            "as will later ones",
        ),
    ],
)
def test_it_reports_odd_plain_text_lines(text: str, kind: str, message: str) -> None:
    problems = getattr(parse(text).report, kind)
    assert message in [p.message for p in problems]


def test_subtitles_read_as_plain_text_say_so_once() -> None:
    srt = "1\n00:00:01,000 --> 00:00:02,000\nHello\n\n2\n00:00:02,000 --> 00:00:03,000\nBye\n"
    warnings = parse(srt, format="text").report.warnings
    assert [w.message for w in warnings if "cue timing" in w.message] == [
        "line 2: looks like a cue timing: is this SRT or WebVTT? read as plain text"
    ]


def test_an_arrow_in_ordinary_words_is_no_cue_timing() -> None:
    assert parse("00:01 input --> output\n").report.warnings == ()


def test_the_backwards_timestamp_keeps_its_text() -> None:
    parsed = parse("00:10 a\n\n00:05 b\n")
    assert [(s.start, s.text) for s in parsed.segments] == [(10.0, "a"), (5.0, "b")]


@pytest.mark.parametrize(
    ("data", "text", "warned"),
    [
        ("00:01 café\n".encode(), "café", False),
        (b"\xef\xbb\xbf00:01 bom\n", "bom", False),
        ("00:01 café\n".encode("cp1252"), "café", True),
        (b"00:01 \x81odd\n", "\x81odd", True),
        ("00:01 wide\n".encode("utf-16"), "wide", False),
    ],
)
def test_it_decodes_bytes_falling_back_to_windows_1252(
    data: bytes, text: str, warned: bool
) -> None:
    parsed = parse(data)
    assert parsed.segments[0].text == text
    assert any("not UTF-8" in w.message for w in parsed.report.warnings) is warned


def test_the_windows_1252_warning_counts_cr_only_lines() -> None:
    parsed = parse("00:01 a\r00:02 b\r00:03 café\r".encode("cp1252"))
    assert [w.line for w in parsed.report.warnings if "not UTF-8" in w.message] == [3]
