"""The worker's half of an import: each item's audio, chapters, transcript and artwork.

Every file comes through fetching.py (public addresses only, capped) and then goes
through the pipeline an editor's upload takes: audio through process_audio,
transcripts through attach_transcript. A file that fails leaves its reason on the
item and the episode; the item's other files are still fetched.
"""

import tempfile
from pathlib import PurePosixPath
from urllib.parse import urlsplit

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files import File
from django.core.files.base import ContentFile

from episodes.artwork import artwork_problems
from episodes.chapters import read_chapters_json
from episodes.models import Chapter, Episode, ProcessingStatus, Show
from episodes.services import process_audio, record_episode_change, store_audio_upload
from episodes.validators import http_url
from transcripts.services import attach_transcript

from .fetching import AUDIO_TYPES, IMAGE_TYPES, TEXT_TYPES, FetchError, Limits, fetch, fetch_bytes
from .models import FeedImport, ImportedEpisode
from .services import policy, publish_item

SMALL = 20 * 1024 * 1024  # chapters, transcripts, artwork
TRANSCRIPT_SUFFIXES = {
    "application/json": "json", "text/vtt": "vtt", "application/x-subrip": "srt",
    "application/srt": "srt", "text/srt": "srt", "text/html": "html", "text/plain": "txt",
}  # fmt: skip


def fetch_item_files(*, imported_id: int) -> None:
    """Fetch an item's files; its status ends ready (audio served) or failed (with the reason)."""
    item = ImportedEpisode.objects.select_related("episode__show", "feed_import").filter(
        pk=imported_id
    )
    item = item.first()
    if item is None or item.status == ProcessingStatus.READY:
        return
    item.status, item.error = ProcessingStatus.PROCESSING, ""
    item.save(update_fields=["status", "error", "updated_at"])
    notes = [note for note in (import_chapters(item), import_audio(item)) if note]
    episode = Episode.objects.select_related("show").get(pk=item.episode_id)
    notes += [n for n in (import_transcript(item, episode), import_artwork(item, episode)) if n]
    ready = episode.audio_status == ProcessingStatus.READY
    item.status = ProcessingStatus.READY if ready else ProcessingStatus.FAILED
    item.error = "" if ready else (episode.audio_error or "the audio was not read")
    item.notes = "\n".join(notes)
    item.save(update_fields=["status", "error", "notes", "updated_at"])
    if ready and item.feed_import.publish and episode.publish_at is None:
        publish_item(ImportedEpisode.objects.select_related("episode__show").get(pk=item.pk),
                     record_episode_change)  # fmt: skip


def fail_item(*, imported_id: int, reason: str) -> None:
    """Say on the item, and on its episode if its audio was not read, why the task gave up."""
    item = ImportedEpisode.objects.select_related("episode").filter(pk=imported_id).first()
    if item is None:
        return
    item.status, item.error = ProcessingStatus.FAILED, reason
    item.save(update_fields=["status", "error", "updated_at"])
    if item.episode.audio_status != ProcessingStatus.READY:
        item.episode.mark_audio_failed(reason)


def import_audio(item: ImportedEpisode) -> str:
    episode = item.episode
    if not item.enclosure_url:
        episode.mark_audio_failed("the feed gives no enclosure for this item: it stays a draft")
        return ""
    limits = Limits(
        max_bytes=settings.PODCAST_MAX_UPLOAD_MB * 1024 * 1024,
        types=AUDIO_TYPES,
        total=max(settings.CELERY_TASK_TIME_LIMIT - 60, 60),
    )
    with tempfile.TemporaryFile() as sink:
        try:
            fetch(item.enclosure_url, sink, limits=limits, policy=policy())
        except FetchError as error:
            episode.mark_audio_failed(f"the enclosure was not downloaded: {error}")
            return ""
        sink.seek(0)
        store_audio_upload(episode=episode, upload=File(sink, name=file_name(item.enclosure_url)))
    process_audio(episode_id=episode.pk)
    return ""


def file_name(url: str, default: str = "audio.mp3") -> str:
    name = PurePosixPath(urlsplit(url).path).name
    return name if "." in name else default


def import_chapters(item: ImportedEpisode) -> str:
    """podcast:chapters become the episode's chapters (the audio pipeline then keeps them)."""
    if not item.chapters_url or item.episode.chapters.filter(from_file=False).exists():
        return ""
    limits = Limits(max_bytes=SMALL, types=(*TEXT_TYPES, "application/json+chapters"))
    try:
        entries = read_chapters_json(
            fetch_bytes(item.chapters_url, limits=limits, policy=policy())[1]
        )
    except (FetchError, ValueError) as error:
        return f"Chapters not imported: {error}"
    chapters = [
        Chapter(
            episode=item.episode,
            start=entry.start,
            end=entry.end if entry.end is not None and entry.end > entry.start else None,
            title=entry.title or f"Chapter {number}",
            url=entry.url if valid_url(entry.url) else "",
            toc=entry.toc,
        )
        for number, entry in enumerate(entries, 1)
        if entry.start >= 0
    ]
    Chapter.objects.bulk_create(chapters)
    return f"{len(chapters)} chapters imported from {item.chapters_url}."


def valid_url(url: str) -> bool:
    try:
        http_url(url)
    except ValidationError:
        return False
    return len(url) <= 1000


def import_transcript(item: ImportedEpisode, episode: Episode) -> str:
    """The first transcript that fetches and is text, in the preferred order the reader gave."""
    problems = []
    for link in item.transcripts:
        limits = Limits(max_bytes=SMALL, types=TEXT_TYPES)
        try:
            fetched, data = fetch_bytes(link["url"], limits=limits, policy=policy())
        except FetchError as error:
            problems.append(str(error))
            continue
        suffix = TRANSCRIPT_SUFFIXES.get(link["type"] or fetched.content_type, "txt")
        language = (link.get("language") or episode.show.language or "en")[:16]
        try:
            attach_transcript(
                episode=episode,
                upload=ContentFile(data, name=f"transcript.{suffix}"),
                language=language,
            )
        except ValidationError as error:
            problems.append(f"{link['url']}: {'; '.join(error.messages)}")
            continue
        return f"Transcript fetched from {link['url']}."
    return f"Transcript not imported: {'; '.join(problems)}" if problems else ""


def import_artwork(item: ImportedEpisode, episode: Episode) -> str:
    if not item.image_url or episode.artwork:
        return ""
    problem = store_artwork(episode, item.image_url)
    return f"Episode artwork not imported: {problem}" if problem else ""


def store_artwork(owner: Episode | Show, url: str) -> str:
    """Fetch artwork into the row's field if apps would accept it; the reason when not."""
    try:
        fetched, data = fetch_bytes(url, limits=Limits(SMALL, types=IMAGE_TYPES), policy=policy())
    except FetchError as error:
        return str(error)
    image = ContentFile(data, name=file_name(url, "artwork.jpg"))
    if problems := artwork_problems(image):
        return f"{url}: " + "; ".join(problems)
    image.seek(0)
    owner.artwork.save(image.name, image, save=False)
    owner.save(update_fields=["artwork", "updated_at"])
    return ""


def fetch_show_artwork(*, import_id: int, url: str) -> None:
    """The channel's artwork becomes the show's, if it has none; the report says otherwise."""
    feed_import = FeedImport.objects.select_related("show").filter(pk=import_id).first()
    if feed_import is None or feed_import.show.artwork or not url:
        return
    if problem := store_artwork(feed_import.show, url):
        feed_import.report += f"\nShow artwork not imported: {problem}"
        feed_import.save(update_fields=["report"])
