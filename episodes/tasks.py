from celery import shared_task

from podcast.failures import RecordedTask
from podcast.queue import RETRY_POLICY

from . import artcopies, audioversions, opus, podping, services
from .audio import tagging


class AudioTask(RecordedTask):
    def record_failure(self, episode_id: int, reason: str) -> None:
        # After the last retry, or an error nobody expected: say so on the episode rather
        # than leave it "processing".
        services.fail_audio(episode_id=episode_id, reason=reason)


@shared_task(base=AudioTask, acks_late=True, reject_on_worker_lost=True, **RETRY_POLICY)
def extract_audio_metadata(episode_id: int) -> None:
    """Read duration, tags and chapters of the episode's latest upload.

    Shape: recompute and overwrite. Running it twice on the same upload gives
    the same result and the same served file. A killed worker's task comes back
    by redelivery (Redis) or by the sweep, podcast.queue.requeue_stuck (any broker).
    """
    services.process_audio(episode_id=episode_id)


@shared_task(acks_late=True, reject_on_worker_lost=True, **RETRY_POLICY)
def write_audio_tags(episode_id: int) -> None:
    """Serve a new version of a published episode's MP3 carrying its ID3 tags and chapters.

    Shape: recompute and overwrite. A run that finds the tags already in the served
    file does nothing, so a second run makes no second version.
    """
    tagging.tag_served_audio(episode_id=episode_id)


@shared_task(acks_late=True, reject_on_worker_lost=True, **RETRY_POLICY)
def make_show_page_art(show_id: int) -> None:
    """Store the page-sized copy of the show's artwork.

    Shape: recompute and overwrite; a copy made from the current artwork is left alone.
    """
    artcopies.refresh_show_page_art(show_id=show_id)


@shared_task(acks_late=True, reject_on_worker_lost=True, **RETRY_POLICY)
def make_episode_page_art(episode_id: int) -> None:
    """Store the page-sized copy of the episode's art (its own, else its MP3's cover).

    Shape: recompute and overwrite; a copy made from the current source is left alone.
    """
    artcopies.refresh_episode_page_art(episode_id=episode_id)


@shared_task(acks_late=True, reject_on_worker_lost=True, **RETRY_POLICY)
def make_opus_rendition(episode_id: int) -> None:
    """Store the Opus copy of the episode's audio (podcast:alternateEnclosure).

    Shape: recompute and overwrite; a copy made from the current upload is left alone.
    """
    opus.make_opus_rendition(episode_id=episode_id)


# Seconds before retry n (0-based): 30 s, 1 min, 2 min ... capped at 30 min.
def websub_backoff(retries: int) -> int:
    return min(30 * 2**retries, 1800)


@shared_task(bind=True, acks_late=True, reject_on_worker_lost=True, max_retries=6)
def ping_websub_hub(self, episode_id: int) -> None:
    """Tell the WebSub hub that the feed changed because this episode went public.

    Shape: claim, then act once (websub_pinged_at, set from empty by one update):
    two runs POST once. A network error or an error answer releases the claim and
    retries with exponential backoff, up to max_retries.
    """
    try:
        services.notify_websub_hub(episode_id=episode_id)
    except OSError as error:
        raise self.retry(exc=error, countdown=websub_backoff(self.request.retries)) from error


@shared_task(bind=True, acks_late=True, reject_on_worker_lost=True, max_retries=6)
def send_episode_podping(self, episode_id: int) -> None:
    """Send a Podping for the show's feed because this episode went public.

    Shape: claim, then act once (podping_pinged_at, set from empty by one update):
    two runs send once. A network error or an error answer releases the claim and
    retries with the WebSub backoff, up to max_retries.
    """
    try:
        podping.notify_episode_podping(episode_id=episode_id)
    except OSError as error:
        raise self.retry(exc=error, countdown=websub_backoff(self.request.retries)) from error


@shared_task(bind=True, acks_late=True, reject_on_worker_lost=True, max_retries=6)
def send_live_podping(self, live_item_id: int) -> None:
    """Send a Podping with reason "live" (or "liveEnd") because this live item went live (ended).

    Shape: claim, then act once (podping_live_at, podping_ended_at), retried as
    send_episode_podping.
    """
    try:
        podping.notify_live_podping(live_item_id=live_item_id)
    except OSError as error:
        raise self.retry(exc=error, countdown=websub_backoff(self.request.retries)) from error


@shared_task
def prune_audio_versions() -> int:
    """Periodic (beat, daily): remove MP3 versions no feed has named for 30 days; how many.

    Shape: recompute and overwrite: a second run finds nothing more to remove.
    """
    return audioversions.prune_audio_versions()
