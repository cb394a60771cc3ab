"""Revoke a subscriber: their personal feed answers 410 Gone and its files 403, at once."""

from django.core.management.base import BaseCommand, CommandError, CommandParser

from subscribers.management.commands.add_subscriber import checked_email, show_by_slug
from subscribers.models import Subscriber


class Command(BaseCommand):
    help = "Revoke a subscriber's personal feed (410 Gone from the next request on)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--show", required=True, help="show slug")
        parser.add_argument("--email", required=True)

    def handle(self, *args, **options) -> None:
        show = show_by_slug(options["show"])
        email = checked_email(options["email"])
        subscriber = Subscriber.objects.filter(show=show, email__iexact=email).first()
        if subscriber is None:
            raise CommandError(f"{email} is no subscriber of {show.slug!r}")
        if subscriber.revoked_at is not None:
            self.stdout.write(f"{email} of {show.title!r} was already revoked.")
            return
        subscriber.revoke()
        self.stdout.write(
            f"Revoked {email} of {show.title!r}: their personal feed now answers 410 Gone."
        )
