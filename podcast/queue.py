"""Sending work to the Celery worker: enqueue after commit, the retry policy, the sweep.

Every app enqueues through `enqueue`, retries by `RETRY_POLICY` and is swept by
`requeue_stuck`: the work a broker outage or a killed worker leaves behind is named
in `SWEPT`, by strings as the beat schedule names tasks, so this module imports no app.
"""

import dataclasses
import logging
from datetime import timedelta

from celery import shared_task
from django.apps import apps
from django.conf import settings
from django.db import InterfaceError, OperationalError, models, transaction
from django.utils import timezone
from django.utils.module_loading import import_string
from kombu.exceptions import OperationalError as BrokerError

log = logging.getLogger(__name__)

# Worth another try: the database restarting or failing over. A missing or unreadable
# file is not: the services mark the row failed at once.
TRANSIENT_ERRORS = (OperationalError, InterfaceError)
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


def enqueue(task, *args: object) -> None:
    """Send a task once the transaction commits; with the broker down, log it and carry on.

    The row stays pending and the periodic sweep (`requeue_stuck`) sends the task again,
    so an editor whose upload was saved never sees an error.
    """

    def send() -> None:
        try:
            task.delay(*args)
        except (BrokerError, OSError) as error:
            log.warning("broker unreachable, %s%r waits for the sweep: %s", task.name, args, error)

    transaction.on_commit(send)


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
