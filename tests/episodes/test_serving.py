"""Audio downloads, the pure part: the range parser, validators and multipart framing.

The download view itself, under WSGI and ASGI: tests/episodes/test_download_view.py.
"""

import datetime as dt
import io

import pytest

from episodes.serving import (
    MAX_RANGES,
    ByteRange,
    if_range_matches,
    make_etag,
    multipart_body,
    parse_range_header,
    read_exactly,
)

# --- The range parser: pure, no database -------------------------------------------------


@pytest.mark.parametrize(
    ("header", "expected"),
    [
        ("bytes=0-1", [(0, 1)]),
        ("bytes=0-0", [(0, 0)]),
        ("bytes=-500", [(500, 999)]),
        ("bytes=100-", [(100, 999)]),
        ("bytes=0-", [(0, 999)]),
        ("bytes=999-999", [(999, 999)]),
        ("bytes=990-5000", [(990, 999)]),
        ("bytes=-5000", [(0, 999)]),
        ("bytes=-1000", [(0, 999)]),
        ("BYTES=0-1", [(0, 1)]),
        ("bytes=0-1, 5-6", [(0, 1), (5, 6)]),
        ("bytes=5-6,0-1", [(0, 1), (5, 6)]),
        ("bytes=0-1,,5-6,", [(0, 1), (5, 6)]),
        ("bytes=0-10,5-20", [(0, 20)]),
        ("bytes=0-1,2-3", [(0, 3)]),
        ("bytes=0-499,-600", [(0, 999)]),
        ("bytes=100-200,150-160", [(100, 200)]),
        ("bytes=0-1,2000-3000", [(0, 1)]),
    ],
)
def test_parser_returns_satisfiable_ranges_sorted_and_merged(header, expected):
    assert parse_range_header(header, 1000) == tuple(ByteRange(*pair) for pair in expected)


@pytest.mark.parametrize(
    "header",
    ["bytes=1000-", "bytes=1000-1001", "bytes=5000-", "bytes=-0", "bytes=1000-,2000-3000"],
)
def test_parser_finds_nothing_satisfiable_beyond_the_end(header):
    assert parse_range_header(header, 1000) == ()


@pytest.mark.parametrize("header", ["bytes=0-1", "bytes=0-", "bytes=-500", "bytes=0-0"])
def test_parser_finds_nothing_satisfiable_in_an_empty_file(header):
    assert parse_range_header(header, 0) == ()


@pytest.mark.parametrize(
    "header",
    [
        "",
        "bytes",
        "bytes=",
        "bytes=,",
        "bytes=-",
        "bytes=5-1",
        "bytes=0-1,5-1",
        "bytes=a-b",
        "bytes=1-2-3",
        "bytes=+1-2",
        "bytes=0x10-",
        "bytes=1 - 2",
        "bytes=0-1;5-6",
        "bytes 0-1",
        "items=0-1",
        "bytes=\u0661-\u0662",  # Arabic-Indic digits: int() takes them, HTTP does not.
        "bytes=" + ",".join(f"{i * 10}-{i * 10 + 1}" for i in range(MAX_RANGES + 1)),
    ],
)
def test_parser_ignores_malformed_headers(header):
    assert parse_range_header(header, 1000) is None


def test_parser_accepts_as_many_ranges_as_the_cap():
    header = "bytes=" + ",".join(f"{i * 10}-{i * 10 + 1}" for i in range(MAX_RANGES))
    assert len(parse_range_header(header, 1000)) == MAX_RANGES


def test_etag_is_strong_and_changes_with_name_size_and_time():
    moment = dt.datetime(2026, 1, 2, tzinfo=dt.UTC)
    etag = make_etag("audio/a-v1.mp3", 10, moment)
    assert etag.startswith('"') and etag.endswith('"')
    assert etag == make_etag("audio/a-v1.mp3", 10, moment)
    others = {
        make_etag("audio/a-v2.mp3", 10, moment),
        make_etag("audio/a-v1.mp3", 11, moment),
        make_etag("audio/a-v1.mp3", 10, moment + dt.timedelta(seconds=1)),
    }
    assert etag not in others and len(others) == 3


@pytest.mark.parametrize(
    ("if_range", "matches"),
    [
        ("", True),
        ('"abc"', True),
        ('"abd"', False),
        ('W/"abc"', False),
        ("Fri, 02 Jan 2026 00:00:00 GMT", True),
        ("Fri, 02 Jan 2026 00:00:01 GMT", False),
        ("Thu, 01 Jan 2026 23:59:59 GMT", False),
        ("not a date", False),
    ],
)
def test_if_range_needs_the_exact_current_validator(if_range, matches):
    last_modified = int(dt.datetime(2026, 1, 2, tzinfo=dt.UTC).timestamp())
    assert if_range_matches(if_range, '"abc"', last_modified) is matches


def test_multipart_length_counts_every_byte_of_the_body():
    ranges = (ByteRange(0, 1), ByteRange(10, 19))
    body = multipart_body(ranges, 100, "audio/mpeg", "XYZ")
    data = bytes(range(100))
    sent = b"".join(p if isinstance(p, bytes) else data[p.start : p.end + 1] for p in body.pieces)
    expected = (
        b"--XYZ\r\nContent-Type: audio/mpeg\r\nContent-Range: bytes 0-1/100\r\n\r\n"
        + data[0:2]
        + b"\r\n--XYZ\r\nContent-Type: audio/mpeg\r\nContent-Range: bytes 10-19/100\r\n\r\n"
        + data[10:20]
        + b"\r\n--XYZ--\r\n"
    )
    assert sent == expected
    assert body.length == len(expected)


def test_reading_past_the_end_of_a_shorter_file_fails_loudly():
    with pytest.raises(OSError):
        read_exactly(io.BytesIO(b"0123"), 2, 5)
