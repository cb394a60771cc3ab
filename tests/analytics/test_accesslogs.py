"""Reading access log lines: combined (nginx, Apache), CloudFront standard, S3 server access."""

import datetime as dt

import pytest

from analytics.accesslogs import read_log

UTC = dt.UTC
FIELDS = (
    "#Fields: date time x-edge-location sc-bytes c-ip cs-method cs(Host) cs-uri-stem sc-status "
    "cs(Referer) cs(User-Agent) cs-uri-query sc-range-start sc-range-end"
)


def one(line: str, fmt: str, header: str = ""):
    lines = [header, line] if header else [line]
    return list(read_log(lines, fmt))[-1][1]


@pytest.mark.parametrize(
    ("line", "expected"),
    [
        (  # nginx escapes a quote in a header as \x22; the Range header logged after the agent
            '192.0.2.1 - - [30/Nov/2026:10:00:00 +0100] "GET /a.mp3?v=2 HTTP/2.0" 206 2 '
            '"https://pod.example/ep" "Player \\x22X\\x22/1.0" "bytes=0-1" "rt=0.001"',
            ("192.0.2.1", "GET", "/a.mp3", 206, 2, 'Player "X"/1.0', "https://pod.example/ep")
            + ("bytes=0-1", dt.datetime(2026, 11, 30, 9, 0, tzinfo=UTC)),
        ),
        (  # Apache escapes it as \"; "-" is no Referer; no Range logged
            '2001:db8::1 - alice [30/Nov/2026:10:00:00 +0000] "HEAD /a.mp3 HTTP/1.1" 200 - "-" '
            '"Say \\"hi\\""',
            ("2001:db8::1", "HEAD", "/a.mp3", 200, 0, 'Say "hi"', "", "")
            + (dt.datetime(2026, 11, 30, 10, 0, tzinfo=UTC),),
        ),
    ],
)
def test_combined_lines_give_who_what_and_the_range(line, expected):
    r = one(line, "combined")
    got = (r.ip, r.method, r.path, r.status, r.sent, r.user_agent, r.referrer, r.range, r.time)
    assert got == expected


@pytest.mark.parametrize(
    ("fmt", "line", "reason"),
    [
        ("combined", "garbage", "not in the combined format"),
        (
            "combined",
            '192.0.2.1 - - [30/11/2026 10:00] "GET /a.mp3 HTTP/1.1" 200 5 "-" "X"',
            "time '30/11/2026 10:00' is not like",
        ),
        ("combined", '192.0.2.1 - - [30/Nov/2026:10:00:00 +0000] "\\x16\\x03" 400 0 "-" "-"',
         "is not like 'GET /path HTTP/1.1'"),
        ("s3", "owner bucket [30/Nov/2026:10:00:00 +0000] 192.0.2.1 -", "not in the S3 server"),
        ("cloudfront", "2026-11-30\t10:00:00", "a request before the #Fields: line"),
    ],
)  # fmt: skip
def test_a_line_that_cannot_be_read_says_why(fmt, line, reason):
    assert reason in one(line, fmt)


def test_cloudfront_columns_come_from_the_fields_line_and_the_agent_is_decoded():
    line = "\t".join(
        ["2026-11-30", "10:00:01", "FRA56", "300400", "2001:db8::9", "GET", "d1.cloudfront.net"]
        + ["/audio/a%20b.mp3", "206", "-", "Mozilla/5.0%2520(compatible;%2520bingbot/2.0)", "-"]
        + ["0", "299999"]
    )
    r = one(line, "cloudfront", FIELDS)
    assert (r.path, r.status, r.sent, r.span) == ("/audio/a b.mp3", 206, 300400, (0, 299999))
    assert r.user_agent == "Mozilla/5.0 (compatible; bingbot/2.0)"
    assert r.time == dt.datetime(2026, 11, 30, 10, 0, 1, tzinfo=UTC)


def test_a_cloudfront_fields_line_without_the_needed_columns_is_an_error():
    assert "#Fields lacks c-ip" in one("#Fields: date time sc-status", "cloudfront")


def test_an_s3_line_names_the_object_key_url_decoded():
    line = (
        "ab bucket [30/Nov/2026:10:00:38 +0000] 192.0.2.3 - 3E57 REST.GET.OBJECT audio/a%2Bb.mp3 "
        '"GET /bucket/audio/a%2Bb.mp3 HTTP/1.1" 200 - 1000 1000 70 10 "-" "AntennaPod/3.4.0" - x'
    )
    r = one(line, "s3")
    assert (r.path, r.status, r.sent, r.user_agent) == (
        "/audio/a+b.mp3",
        200,
        1000,
        "AntennaPod/3.4.0",
    )


def test_blank_and_comment_lines_are_nothing_to_read():
    assert [request for _, request in read_log(["", "#Version: 1.0"], "cloudfront")] == [None, None]
    assert one("", "combined") is None


def test_an_unknown_format_is_refused():
    with pytest.raises(ValueError, match="one of combined, cloudfront, s3"):
        list(read_log([], "w3c"))
