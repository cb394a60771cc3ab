"""Episode workflows: storing audio, reading it in the worker, publishing."""

import logging

from django.core.files import File
from django.db import transaction
from django.utils import timezone

from .audio import AudioError, AudioInfo, read_audio
from .models import Chapter, Episode, ProcessingStatus

log = logging.getLogger(__name__)


def attach_audio(*, episode: Episode, upload: File) -> None:
    """Store an editor's audio upload and queue its processing after commit."""
    from .tasks import extract_audio_metadata

    store_audio_upload(episode=episode, upload=upload)
    extract_audio_metadata.delay_on_commit(episode.pk)


def store_audio_upload(*, episode: Episode, upload: File) -> None:
    """Keep the upload under a generated name; the served file changes only once it is read."""
    episode.audio_upload.save(upload.name or "audio.mp3", upload, save=False)
    episode.audio_status, episode.audio_error = ProcessingStatus.PENDING, ""
    episode.save(update_fields=["audio_upload", "audio_status", "audio_error", "updated_at"])


def queue_audio_extraction(*, episode: Episode) -> None:
    """Re-run metadata extraction on the episode's latest upload."""
    from .tasks import extract_audio_metadata

    if episode.audio_upload:
        episode.mark_audio_pending()
        extract_audio_metadata.delay_on_commit(episode.pk)


def process_audio(*, episode_id: int) -> None:
    """Read the latest upload; on success serve it under a stable name, else say why on the episode."""
    episode = Episode.objects.select_related("show").filter(pk=episode_id).first()
    if episode is None or not episode.audio_upload:
        return
    episode.mark_audio_processing()
    try:
        with episode.audio_upload.open("rb") as upload:
            info = read_audio(upload, name=episode.audio_upload.name)
    except AudioError as error:
        episode.mark_audio_failed(str(error))
        return
    except OSError as error:
        episode.mark_audio_failed(f"the uploaded file cannot be read: {error.strerror or error}")
        return
    serve_audio(episode=episode, info=info)


def serve_audio(*, episode: Episode, info: AudioInfo) -> None:
    """Make the processed upload the served file: a new name and URL only when the bytes are new."""
    notes = list(info.notes)
    with transaction.atomic():
        episode = Episode.objects.select_for_update().select_related("show").get(pk=episode.pk)
        episode.audio_mime_type = info.mime_type
        if episode.audio_source != episode.audio_upload.name or not episode.audio:
            copy_upload_to_served_name(episode)
        set_audio_metadata(episode, info)
        notes.append(adopt_file_chapters(episode, info))
        episode.audio_status, episode.audio_error = ProcessingStatus.READY, ""
        episode.audio_notes = "\n".join(note for note in notes if note)
        episode.audio_processed_at = timezone.now()
        episode.save(update_fields=AUDIO_FIELDS)


AUDIO_FIELDS = [
    "audio",
    "audio_version",
    "audio_source",
    "audio_duration",
    "audio_size",
    "audio_mime_type",
    "audio_bitrate",
    "audio_sample_rate",
    "audio_channels",
    "audio_status",
    "audio_error",
    "audio_notes",
    "audio_processed_at",
    "updated_at",
]


def copy_upload_to_served_name(episode: Episode) -> None:
    # Podcast apps cache by URL: new bytes always get a new version, hence a new URL,
    # and the previous file stays in storage for clients that still hold its URL.
    episode.audio_version += 1
    storage = episode.audio_upload.storage
    with episode.audio_upload.open("rb") as upload:
        name = storage.save(episode.served_audio_name(), upload)
    episode.audio.name = name
    episode.audio_source = episode.audio_upload.name


def set_audio_metadata(episode: Episode, info: AudioInfo) -> None:
    episode.audio_duration = info.duration
    episode.audio_size = episode.audio.size
    episode.audio_bitrate = info.bitrate or None
    episode.audio_sample_rate = info.sample_rate or None
    episode.audio_channels = info.channels or None


def adopt_file_chapters(episode: Episode, info: AudioInfo) -> str:
    """Chapters from the file become the episode's unless the editor entered some."""
    if not info.chapters:
        return ""
    entered = episode.chapters.filter(from_file=False).count()
    if entered:
        return (
            f"kept the {entered} chapters entered by an editor; "
            f"the {len(info.chapters)} chapters in the file were not used"
        )
    episode.chapters.filter(from_file=True).delete()
    Chapter.objects.bulk_create(
        Chapter(
            episode=episode,
            start=c.start,
            end=c.end,
            title=c.title or f"Chapter {i}",
            url=c.url,
            from_file=True,
        )
        for i, c in enumerate(info.chapters, start=1)
    )
    return f"{len(info.chapters)} chapters read from the file"
