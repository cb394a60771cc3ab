from datetime import timedelta

from celery import shared_task
from django.conf import settings

from episodes.tasks import RETRY_POLICY
from podcast.failures import RecordedTask

from . import services


class TranscriptTask(RecordedTask):
    def record_failure(self, transcript_id: int, reason: str) -> None:
        services.fail_transcript(transcript_id=transcript_id, reason=reason)


@shared_task(base=TranscriptTask, acks_late=True, reject_on_worker_lost=True, **RETRY_POLICY)
def build_transcript(transcript_id: int) -> None:
    """Parse a transcript's source, replace its segments and pre-render its page.

    Shape: recompute and overwrite; the segments are replaced in one transaction.
    """
    services.process_transcript(transcript_id=transcript_id)


@shared_task
def requeue_stuck_transcripts() -> int:
    """Periodic (beat): send the build again for transcripts stuck in pending or processing.

    Shape: claim, then act once, per transcript (see services.requeue_stuck_transcripts).
    """
    older_than = timedelta(minutes=settings.PODCAST_REQUEUE_AFTER_MINUTES)
    return services.requeue_stuck_transcripts(older_than=older_than)
