"""Where recorded requests wait for the worker: a Redis list, or an append-only spool file.

A request appends one line and returns; nothing waits on the database (with
Redis, the lines of a fifth of a second go in one round trip). The
worker claims a batch (an atomic move: a Redis rename of up to `limit` lines,
a file rename), aggregates it and marks it done. A batch whose worker died is
claimed again; aggregation records batch names, so none is counted twice.
"""

import contextlib
import fcntl
import logging
import multiprocessing.util
import os
import threading
import time
import uuid
from collections.abc import Iterator
from dataclasses import dataclass
from functools import cache
from pathlib import Path

import redis
from django.conf import settings

from podcast.settingscache import from_settings

log = logging.getLogger(__name__)
EVENTS = "podcast:analytics:events"
IN_FLIGHT = "podcast:analytics:batches"
SPOOL = "events.jsonl"
LOCK = "podcast:analytics:lock"
LOCK_SECONDS = 1800  # a worker that dies holding the Redis lock frees it after this
# Writers open, append and close per line, so a writer holding the old name when
# the worker renames the file finishes within microseconds; wait a little more.
SETTLE_SECONDS = 0.2

# Moves up to ARGV[1] lines to a batch list and notes the batch, atomically.
CLAIM = """
local lines = redis.call('LRANGE', KEYS[1], 0, tonumber(ARGV[1]) - 1)
if #lines == 0 then return 0 end
redis.call('LTRIM', KEYS[1], #lines, -1)
for i = 1, #lines, 5000 do
  redis.call('RPUSH', KEYS[2], unpack(lines, i, math.min(i + 4999, #lines)))
end
redis.call('SADD', KEYS[3], KEYS[2])
return #lines
"""


# This process's Redis buffers, each gathering lines for up to a fifth of a second.
GATHERING: list["RedisBuffer"] = []


def flush_all() -> None:
    """Send every line this process has gathered (a server shutting down)."""
    for gathering in GATHERING:
        gathering.flush()


@dataclass(frozen=True)
class Batch:
    name: str
    lines: list[str]


class RedisBuffer:
    """Lines gathered in the process for up to FLUSH_SECONDS, then sent in one RPUSH.

    A round trip per request cost a range probe more than the rest of its work;
    one per FLUSH_SECONDS costs nothing. A process killed outright (SIGKILL) loses
    at most those lines; one that stops sends them first: a multiprocessing finalizer
    runs at a normal exit (through atexit) and as a granian worker process ends (it
    ends with os._exit, which skips atexit); uvicorn ends with the default SIGTERM,
    which skips both, so its ASGI shutdown calls flush_all (podcast/asgi.py).
    """

    FLUSH_SECONDS = 0.2
    FLUSH_LINES = 1000

    def __init__(self, url: str) -> None:
        self.client = redis.Redis.from_url(url)
        self.claim_script = self.client.register_script(CLAIM)
        self.lines: list[str] = []
        self.lock = threading.Lock()
        self.timer: threading.Timer | None = None
        multiprocessing.util.Finalize(None, self.flush, exitpriority=10)
        GATHERING.append(self)

    def push(self, line: str) -> None:
        with self.lock:
            self.lines.append(line)
            full = len(self.lines) >= self.FLUSH_LINES
            if not full and self.timer is None:
                self.timer = threading.Timer(self.FLUSH_SECONDS, self.flush)
                self.timer.daemon = True
                self.timer.start()
        if full:
            self.flush()

    def flush(self) -> None:
        """Send the lines gathered so far; a Redis that is down costs them, never a request."""
        with self.lock:
            lines, self.lines, self.timer = self.lines, [], None
        if not lines:
            return
        try:
            self.client.rpush(EVENTS, *lines)
        except (redis.RedisError, OSError) as error:
            log.warning("analytics: %d event(s) not recorded: %s", len(lines), error)

    def pending(self) -> int:
        self.flush()
        return self.client.llen(EVENTS)

    def claim(self, limit: int) -> Batch | None:
        self.flush()  # this process's own lines first (a test, a one-process deploy)
        leftover = self.client.srandmember(IN_FLIGHT)
        name = leftover.decode() if leftover else f"podcast:analytics:batch:{uuid.uuid4().hex}"
        if not leftover and not self.claim_script(keys=[EVENTS, name, IN_FLIGHT], args=[limit]):
            return None
        lines = [line.decode() for line in self.client.lrange(name, 0, -1)]
        return Batch(name, lines)

    @contextlib.contextmanager
    def exclusive(self, wait: float) -> Iterator[bool]:
        """Whether this process is the one aggregating (one at a time), for the block."""
        lock = self.client.lock(LOCK, timeout=LOCK_SECONDS, blocking_timeout=wait)
        acquired = lock.acquire()
        try:
            yield acquired
        finally:
            if acquired:
                with contextlib.suppress(redis.exceptions.LockError):
                    lock.release()

    def done(self, batch: Batch) -> None:
        pipe = self.client.pipeline()
        pipe.delete(batch.name)
        pipe.srem(IN_FLIGHT, batch.name)
        pipe.execute()


