"""Episode workflows: storing audio, reading it in the worker, publishing."""

import logging
import urllib.parse
import urllib.request
from dataclasses import dataclass
from datetime import timedelta

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files import File
from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.text import slugify
from kombu.exceptions import OperationalError as BrokerError

from .audio import AudioError, AudioInfo, read_audio
from .feeds import invalidate_feed
from .models import Chapter, Episode, Person, ProcessingStatus, ShowNoteLink
from .search import index_episode
from .shownotes import Item, ShowNotes, parse_show_notes
from .tagging import queue_audio_tagging

log = logging.getLogger(__name__)


def attach_audio(*, episode: Episode, upload: File) -> None:
    """Store an editor's audio upload and queue its processing after commit."""
    from .tasks import extract_audio_metadata

    store_audio_upload(episode=episode, upload=upload)
    enqueue(extract_audio_metadata, episode.pk)


def enqueue(task, *args: object) -> None:
    """Send a task once the transaction commits; with the broker down, log it and carry on.

    The row stays pending and the periodic sweep (requeue_stuck_audio and its transcript
    twin) sends the task again, so an editor whose upload was saved never sees an error.
    """

    def send() -> None:
        try:
            task.delay(*args)
        except (BrokerError, OSError) as error:
            log.warning("broker unreachable, %s%r waits for the sweep: %s", task.name, args, error)

    transaction.on_commit(send)


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
        enqueue(extract_audio_metadata, episode.pk)


def requeue_stuck_audio(*, older_than: timedelta) -> int:
    """Send extraction again for uploads pending or processing for too long; returns how many.

    Work gets stuck when the broker was down at upload time, or a worker died holding a
    message the broker does not redeliver (the filesystem transport). Claim, then act once:
    each row is re-stamped by one update before it is sent, so two sweeps never both send
    it and the next sweep waits a full period again.
    """
    from .tasks import extract_audio_metadata

    stuck = Episode.objects.exclude(audio_upload="")
    return requeue_stuck(stuck, "audio_status", extract_audio_metadata, older_than=older_than)


def requeue_stuck(queryset, status_field: str, task, *, older_than: timedelta) -> int:
    """Claim each row of `queryset` stuck in pending or processing, then send `task` for it."""
    stuck = queryset.filter(
        **{f"{status_field}__in": [ProcessingStatus.PENDING, ProcessingStatus.PROCESSING]},
        updated_at__lt=timezone.now() - older_than,
    )
    sent = 0
    for pk, stamp in stuck.values_list("pk", "updated_at"):
        claim = queryset.model.objects.filter(pk=pk, updated_at=stamp)
        if claim.update(**{status_field: ProcessingStatus.PENDING}, updated_at=timezone.now()):
            enqueue(task, pk)
            sent += 1
    return sent


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
    # The tagging task itself never comes back here, so it cannot loop.
    queue_audio_tagging(episode=episode)


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
        record_episode_change(episode=episode)


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


def editor_fields() -> list[str]:
    """The episode fields an editor's form save may write: all but those the worker owns.

    A full save would write back the audio fields as they were when the request read
    the row, undoing a worker that finished in between.
    """
    worker_owned = {*AUDIO_FIELDS, "audio_upload", "websub_pinged_at"} - {"updated_at"}
    fields = Episode._meta.concrete_fields
    return [f.name for f in fields if not f.primary_key and f.name not in worker_owned]


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


@dataclass(frozen=True)
class ShowNotesReport:
    """What an import recognised in the notes and what it stored."""

    notes: ShowNotes
    links: int = 0
    skipped: tuple[str, ...] = ()  # picks not stored as links, each with the reason
    new_people: tuple[str, ...] = ()
    filled_show_notes: bool = False

    def summary(self) -> str:
        parts = [f"Show notes: {self.notes.summary()}."]
        if self.links:
            parts.append(f"Stored {self.links} link{'' if self.links == 1 else 's'}.")
        else:
            parts.append("No link to store: the episode's links were left as they were.")
        if self.skipped:
            parts.append(f"Not stored: {'; '.join(self.skipped)}.")
        if self.new_people:
            parts.append(f"New people: {', '.join(self.new_people)}.")
        if self.filled_show_notes:
            parts.append("The pasted Markdown became the episode's show notes.")
        return " ".join(parts)


