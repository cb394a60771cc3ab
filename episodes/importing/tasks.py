"""The import's Celery tasks: thin, by id, one service each."""

from celery import shared_task

from podcast.failures import RecordedTask
from podcast.queue import RETRY_POLICY

from . import media


class ImportedEpisodeTask(RecordedTask):
    def record_failure(self, imported_id: int, reason: str) -> None:
        # An error nobody expected: the item and its episode say so, rather than
        # "processing" for ever in the admin's progress.
        media.fail_item(imported_id=imported_id, reason=reason)


@shared_task(base=ImportedEpisodeTask, acks_late=True, reject_on_worker_lost=True, **RETRY_POLICY)
def fetch_imported_episode(imported_id: int) -> None:
    """Download an imported item's audio, chapters, transcript and artwork; read the audio.

    Shape: recompute and overwrite, until the item is ready: a run after success does
    nothing, a run after a failure or a lost worker fetches again (the audio pipeline
    gives the same bytes the same served file).
    """
    media.fetch_item_files(imported_id=imported_id)


@shared_task(acks_late=True, reject_on_worker_lost=True, **RETRY_POLICY)
def fetch_show_artwork(import_id: int, url: str) -> None:
    """Fetch the channel's artwork for a show an import created.

    Shape: recompute and overwrite; a show that has artwork is left alone.
    """
    media.fetch_show_artwork(import_id=import_id, url=url)
