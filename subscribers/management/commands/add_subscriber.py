"""Add a subscriber to a show and print their personal feed URL (on the last line, for scripts)."""

import datetime as dt

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.core.validators import validate_email
from django.utils import timezone

from episodes.models import Show
from subscribers.links import personal_feed_url
from subscribers.models import Subscriber


class Command(BaseCommand):
    help = "Add a subscriber (or renew one) and print their personal feed URL on the last line."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--show", required=True, help="show slug")
        parser.add_argument("--email", required=True)
        parser.add_argument("--name", default=None, help="the subscriber's name")
        parser.add_argument("--expires", help="last day of the subscription, YYYY-MM-DD")

    def handle(self, *args, **options) -> None:
        show = show_by_slug(options["show"])
        email = checked_email(options["email"])
        expires_at = end_of_day(options["expires"]) if options["expires"] else None
        subscriber = Subscriber.objects.filter(show=show, email__iexact=email).first()
        if subscriber is None:
            subscriber = Subscriber(show=show, email=email, source="command")
            verb = "Added"
        elif subscriber.reactivate():
            verb = "Re-activated (with a new feed URL)"
        else:
            verb = "Renewed"
        subscriber.name = subscriber.name if options["name"] is None else options["name"].strip()
        subscriber.expires_at = expires_at
        subscriber.save()
        until = f"until {options['expires']}" if expires_at else "until revoked"
        self.stdout.write(f"{verb} subscriber {email} of {show.title!r}, {until}.")
        self.stdout.write(personal_feed_url(subscriber))


def show_by_slug(slug: str) -> Show:
    show = Show.objects.filter(slug=slug).first()
    if show is None:
        known = ", ".join(Show.objects.values_list("slug", flat=True)) or "none yet"
        raise CommandError(f"no show {slug!r} (known shows: {known})")
    return show


def checked_email(value: str) -> str:
    email = value.strip()
    try:
        validate_email(email)
    except ValidationError:
        raise CommandError(f"--email {value!r}: not an email address") from None
    return email


def end_of_day(value: str) -> dt.datetime:
    """The moment the given day ends in the site's time zone: the subscription covers it."""
    try:
        day = dt.date.fromisoformat(value)
    except ValueError:
        raise CommandError(f"--expires {value!r}: expected a date as YYYY-MM-DD") from None
    if day < timezone.localdate():
        raise CommandError(f"--expires {value}: that day is past")
    start = dt.datetime.combine(day + dt.timedelta(days=1), dt.time())
    return timezone.make_aware(start)
