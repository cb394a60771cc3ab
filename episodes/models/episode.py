"""Episodes and what hangs off them: credits, sponsorships, show-note links, chapters."""

import secrets
import uuid

from django.core.exceptions import ValidationError
from django.db import models
from django.utils import timezone

from podcast.queue import ProcessingStatus

from ..markup import render_markdown
from ..soundbites import soundbite_problems
from ..uploads import (
    audio_upload_path,
    chapter_image_path,
    episode_artwork_path,
    media_url,
    stored_url,
)
from ..validators import (
    http_url,
    validate_artwork,
)
from .namespacefields import LicenseAndLocation
from .show import Person, Role, Show, Sponsor

# The worker's rendition (episodes/opus.py), served by views.download_opus.
OPUS_TYPE = "audio/opus"


def new_preview_token() -> str:
    return secrets.token_urlsafe(18)


class EpisodeQuerySet(models.QuerySet):
    def published(self, now=None) -> "EpisodeQuerySet":
        """Visible to the public: publish time set and past, and audio ready to serve."""
        return self.filter(publish_at__lte=now or timezone.now()).exclude(audio="")

    def public(self, now=None) -> "EpisodeQuerySet":
        """Published and for everyone: not premium, not of a wholly private show."""
        return self.published(now).filter(premium=False, show__private=False)

    def newest_first(self) -> "EpisodeQuerySet":
        return self.order_by("-publish_at", "-number")