def import_show_notes(*, episode: Episode, markdown_text: str) -> ShowNotesReport:
    """Replace the episode's show-note links with the picks found in pythonbytes.fm-style notes.

    The Markdown stays what the episode page renders: it fills ``show_notes`` only when those
    are empty and never overwrites an editor's notes; the links are a structured index beside
    them. Notes without a storable pick leave the existing links alone, so a stray paste
    cannot wipe them. Recompute and overwrite: the same notes give the same links and people.
    """
    notes = parse_show_notes(markdown_text)
    storable = [item for item in notes.items if not link_problem(item)]
    skipped = tuple(f"{pick_label(i)}: {link_problem(i)}" for i in notes.items if link_problem(i))
    with transaction.atomic():
        # The row lock makes a second import of the same episode wait for the first.
        locked = Episode.objects.select_for_update().get(pk=episode.pk)
        new_people: tuple[str, ...] = ()
        if storable:
            people, new_people = pickers(episode=locked, names={i.picked_by for i in storable})
            locked.links.all().delete()
            ShowNoteLink.objects.bulk_create(
                show_note_link(locked, item, people.get(item.picked_by)) for item in storable
            )
        filled = fill_empty_show_notes(locked, markdown_text)
    if filled:
        episode.show_notes, episode.show_notes_html = locked.show_notes, locked.show_notes_html
    return ShowNotesReport(notes, len(storable), skipped, new_people, filled)


def link_problem(item: Item) -> str:
    """Why a pick cannot be a ShowNoteLink row, or "" when it can."""
    if not item.title:
        return "no title"
    if not item.url:
        return "no link on its heading line"
    try:
        ShowNoteLink._meta.get_field("url").run_validators(item.url)
    except ValidationError:
        return f"{item.url[:80]} is not an http(s) URL of at most 1000 characters"
    return ""


def pick_label(item: Item) -> str:
    title = f' "{item.title}"' if item.title else ""
    return f"{item.picked_by} #{item.position}{title}".strip()


def show_note_link(episode: Episode, item: Item, person: Person | None) -> ShowNoteLink:
    title_length = ShowNoteLink._meta.get_field("title").max_length
    return ShowNoteLink(
        episode=episode,
        position=item.position,
        title=item.title[:title_length],
        url=item.url,
        description=item.description,
        picked_by=person,
    )


def pickers(*, episode: Episode, names: set[str]) -> tuple[dict[str, Person], tuple[str, ...]]:
    """The Person for each picker name, and the names of those created for the purpose.

    "Michael" is first looked for among the show's hosts and the episode's people (by full or
    first name) so that a host entered as "Michael Kennedy" is not doubled by a new "Michael".
    """
    known = list(
        Person.objects.filter(Q(shows_hosted__show=episode.show_id) | Q(credits__episode=episode))
        .distinct()
        .order_by("pk")
    )
    people, created = {}, []
    for name in sorted(name for name in names if name):
        person = matching_person(name, known)
        slug = slugify(name)[: Person._meta.get_field("slug").max_length].strip("-")
        if person is None and slug:
            person, is_new = Person.objects.get_or_create(slug=slug, defaults={"name": name})
            created += [name] if is_new else []
        if person is not None:
            people[name] = person
    return people, tuple(created)


def matching_person(name: str, known: list[Person]) -> Person | None:
    """The one known person with this full name, else with this first name; None if unsure."""
    wanted = name.casefold()
    by_name = [p for p in known if p.name.casefold() == wanted]
    by_first_name = [p for p in known if p.name.casefold().split()[:1] == [wanted]]
    for matches in (by_name, by_first_name):
        if len(matches) == 1:
            return matches[0]
    return None


def fill_empty_show_notes(episode: Episode, markdown_text: str) -> bool:
    if episode.show_notes.strip() or not markdown_text.strip():
        return False
    episode.show_notes = markdown_text
    episode.render_notes()
    episode.save(update_fields=["show_notes", "show_notes_html", "updated_at"])
    return True


# ---------------------------------------------------------------- WebSub


def queue_websub_ping(*, episode: Episode) -> None:
    """After commit, have the worker ping the WebSub hub when the episode becomes public.

    Call it wherever an episode gets published or scheduled, or its audio becomes
    ready; the task itself checks that the episode is public and pings once.
    """
    from .tasks import ping_websub_hub

    if not settings.PODCAST_WEBSUB_HUB or episode.publish_at is None:
        return
    eta = max(episode.publish_at, timezone.now())
    transaction.on_commit(lambda: ping_websub_hub.apply_async((episode.pk,), eta=eta))


def notify_websub_hub(*, episode_id: int) -> bool:
    """Tell the WebSub hub once that the episode's feed changed; True if this call pinged.

    Claim, then act once: the claim is the update of websub_pinged_at from empty.
    A failed POST releases the claim (only ours, matched by its timestamp) and
    re-raises, so the task's retry can ping; a second run after success does nothing.
    """

    hub = settings.PODCAST_WEBSUB_HUB
    episode = Episode.objects.select_related("show").filter(pk=episode_id).first()
    if not hub or episode is None or not episode.is_published():
        return False
    claimed_at = timezone.now()
    claim = Episode.objects.filter(pk=episode_id, websub_pinged_at=None)
    if not claim.update(websub_pinged_at=claimed_at):
        return False
    try:
        post_websub_publish(hub_url=hub, feed_url=episode.show.feed_url())
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
