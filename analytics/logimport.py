"""Access logs of a CDN, object storage or web server, counted as the download path counts.

Each request for an episode's audio becomes the line recording.py would have
buffered for it (listener key, user agent, referrer, status, the byte spans
delivered), and the batch goes through aggregation.aggregate_lines, the
worker's own path: the same IAB rules, windows, bots and filters. What a file
held up to where it was imported is recorded (ImportedLog) in the transaction
that counts it, so a file imported twice, or a copy of it, is counted once,
and a file that grew is read on from where the last import stopped.
"""

import datetime as dt
import gzip
import hashlib
import json
import secrets
from collections import Counter, defaultdict
from collections.abc import Iterator
from dataclasses import dataclass, field
from itertools import tee
from pathlib import Path
from typing import BinaryIO
from urllib.parse import unquote

from django.db import transaction
from django.urls import Resolver404, resolve

from episodes.models import Episode, Show
from episodes.serving import parse_range_header

from . import buffer
from .accesslogs import Request, read_log
from .aggregation import aggregate_lines
from .datacentres import is_datacentre
from .models import ImportedLog
from .recording import delivered, event_fields, row_tail
from .salts import salt_for, utc_day

CHUNK = 20_000  # lines per transaction: an interrupted import resumes from the last one
RECORDED = frozenset({200, 206, 304, 416})  # what the download view records (no 404s, no HEAD)
DOWNLOAD_VIEWS = frozenset({"download", "download_m4a"})


@dataclass(frozen=True)
class Audio:
    show: int
    episode: int
    size: int


@dataclass
class FileReport:
    """What one file held and what became of it."""

    name: str
    lines: int = 0
    already: int = 0  # lines counted by an earlier import
    recorded: int = 0  # audio requests turned into events
    downloads: int = 0
    passed: Counter = field(default_factory=Counter)  # lines read but not recorded, by reason
    errors: list[tuple[int, str]] = field(default_factory=list)


class Episodes:
    """Which episode's audio a logged path is: our download URL, or the stored file's name."""

    def __init__(self) -> None:
        self.by_name: dict[str, Audio] = {}
        self.by_number: dict[tuple[int, int], Audio] = {}
        rows = Episode.objects.filter(audio_size__gt=0).values_list(
            "pk", "show_id", "number", "audio_size", "audio", "audio_files"
        )
        for pk, show, number, size, name, versions in rows:
            audio = Audio(show, pk, size)
            self.by_number[(show, number)] = audio
            for stored in [name, *(versions or {}).values()]:
                self.by_name[stored] = audio
        self.shows = dict(Show.objects.values_list("slug", "pk"))
        default = Show.objects.default()
        self.default = default.pk if default else None

    def find(self, path: str) -> Audio | None:
        return self.by_url(path) or self.by_storage_name(path)

    def by_url(self, path: str) -> Audio | None:
        try:
            match = resolve(path)
        except Resolver404:
            return None
        if match.url_name not in DOWNLOAD_VIEWS:
            return None
        slug = match.kwargs.get("show_slug")
        show = self.shows.get(slug) if slug else self.default
        return self.by_number.get((show, match.kwargs["number"]))

    def by_storage_name(self, path: str) -> Audio | None:
        """The file under a media URL, a CDN path or a bucket (path-style URLs lead with it)."""
        parts = unquote(path).strip("/").split("/")
        for start in range(len(parts)):
            if found := self.by_name.get("/".join(parts[start:])):
                return found
        return None


class Salts:
    """Today's lines are keyed with the live salt, as the download view keys them; earlier days
    with a salt made for this import and never stored (theirs was destroyed), so keys of a past
    day match across the files of one run only."""

    def __init__(self) -> None:
        self.today = utc_day(dt.datetime.now(dt.UTC))
        self.made: dict[dt.date, bytes] = {}

    def __call__(self, time: dt.datetime) -> bytes:
        day = utc_day(time)
        if day == self.today:
            return salt_for(time)
        return self.made.setdefault(day, secrets.token_bytes(32))


def line_for(request: Request, audio: Audio, salt: bytes) -> list:
    """The buffered line the download view would have written for this request."""
    line = event_fields(
        "a", request.time.timestamp(), audio.show, audio.episode, request.status,
        request.ip, request.user_agent, request.referrer, salt,
    )  # fmt: skip
    tail = row_tail(None, is_datacentre(request.ip))
    spans = delivered(asked_spans(request, audio.size), request.sent)
    if request.status not in (200, 206) or not spans:
        return [[*line, None, None, 0, *tail]]
    return [[*line, start, end, end - start + 1, *tail] for start, end in spans]


