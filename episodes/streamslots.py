"""How many downloads one web process streams at once under WSGI, so pages keep threads.

Under the Procfile's granian each streamed body holds one of the process's threads
(WEB_THREADS) for as long as the listener takes; 40 listeners on slow links held
every thread of two processes and pages timed out. A process streams at most
PODCAST_STREAM_SLOTS bodies at once (half its threads by default); one more gets
503 with Retry-After, which podcast apps retry, while pages and feeds keep answering.
In production audio goes to a bucket (302) or to nginx (X-Accel-Redirect) and never
takes a slot; under ASGI (`make run`) bodies stream on the event loop and need none.
"""

import threading
from collections.abc import Iterator

from django.conf import settings
from django.http import HttpResponse

RETRY_AFTER_SECONDS = 10
_lock = threading.Lock()
_slots: dict[int, threading.BoundedSemaphore] = {}


def slots() -> threading.BoundedSemaphore | None:
    """The process's semaphore for the configured count; None when unlimited (0)."""
    count = settings.PODCAST_STREAM_SLOTS
    if not count:
        return None
    with _lock:
        return _slots.setdefault(count, threading.BoundedSemaphore(count))


class Held:
    """A body's chunks holding one slot, given back once when the response closes."""

    def __init__(self, chunks: Iterator[bytes], semaphore: threading.BoundedSemaphore) -> None:
        self.chunks, self.semaphore, self.held = chunks, semaphore, True

    def __iter__(self) -> Iterator[bytes]:
        # The slot goes back as the last chunk is handed over, not at close(): granian
        # calls that after sending it, and an app's next download on the same
        # connection can arrive first (a 503 for a listener who had just finished).
        pending = None
        for chunk in self.chunks:
            if pending is not None:
                yield pending
            pending = chunk
        self.release()
        if pending is not None:
            yield pending

    def release(self) -> None:
        if self.held:
            self.held = False
            self.semaphore.release()

    def close(self) -> None:
        # Django calls this when the server closes the response, read to the end or not.
        self.release()
        close = getattr(self.chunks, "close", None)
        if close:
            close()


def hold(chunks: Iterator[bytes]) -> Held | Iterator[bytes] | None:
    """The chunks holding a slot; None when every slot is taken."""
    semaphore = slots()
    if semaphore is None:
        return chunks
    if not semaphore.acquire(blocking=False):
        return None
    return Held(chunks, semaphore)


def busy() -> HttpResponse:
    response = HttpResponse(
        "Too many downloads at once on this server; try again in a few seconds.\n",
        status=503,
        content_type="text/plain; charset=utf-8",
    )
    response["Retry-After"] = str(RETRY_AFTER_SECONDS)
    response["Cache-Control"] = "no-store"
    return response
