"""The worker's side: buffered lines become raw events, listener progress and daily counts.

Each batch is applied in one transaction that also records the batch's name,
so a batch claimed twice (a worker killed after committing) is counted once.
"""

import datetime as dt
import json
import logging
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from urllib.parse import urlsplit

from django.conf import settings
from django.db import transaction
from django.db.models import Count

from episodes.models import Episode, Show

from . import buffer, counting, milestones, personal
from .increments import ADD, MAX, add_rows, insert_rows, upsert_rows
from .models import (
    ClientDownloads,
    DailyDownloads,
    DailyFeedPolls,
    DailyRequests,
    EpisodeDownloads,
    Event,
    ListenerDay,
    ProcessedBatch,
)
from .useragents import classify, is_apple_watch_duplicate, reported_subscribers

log = logging.getLogger(__name__)
DATACENTRE = "datacentre"  # the kind of client its requests are counted under, whatever it sent
KEY_CHUNK = 2000


@dataclass(frozen=True, slots=True)
class Row:
    """One buffered line, parsed and classified."""

    kind: str
    time: dt.datetime
    show: int
    episode: int | None
    status: int
    listener: str
    user_agent: str
    referrer: str
    start: int | None
    end: int | None
    sent: int
    gzip: bool = False
    unpacked: int = 0  # a feed's bytes before gzip (recorded since gzip savings are shown)
    subscriber: int | None = None  # audio fetched through this subscriber's personal feed
    datacentre: bool = False  # audio from a listed data-centre network (PODCAST_DATACENTRE_RANGES)

    @property
    def day(self) -> dt.date:
        return self.time.date()


@dataclass(slots=True)
class Listening:
    """A ListenerDay row as a batch advances it (fields in PROGRESS_FIELDS order), plain:
    a model instance per row cost more than its share of the database's work."""

    day: dt.date
    listener: str
    episode_id: int
    ranges: list = field(default_factory=list)
    pending_since: dt.datetime | None = None
    counted_at: dt.datetime | None = None
    window_end: dt.datetime | None = None
    client: str = ""
    device_category: str = ""
    implausible: bool = False
    show_id: int | None = None  # carried for the daily counts
    subscriber_id: int | None = None  # the personal feed of the request that advanced it


@dataclass(frozen=True)
class Summary:
    batches: int = 0
    events: int = 0
    downloads: int = 0
    skipped: int = 0


def aggregate_pending(limit: int = 50_000, wait: float = 0) -> Summary | None:
    """Aggregate every batch waiting in the buffer; None if another process is at it."""
    source = buffer.get_buffer()
    with source.exclusive(wait) as mine:
        if not mine:
            return None
        summary = aggregate_batches(source, limit)
        milestones.refresh()  # rows for new or rescheduled episodes, under the same lock
        return summary


def aggregate_batches(source, limit: int) -> Summary:
    total = Summary()
    for batch in buffer.batches(limit):
        with transaction.atomic():
            done = ProcessedBatch.objects.filter(name=batch.name).exists()
            summary = Summary() if done else aggregate_lines(batch.lines)
            if not done:
                ProcessedBatch.objects.create(name=batch.name, events=summary.events)
        source.done(batch)
        total = Summary(
            total.batches + 1,
            total.events + summary.events,
            total.downloads + summary.downloads,
            total.skipped + summary.skipped,
        )
    return total


def parse(line: str) -> Row | None:
    try:
        kind, stamp, show, episode, status, key, agent, referrer, start, end, sent, *rest = (
            json.loads(line)
        )
        time = dt.datetime.fromtimestamp(stamp, dt.UTC)
        return Row(kind, time, show, episode, status, key, agent, referrer, start, end, sent, *rest)
    except (ValueError, TypeError):
        return None


def aggregate_lines(lines: list[str]) -> Summary:
    """Apply one batch of buffered lines (inside the caller's transaction)."""
    parsed = [row for row in map(parse, lines) if row is not None]
    rows = existing_only(parsed)
    skipped = len(lines) - len(rows)
    if skipped:
        log.warning("analytics: %d line(s) malformed or for deleted shows/episodes", skipped)
    insert_rows(Event, EVENT_FIELDS, [event_row(row) for row in rows])
    audio = [row for row in rows if row.kind == "a"]
    downloads = count_audio(audio)
    add_requests(audio)
    personal.add_listeners(audio)
    add_feed_polls([row for row in rows if row.kind == "f"])
    return Summary(1, len(rows), downloads, skipped)


def existing_only(rows: list[Row]) -> list[Row]:
    shows = set(Show.objects.filter(pk__in={r.show for r in rows}).values_list("pk", flat=True))
    wanted = {r.episode for r in rows if r.episode is not None}
    episodes = set(Episode.objects.filter(pk__in=wanted).values_list("pk", flat=True))
    return [r for r in rows if r.show in shows and (r.episode is None or r.episode in episodes)]


