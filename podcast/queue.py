"""Sending work to the Celery worker: enqueue after commit, the retry policy, the sweep.

Every app enqueues through `enqueue`, retries by `RETRY_POLICY` and is swept by
`requeue_stuck`: the work a broker outage or a killed worker leaves behind is named
in `SWEPT`, by strings as the beat schedule names tasks, so this module imports no app.
"""

import dataclasses
import logging
from collections.abc import Callable
from datetime import timedelta

from celery import current_app, shared_task
from django.apps import apps
from django.conf import settings
from django.db import DatabaseError, InterfaceError, OperationalError, models, transaction
from django.utils import timezone
from django.utils.module_loading import import_string
from kombu.exceptions import OperationalError as BrokerError

from .failures import failure_reason
from .models import QueuedWork, TaskFailure

log = logging.getLogger(__name__)


# Worth another try: the database restarting or failing over, storage refusing a
# write. A missing or unreadable upload is not: the services mark the row failed at once.
class StorageWriteError(OSError):
    """Storing a file failed (a full disk, a bucket answering 503): worth another try."""


TRANSIENT_ERRORS = (OperationalError, InterfaceError, StorageWriteError)
RETRY_POLICY = {
    "autoretry_for": TRANSIENT_ERRORS,
    "retry_backoff": True,  # 1, 2, 4, 8, 16 s, with jitter
    "retry_backoff_max": 300,
    "max_retries": 5,
}


class ProcessingStatus(models.TextChoices):
    """Where a row's background work stands; shown to editors, read by the sweep."""

    NONE = "", "no file"
    PENDING = "pending"
    PROCESSING = "processing"
    READY = "ready"
    FAILED = "failed"


def enqueue(task, *args: object, eta=None, then: Callable[[bool], None] | None = None) -> None:
    """Send a task once the transaction commits; with the broker down, keep it and carry on.

    Work that cannot be sent is kept as a QueuedWork row, which send_queued_work (beat,
    every 30 s) sends once the broker is back; an editor whose upload was saved never
    sees an error. `then(sent)` learns which it was, to tell the editor the truth.
    """

    def send() -> None:
        try:
            task.apply_async(args, eta=eta)
            sent = True
        except (BrokerError, OSError) as error:
            log.warning("broker unreachable, %s%r is queued: %s", task.name, args, error)
            keep_for_later(task.name, args, eta, error)
            sent = False
        if then is not None:
            then(sent)

    transaction.on_commit(send)


def keep_for_later(name: str, args: tuple, eta, error: Exception) -> None:
    try:
        QueuedWork.objects.create(task=name, arguments=list(args), eta=eta, error=str(error))
    except DatabaseError as db_error:  # then the row's own status is all the sweep has
        log.error("cannot keep %s%r for later: %s", name, args, db_error)


@shared_task
def send_queued_work() -> int:
    """Periodic (beat, every 30 s): send the work a broker outage held back; how many sent.

    Shape: claim, then act once, per row: the row is deleted (the claim) before its
    task is sent; if that send fails the row is written back for the next run.
    """
    sent = 0
    for work in QueuedWork.objects.all()[:1000]:
        if not QueuedWork.objects.filter(pk=work.pk).delete()[0]:
            continue  # another run took it
        try:
            current_app.send_task(work.task, args=work.arguments, eta=work.eta)
            sent += 1
        except (BrokerError, OSError) as error:
            keep_for_later(work.task, tuple(work.arguments), work.eta, error)
            break
        except (TypeError, ValueError) as error:  # a row no send can take: say so, go on
            reason = failure_reason(error, 1)
            TaskFailure.objects.create(task=work.task, arguments=work.arguments, reason=reason)
    return sent


@dataclasses.dataclass(frozen=True)
class Swept:
    """Rows whose work the sweep sends again: the file they hold, their status, their task."""

    noun: str
    model: str
    file_field: str
    status_field: str
    task: str


SWEPT = (
    Swept(
        noun="audio uploads",
        model="episodes.Episode",
        file_field="audio_upload",
        status_field="audio_status",
        task="episodes.tasks.extract_audio_metadata",
    ),
    Swept(
        noun="transcripts",
        model="transcripts.Transcript",
        file_field="source_file",
        status_field="status",
        task="transcripts.tasks.build_transcript",
    ),
)


def requeue_stuck(*, older_than: timedelta) -> dict[str, int]:
    """Send work pending or processing for too long again; how many rows of each noun.

    Work gets stuck when the broker was down at upload time, or a worker died holding a
    message the broker does not redeliver (the filesystem transport). Claim, then act
    once: each row is re-stamped by one update before it is sent, so two sweeps never
    both send it and the next sweep waits a full period again.
    """
    return {swept.noun: requeue_rows(swept, older_than=older_than) for swept in SWEPT}


def requeue_rows(swept: Swept, *, older_than: timedelta) -> int:
    model = apps.get_model(swept.model)
    task = import_string(swept.task)
    stuck = model.objects.exclude(**{swept.file_field: ""}).filter(
        **{f"{swept.status_field}__in": [ProcessingStatus.PENDING, ProcessingStatus.PROCESSING]},
        updated_at__lt=timezone.now() - older_than,
    )
    sent = 0
    for pk, stamp in stuck.values_list("pk", "updated_at"):
        claim = model.objects.filter(pk=pk, updated_at=stamp)
        if claim.update(
            **{swept.status_field: ProcessingStatus.PENDING}, updated_at=timezone.now()
        ):
            enqueue(task, pk)
            sent += 1
    return sent


@shared_task
def requeue_stuck_work() -> dict[str, int]:
    """Periodic (beat): send again the audio and transcript work stuck pending or processing.

    Shape: claim, then act once, per row (see requeue_stuck).
    """
    return requeue_stuck(older_than=timedelta(minutes=settings.PODCAST_REQUEUE_AFTER_MINUTES))
