"""The payment provider's events: create, renew or cancel a subscriber, each applied once.

The view has checked the signature and the timestamp (signatures.py); here the body is
read, its event id claimed (a second delivery of the same id is a replay, refused) and
the event applied, in one transaction: an event refused for its content claims nothing.
"""

import datetime as dt
import json
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.dateparse import parse_datetime

from episodes.models import Show

from . import services
from .models import Subscriber, WebhookDelivery

EVENTS = ("create", "renew", "cancel")
KEEP_DAYS = 30  # providers retry for up to a few days; replays are refused this long


class Refused(Exception):
    def __init__(self, status: int, message: str) -> None:
        super().__init__(message)
        self.status, self.message = status, message


@dataclass(frozen=True)
class Event:
    event: str
    id: str
    show: Show
    email: str
    name: str
    external_id: str
    expires_at: dt.datetime | None


def read_event(body: bytes) -> Event:
    """The event a request body holds, or Refused (400, 422) saying what is wrong."""
    try:
        data = json.loads(body)
    except (UnicodeDecodeError, ValueError):
        raise Refused(400, "the body is not JSON") from None
    if not isinstance(data, dict):
        raise Refused(400, "the body is not a JSON object")
    fields = {name: data.get(name) for name in ("event", "id", "show", "email", "name")}
    fields |= {"external_id": data.get("external_id"), "expires_at": data.get("expires_at")}
    for name, value in fields.items():
        if value is not None and not isinstance(value, str):
            raise Refused(400, f"{name}: expected a string")
    if fields["event"] not in EVENTS:
        raise Refused(400, f"event: expected one of {', '.join(EVENTS)}")
    if not fields["id"] or len(fields["id"]) > 200:
        raise Refused(400, "id: the event's unique id is required (at most 200 characters)")
    show = Show.objects.filter(slug=fields["show"] or "").first()
    if show is None:
        raise Refused(422, f"show: no show with the slug {fields['show']!r}")
    return Event(
        event=fields["event"],
        id=fields["id"],
        show=show,
        email=checked_email(fields["email"] or "", required=fields["event"] == "create"),
        name=(fields["name"] or "")[:200],
        external_id=(fields["external_id"] or "")[:200],
        expires_at=checked_time(fields["expires_at"]),
    )


def checked_email(email: str, *, required: bool) -> str:
    if not email and not required:
        return ""
    try:
        validate_email(email)
    except ValidationError:
        raise Refused(400, f"email: {email!r} is not an email address") from None
    return email.strip().lower()


def checked_time(value: str | None) -> dt.datetime | None:
    if not value:
        return None
    try:
        parsed = parse_datetime(value)
    except ValueError:
        parsed = None
    if parsed is None or timezone.is_naive(parsed):
        raise Refused(400, "expires_at: expected ISO 8601 with a zone, e.g. 2027-01-31T00:00:00Z")
    return parsed


def handle(body: bytes) -> dict:
    """Apply the event a signed body holds, once: what happened, as the JSON answer."""
    event = read_event(body)
    with transaction.atomic():
        claim(event)
        subscriber, new_url = apply(event)
    emailed = (event.event == "create" or new_url) and services.send_link(subscriber=subscriber)
    return {
        "ok": True,
        "event": event.event,
        "id": event.id,
        "subscriber": subscriber.pk,
        "active": subscriber.is_active(),
        "expires_at": subscriber.expires_at.isoformat() if subscriber.expires_at else None,
        "emailed": emailed,
        "new_feed_url": new_url,
    }


def claim(event: Event) -> None:
    old = timezone.now() - dt.timedelta(days=KEEP_DAYS)
    WebhookDelivery.objects.filter(received_at__lt=old).delete()
    try:
        with transaction.atomic():
            WebhookDelivery.objects.create(event_id=event.id, event=event.event)
    except IntegrityError:
        raise Refused(409, f"replayed: the event {event.id!r} was already received") from None


def apply(event: Event) -> tuple[Subscriber, bool]:
    """The subscriber the event changed, and whether their feed URL is new (revoked before)."""
    if event.event == "create":
        return create(event)
    subscriber = find(event)
    if event.event == "cancel":
        subscriber.revoke()
        return subscriber, False
    subscriber.expires_at = event.expires_at
    new_url = subscriber.reactivate()  # a renewal after a cancel brings the feed back
    subscriber.save()
    return subscriber, new_url


def create(event: Event) -> tuple[Subscriber, bool]:
    """A new subscriber, or the same email's earlier one made active again (new URL if revoked)."""
    subscriber, _ = Subscriber.objects.update_or_create(
        show=event.show,
        email__iexact=event.email,
        defaults={"expires_at": event.expires_at},
        create_defaults={"email": event.email, "source": "webhook", "expires_at": event.expires_at},
    )
    new_url = subscriber.reactivate()
    changed = {"name": event.name, "external_id": event.external_id}
    for name, value in changed.items():
        if value:
            setattr(subscriber, name, value)
    subscriber.save()
    return subscriber, new_url


def find(event: Event) -> Subscriber:
    """The subscriber a renew or cancel names, by external_id, else by email."""
    found = Subscriber.objects.filter(show=event.show)
    if event.external_id:
        found = found.filter(external_id=event.external_id)
    elif event.email:
        found = found.filter(email__iexact=event.email)
    else:
        raise Refused(400, "external_id or email: one is needed to find the subscriber")
    subscriber = found.first()
    if subscriber is None:
        raise Refused(422, f"no subscriber of {event.show.slug} matches this {event.event}")
    return subscriber
