"""Downloads through personal feeds: counted per subscriber, with the listener keys seen a day.

The audio view of a personal feed passes the subscriber's id to record_download; the
worker adds the subscriber's IAB downloads (the same counting as every download) and
the number of listener keys that fetched their audio that day, which the subscriber
admin compares with PODCAST_SUBSCRIBER_SHARING_KEYS to flag a shared feed URL.
"""

from collections import Counter

from subscribers.models import Subscriber

from .increments import ADD, MAX, add_rows
from .models import SubscriberDay, SubscriberListener

DAY_FIELDS = {"downloads": ADD, "listeners": MAX}


def known_subscribers(ids: set) -> set[int]:
    """The ids among these that still belong to a subscriber (a deleted one counts nothing)."""
    wanted = {i for i in ids if i}
    return set(Subscriber.objects.filter(pk__in=wanted).values_list("pk", flat=True))


def add_listeners(rows: list) -> None:
    """Note each (day, subscriber, listener key) of audio rows; refresh the day's key counts."""
    known = known_subscribers({row.subscriber for row in rows})
    seen = Counter(
        (row.day, row.subscriber, row.listener) for row in rows if row.subscriber in known
    )
    add_rows(SubscriberListener, ("day", "subscriber", "listener"), {"requests": ADD},
             [(*key, n) for key, n in seen.items()])  # fmt: skip
    days = {(day, subscriber) for day, subscriber, _ in seen}
    found = Counter(
        SubscriberListener.objects.filter(
            day__in={day for day, _ in days}, subscriber__in={s for _, s in days}
        ).values_list("day", "subscriber")
    )
    add_rows(SubscriberDay, ("day", "subscriber"), DAY_FIELDS,
             [(day, s, 0, found[(day, s)]) for day, s in days])  # fmt: skip


def add_downloads(counted: list) -> None:
    """Add the downloads of counted listener-days that came through a personal feed."""
    ids = Counter((s.day, s.subscriber_id) for s in counted)
    known = known_subscribers({subscriber for _, subscriber in ids})
    add_rows(SubscriberDay, ("day", "subscriber"), DAY_FIELDS,
             [(day, s, n, 0) for (day, s), n in ids.items() if s in known])  # fmt: skip
