"""What the background work left behind: a record of each task that gave up, for editors."""

from django.db import models


class TaskFailure(models.Model):
    """A task that failed for good: after its last retry, or at once for an error not worth one."""

    task = models.CharField(max_length=200, db_index=True)
    arguments = models.JSONField(default=list)
    reason = models.TextField()
    failed_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-failed_at"]

    def __str__(self) -> str:
        return f"{self.task}{tuple(self.arguments)}: {self.reason[:80]}"


class QueuedWork(models.Model):
    """A task that could not be sent (the broker was down), waiting to be sent again.

    `podcast.queue.send_queued_work` (beat, every 30 s) sends these once the broker
    answers, so work starts within a minute of its return.
    """

    task = models.CharField(max_length=200)
    arguments = models.JSONField(default=list)
    eta = models.DateTimeField(null=True, blank=True)
    error = models.TextField(blank=True)
    queued_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["queued_at", "pk"]

    def __str__(self) -> str:
        return f"{self.task}{tuple(self.arguments)}"
