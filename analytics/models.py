"""Download and feed analytics: raw events for a few days, daily aggregates forever."""

from django.core.exceptions import ValidationError
from django.db import models

from episodes.models import Episode, Show
from subscribers.models import Subscriber

from .prefixes import check_prefix


class Salt(models.Model):
    """Today's secret for listener keys; deleted when the day is over (salts.rotate)."""

    day = models.DateField(unique=True)
    value = models.BinaryField(max_length=32)

    def __str__(self) -> str:
        return f"salt of {self.day}"


class Event(models.Model):
    """One recorded audio or feed request, kept PODCAST_ANALYTICS_RAW_DAYS days.

    No IP address: only the listener key, a salted hash whose salt is gone the next day.
    """

    class Kind(models.TextChoices):
        AUDIO = "audio"
        FEED = "feed"

    time = models.DateTimeField(db_index=True)
    kind = models.CharField(max_length=5, choices=Kind.choices)
    show = models.ForeignKey(Show, on_delete=models.CASCADE, related_name="+", db_index=False)
    episode = models.ForeignKey(
        Episode, null=True, on_delete=models.CASCADE, related_name="+", db_index=False
    )
    status = models.PositiveSmallIntegerField()
    range_start = models.BigIntegerField(null=True)
    range_end = models.BigIntegerField(null=True)
    bytes_sent = models.BigIntegerField(default=0)
    listener = models.CharField(max_length=32)
    client_kind = models.CharField(max_length=10)
    client = models.CharField(max_length=100, blank=True)
    device = models.CharField(max_length=100, blank=True)
    device_category = models.CharField(max_length=20, blank=True)
    referrer_host = models.CharField(max_length=200, blank=True)
    gzip = models.BooleanField(default=False)
    subscribers = models.PositiveIntegerField(null=True)

    def __str__(self) -> str:
        return f"{self.kind} {self.status} at {self.time:%Y-%m-%d %H:%M:%S}"


class ListenerDay(models.Model):
    """What one listener key received of one episode on one UTC day (counting.Progress)."""

    day = models.DateField()
    listener = models.CharField(max_length=32)
    episode = models.ForeignKey(Episode, on_delete=models.CASCADE, related_name="+")
    ranges = models.JSONField(default=list)
    pending_since = models.DateTimeField(null=True)
    counted_at = models.DateTimeField(null=True)
    window_end = models.DateTimeField(null=True)
    client = models.CharField(max_length=100, blank=True)
    device_category = models.CharField(max_length=20, blank=True)
    implausible = models.BooleanField(default=False)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["day", "listener", "episode"], name="one_progress_per_listener_day"
            )
        ]  # its index serves the lookups by (day, listener) too: a second one only slowed writes

    def __str__(self) -> str:
        return f"{self.listener[:8]} on {self.day}"


class EpisodeDay(models.Model):
    """A count about one episode on one UTC day: the day, the show (for its charts), the episode."""

    day = models.DateField()
    show = models.ForeignKey(Show, on_delete=models.CASCADE, related_name="+", db_index=False)
    episode = models.ForeignKey(Episode, on_delete=models.CASCADE, related_name="+")

    class Meta:
        abstract = True
        indexes = [models.Index(fields=["show", "day"])]


class DailyDownloads(EpisodeDay):
    """IAB downloads of an episode on a UTC day, by app and device type. Kept forever."""

    client = models.CharField(max_length=100)
    device_category = models.CharField(max_length=20)
    downloads = models.IntegerField(default=0)

    class Meta(EpisodeDay.Meta):
        constraints = [
            models.UniqueConstraint(
                fields=["day", "episode", "client", "device_category"],
                name="one_download_count_per_day_episode_client",
            )
        ]

    def __str__(self) -> str:
        return f"{self.downloads} on {self.day}"


class EpisodeDownloads(EpisodeDay):
    """IAB downloads of an episode on a UTC day, all apps together: charts and totals read it."""

    downloads = models.IntegerField(default=0)

    class Meta(EpisodeDay.Meta):
        constraints = [
            models.UniqueConstraint(fields=["day", "episode"], name="one_count_per_day_episode")
        ]

    def __str__(self) -> str:
        return f"{self.downloads} on {self.day}"


class ClientDownloads(models.Model):
    """IAB downloads of a show on a UTC day by app and device type: the show's top lists."""

    day = models.DateField()
    show = models.ForeignKey(Show, on_delete=models.CASCADE, related_name="+")
    client = models.CharField(max_length=100)
    device_category = models.CharField(max_length=20)
    downloads = models.IntegerField(default=0)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["day", "show", "client", "device_category"],
                name="one_count_per_day_show_client",
            )
        ]

    def __str__(self) -> str:
        return f"{self.downloads} by {self.client} on {self.day}"


class DailyRequests(EpisodeDay):
    """Audio requests of an episode on a UTC day by kind of client, excluded ones included."""

    client_kind = models.CharField(max_length=10)
    requests = models.IntegerField(default=0)
    bytes_sent = models.BigIntegerField(default=0)

    class Meta(EpisodeDay.Meta):
        constraints = [
            models.UniqueConstraint(
                fields=["day", "episode", "client_kind"], name="one_request_count_per_day_kind"
            )
        ]

    def __str__(self) -> str:
        return f"{self.requests} {self.client_kind} on {self.day}"


