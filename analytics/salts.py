"""The daily salt of listener keys: one per UTC day, shared by every process, then destroyed.

Each web process keeps today's salt in memory after one query a day; rotate()
deletes every earlier salt, and a process forgets its copy when the day turns,
so after rotation nothing stored can turn an IP address into yesterday's key.
"""

import datetime as dt
import secrets
import threading

from django.db import IntegrityError, transaction

from .listeners import recent_keys
from .models import Salt

_today: tuple[dt.date, bytes] | None = None
_lock = threading.Lock()
EPOCH_ORDINAL = dt.date(1970, 1, 1).toordinal()


def utc_day(now: dt.datetime) -> dt.date:
    return now.astimezone(dt.UTC).date()


def salt_for(now: dt.datetime) -> bytes:
    """The salt of `now`'s UTC day, made on first use by whichever process comes first."""
    global _today
    day = utc_day(now)
    with _lock:
        if _today is not None and _today[0] == day:
            return _today[1]
        value = stored_salt(day)
        _today = (day, value)  # yesterday's copy, if any, is dropped here
        recent_keys.forget()  # and the keys made with it
        return value


def salt_at(timestamp: float) -> bytes:
    """salt_for() of a POSIX time: without a lock or a datetime once the day's salt is known."""
    known = _today
    day = dt.date.fromordinal(EPOCH_ORDINAL + int(timestamp // 86400))
    if known is not None and known[0] == day:
        return known[1]
    return salt_for(dt.datetime.fromtimestamp(timestamp, dt.UTC))


def stored_salt(day: dt.date) -> bytes:
    found = Salt.objects.filter(day=day).values_list("value", flat=True).first()
    if found is not None:
        return bytes(found)
    try:
        with transaction.atomic():
            salt = Salt.objects.create(day=day, value=secrets.token_bytes(32))
            Salt.objects.filter(day__lt=day).delete()  # the first request of a day rotates
            return bytes(salt.value)
    except IntegrityError:  # another process made it first
        return bytes(Salt.objects.get(day=day).value)


def rotate(now: dt.datetime) -> int:
    """Destroy the salts of past days (and this process's copy of one); how many were deleted."""
    global _today
    day = utc_day(now)
    with _lock:
        if _today is not None and _today[0] < day:
            _today = None
            recent_keys.forget()
    deleted, _ = Salt.objects.filter(day__lt=day).delete()
    return deleted