class Episode(LicenseAndLocation, models.Model):
    class Type(models.TextChoices):
        FULL = "full"
        TRAILER = "trailer"
        BONUS = "bonus"

    show = models.ForeignKey(Show, on_delete=models.CASCADE, related_name="episodes")
    number = models.PositiveIntegerField()
    title = models.CharField(max_length=200, help_text="Without the show name or number.")
    slug = models.SlugField(max_length=100)
    summary = models.TextField(blank=True, help_text="One or two sentences for lists and feeds.")
    show_notes = models.TextField(blank=True, help_text="Markdown.")
    # Rendering costs milliseconds per episode, on every page and feed build: derived
    # from show_notes by save() (render_notes), the one renderer every reader uses.
    show_notes_html = models.TextField(blank=True, editable=False)
    recorded_on = models.DateField(null=True, blank=True)
    publish_at = models.DateTimeField(
        null=True, blank=True, db_index=True, help_text="Empty: draft. In the future: scheduled."
    )
    guid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    # The guid an episode had at its previous host, exactly as that feed had it: our
    # feed repeats it, so apps that moved with the show see no new episodes.
    imported_guid = models.CharField(max_length=1000, blank=True, editable=False)
    explicit = models.BooleanField(default=False)
    premium = models.BooleanField(
        default=False,
        help_text="For subscribers only: in their personal feeds, nowhere public.",
    )
    season = models.PositiveSmallIntegerField(null=True, blank=True)
    episode_type = models.CharField(max_length=10, choices=Type.choices, default=Type.FULL)
    artwork = models.ImageField(
        upload_to=episode_artwork_path, blank=True, validators=[validate_artwork]
    )
    preview_token = models.CharField(
        max_length=32,
        default=new_preview_token,
        editable=False,
        db_index=True,
        help_text="Anyone with the preview link sees the episode until it is published.",
    )
    soundbite_start = models.FloatField(null=True, blank=True)
    soundbite_duration = models.FloatField(null=True, blank=True)
    soundbite_title = models.CharField(max_length=128, blank=True)

    # The file served to listeners, with its metadata; replaced only once a new
    # upload is ready, so the feed never points at unprocessed audio.
    audio = models.FileField(max_length=300, blank=True, editable=False)
    audio_version = models.PositiveIntegerField(default=0, editable=False)
    # Every version ever served, {"1": stored name, ...}: an old enclosure URL keeps
    # its bytes even after the slug changed or storage renamed a file on a clash.
    audio_files = models.JSONField(default=dict, blank=True, editable=False)
    audio_source = models.CharField(max_length=300, blank=True, editable=False)
    audio_duration = models.FloatField(null=True, blank=True, editable=False)
    audio_size = models.BigIntegerField(null=True, blank=True, editable=False)
    audio_mime_type = models.CharField(max_length=40, blank=True, editable=False)
    audio_bitrate = models.PositiveIntegerField(null=True, blank=True, editable=False)
    audio_sample_rate = models.PositiveIntegerField(null=True, blank=True, editable=False)
    audio_channels = models.PositiveSmallIntegerField(null=True, blank=True, editable=False)
    # The editor's latest upload and the state of its processing.
    audio_upload = models.FileField(upload_to=audio_upload_path, max_length=300, blank=True)
    audio_status = models.CharField(
        max_length=12, choices=ProcessingStatus.choices, default=ProcessingStatus.NONE, blank=True
    )
    audio_error = models.TextField(blank=True, editable=False)
    audio_notes = models.TextField(blank=True, editable=False)
    audio_processed_at = models.DateTimeField(null=True, blank=True, editable=False)
    websub_pinged_at = models.DateTimeField(null=True, blank=True, editable=False)
    podping_pinged_at = models.DateTimeField(null=True, blank=True, editable=False)
    # The worker's Opus rendition of the served audio (podcast:alternateEnclosure), made
    # from the upload `opus_source` (tagging makes new MP3 versions of the same sound,
    # which keep it); `opus_version` counts the encodes, `opus_error` says why the last failed.
    opus_audio = models.CharField(max_length=300, blank=True, editable=False)
    opus_source = models.CharField(max_length=300, blank=True, editable=False)
    opus_version = models.PositiveIntegerField(default=0, editable=False)
    opus_size = models.PositiveBigIntegerField(default=0, editable=False)
    opus_bitrate = models.PositiveIntegerField(default=0, editable=False)
    opus_integrity = models.CharField(max_length=120, blank=True, editable=False)
    opus_error = models.TextField(blank=True, editable=False)
    # A page-sized copy of the episode's art (its own, else the cover in its MP3),
    # made by the worker from page_art_source (episodes/artcopies.py).
    page_art = models.CharField(max_length=300, blank=True, editable=False)
    page_art_source = models.CharField(max_length=300, blank=True, editable=False)
    # Resized copies of its own artwork for podcast:images, [[width, name], ...] widest
    # first, made by the worker from feed_art_source (episodes/artcopies.py).
    feed_art = models.JSONField(default=list, blank=True, editable=False)
    feed_art_source = models.CharField(max_length=300, blank=True, editable=False)

    people = models.ManyToManyField(Person, through="EpisodePerson", related_name="episodes")
    sponsors = models.ManyToManyField(Sponsor, through="EpisodeSponsor", related_name="episodes")
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = EpisodeQuerySet.as_manager()

    class Meta:
        ordering = ["-publish_at", "-number"]
        constraints = [
            models.UniqueConstraint(
                fields=["show", "number"], name="unique_episode_number_per_show"
            ),
            models.UniqueConstraint(
                fields=["show", "imported_guid"],
                condition=~models.Q(imported_guid=""),
                name="unique_imported_guid_per_show",
            ),
        ]
        indexes = [
            # Covers the feed's validator query (feeds.cache.current) so it reads no table rows.
            models.Index(
                fields=["show", "publish_at", "audio", "updated_at"], name="episode_feed_state"
            )
        ]

    def __str__(self) -> str:
        return f"#{self.number} {self.title}"

    def clean(self) -> None:
        errors = soundbite_problems(
            self.soundbite_start, self.soundbite_duration, self.audio_duration
        )
        errors |= self.namespace_tag_errors()
        show_title = self.show.title.strip().lower() if self.show_id else ""
        if show_title and show_title in self.title.lower():
            errors["title"] = (
                f"Leave the show name ({self.show.title}) out of the title: apps show it already."
            )
        if errors:
            raise ValidationError(errors)

    def save(self, *args, **kwargs) -> None:
        update_fields = kwargs.get("update_fields")
        if update_fields is None or "show_notes" in update_fields:
            self.render_notes()
            if update_fields is not None:
                kwargs["update_fields"] = update_fields = {*update_fields, "show_notes_html"}
        if self.leaves_publication(update_fields):
            # The preview link of the last draft period died at publish: a new draft
            # period gets a token of its own, so the old link never works again.
            self.preview_token = new_preview_token()
            if update_fields is not None:
                kwargs["update_fields"] = {*update_fields, "preview_token"}
        super().save(*args, **kwargs)

    def leaves_publication(self, update_fields=None) -> bool:
        """Whether this save takes an episode that is public now (by its stored row) off air."""
        touches_publication = update_fields is None or {"publish_at", "audio"} & set(update_fields)
        if self.pk is None or not touches_publication or self.is_published():
            return False
        return Episode.objects.filter(pk=self.pk).published().exists()

    def render_notes(self) -> None:
        """Derive the stored HTML of the show notes: save() calls it, as bulk loaders must."""
        self.show_notes_html = render_markdown(self.show_notes)

    def feed_guid(self) -> str:
        """The item's guid in our feed: the old host's for an imported episode, else ours."""
        return self.imported_guid or str(self.guid)

    def is_published(self, now=None) -> bool:
        moment = now or timezone.now()
        return self.publish_at is not None and self.publish_at <= moment and bool(self.audio)

    def is_public(self, now=None) -> bool:
        """Published and for everyone, as EpisodeQuerySet.public() has it."""
        return self.is_published(now) and not self.premium and not self.show.private

    def is_scheduled(self, now=None) -> bool:
        return self.publish_at is not None and self.publish_at > (now or timezone.now())

    def get_absolute_url(self) -> str:
        return self.show.reverse("detail", number=self.number, slug=self.slug)

    def transcript_url(self) -> str:
        return self.show.reverse("transcript", number=self.number, slug=self.slug)

    def art_source(self) -> str:
        """What the episode's page art is made from: its artwork, else its uploaded audio's cover."""
        if self.artwork:
            return self.artwork.name
        return f"audio:{self.audio_upload.name}" if self.audio_upload else ""

    def page_art_url(self) -> str:
        """Art for pages: the episode's own, else its MP3's cover, else the show's."""
        if self.page_art and self.page_art_source == self.art_source():
            return stored_url(self.page_art)
        return media_url(self.artwork) or self.show.page_art_url()

    def social_image_url(self) -> str:
        """The largest art for link previews (og:image, JSON-LD), as an absolute URL."""
        if self.artwork:
            url = media_url(self.artwork)
        elif self.page_art and self.page_art_source == self.art_source():
            url = stored_url(self.page_art)
        else:
            url = media_url(self.show.artwork)
        return url if not url or url.startswith("http") else self.show.absolute(url)

    def audio_suffix(self) -> str:
        return "m4a" if "mp4" in self.audio_mime_type or "m4a" in self.audio_mime_type else "mp3"

    def download_url(self) -> str:
        """Our stable enclosure URL; the version changes whenever the bytes do."""
        name = "download_m4a" if self.audio_suffix() == "m4a" else "download"
        path = self.show.reverse(name, number=self.number, slug=self.slug)
        return f"{path}?v={self.audio_version}" if self.audio_version > 1 else path

    def has_opus(self) -> bool:
        """Whether the Opus rendition was made from the audio served now."""
        return bool(self.opus_audio) and self.opus_source == self.audio_source

    def opus_url(self) -> str:
        path = self.show.reverse("download_opus", number=self.number, slug=self.slug)
        return f"{path}?v={self.opus_version}"

    def served_audio_name(self, version: int | None = None) -> str:
        """The name a version of the served audio is stored under (the current one by default)."""
        version = self.audio_version if version is None else version
        if stored := self.audio_files.get(str(version)):
            return stored
        # Versions stored before the map existed were named from the slug of the time.
        slug_and_version = f"{self.number:04d}-{self.slug}-v{version}"
        return f"audio/{self.show.slug}/{slug_and_version}.{self.audio_suffix()}"

    def mark_audio_pending(self) -> None:
        self.audio_status, self.audio_error = ProcessingStatus.PENDING, ""
        self.save(update_fields=["audio_status", "audio_error", "updated_at"])

    def mark_audio_processing(self) -> None:
        self.audio_status = ProcessingStatus.PROCESSING
        self.save(update_fields=["audio_status", "updated_at"])

    def mark_audio_failed(self, reason: str) -> None:
        self.audio_status, self.audio_error = ProcessingStatus.FAILED, reason
        self.audio_processed_at = timezone.now()
        self.save(update_fields=["audio_status", "audio_error", "audio_processed_at", "updated_at"])


