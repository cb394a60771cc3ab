"""The daily salt of listener keys: one per UTC day, shared by every process, then destroyed.

Each web process keeps today's salt in memory after one query a day; rotate()
deletes every earlier salt, and a process forgets its copy when the day turns,
so after rotation nothing stored can turn an IP address into yesterday's key.
"""

import datetime as dt
import secrets
import threading

from django.db import IntegrityError, transaction

from .models import Salt

_today: tuple[dt.date, bytes] | None = None
_lock = threading.Lock()


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
        return value


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
    deleted, _ = Salt.objects.filter(day__lt=day).delete()
    return deleted
