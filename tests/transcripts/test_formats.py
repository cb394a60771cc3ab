"""transcripts.formats: the one table of transcript formats. Pure, no database."""

import pytest

from transcripts.formats import BY_SUFFIX, FORMATS, IN_FEED, SERVED_SUFFIXES
from transcripts.parsing import Segment, detect_format, parse

SEGMENTS = [
    Segment(start=0.0, end=2.5, speaker="Michael", text="Hello and welcome."),
    Segment(start=2.5, end=6.0, speaker="Brian", text="Thanks, great to be here."),
]


@pytest.mark.parametrize("fmt", FORMATS, ids=lambda f: f.name)
def test_what_a_format_writes_its_reader_reads_back(fmt):
    written = fmt.writer(SEGMENTS)
    parsed = parse(written, filename=f"episode.{fmt.suffix}")
    assert parsed.report.format == fmt.name
    assert [s.text for s in parsed.segments] == [s.text for s in SEGMENTS]


@pytest.mark.parametrize("fmt", FORMATS, ids=lambda f: f.name)
def test_every_suffix_names_its_format(fmt):
    assert all(BY_SUFFIX[suffix] is fmt for suffix in fmt.suffixes)
    assert detect_format("Hello.", filename=f"a.{fmt.suffix}") in (fmt.name, "text")


def test_the_feed_offers_captions_first_and_the_plain_text_only_as_a_file():
    assert [f.name for f in IN_FEED] == ["vtt", "json", "srt", "html"]
    assert [f.rel for f in IN_FEED] == ["captions", "", "captions", ""]
    assert SERVED_SUFFIXES == ("vtt", "json", "srt", "html", "txt")


@pytest.mark.parametrize(
    ("suffix", "content_type"),
    [
        ("vtt", "text/vtt; charset=utf-8"),
        ("json", "application/json"),
        ("srt", "application/x-subrip; charset=utf-8"),
        ("txt", "text/plain; charset=utf-8"),
        ("htm", "text/html; charset=utf-8"),
    ],
)
def test_served_files_say_their_charset_where_the_type_needs_it(suffix, content_type):
    assert BY_SUFFIX[suffix].content_type == content_type