class EpisodePerson(models.Model):
    episode = models.ForeignKey(Episode, on_delete=models.CASCADE, related_name="credits")
    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="credits")
    role = models.CharField(max_length=20, choices=Role.choices, default=Role.GUEST)
    position = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["position", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["episode", "person"], name="unique_episode_person")
        ]

    def __str__(self) -> str:
        return f"{self.person} ({self.role})"


class EpisodeSponsor(models.Model):
    episode = models.ForeignKey(Episode, on_delete=models.CASCADE, related_name="sponsorships")
    sponsor = models.ForeignKey(Sponsor, on_delete=models.CASCADE, related_name="sponsorships")
    position = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["position", "pk"]

    def __str__(self) -> str:
        return str(self.sponsor)


class ShowNoteLink(models.Model):
    episode = models.ForeignKey(Episode, on_delete=models.CASCADE, related_name="links")
    position = models.PositiveSmallIntegerField(default=0)
    title = models.CharField(max_length=300)
    url = models.URLField(max_length=1000, validators=[http_url])
    description = models.TextField(blank=True, help_text="Markdown.")
    picked_by = models.ForeignKey(
        Person, null=True, blank=True, on_delete=models.SET_NULL, related_name="picks"
    )

    class Meta:
        ordering = ["position", "pk"]

    def __str__(self) -> str:
        return self.title


