import datetime as dt

from celery import shared_task
from django.conf import settings
from django.utils import timezone

from . import aggregation, retention


@shared_task
def aggregate_events() -> int:
    """Periodic (beat, every minute): turn buffered requests into downloads and daily counts.

    Shape: claim, then act once, per batch: a batch is recorded as processed in the
    transaction that applies it, and one process aggregates at a time (a lock).
    """
    summary = aggregation.aggregate_pending()
    return summary.events if summary else 0


@shared_task
def expire_analytics() -> int:
    """Periodic (beat, hourly): destroy past salts, delete raw events past their days.

    Shape: recompute and overwrite: deleting what is old twice deletes nothing more.
    """
    keep = dt.timedelta(days=settings.PODCAST_ANALYTICS_RAW_DAYS)
    return retention.expire(now=timezone.now(), keep=keep)
