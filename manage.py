#!/usr/bin/env python
import os
import sys
from pathlib import Path

from dotenv import load_dotenv

if __name__ == "__main__":
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "podcast.settings")
    # What `make run` wrote (manage.py write_local_env), so a command typed in another
    # terminal runs with the demo's settings; variables set in the environment win.
    data_dir = Path(os.environ.get("PODCAST_DATA_DIR") or Path(__file__).resolve().parent / "var")
    load_dotenv(data_dir / ".env")
    from django.core.management import execute_from_command_line

    execute_from_command_line(sys.argv)
