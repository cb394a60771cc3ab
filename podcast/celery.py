"""The Celery app, wired as Celery's "First steps with Django" recipe says."""

import os
from pathlib import Path

from celery import Celery

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "podcast.settings")

# Every task records why it gave up (podcast/failures.py).
app = Celery("podcast", task_cls="podcast.failures:RecordedTask")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()
# Apps' subpackages with tasks of their own.
app.autodiscover_tasks(["episodes.importing"])


def ensure_broker_folders() -> None:
    """The filesystem transport needs its folders before the first message."""
    options = app.conf.broker_transport_options or {}
    for key in ("data_folder_in", "data_folder_out", "control_folder"):
        if options.get(key):
            Path(options[key]).mkdir(parents=True, exist_ok=True)


ensure_broker_folders()