EVENT_FIELDS = (
    "time", "kind", "show", "episode", "status", "range_start", "range_end", "bytes_sent",
    "listener", "client_kind", "client", "device", "device_category", "referrer_host", "gzip",
    "subscribers",
)  # fmt: skip


def event_row(row: Row) -> tuple:
    """The Event row of a buffered line, in EVENT_FIELDS order."""
    client = classify(row.user_agent, row.referrer)
    kind = DATACENTRE if row.datacentre else client.kind
    host = (urlsplit(row.referrer).hostname or "")[:200] if row.referrer else ""
    return (
        row.time,
        Event.Kind.AUDIO.value if row.kind == "a" else Event.Kind.FEED.value,
        row.show,
        row.episode,
        row.status,
        row.start,
        row.end,
        row.sent,
        row.listener,
        kind,
        client.name[:100],
        client.device[:100],
        client.device_category,
        host,
        bool(row.gzip),
        reported_subscribers(row.user_agent) if row.kind == "f" else None,
    )


def hit_for(row: Row) -> counting.Hit:
    spans = ((row.start, row.end),) if row.start is not None else ()
    kind = classify(row.user_agent, row.referrer).kind
    watch = is_apple_watch_duplicate(row.user_agent)
    return counting.Hit(
        row.time, row.listener, row.episode, row.status, spans, "GET", kind, watch, row.datacentre
    )


# ---------------------------------------------------------------- downloads


def count_audio(rows: list[Row]) -> int:
    """Advance each listener's progress; add the downloads made to the daily counts."""
    if not rows:
        return 0
    sizes = episode_sizes({r.episode for r in rows})
    progress = load_progress(rows)
    counted: list[Listening] = []
    touched: dict[tuple, Listening] = {}
    for row in sorted(rows, key=lambda r: r.time):
        if row.episode not in sizes:
            continue
        pair = (row.day, row.listener, row.episode)
        state = touched[pair] = progress.get(pair) or Listening(row.day, row.listener, row.episode)
        progress[pair] = state
        state.subscriber_id = row.subscriber
        if advance(state, hit_for(row), *sizes[row.episode]):
            client = classify(row.user_agent, row.referrer)
            state.client, state.device_category = client.app[:100], client.device_category
            counted.append(state)
    save_progress(list(touched.values()))
    return add_downloads(counted)


def episode_sizes(ids: set[int]) -> dict[int, tuple[int, int, int]]:
    """Episode id -> (show, file size, bytes that make a download), for episodes with audio."""
    found = Episode.objects.filter(pk__in=ids, audio_size__gt=0)
    fields = ("pk", "show_id", "audio_size", "audio_duration", "audio_bitrate")
    return {
        pk: (show, size, counting.threshold(size, duration, bitrate))
        for pk, show, size, duration, bitrate in found.values_list(*fields)
    }


def load_progress(rows: list[Row]) -> dict[tuple, Listening]:
    by_day: dict[dt.date, set[str]] = defaultdict(set)
    for row in rows:
        by_day[row.day].add(row.listener)
    found = {}
    for day, keys in by_day.items():
        keys = sorted(keys)
        for i in range(0, len(keys), KEY_CHUNK):
            chunk = ListenerDay.objects.filter(day=day, listener__in=keys[i : i + KEY_CHUNK])
            states = (Listening(*values) for values in chunk.values_list(*PROGRESS_FIELDS))
            found.update({(p.day, p.listener, p.episode_id): p for p in states})
    return found


def advance(state: Listening, hit: counting.Hit, show: int, size: int, needed: int) -> bool:
    """Move one listener-day forward by a request (counting.advance on the stored row)."""
    before = counting.Progress(
        tuple(tuple(span) for span in state.ranges),
        state.pending_since,
        state.counted_at,
        state.window_end,
    )
    empty = settings.PODCAST_ANALYTICS_COUNT_EMPTY_UA
    after, made = counting.advance(before, hit, size, needed, "calendar", empty)
    state.ranges = [list(span) for span in after.ranges]
    state.pending_since, state.counted_at, state.window_end = (
        after.pending_since,
        after.counted_at,
        after.window_end,
    )
    state.show_id = show
    return made


PROGRESS_FIELDS = (
    "day", "listener", "episode", "ranges", "pending_since", "counted_at", "window_end", "client",
    "device_category", "implausible",
)  # fmt: skip


def save_progress(states: list[Listening]) -> None:
    """Insert or update the rows by their natural key (day, listener, episode)."""
    upsert_rows(
        ListenerDay,
        PROGRESS_FIELDS,
        [
            (s.day, s.listener, s.episode_id, s.ranges, s.pending_since, s.counted_at)
            + (s.window_end, s.client, s.device_category, s.implausible)
            for s in states
        ],
    )


