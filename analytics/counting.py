"""IAB Podcast Measurement v2.2 (and v2.3) download counting, as a pure function of requests.

A download is one listener key (salted IP + user agent) per episode per window
that has received the file's header plus one minute of audio, or the whole
file when the episode is shorter than a minute or its bitrate is unknown,
across all of that key's ranges. HEAD, 304, `bytes=0-1` probes, bots (the
lists' bot libraries included), Apple Watch duplicates, requests from listed
data-centre networks and, unless asked, requests without a user agent never
count; a key with implausibly many downloads in a day is dropped whole. See the README's methodology section.
"""

import datetime as dt
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, replace

from .useragents import EMPTY, LISTENER_KINDS

DAY = dt.timedelta(hours=24)
WINDOWS = ("calendar", "first_touch", "last_touch")
PROBE = ((0, 1),)
# Statuses that delivered bytes: 200, 206, and a redirect to storage or a CDN
# (counted from the range it was asked for, as prefix services count).
DELIVERING = frozenset({200, 206, 302, 307})
# More counted downloads than this from one key in one UTC day is not a person.
IMPLAUSIBLE_PER_DAY = 50

Span = tuple[int, int]  # first and last byte, both included


@dataclass(frozen=True, slots=True)
class Hit:
    """One recorded audio request, its user agent already classified."""

    time: dt.datetime
    key: str
    episode: int
    status: int = 200
    ranges: tuple[Span, ...] = ()
    method: str = "GET"
    kind: str = "app"
    watch_duplicate: bool = False
    datacentre: bool = False  # from a listed data-centre, hosting or VPN network


@dataclass(frozen=True, slots=True)
class Progress:
    """What one key has received of one episode: the state carried from batch to batch."""

    ranges: tuple[Span, ...] = ()
    pending_since: dt.datetime | None = None
    counted_at: dt.datetime | None = None
    window_end: dt.datetime | None = None


@dataclass(frozen=True, slots=True)
class Download:
    key: str
    episode: int
    time: dt.datetime


def threshold(size: int, duration: float | None, bitrate: int | None) -> int:
    """Bytes that make a download: header + 1 minute of audio, or the whole file.

    The header is what the file holds beyond its audio at the stated bitrate
    (ID3 tag and artwork); `bitrate` is in bits per second.
    """
    if not duration or not bitrate or duration < 60:
        return size
    per_second = bitrate / 8
    header = max(0, size - round(duration * per_second))
    return min(size, header + round(60 * per_second))


def merge(spans: Iterable[Span]) -> tuple[Span, ...]:
    """Spans sorted, with overlapping and adjacent ones joined."""
    merged: list[Span] = []
    for start, end in sorted(spans):
        if merged and start <= merged[-1][1] + 1:
            merged[-1] = (merged[-1][0], max(merged[-1][1], end))
        else:
            merged.append((start, end))
    return tuple(merged)


def covered(spans: tuple[Span, ...]) -> int:
    return sum(end - start + 1 for start, end in spans)


def ignored(hit: Hit, count_empty: bool = False) -> bool:
    """Requests that are never part of a download, and do not even touch a window."""
    if hit.method != "GET" or hit.status not in DELIVERING:
        return True  # HEAD, 304, errors
    if hit.ranges == PROBE or not hit.ranges or hit.datacentre:
        return True
    if hit.kind == EMPTY:
        return not count_empty
    return hit.kind not in LISTENER_KINDS or hit.watch_duplicate


def window_start(time: dt.datetime) -> dt.datetime:
    """The UTC midnight a calendar-day window began at."""
    day = time.astimezone(dt.UTC)
    return day.replace(hour=0, minute=0, second=0, microsecond=0)


def advance(
    progress: Progress,
    hit: Hit,
    size: int,
    needed: int,
    window: str = "calendar",
    count_empty: bool = False,
) -> tuple[Progress, bool]:
    """The key's progress after one more request, and whether it made a download."""
    if ignored(hit, count_empty):
        return progress, False
    if progress.window_end is not None and hit.time < progress.window_end:
        if window == "last_touch":  # every request pushes the window forward
            return replace(progress, window_end=hit.time + DAY), False
        return progress, False
    if progress.counted_at is not None or stale(progress, hit.time, window):
        progress = Progress()  # a new window: what was received before no longer adds up
    spans = merge(progress.ranges + tuple((s, min(e, size - 1)) for s, e in hit.ranges))
    pending = progress.pending_since or hit.time
    if covered(spans) < needed:
        return Progress(spans, pending), False
    end = window_start(hit.time) + DAY if window == "calendar" else hit.time + DAY
    return Progress(spans, pending, hit.time, end), True


def stale(progress: Progress, time: dt.datetime, window: str) -> bool:
    """Whether partial ranges belong to an earlier window than `time`."""
    if progress.pending_since is None:
        return False
    if window == "calendar":
        return window_start(progress.pending_since) != window_start(time)
    return time - progress.pending_since >= DAY


def count_downloads(
    hits: Iterable[Hit],
    sizes: dict[int, tuple[int, int]],
    *,
    window: str = "calendar",
    implausible: int = IMPLAUSIBLE_PER_DAY,
    count_empty: bool = False,
) -> list[Download]:
    """The downloads a set of requests makes, in time order.

    `sizes` maps an episode to (file size, bytes needed). Keys with more than
    `implausible` downloads in one UTC day lose all of that day's downloads.
    Requests without a user agent count only with `count_empty`.
    """
    if window not in WINDOWS:
        raise ValueError(f"unknown window {window!r}: one of {', '.join(WINDOWS)}")
    state: dict[tuple[str, int], Progress] = {}
    downloads: list[Download] = []
    for hit in sorted(hits, key=lambda h: h.time):
        size, needed = sizes[hit.episode]
        pair = (hit.key, hit.episode)
        progress = state.get(pair, Progress())
        state[pair], counted = advance(progress, hit, size, needed, window, count_empty)
        if counted:
            downloads.append(Download(hit.key, hit.episode, hit.time))
    return drop_implausible(downloads, implausible)


def drop_implausible(downloads: list[Download], limit: int) -> list[Download]:
    """Downloads without those of keys that made more than `limit` in a UTC day."""
    per_day = Counter((d.key, window_start(d.time)) for d in downloads)
    return [d for d in downloads if per_day[(d.key, window_start(d.time))] <= limit]
