from django.core.management.base import BaseCommand

from episodes.search import rebuild_index


class Command(BaseCommand):
    help = "Index every episode and ready transcript again (after a restore or an upgrade)."

    def handle(self, *args, **options) -> None:
        episodes, transcripts = rebuild_index()
        self.stdout.write(f"Indexed {episodes} episodes and {transcripts} transcripts.")
