"""Episode workflows: storing audio, reading it in the worker, publishing."""

import logging
import urllib.parse
import urllib.request
from types import ModuleType

from django.conf import settings
from django.core.files import File
from django.core.files.base import ContentFile
from django.db import transaction
from django.db.models import QuerySet
from django.db.models.fields.files import FieldFile
from django.utils import timezone

from podcast.queue import StorageWriteError, enqueue
from transcripts.models import Transcript
from transcripts.services import queue_transcript_build

from . import opus, podping
from .audio.notes import describe_audio
from .audio.reading import MPEG, AudioError, AudioInfo, read_audio
from .editorstate import audio_may_be_short
from .feeds.build import websub_topics
from .feeds.cache import invalidate_feed
from .models import (
    Chapter,
    Episode,
    ProcessingStatus,
    Show,
    chapter_time_problem,
)
from .search import index_episode, remove_episode

log = logging.getLogger(__name__)


def celery_tasks() -> ModuleType:
    """This app's Celery tasks, imported late because tasks.py imports this module.

    The one import inside a function in this app: the services <-> tasks cycle.
    """
    from . import tasks

    return tasks


def attach_audio(*, episode: Episode, upload: File, then=None) -> None:
    """Store an editor's audio upload and queue its processing after commit.

    `then(sent)` learns whether the work reached the broker or waits for it (enqueue).
    """
    store_audio_upload(episode=episode, upload=upload)
    enqueue(celery_tasks().extract_audio_metadata, episode.pk, then=then)


def store_audio_upload(*, episode: Episode, upload: File) -> None:
    """Keep the upload under a generated name; the served file changes only once it is read."""
    episode.audio_upload.save(upload.name or "audio.mp3", upload, save=False)
    episode.audio_status, episode.audio_error = ProcessingStatus.PENDING, ""
    episode.save(update_fields=["audio_upload", "audio_status", "audio_error", "updated_at"])


def queue_audio_extraction(*, episode: Episode) -> None:
    """Re-run metadata extraction on the episode's latest upload."""
    if episode.audio_upload:
        episode.mark_audio_pending()
        enqueue(celery_tasks().extract_audio_metadata, episode.pk)


def fail_audio(*, episode_id: int, reason: str) -> None:
    """Say on the episode why its processing gave up, if the database lets us."""
    episode = Episode.objects.filter(pk=episode_id).first()
    if episode is not None:
        episode.mark_audio_failed(reason)


def record_episode_change(*, episode: Episode) -> None:
    """Bring everything derived from an episode up to date after an edit or a publish."""
    invalidate_feed(episode.show)
    index_episode(episode)
    queue_websub_ping(episode=episode)
    podping.queue_episode_podping(episode=episode)
    # The tagging task itself never comes back here, so it cannot loop.
    queue_audio_tagging(episode=episode)
    queue_episode_page_art(episode=episode)
    opus.queue_opus_rendition(episode=episode)


def publish_episodes(*, episodes: QuerySet) -> tuple[list[Episode], list[Episode]]:
    """Publish now the drafts and scheduled episodes among `episodes`: (published, held back).

    An episode already out keeps its date. One whose audio may be cut short is held
    back (its form offers "publish anyway"); one without ready audio is published and
    goes public once its audio is ready (published() needs both).
    """
    now = timezone.now()
    waiting = list(episodes.exclude(publish_at__lte=now).select_related("show"))
    held = [episode for episode in waiting if audio_may_be_short(episode)]
    published = [episode for episode in waiting if episode not in held]
    for episode in published:
        episode.publish_at = now
        episode.save(update_fields=["publish_at", "updated_at"])
        record_episode_change(episode=episode)
    return published, held


def unpublish_episodes(*, episodes: QuerySet) -> int:
    """Make episodes drafts again; how many."""
    drafts = list(episodes.select_related("show"))
    for episode in drafts:
        # A republished episode pings the WebSub hub and Podping again.
        episode.publish_at, episode.websub_pinged_at = None, None
        episode.podping_pinged_at = None
        pings = ["websub_pinged_at", "podping_pinged_at"]
        episode.save(update_fields=["publish_at", *pings, "updated_at"])
        record_episode_change(episode=episode)
    return len(drafts)


def delete_episodes(*, episodes: QuerySet) -> None:
    """Delete episodes with their search rows (and their transcripts'), out of the feeds."""
    doomed = list(episodes.select_related("show"))
    transcripts = Transcript.objects.filter(episode__in=doomed).values_list("episode", "pk")
    by_episode = [(e.pk, [t for ep, t in transcripts if ep == e.pk]) for e in doomed]
    with transaction.atomic():
        episodes.delete()
        for episode_id, transcript_ids in by_episode:
            remove_episode(episode_id, transcript_ids)
        for show in {episode.show for episode in doomed}:
            invalidate_feed(show)


