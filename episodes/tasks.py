from celery import shared_task

from . import services


@shared_task(acks_late=True, reject_on_worker_lost=True, max_retries=3)
def extract_audio_metadata(episode_id: int) -> None:
    """Read duration, tags and chapters of the episode's latest upload.

    Shape: recompute and overwrite. Running it twice on the same upload gives
    the same result and the same served file; a killed worker re-delivers it.
    """
    services.process_audio(episode_id=episode_id)
