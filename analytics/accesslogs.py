"""Web server, CDN and object-storage access logs, read into plain request records.

Three formats: `combined` (nginx's and Apache's default "combined" format,
optionally followed by more quoted fields, the first `bytes=...` one taken as
the Range header: nginx `"$http_range"`, Apache `"%{Range}i"`), `cloudfront`
(CloudFront standard logs: tab-separated, columns named by the `#Fields:`
line, user agent URL-encoded, the range in `sc-range-start`/`sc-range-end`)
and `s3` (S3 server access logs: space-separated, quoted request line,
referrer and user agent). A line that cannot be read is reported with why,
never skipped in silence.
"""

import datetime as dt
import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from urllib.parse import unquote, urlsplit

FORMATS = ("combined", "cloudfront", "s3")
QUOTED = r'"((?:[^"\\]|\\.)*)"'
COMBINED = re.compile(
    rf"(?P<ip>\S+) \S+ \S+ \[(?P<time>[^\]]+)\] {QUOTED} (?P<status>\d{{3}}) (?P<sent>\d+|-)"
    rf" {QUOTED} {QUOTED}(?P<rest>.*)$"
)
S3 = re.compile(
    rf"\S+ \S+ \[(?P<time>[^\]]+)\] (?P<ip>\S+) \S+ \S+ (?P<operation>\S+) (?P<key>\S+)"
    rf" {QUOTED} (?P<status>\d{{3}}) \S+ (?P<sent>\d+|-) (?P<size>\d+|-) \S+ \S+"
    rf" {QUOTED} {QUOTED}"
)
EXTRA_FIELD = re.compile(QUOTED)
CLOUDFRONT_NEEDED = (
    "date", "time", "c-ip", "cs-method", "cs-uri-stem", "sc-status", "sc-bytes",
    "cs(Referer)", "cs(User-Agent)",
)  # fmt: skip


@dataclass(frozen=True, slots=True)
class Request:
    """One logged request: who, what, the answer and the bytes of body sent.

    `range` is the Range header as sent (`bytes=0-1`), or the first and last
    byte served when the log gives them (CloudFront), or empty: not logged.
    """

    time: dt.datetime
    ip: str
    method: str
    path: str
    status: int
    sent: int
    user_agent: str
    referrer: str
    range: str = ""
    span: tuple[int, int] | None = None


class LineError(ValueError):
    """A line that is not in the format: the message says why."""


def read_log(lines: Iterable[str], format: str) -> Iterator[tuple[int, Request | str | None]]:
    """(line number, request) for each line; the reason instead when it cannot be read.

    None stands for a line with nothing to read (blank, or a comment of the format).
    """
    if format not in FORMATS:
        raise ValueError(f"unknown log format {format!r}: one of {', '.join(FORMATS)}")
    names: list[str] | None = None
    for number, line in enumerate(lines, 1):
        line = line.rstrip("\r\n")
        try:
            if format == "cloudfront":
                names, request = cloudfront_line(line, names)
            else:
                request = combined_line(line) if format == "combined" else s3_line(line)
        except LineError as error:
            yield number, str(error)
            continue
        yield number, request


def log_time(text: str) -> dt.datetime:
    """`10/Oct/2026:13:55:36 -0700` (combined and S3 logs) as an aware datetime."""
    try:
        return dt.datetime.strptime(text, "%d/%b/%Y:%H:%M:%S %z")
    except ValueError:
        raise LineError(f"time {text!r} is not like 10/Oct/2026:13:55:36 +0000") from None


def request_line(text: str) -> tuple[str, str]:
    """Method and path of a request line `GET /path?query HTTP/1.1`."""
    parts = text.split(" ")
    if len(parts) != 3 or not parts[1].startswith("/"):
        raise LineError(f"request {text[:80]!r} is not like 'GET /path HTTP/1.1'")
    return parts[0], urlsplit(parts[1]).path


def number(text: str) -> int:
    return 0 if text == "-" else int(text)


def unescape(text: str) -> str:
    """A quoted field as nginx (`\\x22`) or Apache (`\\"`) escaped it; "-" is empty."""
    if text == "-":
        return ""
    text = re.sub(r"\\x([0-9a-fA-F]{2})", lambda m: chr(int(m.group(1), 16)), text)
    return text.replace('\\"', '"').replace("\\\\", "\\")


def fields(pattern: re.Pattern[str], line: str, layout: str) -> tuple[str, ...]:
    found = pattern.match(line)
    if not found:
        raise LineError(f"not in the {layout}")
    return found.groups()


def combined_line(line: str) -> Request | None:
    if not line.strip():
        return None
    layout = 'combined format (IP - user [time] "request" status bytes "referrer" "user agent")'
    ip, stamp, request, status, sent, referrer, agent, rest = fields(COMBINED, line, layout)
    method, path = request_line(unescape(request))
    ranges = [value for value in EXTRA_FIELD.findall(rest) if value.startswith("bytes=")]
    return Request(
        log_time(stamp), ip, method, path, int(status), number(sent),
        unescape(agent), unescape(referrer), ranges[0] if ranges else "",
    )  # fmt: skip


def s3_line(line: str) -> Request | None:
    if not line.strip():
        return None
    layout = (
        "S3 server access log format (owner bucket [time] ip requester id operation key"
        ' "request" status error bytes size ...)'
    )
    stamp, ip, _, key, request, status, sent, _, referrer, agent = fields(S3, line, layout)
    method, path = request_line(unescape(request))
    if key != "-":  # the object key, URL-encoded: a path-style URL has the bucket before it
        path = "/" + unquote(key)
    return Request(
        log_time(stamp), ip, method, path, int(status), number(sent),
        unescape(agent), unescape(referrer),
    )  # fmt: skip


def cloudfront_line(line: str, names: list[str] | None) -> tuple[list[str] | None, Request | None]:
    """The columns in force after this line, and its request (CloudFront standard log)."""
    if line.startswith("#Fields:"):
        given = line.removeprefix("#Fields:").split()
        missing = [name for name in CLOUDFRONT_NEEDED if name not in given]
        if missing:
            raise LineError(f"#Fields lacks {', '.join(missing)}")
        return given, None
    if line.startswith("#") or not line.strip():
        return names, None
    if names is None:
        raise LineError("a request before the #Fields: line that names the columns")
    values = line.split("\t")
    if len(values) != len(names):
        raise LineError(f"{len(values)} tab-separated values, the #Fields line names {len(names)}")
    row = dict(zip(names, values, strict=True))
    return names, cloudfront_request(row)


def cloudfront_request(row: dict[str, str]) -> Request:
    try:
        time = dt.datetime.fromisoformat(f"{row['date']}T{row['time']}+00:00")
        status, sent = int(row["sc-status"]), number(row["sc-bytes"])
        start, end = row.get("sc-range-start", "-"), row.get("sc-range-end", "-")
        span = (int(start), int(end)) if start != "-" and end != "-" else None
    except ValueError as error:
        raise LineError(f"unreadable date, time, status, bytes or range: {error}") from None
    # CloudFront URL-encodes the user agent and referrer (some characters twice).
    agent = unquote(unquote(row["cs(User-Agent)"]))
    referrer = "" if row["cs(Referer)"] == "-" else unquote(row["cs(Referer)"])
    return Request(
        time, row["c-ip"], row["cs-method"], unquote(row["cs-uri-stem"]), status, sent,
        "" if agent == "-" else agent, referrer, span=span,
    )  # fmt: skip
