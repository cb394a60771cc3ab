from django.core.management.base import BaseCommand

from episodes.demo import load_demo


class Command(BaseCommand):
    help = "Create or refresh the demo show (idempotent: running it again duplicates nothing)."

    def handle(self, *args, **options) -> None:
        show = load_demo()
        episodes = show.episodes.count()
        ready = show.episodes.published().count()
        self.stdout.write(f"Demo show {show.title!r}: {episodes} episodes, {ready} published.")
