"""Shows and who is on them: the show, its funding links, people, hosts and sponsors."""

import zoneinfo
from typing import TYPE_CHECKING

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.urls import reverse

from ..guids import podcast_guid
from ..uploads import media_url, show_artwork_path, stored_url
from ..validators import (
    validate_artwork,
    validate_categories,
    validate_language,
    validate_source_url_template,
    validate_time_zone,
)
from .namespacefields import LicenseAndLocation, UpdateFrequency

if TYPE_CHECKING:
    from .episode import Episode


class ShowQuerySet(models.QuerySet):
    def default(self) -> "Show | None":
        return self.order_by("-is_default", "pk").first()


class Medium(models.TextChoices):
    # The podcast namespace's medium list (a feed of one kind of content).
    PODCAST = "podcast"
    MUSIC = "music"
    VIDEO = "video"
    FILM = "film"
    AUDIOBOOK = "audiobook"
    NEWSLETTER = "newsletter"
    BLOG = "blog"
    COURSE = "course"


class Show(LicenseAndLocation, UpdateFrequency, models.Model):
    class Type(models.TextChoices):
        EPISODIC = "episodic"
        SERIAL = "serial"

    title = models.CharField(max_length=200)
    slug = models.SlugField(unique=True)
    is_default = models.BooleanField(
        default=False,
        help_text="The default show lives at the site root; others under /shows/<slug>/.",
    )
    description = models.TextField(help_text="At most 4000 bytes reach the feed.")
    language = models.CharField(
        max_length=16,
        default="en",
        validators=[validate_language],
        help_text="ISO 639 code, e.g. en or en-us.",
    )
    author = models.CharField(max_length=200, blank=True)
    owner_name = models.CharField(max_length=200, blank=True)
    owner_email = models.EmailField(blank=True)
    website = models.URLField(blank=True)
    artwork = models.ImageField(
        upload_to=show_artwork_path, blank=True, validators=[validate_artwork]
    )
    categories = models.JSONField(default=list, blank=True, validators=[validate_categories])
    explicit = models.BooleanField(default=False)
    show_type = models.CharField(max_length=10, choices=Type.choices, default=Type.EPISODIC)
    copyright = models.CharField(max_length=200, blank=True)
    medium = models.CharField(
        max_length=20, choices=Medium.choices, default=Medium.PODCAST, help_text="podcast:medium"
    )
    podcast_guid = models.UUIDField(
        null=True,
        blank=True,
        editable=False,
        help_text="Computed once from the feed URL and kept for life.",
    )
    locked = models.BooleanField(
        default=True, help_text="podcast:locked: refuse imports by other hosts."
    )
    promo_banner = models.CharField(
        max_length=300, blank=True, help_text='Shown on every page, e.g. "Brought to you by ..."'
    )
    transcript_source_url_template = models.CharField(
        max_length=500,
        blank=True,
        validators=[validate_source_url_template],
        help_text="The transcript's source link; {number} and {slug} are filled in, e.g. "
        "https://github.com/you/show_notes/blob/main/transcripts/{number:03}-{slug}.txt",
    )
    private = models.BooleanField(
        default=False,
        help_text="Wholly private: every episode is for subscribers only, heard through "
        "their personal feeds; the public feed and pages list none.",
    )
    subscribe_url = models.URLField(
        blank=True,
        help_text="Where listeners become subscribers of the premium episodes (your "
        "payment page); the show's pages link to it.",
    )
    new_feed_url = models.URLField(blank=True, help_text="Set when the show has moved elsewhere.")
    imported_from = models.URLField(
        max_length=1000, blank=True, editable=False, help_text="The feed this show was moved from."
    )
    time_zone = models.CharField(
        max_length=64,
        default="UTC",
        validators=[validate_time_zone],
        help_text="Publish times in the admin are shown and entered in this zone.",
    )
    transcript_source_label = models.CharField(
        max_length=60,
        blank=True,
        help_text='The transcript page\'s source link text, e.g. "view on github" (default: view source).',
    )
    apple_podcasts_url = models.URLField(blank=True, help_text="The show's Apple Podcasts page.")
    spotify_url = models.URLField(blank=True, help_text="The show's Spotify page.")
    overcast_url = models.URLField(blank=True, help_text="The show's Overcast page.")
    pocket_casts_url = models.URLField(blank=True, help_text="The show's Pocket Casts page.")
    antennapod_url = models.URLField(blank=True, help_text="An AntennaPod subscribe link.")
    podcast_addict_url = models.URLField(blank=True, help_text="The show's Podcast Addict page.")
    podcast_index_url = models.URLField(
        blank=True, help_text="The show's Podcast Index page (apps find it by podcast:guid)."
    )
    # A page-sized copy of the artwork, made by the worker (episodes/artcopies.py).
    page_art = models.CharField(max_length=300, blank=True, editable=False)
    page_art_source = models.CharField(max_length=300, blank=True, editable=False)
    # Resized copies of its own artwork for podcast:images, [[width, name], ...] widest
    # first, made by the worker from feed_art_source (episodes/artcopies.py).
    feed_art = models.JSONField(default=list, blank=True, editable=False)
    feed_art_source = models.CharField(max_length=300, blank=True, editable=False)
    updated_at = models.DateTimeField(auto_now=True)
    # Kept by episodes/feeds/cache.py: bumped in the transaction of each
    # change a feed shows, and per feed document the ETag and Last-Modified it was
    # built with, shared by every process (the default cache is per process).
    feed_revision = models.PositiveIntegerField(default=0, editable=False)
    feed_validators = models.JSONField(default=dict, blank=True, editable=False)

    objects = ShowQuerySet.as_manager()

    class Meta:
        ordering = ["-is_default", "title"]

    def __str__(self) -> str:
        return self.title

    def clean(self) -> None:
        if errors := self.namespace_tag_errors() | self.update_frequency_errors():
            raise ValidationError(errors)
        if self.new_feed_url and self.new_feed_url.rstrip("/") == self.feed_url().rstrip("/"):
            raise ValidationError(
                {"new_feed_url": "This is the show's own feed URL: apps would loop."}
            )

    def zone(self) -> zoneinfo.ZoneInfo:
        """The show's time zone; UTC for a name saved before names were checked."""
        try:
            return zoneinfo.ZoneInfo(self.time_zone)
        except (zoneinfo.ZoneInfoNotFoundError, ValueError):
            return zoneinfo.ZoneInfo("UTC")

    def save(self, *args, **kwargs) -> None:
        if self.podcast_guid is None:
            self.podcast_guid = podcast_guid(self.feed_url())
        super().save(*args, **kwargs)

    def reverse(self, name: str, **kwargs: object) -> str:
        """A path of this show's URL tree: the default show at the root, others under /shows/."""
        if self.is_default:
            return reverse(f"episodes:{name}", kwargs=kwargs)
        return reverse(f"shows:{name}", kwargs={"show_slug": self.slug, **kwargs})

    def absolute(self, path: str) -> str:
        return settings.PODCAST_SITE_URL.rstrip("/") + path

    def next_episode_number(self) -> int:
        last = self.episodes.aggregate(models.Max("number"))["number__max"]
        return (last or 0) + 1

    def transcript_source_url(self, episode: "Episode") -> str:
        """The "view source" link of a transcript page, from the show's template."""
        if not self.transcript_source_url_template:
            return ""
        try:
            return self.transcript_source_url_template.format(
                number=episode.number, slug=episode.slug
            )
        except (KeyError, IndexError, ValueError):
            return ""

    def feed_url(self) -> str:
        return self.absolute(self.reverse("rss"))

    def offers_premium(self) -> bool:
        """Whether listeners have something to subscribe for: a private show, or premium episodes."""
        return self.private or self.episodes.published().filter(premium=True).exists()

    def social_image_url(self) -> str:
        """The original artwork as an absolute URL, for link previews and JSON-LD."""
        url = media_url(self.artwork)
        return url if not url or url.startswith("http") else self.absolute(url)

    def page_art_url(self) -> str:
        """The artwork for pages: the worker's small copy once made, else the original."""
        if self.page_art and self.page_art_source == self.artwork.name:
            return stored_url(self.page_art)
        return media_url(self.artwork)

    def get_absolute_url(self) -> str:
        return self.reverse("index")