def queue_audio_tagging(*, episode: Episode) -> None:
    """After commit, have the worker tag the served MP3 of a published or scheduled episode."""
    if episode.publish_at is not None and episode.audio and episode.audio_mime_type == MPEG:
        enqueue(celery_tasks().write_audio_tags, episode.pk)


def retag_show_episodes(*, show: Show) -> int:
    """After the show's artwork changed: tag again the MP3s of its published and scheduled
    episodes, in the background; those whose tags already match make no new version."""
    episodes = show.episodes.filter(publish_at__isnull=False).exclude(audio="")
    queued = 0
    for episode in episodes.filter(audio_mime_type=MPEG).only("pk", "publish_at", "audio"):
        queue_audio_tagging(episode=episode)
        queued += 1
    return queued


def queue_show_page_art(*, show: Show) -> None:
    """After commit, have the worker make the page and feed copies of a changed show cover."""
    if show.page_art_source != show.artwork.name or show.feed_art_source != show.artwork.name:
        enqueue(celery_tasks().make_show_page_art, show.pk)


def queue_episode_page_art(*, episode: Episode) -> None:
    """After commit, have the worker make the page and feed copies of the episode's art."""
    stale_feed_art = episode.feed_art_source != episode.artwork.name
    if episode.page_art_source != episode.art_source() or stale_feed_art:
        enqueue(celery_tasks().make_episode_page_art, episode.pk)


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
    notes = [describe_audio(info), *info.notes]
    written: list[FieldFile] = []  # files this try stored, removed again if it rolls back
    try:
        with transaction.atomic():
            episode = Episode.objects.select_for_update().select_related("show").get(pk=episode.pk)
            episode.audio_mime_type = info.mime_type
            if episode.audio_source != episode.audio_upload.name or not episode.audio:
                copy_upload_to_served_name(episode)
                written.append(episode.audio)
            measured_before = episode.audio_duration
            set_audio_metadata(episode, info)
            notes.append(adopt_file_chapters(episode, info, written))
            episode.audio_status, episode.audio_error = ProcessingStatus.READY, ""
            episode.audio_notes = "\n".join(note for note in notes if note)
            episode.audio_processed_at = timezone.now()
            episode.save(update_fields=AUDIO_FIELDS)
            record_episode_change(episode=episode)
            if episode.audio_duration != measured_before:
                recheck_transcripts(episode)
    except Exception:
        # The rows rolled back; the files they would have named must go too, or every
        # retried try leaves a copy of the audio behind.
        for field in written:
            field.storage.delete(field.name)
        raise


def recheck_transcripts(episode: Episode) -> None:
    """Build the transcripts again against the new duration: a segment past the end of the
    audio holds a build for review (transcripts.review), and a transcript built before the
    audio was measured could not be checked."""
    for transcript in Transcript.objects.filter(episode=episode).exclude(source_file=""):
        queue_transcript_build(transcript=transcript)


