"""What is forgotten, and when: salts at the end of their day, raw rows after their days."""

import datetime as dt

from . import salts
from .models import Event, ListenerDay, ProcessedBatch, SubscriberListener


def expire(*, now: dt.datetime, keep: dt.timedelta) -> int:
    """Destroy past salts and delete raw events, listener progress and batch names older than `keep`.

    Daily aggregates are never deleted. Returns the number of rows deleted.
    """
    deleted = salts.rotate(now)
    cutoff = now - keep
    deleted += Event.objects.filter(time__lt=cutoff).delete()[0]
    deleted += ListenerDay.objects.filter(day__lt=cutoff.date()).delete()[0]
    deleted += SubscriberListener.objects.filter(day__lt=cutoff.date()).delete()[0]
    deleted += ProcessedBatch.objects.filter(processed_at__lt=cutoff).delete()[0]
    return deleted
