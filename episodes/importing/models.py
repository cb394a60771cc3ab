"""An import of a show from its feed, and each item it brings: the state the admin shows."""

from django.conf import settings
from django.db import models

from podcast.queue import ProcessingStatus


class FeedImport(models.Model):
    """One run of import_feed: what was read, what was created, and the worker's progress."""

    show = models.ForeignKey("episodes.Show", on_delete=models.CASCADE, related_name="imports")
    url = models.URLField(max_length=1000)
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL
    )
    publish = models.BooleanField(
        default=False, help_text="Publish each episode once its audio is ready."
    )
    owner_override = models.BooleanField(
        default=False, help_text="A locked feed imported with --i-own-this-feed."
    )
    found = models.PositiveIntegerField(default=0)
    created = models.PositiveIntegerField(default=0)
    report = models.TextField(blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"{self.url} ({self.created_at:%Y-%m-%d %H:%M})"

    def progress(self) -> dict[str, int]:
        """Counts the admin shows while the worker runs."""
        counts = dict(self.items.values_list("status").annotate(n=models.Count("pk")).order_by())
        waiting = counts.get(ProcessingStatus.PENDING, 0) + counts.get(
            ProcessingStatus.PROCESSING, 0
        )
        return {
            "found": self.found,
            "created": self.created,
            "downloaded": counts.get(ProcessingStatus.READY, 0),
            "failed": counts.get(ProcessingStatus.FAILED, 0),
            "waiting": waiting,
        }

    def failures(self) -> list[tuple[str, str]]:
        """(episode title, reason) of each item whose download failed."""
        failed = self.items.filter(status=ProcessingStatus.FAILED).select_related("episode")
        return [(item.episode.title, item.error) for item in failed]


class ImportedEpisode(models.Model):
    """An item of the feed and the files the worker fetches for it."""

    feed_import = models.ForeignKey(FeedImport, on_delete=models.CASCADE, related_name="items")
    episode = models.ForeignKey(
        "episodes.Episode", on_delete=models.CASCADE, related_name="import_items"
    )
    enclosure_url = models.URLField(max_length=1000, blank=True)
    image_url = models.URLField(max_length=1000, blank=True)
    chapters_url = models.URLField(max_length=1000, blank=True)
    transcripts = models.JSONField(default=list, blank=True)  # [{"url", "type", "language"}]
    published_at = models.DateTimeField(null=True, blank=True, help_text="pubDate in the feed")
    status = models.CharField(
        max_length=12, choices=ProcessingStatus.choices, default=ProcessingStatus.PENDING
    )
    error = models.TextField(blank=True)
    notes = models.TextField(blank=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["pk"]

    def __str__(self) -> str:
        return self.enclosure_url
