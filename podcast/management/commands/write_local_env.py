from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

HEADER = (
    "# Written by `make run` (manage.py write_local_env) each time it starts: the settings\n"
    "# of the running demo, which manage.py reads, so commands typed in another terminal\n"
    "# use the same data. A variable set in the environment wins over this file.\n"
)


class Command(BaseCommand):
    help = (
        "Write the demo's settings (DEBUG on, the site URL) to $PODCAST_DATA_DIR/.env, "
        "which manage.py reads, so commands in another terminal work like `make run`."
    )

    def handle(self, *args, **options) -> None:
        if not settings.DEBUG:
            raise CommandError("refusing to write DEBUG=1 for others to read with DEBUG off")
        path = settings.DATA_DIR / ".env"
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(f"{HEADER}DEBUG=1\nPODCAST_SITE_URL={settings.PODCAST_SITE_URL}\n")
        self.stdout.write(f"Wrote {path}: manage.py commands in another terminal read it.")