class DailyFeedPolls(models.Model):
    """Feed requests of a show on a UTC day by client: how often, 304s, bytes, subscribers."""

    day = models.DateField()
    show = models.ForeignKey(Show, on_delete=models.CASCADE, related_name="+")
    client = models.CharField(max_length=100)
    client_kind = models.CharField(max_length=10)
    requests = models.IntegerField(default=0)
    not_modified = models.IntegerField(default=0)
    full_responses = models.IntegerField(default=0)
    gzipped = models.IntegerField(default=0)
    bytes_sent = models.BigIntegerField(default=0)
    gzip_saved = models.BigIntegerField(default=0)  # bytes the gzipped answers did not send
    subscribers = models.IntegerField(null=True)  # the most the client reported that day

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["day", "show", "client", "client_kind"],
                name="one_feed_count_per_day_client",
            )
        ]

    def __str__(self) -> str:
        return f"{self.requests} polls by {self.client} on {self.day}"


class ProcessedBatch(models.Model):
    """A buffered batch already aggregated: a batch handed out twice is counted once."""

    name = models.CharField(max_length=100, unique=True)
    events = models.IntegerField()
    processed_at = models.DateTimeField(auto_now_add=True)

    def __str__(self) -> str:
        return self.name


class ShowAnalytics(Show):
    """Shows as the admin's analytics index lists them (a proxy: no table of its own)."""

    class Meta:
        proxy = True
        verbose_name = "show analytics"
        verbose_name_plural = "show analytics"


class MeasurementPrefix(models.Model):
    """An opt-in third-party prefix put before the show's enclosure URLs in its feeds."""

    class Service(models.TextChoices):
        OP3 = "op3", "OP3"
        PODTRAC = "podtrac", "Podtrac"
        CHARTABLE = "chartable", "Chartable-style"
        OTHER = "other", "Other"

    show = models.ForeignKey(Show, on_delete=models.CASCADE, related_name="measurement_prefixes")
    service = models.CharField(max_length=20, choices=Service.choices)
    prefix = models.URLField(
        max_length=300, help_text="e.g. https://op3.dev/e/ or https://dts.podtrac.com/redirect.mp3/"
    )
    position = models.PositiveSmallIntegerField(default=0, help_text="The lowest is outermost.")

    class Meta:
        ordering = ["show", "position", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["show", "prefix"], name="one_of_each_prefix_per_show")
        ]

    def __str__(self) -> str:
        return f"{self.get_service_display()}: {self.prefix}"

    def clean(self) -> None:
        try:
            self.prefix = check_prefix(self.prefix)
        except ValueError as error:
            raise ValidationError({"prefix": str(error)}) from None


def prefixes_for(show: Show) -> tuple[str, ...]:
    """The show's prefixes, outermost first (one query, once per feed build)."""
    return tuple(show.measurement_prefixes.values_list("prefix", flat=True))


class ImportedLog(models.Model):
    """How much of an access log is counted: a re-import counts only what was not.

    A file is known by the digest of its bytes up to where it was imported, so a
    copy, a renamed or a compressed file is recognised, and one that grew since
    (nginx's access.log) is read on from there.
    """

    head = models.CharField(max_length=64, db_index=True)  # digest of its first request line
    digest = models.CharField(max_length=64, unique=True)  # digest of bytes[:size]
    size = models.BigIntegerField()
    name = models.CharField(max_length=300)
    lines = models.IntegerField()
    imported_at = models.DateTimeField(auto_now=True)

    def __str__(self) -> str:
        return f"{self.name}: {self.lines} lines"


class SubscriberDay(models.Model):
    """Through one subscriber's personal feed on a UTC day: IAB downloads and listener keys.

    `listeners` is how many listener keys (address and app) fetched its audio that day:
    one person has one or two; many means the feed URL is shared. Kept forever.
    """

    day = models.DateField()
    subscriber = models.ForeignKey(Subscriber, on_delete=models.CASCADE, related_name="days")
    downloads = models.IntegerField(default=0)
    listeners = models.IntegerField(default=0)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["day", "subscriber"], name="one_count_per_subscriber_day"
            )
        ]

    def __str__(self) -> str:
        return f"{self.downloads} downloads, {self.listeners} listeners on {self.day}"


class SubscriberListener(models.Model):
    """A listener key that fetched a subscriber's audio on a UTC day; kept as raw events are."""

    day = models.DateField()
    subscriber = models.ForeignKey(Subscriber, on_delete=models.CASCADE, related_name="+")
    listener = models.CharField(max_length=32)
    requests = models.IntegerField(default=0)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["day", "subscriber", "listener"], name="one_row_per_subscriber_listener_day"
            )
        ]

    def __str__(self) -> str:
        return f"{self.listener[:8]} on {self.day}"


class EpisodeMilestones(models.Model):
    """An episode's downloads in its first 1, 7, 30 and 90 days: the show page's table, kept.

    Made whole by the worker (milestones.refresh) for the release day it names, then
    added to by each batch in the same transaction as the daily counts. A row whose
    release day is not the episode's any more (rescheduled) is not read, but remade.
    """

    episode = models.ForeignKey(Episode, on_delete=models.CASCADE, related_name="+")
    show = models.ForeignKey(Show, on_delete=models.CASCADE, related_name="+")
    released = models.DateField()
    d1 = models.IntegerField(default=0)
    d7 = models.IntegerField(default=0)
    d30 = models.IntegerField(default=0)
    d90 = models.IntegerField(default=0)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["episode"], name="one_milestone_row_per_episode")
        ]

    def __str__(self) -> str:
        return f"milestones of episode {self.episode_id}"