class FundingLink(models.Model):
    show = models.ForeignKey(Show, on_delete=models.CASCADE, related_name="funding_links")
    url = models.URLField()
    label = models.CharField(max_length=128)
    position = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["position", "pk"]

    def __str__(self) -> str:
        return self.label


class Person(models.Model):
    name = models.CharField(max_length=200)
    slug = models.SlugField(unique=True)
    bio = models.TextField(blank=True)
    url = models.URLField(blank=True, help_text="Their page (podcast:person href).")
    image_url = models.URLField(blank=True)

    class Meta:
        ordering = ["name"]
        verbose_name_plural = "people"

    def __str__(self) -> str:
        return self.name


class Role(models.TextChoices):
    # From the podcast namespace's person taxonomy ("cast" group).
    HOST = "host"
    CO_HOST = "co-host"
    GUEST = "guest"
    PRODUCER = "producer"
    EDITOR = "editor"


class ShowHost(models.Model):
    show = models.ForeignKey(Show, on_delete=models.CASCADE, related_name="hosts")
    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="shows_hosted")
    role = models.CharField(max_length=20, choices=Role.choices, default=Role.HOST)
    position = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["position", "pk"]
        constraints = [models.UniqueConstraint(fields=["show", "person"], name="unique_show_host")]

    def __str__(self) -> str:
        return f"{self.person} ({self.role})"


class Sponsor(models.Model):
    name = models.CharField(max_length=200)
    slug = models.SlugField(
        unique=True, help_text="/sponsor/<slug> redirects to the URL and counts the click."
    )
    url = models.URLField()
    description = models.TextField(blank=True)
    clicks = models.PositiveIntegerField(default=0, editable=False)

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name