class SpoolBuffer:
    def __init__(self, folder: Path) -> None:
        self.folder = folder

    def push(self, line: str) -> None:
        data = (line + "\n").encode()
        try:
            descriptor = os.open(self.folder / SPOOL, os.O_WRONLY | os.O_APPEND | os.O_CREAT, 0o600)
        except FileNotFoundError:
            self.folder.mkdir(parents=True, exist_ok=True)
            descriptor = os.open(self.folder / SPOOL, os.O_WRONLY | os.O_APPEND | os.O_CREAT, 0o600)
        try:
            os.write(descriptor, data)  # one write: lines from many processes never interleave
        finally:
            os.close(descriptor)

    def pending(self) -> int:
        return sum(count_lines(path) for path in self.files())

    def files(self) -> list[Path]:
        return sorted(self.folder.glob("batch-*.jsonl")) + [
            p for p in [self.folder / SPOOL] if p.exists()
        ]

    def claim(self, limit: int) -> Batch | None:
        leftovers = sorted(self.folder.glob("batch-*.jsonl"))
        if leftovers:
            path = leftovers[0]
        else:
            path = self.folder / f"batch-{time.time_ns()}.jsonl"
            try:
                os.rename(self.folder / SPOOL, path)
            except FileNotFoundError:
                return None
            time.sleep(SETTLE_SECONDS)
        lines = path.read_text(encoding="utf-8", errors="replace").splitlines()
        return Batch(f"spool:{path.name}", [line for line in lines if line])

    @contextlib.contextmanager
    def exclusive(self, wait: float) -> Iterator[bool]:
        """Whether this process is the one aggregating (one at a time), for the block."""
        self.folder.mkdir(parents=True, exist_ok=True)
        with (self.folder / "aggregating.lock").open("a") as file:
            deadline = time.monotonic() + wait
            while True:
                try:
                    fcntl.flock(file, fcntl.LOCK_EX | fcntl.LOCK_NB)
                    break
                except BlockingIOError:
                    if time.monotonic() >= deadline:
                        yield False
                        return
                    time.sleep(0.1)
            try:
                yield True
            finally:
                fcntl.flock(file, fcntl.LOCK_UN)

    def done(self, batch: Batch) -> None:
        (self.folder / batch.name.removeprefix("spool:")).unlink(missing_ok=True)


def count_lines(path: Path) -> int:
    with path.open("rb") as file:
        return sum(chunk.count(b"\n") for chunk in iter(lambda: file.read(1 << 20), b""))


@cache
def _buffer(redis_url: str, spool: Path) -> RedisBuffer | SpoolBuffer:
    return RedisBuffer(redis_url) if redis_url else SpoolBuffer(spool)


@from_settings
def get_buffer() -> RedisBuffer | SpoolBuffer:
    """The configured buffer: Redis when PODCAST_ANALYTICS_REDIS_URL is set, else the spool."""
    return _buffer(settings.PODCAST_ANALYTICS_REDIS_URL, settings.PODCAST_ANALYTICS_SPOOL_DIR)


def batches(limit: int = 50_000) -> Iterator[Batch]:
    """Batches to aggregate until the buffer is empty; mark each done after aggregating it."""
    buffer = get_buffer()
    while (batch := buffer.claim(limit)) is not None:
        yield batch