def add_downloads(counted: list[Listening]) -> int:
    """Add this batch's downloads, after dropping keys implausibly busy that day."""
    busy = implausible_keys({(s.day, s.listener) for s in counted})
    kept = [s for s in counted if (s.day, s.listener) not in busy]
    personal.add_downloads(kept)
    deltas = Counter((s.day, s.show_id, s.episode_id, s.client, s.device_category) for s in kept)
    for day, key in busy:
        now = {s.episode_id for s in counted if (s.day, s.listener) == (day, key)}
        deltas.subtract(withdraw(day, key, now))
    add_download_counts(deltas)
    return sum(deltas.values())


def add_download_counts(deltas: Counter) -> None:
    """Add downloads keyed (day, show, episode, client, device) to the three daily tables."""
    by_episode: Counter = Counter()
    by_client: Counter = Counter()
    for (day, show, episode, client, device), n in deltas.items():
        by_episode[(day, show, episode)] += n
        by_client[(day, show, client, device)] += n
    tables = [
        (DailyDownloads, ("day", "show", "episode", "client", "device_category"), deltas),
        (EpisodeDownloads, ("day", "show", "episode"), by_episode),
        (ClientDownloads, ("day", "show", "client", "device_category"), by_client),
    ]
    for model, keys, counts in tables:
        add_rows(model, keys, {"downloads": ADD}, [(*k, n) for k, n in counts.items() if n])
    milestones.add(by_episode)


def implausible_keys(pairs: set[tuple[dt.date, str]]) -> set[tuple[dt.date, str]]:
    limit = counting.IMPLAUSIBLE_PER_DAY
    busy = set()
    by_day: dict[dt.date, list[str]] = defaultdict(list)
    for day, key in pairs:
        by_day[day].append(key)
    for day, keys in by_day.items():
        for i in range(0, len(keys), KEY_CHUNK):
            counted = ListenerDay.objects.filter(
                day=day, listener__in=keys[i : i + KEY_CHUNK], counted_at__isnull=False
            )
            heavy = counted.values("listener").annotate(n=Count("id")).filter(n__gt=limit)
            busy |= {(day, row["listener"]) for row in heavy}
    return busy


def withdraw(day: dt.date, key: str, counted_now: set[int]) -> Counter:
    """Mark a busy key's downloads implausible; the counts added by earlier batches, to take back."""
    rows = ListenerDay.objects.filter(day=day, listener=key, counted_at__isnull=False)
    earlier = rows.filter(implausible=False).exclude(episode_id__in=counted_now)
    fields = ("day", "episode__show_id", "episode_id", "client", "device_category")
    taken = Counter(tuple(values) for values in earlier.values_list(*fields))
    rows.update(implausible=True)
    return taken


# ---------------------------------------------------------------- requests and feeds


def add_requests(rows: list[Row]) -> None:
    """Every audio request by kind of client, those that never count included."""
    totals: Counter = Counter()
    sent: Counter = Counter()
    for row in rows:
        kind = DATACENTRE if row.datacentre else classify(row.user_agent).kind
        key = (row.day, row.show, row.episode, kind)
        totals[key] += 1
        sent[key] += row.sent
    add_rows(
        DailyRequests,
        ("day", "show", "episode", "client_kind"),
        {"requests": ADD, "bytes_sent": ADD},
        [(*key, n, sent[key]) for key, n in totals.items()],
    )


FEED_COUNTS = ("requests", "not_modified", "full_responses", "gzipped", "bytes_sent", "gzip_saved")


def add_feed_polls(rows: list[Row]) -> None:
    """Feed requests per day, show and client: 304s, full answers, gzip, bytes, subscribers."""
    sums: dict[tuple, list[int]] = defaultdict(lambda: [0, 0, 0, 0, 0, 0])
    subscribers: dict[tuple, int | None] = {}
    for row in rows:
        client = classify(row.user_agent)
        key = (row.day, row.show, client.app[:100], client.kind)
        counts = sums[key]
        counts[0] += 1
        counts[1] += row.status == 304
        counts[2] += row.status == 200
        counts[3] += row.status == 200 and row.gzip
        counts[4] += row.sent
        if row.status == 200 and row.gzip and row.unpacked > row.sent:
            counts[5] += row.unpacked - row.sent
        reported = reported_subscribers(row.user_agent)
        if reported is not None:
            subscribers[key] = max(reported, subscribers.get(key) or 0)
    add_rows(
        DailyFeedPolls,
        ("day", "show", "client", "client_kind"),
        {n: ADD for n in FEED_COUNTS} | {"subscribers": MAX},
        [(*key, *counts, subscribers.get(key)) for key, counts in sums.items()],
    )
