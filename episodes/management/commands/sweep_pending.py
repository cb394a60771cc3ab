"""Send again the audio and transcript work left pending or processing for too long."""

from datetime import timedelta

from django.conf import settings
from django.core.management.base import BaseCommand, CommandParser

from podcast.queue import requeue_stuck


class Command(BaseCommand):
    help = (
        "Re-enqueue audio extraction and transcript builds stuck in pending or processing "
        "(a broker outage, a killed worker). Beat runs the same sweep every few minutes."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--older-than",
            type=float,
            default=settings.PODCAST_REQUEUE_AFTER_MINUTES,
            help="minutes without change before work counts as stuck "
            "(default: PODCAST_REQUEUE_AFTER_MINUTES)",
        )

    def handle(self, *args, **options) -> None:
        older_than = timedelta(minutes=options["older_than"])
        sent = requeue_stuck(older_than=older_than)
        counts = " and ".join(f"{count} {noun}" for noun, count in sent.items())
        self.stdout.write(f"Re-enqueued {counts}.")