AUDIO_FIELDS = [
    "audio",
    "audio_version",
    "audio_files",
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


OPUS_FIELDS = ["opus_audio", "opus_source", "opus_version", "opus_size", "opus_bitrate"]
OPUS_FIELDS += ["opus_integrity", "opus_error"]
ART_COPY_FIELDS = ["page_art", "page_art_source", "feed_art", "feed_art_source"]

# The fields of each model that workers and the feed cache write, never an editor:
# an admin save leaves them as they are in the database, not as the request read them.
WORKER_FIELDS = {
    Show: {*ART_COPY_FIELDS, "feed_revision", "feed_validators"},
    Episode: {*AUDIO_FIELDS, *OPUS_FIELDS, *ART_COPY_FIELDS, "audio_upload"}
    | {"websub_pinged_at", "podping_pinged_at"},
}


def editor_fields(model: type[Show] | type[Episode] = Episode) -> list[str]:
    """The fields an editor's form save may write: all but those the workers own.

    A full save would write back the worker's fields as they were when the request read
    the row, undoing a worker that finished in between (the audio, the Opus copy, the
    resized art). `updated_at` is written by every save.
    """
    worker_owned = WORKER_FIELDS[model] - {"updated_at"}
    fields = model._meta.concrete_fields
    return [f.name for f in fields if not f.primary_key and f.name not in worker_owned]


def copy_upload_to_served_name(episode: Episode) -> None:
    # Podcast apps cache by URL: new bytes always get a new version, hence a new URL,
    # and the previous file stays in storage for clients that still hold its URL.
    episode.audio_version += 1
    storage = episode.audio_upload.storage
    with episode.audio_upload.open("rb") as upload:
        try:
            name = storage.save(episode.served_audio_name(), upload)
        except OSError as error:  # retried (RETRY_POLICY) before the audio fails
            raise StorageWriteError(f"storing the served copy failed: {error}") from error
    episode.audio.name = name
    episode.audio_files = {**episode.audio_files, str(episode.audio_version): name}
    episode.audio_source = episode.audio_upload.name


def set_audio_metadata(episode: Episode, info: AudioInfo) -> None:
    episode.audio_duration = info.duration
    episode.audio_size = episode.audio.size
    episode.audio_bitrate = info.bitrate or None
    episode.audio_sample_rate = info.sample_rate or None
    episode.audio_channels = info.channels or None


def adopt_file_chapters(episode: Episode, info: AudioInfo, written: list[FieldFile]) -> str:
    """Chapters from the file become the episode's unless the editor entered some."""
    entered = list(episode.chapters.filter(from_file=False))
    if entered:
        kept = (
            f"kept the {len(entered)} chapters entered by an editor; "
            f"the {len(info.chapters)} chapters in the file were not used"
            if info.chapters
            else ""
        )
        return "; ".join(filter(None, [kept, *outside_the_audio(entered, info.duration)]))
    if not info.chapters:
        return ""
    episode.chapters.filter(from_file=True).delete()
    chapters = [file_chapter(episode, i, c, info.duration) for i, c in enumerate(info.chapters, 1)]
    written += [chapter.image for chapter in chapters if chapter.image]
    Chapter.objects.bulk_create(chapters)
    clipped = [c for c, read in zip(chapters, info.chapters, strict=True) if c.end != read.end]
    note = f"{len(chapters)} chapters read from the file"
    if clipped:
        note += f"; {len(clipped)} ended after the audio and now end with it"
    return note


def file_chapter(episode: Episode, number: int, read, duration: float) -> Chapter:
    # Encoders round chapter ends up past the last frame; apps refuse an end beyond
    # the audio, so it is clipped (the status message says so).
    end = min(read.end, duration) if read.end is not None else None
    chapter = Chapter(
        episode=episode,
        start=read.start,
        end=end if end is None or end > read.start else None,
        title=read.title or f"Chapter {number}",
        url=read.url,
        from_file=True,
    )
    if read.image:
        suffix = "png" if "png" in (read.image_mime or "") else "jpg"
        chapter.image.save(f"chapter.{suffix}", ContentFile(read.image), save=False)
    return chapter


def outside_the_audio(chapters: list[Chapter], duration: float) -> list[str]:
    """Warnings for editor chapters that the new audio no longer covers."""
    return [
        f"chapter {c.title!r}: {problem[0].lower()}{problem[1:]} Fix it in the chapters below"
        for c in chapters
        if (problem := chapter_time_problem(c.start, c.end, duration))
    ]


# ---------------------------------------------------------------- WebSub


def queue_websub_ping(*, episode: Episode) -> None:
    """After commit, have the worker ping the WebSub hub when the episode becomes public.

    Call it wherever an episode gets published or scheduled, or its audio becomes
    ready; the task itself checks that the episode is public and pings once.
    """
    if not settings.PODCAST_WEBSUB_HUB or episode.publish_at is None:
        return
    eta = max(episode.publish_at, timezone.now())
    # with the broker down: queued, not lost
    enqueue(celery_tasks().ping_websub_hub, episode.pk, eta=eta)


def notify_websub_hub(*, episode_id: int) -> bool:
    """Tell the WebSub hub once that the show's feeds changed; True if this call pinged.

    One POST per feed (the main feed and the full history): hubs differ in whether
    they read a repeated hub.url. Claim, then act once: the claim is the update of
    websub_pinged_at from empty. A failed POST releases the claim (only ours, matched
    by its timestamp) and re-raises, so the task's retry pings every feed again; a
    second run after success does nothing.
    """

    hub = settings.PODCAST_WEBSUB_HUB
    episode = Episode.objects.select_related("show").filter(pk=episode_id).first()
    # Only what the public feeds show: a premium episode's feed is a personal one.
    if not hub or episode is None or not episode.is_public():
        return False
    claimed_at = timezone.now()
    claim = Episode.objects.filter(pk=episode_id, websub_pinged_at=None)
    if not claim.update(websub_pinged_at=claimed_at):
        return False
    try:
        for feed_url in websub_topics(episode.show):
            post_websub_publish(hub_url=hub, feed_url=feed_url)
    except OSError:
        mine = Episode.objects.filter(pk=episode_id, websub_pinged_at=claimed_at)
        mine.update(websub_pinged_at=None)
        raise
    log.info("websub: pinged %s for episode %s", hub, episode_id)
    return True


def post_websub_publish(*, hub_url: str, feed_url: str, timeout: float = 10.0) -> int:
    """POST hub.mode=publish for one feed URL; raise OSError unless the hub answers 2xx."""

    if urllib.parse.urlsplit(hub_url).scheme not in ("http", "https"):
        raise ValueError(f"PODCAST_WEBSUB_HUB={hub_url!r}: expected an http(s):// URL")
    body = urllib.parse.urlencode({"hub.mode": "publish", "hub.url": feed_url}).encode()
    headers = {"Content-Type": "application/x-www-form-urlencoded"}
    request = urllib.request.Request(hub_url, data=body, headers=headers, method="POST")
    # urlopen raises HTTPError (an OSError) for 4xx and 5xx answers.
    with urllib.request.urlopen(request, timeout=timeout) as response:
        return response.status
