"""Live recordings announced in the feed as podcast:liveItem (spec: tags/live-item.md)."""

import datetime as dt
import uuid

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.utils import timezone

from ..validators import http_url
from .show import Show


class LiveItemQuerySet(models.QuerySet):
    def in_feed(self, now: dt.datetime | None = None) -> "LiveItemQuerySet":
        """What the feed announces: pending and live streams, and ended ones for a few days."""
        now = now or timezone.now()
        since = now - dt.timedelta(days=settings.PODCAST_LIVE_ITEM_DAYS)
        ended_long_ago = Q(status=LiveItem.Status.ENDED) & (
            Q(end__lt=since) | Q(end=None, start__lt=since)
        )
        return self.exclude(ended_long_ago).order_by("start", "pk")


class LiveItem(models.Model):
    class Status(models.TextChoices):
        PENDING = "pending", "Pending (announced)"
        LIVE = "live", "Live now"
        ENDED = "ended", "Ended"

    show = models.ForeignKey(Show, on_delete=models.CASCADE, related_name="live_items")
    title = models.CharField(max_length=200)
    # Apps treat a new guid as a new stream: made once, never edited.
    guid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    status = models.CharField(max_length=8, choices=Status.choices, default=Status.PENDING)
    start = models.DateTimeField(help_text="When the stream is meant to start.")
    end = models.DateTimeField(null=True, blank=True, help_text="When it is meant to end.")
    content_url = models.URLField(
        validators=[http_url],
        help_text="Where listeners watch or hear it live, e.g. the YouTube stream "
        "(podcast:contentLink, required by the spec).",
    )
    content_text = models.CharField(max_length=128, default="Watch live on YouTube")
    enclosure_url = models.URLField(
        blank=True, validators=[http_url], help_text="Optional: an audio stream apps can play."
    )
    enclosure_type = models.CharField(max_length=60, default="audio/mpeg")
    # Claimed by the worker's Podping when the item goes live, and when it ends
    # (reasons "live" and "liveEnd", episodes/podping.py).
    podping_live_at = models.DateTimeField(null=True, blank=True, editable=False)
    podping_ended_at = models.DateTimeField(null=True, blank=True, editable=False)
    updated_at = models.DateTimeField(auto_now=True)

    objects = LiveItemQuerySet.as_manager()

    class Meta:
        ordering = ["-start"]

    def __str__(self) -> str:
        return self.title

    def clean(self) -> None:
        if self.end is not None and self.start is not None and self.end <= self.start:
            raise ValidationError({"end": "The stream must end after it starts."})
