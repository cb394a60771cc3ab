from celery import shared_task

from podcast.failures import RecordedTask
from podcast.queue import RETRY_POLICY

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
