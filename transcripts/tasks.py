from celery import shared_task

from . import services


@shared_task(acks_late=True, reject_on_worker_lost=True)
def build_transcript(transcript_id: int) -> None:
    """Parse a transcript's source, replace its segments and pre-render its page.

    Shape: recompute and overwrite; the segments are replaced in one transaction.
    """
    services.process_transcript(transcript_id=transcript_id)
