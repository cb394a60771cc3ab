"""Loaded by pytest before Django reads its settings (`-p tests.environment`).

Tests get their own data folder (database, broker queue, media) so a running
`make run` never consumes a test's task, and a secret key of their own.
"""

import os
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
os.environ.setdefault("SECRET_KEY", "test-only-secret-key")
os.environ.setdefault("PODCAST_DATA_DIR", str(ROOT / "var" / "test"))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "podcast.settings")
