"""Periodic cleanup: remove stored files no row points to, once they are a day old.

A worker killed mid-copy (or an upload cut off in the web process) leaves a partial
file that no row names; nothing else would ever remove it. Only the folders where
uploads and copies of audio and transcripts are written are cleaned; a file younger
than a day may be an upload or copy in progress and is left alone; a file any row
names (a FileField, or a served version kept in Episode.audio_files) is never removed.
"""

import dataclasses
import datetime as dt
import logging
from collections.abc import Iterator

from django.apps import apps
from django.core.files.storage import Storage, default_storage
from django.db import models
from django.utils import timezone

log = logging.getLogger(__name__)

CLEANED_FOLDERS = ("audio", "uploads", "transcripts")
MIN_AGE = dt.timedelta(days=1)


@dataclasses.dataclass
class Report:
    removed: int = 0
    bytes: int = 0
    kept: int = 0


def referenced_names() -> set[str]:
    """Every stored name a row points to, in any model's file fields or served versions."""
    names: set[str] = set()
    for model in apps.get_models():
        for field in model._meta.concrete_fields:
            if isinstance(field, models.FileField):
                rows = model._default_manager.exclude(**{field.attname: ""})
                names.update(rows.values_list(field.attname, flat=True).iterator())
    episodes = apps.get_model("episodes", "Episode")._default_manager
    for versions in episodes.exclude(audio_files={}).values_list("audio_files", flat=True):
        names.update(versions.values())
    return names


def stored_files(storage: Storage, folder: str) -> Iterator[str]:
    if not storage.exists(folder):
        return
    folders, files = storage.listdir(folder)
    yield from (f"{folder}/{name}" for name in files)
    for sub in folders:
        yield from stored_files(storage, f"{folder}/{sub}")


def remove_orphan_files(storage: Storage = default_storage, now=None) -> Report:
    """Remove unreferenced files older than a day from the cleaned folders; what was done."""
    cutoff, report = (now or timezone.now()) - MIN_AGE, Report()
    keep = referenced_names()
    for folder in CLEANED_FOLDERS:
        for name in list(stored_files(storage, folder)):
            if name in keep or storage.get_modified_time(name) > cutoff:
                report.kept += 1
                continue
            size = storage.size(name)
            storage.delete(name)
            log.info("orphans: removed %s (%d bytes), which no row names", name, size)
            report.removed, report.bytes = report.removed + 1, report.bytes + size
    return report