class Chapter(models.Model):
    episode = models.ForeignKey(Episode, on_delete=models.CASCADE, related_name="chapters")
    start = models.FloatField(help_text="Seconds from the start of the audio.")
    end = models.FloatField(null=True, blank=True)
    title = models.CharField(max_length=300)
    url = models.URLField(max_length=1000, blank=True, validators=[http_url])
    image = models.ImageField(upload_to=chapter_image_path, blank=True)
    toc = models.BooleanField(default=True)
    from_file = models.BooleanField(default=False, editable=False)

    class Meta:
        ordering = ["start", "pk"]

    def __str__(self) -> str:
        return self.title

    def clean(self) -> None:
        duration = self.episode.audio_duration if self.episode_id else None
        if problem := chapter_time_problem(self.start, self.end, duration):
            raise ValidationError(problem)


def chapter_time_problem(start: float | None, end: float | None, duration: float | None) -> str:
    """Why a chapter's times would mislead podcast apps, or "" when they are fine."""
    if start is None:
        return ""
    if start < 0:
        return f"Chapter at {start:g} s starts before 0."
    if end is not None and end <= start:
        return f"Chapter at {start:g} s ends at {end:g} s, not after its start."
    if duration is not None and start > duration:
        return f"Chapter at {start:g} s starts after the audio ends ({duration:.0f} s)."
    if duration is not None and end is not None and end > duration:
        return f"Chapter at {start:g} s ends at {end:g} s, after the audio ends ({duration:.0f} s)."
    return ""
