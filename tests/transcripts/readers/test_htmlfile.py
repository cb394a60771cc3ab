"""transcripts.readers.htmlfile (the namespace's HTML) through transcripts.parsing.parse."""

import pytest

from tests.transcripts.material import invariant_holds, reads_as
from transcripts.parsing import parse

# The snippet of the namespace's transcripts.md: a <p> over several lines, "Alban :".
SNIPPET = """<cite>Kevin:</cite>
<time>0:00</time>
<p>
  We have an update planned where we would like to give the ability to upload an
  artwork file for these videos
</p>
<cite>Alban :</cite>
<time>0:09</time>
<p>You're triggering Tom right now with a hey, here's a cool feature.</p>
"""


def test_it_reads_the_namespace_snippet() -> None:
    parsed = parse(SNIPPET)
    assert [(s.start, s.end, s.speaker, s.text, s.line) for s in parsed.segments] == [
        (
            0.0,
            None,
            "Kevin",
            "We have an update planned where we would like to give the ability to upload an "
            "artwork file for these videos",
            4,
        ),
        (
            9.0,
            None,
            "Alban",
            "You're triggering Tom right now with a hey, here's a cool feature.",
            9,
        ),
    ]
    report = parsed.report
    assert (report.format, report.lines_joined, report.lines_structural) == ("html", 1, 6)
    assert invariant_holds(parsed)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("<time>1:02:03</time><p>late</p>", [(3723.0, "", "late")]),
        ("<time>75:00</time>\n<p>long minutes</p>", [(4500.0, "", "long minutes")]),
        ("<p>a &amp; b &lt;c&gt; <b>bold</b><br>next</p>", [(0.0, "", "a & b <c> bold next")]),
        (
            "<cite>Ann:</cite><time>0:01</time><p>one</p>\n<time>0:02</time><p>two</p>",
            [(1.0, "Ann", "one"), (2.0, "", "two")],
        ),
        ("<time>0:05</time><cite>Ann</cite><p>cite after time</p>", [(5.0, "Ann", "cite after time")]),
        ("<cite>Ann::</cite><time>0:05</time><p>hi</p>", [(5.0, "Ann:", "hi")]),
        (
            "<time>0:05</time><p>one</p>\n<p>no time of its own</p>",
            [(5.0, "", "one"), (5.0, "", "no time of its own")],
        ),
        (
            "<!DOCTYPE html>\n<html><head><style>p { x: 1 }</style></head><body>\n"
            "<time>0:01</time>\n<p>in a page</p>\n<script>var a = '<p>';</script>\n</body></html>",
            [(1.0, "", "in a page")],
        ),
    ],
)  # fmt: skip
def test_it_reads_namespace_html_variants(text: str, expected: list) -> None:
    assert reads_as(text, "html") == expected


@pytest.mark.parametrize(
    ("text", "kind", "message"),
    [
        (
            "<h1>Episode 5</h1>\n<time>0:01</time><p>hi</p>",
            "rejected",
            "line 1: words outside <cite>, <time> and <p>",
        ),
        (
            "<time>0:10</time><p>a</p>\n<time>0:05</time><p>b</p>",
            "warnings",
            "line 2: timestamp 0:05 goes backwards (previous 0:10)",
        ),
        (
            "<time>soon</time>\n<p>a</p>",
            "warnings",
            "line 1: <time>soon</time> is not a valid time; ignored",
        ),
        (
            "<p>untimed</p>",
            "warnings",
            "line 1: paragraph without a <time>; it starts at 00:00, the last time given, "
            "as will later ones",
        ),
        (
            "<time>0:01</time>\n<time>0:02</time><p>b</p>",
            "warnings",
            "line 1: no text follows this time; nothing kept",
        ),
    ],
)
def test_it_reports_odd_html_with_line_numbers(text: str, kind: str, message: str) -> None:
    parsed = parse(text)
    assert message in [p.message for p in getattr(parsed.report, kind)]
    lines = text.split("\n")
    problems = parsed.report.rejected + parsed.report.warnings
    assert problems and all(lines[p.line - 1] == p.text for p in problems), problems


def test_words_outside_paragraphs_are_rejected_not_dropped() -> None:
    parsed = parse("<time>0:01</time>\n<p>kept</p>\nstray words\n<div>more stray</div>\n")
    assert [s.text for s in parsed.segments] == ["kept"]
    assert [(p.line, p.text) for p in parsed.report.rejected] == [
        (3, "stray words"),
        (4, "<div>more stray</div>"),
    ]
    assert invariant_holds(parsed)
