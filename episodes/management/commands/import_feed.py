"""manage.py import_feed URL: move a show here from its RSS feed."""

import time

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db.models import Q

from episodes.importing.models import FeedImport
from episodes.importing.services import ImportRefused, import_feed, plan_import
from transcripts.models import Transcript

PENDING = ("pending", "processing")


class Command(BaseCommand):
    help = (
        "Import a show and its episodes from an RSS feed. Episodes are drafts until published "
        "(--publish); the worker downloads each episode's audio, chapters and transcript."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("url", help="the show's feed URL (http or https)")
        parser.add_argument("--show", default="", help="slug of the show (default: from the title)")
        parser.add_argument("--dry-run", action="store_true", help="report, create nothing")
        parser.add_argument("--limit", type=int, default=None, help="import the first N items")
        parser.add_argument("--publish", action="store_true", help="publish once audio is ready")
        parser.add_argument("--update", action="store_true", help="also update matched episodes")
        parser.add_argument("--wait", action="store_true", help="wait for the worker's downloads")
        parser.add_argument("--timeout", type=float, default=1800.0, help="seconds --wait waits")
        parser.add_argument(
            "--i-own-this-feed",
            action="store_true",
            help="import a locked feed (podcast:locked) you own; this is logged",
        )

    def handle(self, *args, **options) -> None:
        if options["limit"] is not None and options["limit"] < 1:
            raise CommandError(f"--limit {options['limit']}: expected a whole number from 1")
        try:
            plan, _ = plan_import(
                url=options["url"], show_slug=options["show"], limit=options["limit"]
            )
        except ImportRefused as error:
            raise CommandError(str(error)) from None
        for line in plan.summary():
            self.stdout.write(line)
        if options["dry_run"]:
            self.stdout.write("Dry run: nothing was created.")
            return
        try:
            feed_import = import_feed(
                plan=plan,
                show_slug=options["show"],
                i_own_this_feed=options["i_own_this_feed"],
                publish=options["publish"],
                update=options["update"],
            )
        except ImportRefused as error:
            raise CommandError(str(error)) from None
        show = feed_import.show
        self.stdout.write(
            f"Created {feed_import.created} draft episodes in {show.title!r} ({show.slug}); "
            "the worker downloads their audio."
        )
        if options["wait"]:
            self.wait_for_worker(feed_import, options["timeout"])

    def wait_for_worker(self, feed_import: FeedImport, timeout: float) -> None:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if not busy(feed_import):
                return self.report_results(feed_import)
            time.sleep(0.5)
        progress = feed_import.progress()
        raise CommandError(
            f"not finished within {timeout:.0f} s ({progress['downloaded']} downloaded, "
            f"{progress['failed']} failed, {progress['waiting']} waiting): is a worker running?"
        )

    def report_results(self, feed_import: FeedImport) -> None:
        progress = feed_import.progress()
        self.stdout.write(
            f"Found {progress['found']}, created {progress['created']}, audio downloaded "
            f"{progress['downloaded']}, failed {progress['failed']}."
        )
        failures = [f"{title}: {reason}" for title, reason in feed_import.failures()]
        failures += [
            f"{t.episode.title}: transcript failed: {t.error}"
            for t in transcripts_of(feed_import).filter(status="failed").select_related("episode")
        ]
        if failures:
            raise CommandError(
                f"{len(failures)} failed (their episodes stay drafts):\n" + "\n".join(failures)
            )
        self.stdout.write(f"Old host: {old_host_advice(feed_import)}")


def transcripts_of(feed_import: FeedImport):
    return Transcript.objects.filter(episode__import_items__feed_import=feed_import)


def busy(feed_import: FeedImport) -> bool:
    waiting = feed_import.items.filter(Q(status__in=PENDING) | Q(episode__audio_status__in=PENDING))
    return waiting.exists() or transcripts_of(feed_import).filter(status__in=PENDING).exists()


def old_host_advice(feed_import: FeedImport) -> str:
    return (
        f"redirect {feed_import.url} to {feed_import.show.feed_url()} with a 301, or put "
        f"<itunes:new-feed-url>{feed_import.show.feed_url()}</itunes:new-feed-url> in the old "
        "feed; our feed keeps every old guid, so apps see no new episodes."
    )
