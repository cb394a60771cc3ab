"""Print downloads per episode per day, after aggregating whatever is still buffered."""

import csv
import datetime as dt

from django.core.management.base import BaseCommand, CommandError, CommandParser

from analytics import reports
from analytics.aggregation import aggregate_pending
from episodes.models import Show


class Command(BaseCommand):
    help = (
        "Aggregate pending download events, then print IAB v2.2 downloads per episode per "
        "UTC day (CSV: date,show,episode,downloads) or a totals table."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--show", metavar="SLUG", help="only this show")
        parser.add_argument("--since", metavar="YYYY-MM-DD", help="only days from this one on")
        parser.add_argument("--csv", action="store_true", help="CSV per episode per day")

    def handle(self, *args, **options) -> None:
        show = self.find_show(options["show"])
        since = self.parse_day(options["since"])
        summary = aggregate_pending(wait=60)
        if summary is None:
            raise CommandError("another process kept the aggregation lock for 60 s; try again")
        if summary.skipped:
            self.stderr.write(f"{summary.skipped} buffered line(s) were malformed or orphaned")
        if options["csv"]:
            self.write_csv(show, since)
        else:
            self.write_totals(show, since)

    def find_show(self, slug: str | None) -> Show | None:
        if slug is None:
            return None
        try:
            return Show.objects.get(slug=slug)
        except Show.DoesNotExist:
            known = ", ".join(Show.objects.values_list("slug", flat=True)) or "none"
            raise CommandError(f"--show {slug!r}: no such show (shows: {known})") from None

    def parse_day(self, text: str | None) -> dt.date | None:
        if text is None:
            return None
        try:
            return dt.date.fromisoformat(text)
        except ValueError:
            raise CommandError(f"--since {text!r}: expected a date as YYYY-MM-DD") from None

    def write_csv(self, show: Show | None, since: dt.date | None) -> None:
        writer = csv.writer(self.stdout, lineterminator="\n")
        writer.writerow(["date", "show", "episode", "downloads"])
        for row in reports.per_episode_per_day(show, since):
            writer.writerow([row.day.isoformat(), row.show, row.episode, row.downloads])

    def write_totals(self, show: Show | None, since: dt.date | None) -> None:
        rows = reports.totals_by_episode(show, since)
        self.stdout.write(f"{'show':<20} {'episode':>7} {'downloads':>10}  title")
        for row in rows:
            line = f"{row['show__slug']:<20} {row['episode__number']:>7} {row['n']:>10}"
            self.stdout.write(f"{line}  {row['episode__title']}")
        self.stdout.write(f"{'total':<20} {'':>7} {sum(r['n'] for r in rows):>10}")