def asked_spans(request: Request, size: int) -> list[tuple[int, int]]:
    """The spans the answer carried, in order, as far as the log tells.

    A 206 whose range the log does not give is taken to start at byte 0, so
    such requests can only overlap, never add up: the count errs low, not high.
    """
    if request.span is not None:
        return [request.span]
    if request.status == 206 and request.range:
        ranges = parse_range_header(request.range, size)
        if ranges:
            return [(r.start, r.end) for r in ranges]
    return [(0, max(size, request.sent) - 1)]


def open_log(path: Path) -> BinaryIO:
    with path.open("rb") as probe:
        compressed = probe.read(2) == b"\x1f\x8b"
    return gzip.open(path, "rb") if compressed else path.open("rb")


def first_request_digest(path: Path) -> str:
    """The digest of a file's first line that is not a comment: what names it as it grows."""
    with open_log(path) as file:
        for raw in file:
            if raw.strip() and not raw.startswith(b"#"):
                return hashlib.sha256(raw).hexdigest()
    return hashlib.sha256(b"").hexdigest()


def imported_part(path: Path, head: str) -> tuple[int, ImportedLog | None]:
    """How many lines of the file an earlier import counted, and its record."""
    known: dict[int, dict[str, ImportedLog]] = defaultdict(dict)
    for record in ImportedLog.objects.filter(head=head):
        known[record.size][record.digest] = record
    best: tuple[int, ImportedLog | None] = (0, None)
    digest, offset = hashlib.sha256(), 0
    with open_log(path) as file:
        for number, raw in enumerate(file, 1):
            digest.update(raw)
            offset += len(raw)
            if offset in known and (found := known[offset].get(digest.hexdigest())):
                best = (number, found)
    return best


def lines_from(path: Path) -> Iterator[tuple[str, int, str]]:
    """(text, bytes so far, digest so far) of each line."""
    digest, offset = hashlib.sha256(), 0
    with open_log(path) as file:
        for raw in file:
            digest.update(raw)
            offset += len(raw)
            yield raw.decode("utf-8", "replace"), offset, digest.hexdigest()


def import_log(path: Path, format: str, *, salts: Salts | None = None) -> FileReport:
    """Count the requests of one log file not counted before; what happened to every line."""
    source = buffer.get_buffer()
    with source.exclusive(wait=600) as mine:
        if not mine:
            raise RuntimeError("another process kept the aggregation lock for 10 minutes")
        return Importer(path, format, salts or Salts()).run()


class Importer:
    def __init__(self, path: Path, format: str, salts: Salts) -> None:
        self.path, self.format, self.salts = path, format, salts
        self.report = FileReport(str(path))
        self.episodes = Episodes()
        self.head = first_request_digest(path)

    def run(self) -> FileReport:
        skip, self.record = imported_part(self.path, self.head)
        self.report.already = skip
        chunk: list[str] = []
        offset, digest = 0, ""
        texts, positions = tee(lines_from(self.path))
        # Every line goes through the reader, the counted ones too: CloudFront's
        # #Fields line at the top names the columns of the lines after it.
        parsed = read_log((text for text, _, _ in texts), self.format)
        for (number, request), (_, offset, digest) in zip(parsed, positions, strict=True):
            self.report.lines = number
            if number <= skip:
                continue
            chunk += self.lines_of(number, request)
            if number % CHUNK == 0:
                self.commit(chunk, offset, digest)
                chunk = []
        if self.report.lines > skip:
            self.commit(chunk, offset, digest)
        return self.report

    def lines_of(self, number: int, request: Request | str | None) -> list[str]:
        report = self.report
        if request is None:
            report.passed["blank or comment"] += 1
            return []
        if isinstance(request, str):
            report.errors.append((number, request))
            return []
        audio = self.episodes.find(request.path)
        reason = (
            "not an episode's audio" if audio is None
            else f"{request.method}, not recorded (as live)" if request.method != "GET"
            else f"status {request.status}, not recorded (as live)"
            if request.status not in RECORDED else ""
        )  # fmt: skip
        if reason:
            report.passed[reason] += 1
            return []
        report.recorded += 1
        rows = line_for(request, audio, self.salts(request.time))
        return [json.dumps(row, separators=(",", ":")) for row in rows]

    def commit(self, chunk: list[str], offset: int, digest: str) -> None:
        with transaction.atomic():
            summary = aggregate_lines(chunk) if chunk else None
            record = self.record or ImportedLog(head=self.head)
            record.digest, record.size = digest, offset
            record.name, record.lines = str(self.path)[-300:], self.report.lines
            record.save()
            self.record = record
        if summary:
            self.report.downloads += summary.downloads
