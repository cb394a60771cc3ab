"""Django for an in-process benchmark: production settings on a fresh SQLite database."""

import os
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def setup_django(prefix: str, **env: str) -> None:
    """Settle Django with a new data folder (named `prefix`…) and `env`, then migrate."""
    sys.path.insert(0, str(ROOT))
    os.environ.update(
        DJANGO_SETTINGS_MODULE="podcast.settings",
        SECRET_KEY="bench-secret-key",
        PODCAST_DATA_DIR=tempfile.mkdtemp(prefix=prefix),
        **env,
    )
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0)
