"""Pruning served MP3 versions no feed has named for 30 days.

A version is what the feed names from its creation until the next version
replaces it; the next version's file was stored at that moment, so its modified
time says when the feed stopped naming this one. Thirty days later podcast apps
have long re-read the feed: the file goes, and its URL (`?v=n`) answers 302 to the
current version (episodes.views.download). The map of versions stays, as history.
"""

import datetime as dt
import logging

from django.utils import timezone

from .models import Episode

log = logging.getLogger(__name__)

GRACE = dt.timedelta(days=30)


def replaced_at(storage, versions: dict[int, str], version: int) -> dt.datetime | None:
    """When the next stored version replaced `version`; None if no later file says so."""
    for later in sorted(v for v in versions if v > version):
        if storage.exists(versions[later]):
            return storage.get_modified_time(versions[later])
    return None


def prunable(episode: Episode, now: dt.datetime) -> list[str]:
    storage = episode.audio.storage
    versions = {int(v): name for v, name in episode.audio_files.items()}
    current = {episode.audio.name, versions.get(episode.audio_version)}
    names = []
    for version, name in sorted(versions.items()):
        if version >= episode.audio_version or name in current or not storage.exists(name):
            continue
        since = replaced_at(storage, versions, version)
        if since is not None and now - since > GRACE:
            names.append(name)
    return names


def prune_audio_versions(now=None) -> int:
    """Remove the files of versions replaced more than GRACE ago; how many were removed."""
    now, removed = now or timezone.now(), 0
    for episode in Episode.objects.filter(audio_version__gt=1).exclude(audio="").iterator():
        for name in prunable(episode, now):
            episode.audio.storage.delete(name)
            log.info("audio versions: removed %s of episode %s", name, episode.pk)
            removed += 1
    return removed
