"""The worker's Opus rendition of an episode (podcast:alternateEnclosure), stored next to
its MP3 and served like it (views.download_opus).

Shape: recompute and overwrite. A rendition made from the current upload is left
alone, so a second run encodes nothing; a new upload makes a new file under a new
name and URL. A broken input says why on the episode (`opus_error`) and leaves
the MP3, its feed item and any earlier rendition's row untouched until a good one exists.
"""

import logging
import tempfile
from pathlib import Path

from django.core.files import File
from django.db import transaction
from django.db.models import F

from podcast.queue import enqueue

from .feeds.cache import invalidate_feed
from .models import Episode

log = logging.getLogger(__name__)


def celery_tasks():
    from . import tasks  # tasks.py imports this module

    return tasks


def queue_opus_rendition(*, episode: Episode) -> None:
    """After commit, have the worker make the Opus copy of audio that has none yet."""
    if episode.audio and episode.audio_source and episode.opus_source != episode.audio_source:
        enqueue(celery_tasks().make_opus_rendition, episode.pk)


def make_opus_rendition(*, episode_id: int) -> bool:
    """Encode the served audio to Opus and store it; True if a new rendition was stored."""
    # PyAV loads FFmpeg's libraries (about 20 MB): only the worker's encode imports it,
    # never a web process that merely queues the work.
    from .audio.renditions import RenditionError, encode_opus

    episode = Episode.objects.select_related("show").filter(pk=episode_id).first()
    if episode is None or not episode.audio or episode.has_opus():
        return False
    source = episode.audio_source
    with tempfile.TemporaryDirectory(prefix="opus-") as folder:
        mp3, opus = Path(folder) / "in.audio", Path(folder) / "out.opus"
        with episode.audio.open("rb") as served, mp3.open("wb") as copy:
            for chunk in iter(lambda: served.read(1 << 20), b""):
                copy.write(chunk)
        try:
            rendition = encode_opus(mp3, opus)
        except RenditionError as error:
            Episode.objects.filter(pk=episode_id).update(opus_error=str(error))
            log.warning("opus: episode %s: %s", episode_id, error)
            return False
        with opus.open("rb") as encoded:
            name = episode.audio.storage.save(opus_name(episode), File(encoded))
    return adopt(episode, source, name, rendition)


def opus_name(episode: Episode) -> str:
    return f"audio/{episode.show.slug}/{episode.number:04d}-{episode.slug}-opus.opus"


def adopt(episode: Episode, source: str, name: str, rendition) -> bool:
    """Serve the new file, unless the audio changed while it was encoded."""
    with transaction.atomic():
        rows = Episode.objects.filter(pk=episode.pk, audio_source=source)
        if not rows.update(
            opus_audio=name, opus_source=source, opus_version=F("opus_version") + 1,
            opus_size=rendition.size, opus_bitrate=rendition.bitrate,
            opus_integrity=rendition.integrity, opus_error="",
        ):  # fmt: skip
            transaction.on_commit(lambda: episode.audio.storage.delete(name))
            return False
        invalidate_feed(episode.show)
    return True
