import uuid
from pathlib import PurePath

from django.conf import settings
from django.db import models
from django.utils import timezone

from episodes.models import Episode, ProcessingStatus

from .formats import BY_SUFFIX


def transcript_source_path(transcript: "Transcript", filename: str) -> str:
    """A name of our own: the editor's file name only lends a known suffix."""
    # The suffix is kept as a hint to the format; anything else becomes .txt.
    suffix = PurePath(filename).suffix.lower().lstrip(".")
    suffix = suffix if suffix in BY_SUFFIX else "txt"
    episode = transcript.episode
    return f"transcripts/{episode.show.slug}/{episode.number:04d}-{uuid.uuid4().hex}.{suffix}"


class TranscriptStatus(models.TextChoices):
    """The audio's processing states, and one of a transcript's own."""

    NONE = ProcessingStatus.NONE.value, "no file"
    PENDING = ProcessingStatus.PENDING.value, "pending"
    PROCESSING = ProcessingStatus.PROCESSING.value, "processing"
    READY = ProcessingStatus.READY.value, "ready"
    FAILED = ProcessingStatus.FAILED.value, "failed"
    # Built, with problems (transcripts.review): listeners keep the last good build
    # until an editor accepts this one or uploads a fixed file.
    REVIEW = "review", "needs review"


class TranscriptQuerySet(models.QuerySet):
    def servable(self) -> "TranscriptQuerySet":
        """Transcripts with a good build to serve, whatever a newer upload's state."""
        return self.filter(good_build_at__isnull=False)


class Transcript(models.Model):
    episode = models.ForeignKey(Episode, on_delete=models.CASCADE, related_name="transcripts")
    language = models.CharField(max_length=16, default="en")
    source_file = models.FileField(
        upload_to=transcript_source_path,
        max_length=300,
        blank=True,
        help_text="Plain text, WebVTT, SRT, Podcast Index JSON or namespace HTML. "
        "Kept even when it fails to parse.",
    )
    source_format = models.CharField(max_length=10, blank=True, editable=False)
    status = models.CharField(
        max_length=12, choices=TranscriptStatus.choices, default=TranscriptStatus.NONE, blank=True
    )
    error = models.TextField(blank=True, editable=False)
    report = models.JSONField(default=dict, blank=True, editable=False)
    rendered_html = models.TextField(blank=True, editable=False)
    built_at = models.DateTimeField(null=True, blank=True, editable=False)
    # When the segments and page now served were built. A pending or failed rebuild leaves
    # them in place, so listeners keep the last good transcript while editors fix the file.
    good_build_at = models.DateTimeField(null=True, blank=True, editable=False)
    # Source name -> name shown, applied at every build: real transcripts mislabel speakers.
    speaker_renames = models.JSONField(default=dict, blank=True, editable=False)
    # Who accepted the build now served despite its problems, and when (None: no one had to).
    accepted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        editable=False,
    )
    accepted_at = models.DateTimeField(null=True, blank=True, editable=False)
    updated_at = models.DateTimeField(auto_now=True)

    objects = TranscriptQuerySet.as_manager()

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["episode", "language"], name="unique_transcript_language"
            )
        ]

    def __str__(self) -> str:
        return f"Transcript of {self.episode} ({self.language})"

    def is_ready(self) -> bool:
        return self.status == ProcessingStatus.READY

    def needs_review(self) -> bool:
        return self.status == TranscriptStatus.REVIEW

    def is_servable(self) -> bool:
        return self.good_build_at is not None

    def mark_pending(self) -> None:
        self.status, self.error = ProcessingStatus.PENDING, ""
        self.save(update_fields=["status", "error", "updated_at"])

    def mark_failed(self, reason: str) -> None:
        self.status, self.error, self.built_at = ProcessingStatus.FAILED, reason, timezone.now()
        self.save(update_fields=["status", "error", "built_at", "updated_at"])


class Segment(models.Model):
    transcript = models.ForeignKey(Transcript, on_delete=models.CASCADE, related_name="segments")
    position = models.PositiveIntegerField()
    start = models.FloatField()
    end = models.FloatField(null=True, blank=True)
    speaker = models.CharField(max_length=100, blank=True)
    text = models.TextField()

    class Meta:
        ordering = ["position"]
        constraints = [
            models.UniqueConstraint(
                fields=["transcript", "position"], name="unique_segment_position"
            )
        ]

    def __str__(self) -> str:
        return f"{self.start:.0f}s {self.text[:40]}"
