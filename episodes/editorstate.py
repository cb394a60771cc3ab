"""What an episode's state is, in the editor's words, for the admin's list and its filter.

One state per episode, the first that holds: Audio failed, Transcript needs review,
Draft, Scheduled for <time>, Waiting for audio, Live.
"""

from django.db.models import Exists, OuterRef, Q, QuerySet
from django.utils import timezone

from transcripts.models import Transcript, TranscriptStatus

from .models import Episode, ProcessingStatus
from .timecodes import format_duration

STATES = [
    ("failed", "Audio failed"),
    ("review", "Transcript needs review"),
    ("draft", "Draft"),
    ("scheduled", "Scheduled"),
    ("waiting", "Waiting for audio"),
    ("live", "Live"),
]
# Words an audio note uses for a file that may be cut short: publishing asks first.
SHORT_AUDIO_MARKS = ("truncated upload?", "but its header promises")


def with_review_flag(queryset: QuerySet) -> QuerySet:
    """Annotate `needs_review`: a transcript of the episode waits for an editor."""
    held = Transcript.objects.filter(episode=OuterRef("pk"), status=TranscriptStatus.REVIEW)
    return queryset.annotate(needs_review=Exists(held))


def state_of(episode: Episode, now=None) -> tuple[str, str]:
    """(key, label) of the episode's state; `needs_review` annotated or looked up."""
    now = now or timezone.now()
    if episode.audio_status == ProcessingStatus.FAILED:
        return "failed", "Audio failed"
    needs_review = getattr(episode, "needs_review", None)
    if needs_review is None:
        needs_review = episode.transcripts.filter(status="review").exists()
    if needs_review:
        return "review", "Transcript needs review"
    if episode.publish_at is None:
        return "draft", "Draft"
    if episode.publish_at > now:
        when = episode.publish_at.astimezone(episode.show.zone())
        return "scheduled", f"Scheduled for {when:%Y-%m-%d %H:%M} {when.tzname()}"
    if not episode.audio:
        return "waiting", "Waiting for audio"
    return "live", "Live"


def filter_by_state(queryset: QuerySet, key: str, now=None) -> QuerySet:
    """The episodes whose state_of is `key`, in one query (needs with_review_flag)."""
    now = now or timezone.now()
    failed = Q(audio_status=ProcessingStatus.FAILED)
    review = Q(needs_review=True)
    draft = Q(publish_at__isnull=True)
    scheduled = Q(publish_at__gt=now)
    waiting = Q(audio="")
    before = Q()
    for state, condition in [
        ("failed", failed),
        ("review", review),
        ("draft", draft),
        ("scheduled", scheduled),
        ("waiting", waiting),
        ("live", Q()),
    ]:
        if state == key:
            return (
                queryset.filter(condition).exclude(before) if before else queryset.filter(condition)
            )
        before |= condition
    return queryset


def short_audio_note(episode: Episode) -> str:
    """The worker's note that the served file is shorter than its header promises, or ""."""
    lines = (episode.audio_notes or "").splitlines()
    return next((line for line in lines if any(mark in line for mark in SHORT_AUDIO_MARKS)), "")


def audio_may_be_short(episode: Episode) -> bool:
    """A cut upload, perhaps: publishing it asks for an explicit "publish anyway"."""
    return bool(short_audio_note(episode))


def clock(seconds: float | None) -> str:
    """A duration as h:mm:ss, as editors read it everywhere in the admin; "-" if unknown."""
    if seconds is None:
        return "-"
    text = format_duration(seconds)
    return text if text.count(":") == 2 else f"0:{text.zfill(5)}"


def megabytes(size: int | None) -> str:
    return "-" if size is None else f"{size / 1_000_000:.1f} MB"
