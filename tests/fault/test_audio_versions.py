"""Old MP3 versions are pruned 30 days after the feed stopped naming them; their URLs redirect.

Every tag-changing edit of a published episode stores a new full copy. A version is
what the feed names until the next one replaces it; 30 days later (apps have long
re-read the feed) its file is removed and its URL answers 302 to the current one.
"""

import datetime as dt
import os
import time

import pytest
from django.core.files.base import ContentFile
from django.test import Client

from episodes.audioversions import GRACE, prune_audio_versions
from episodes.models import Episode
from tests.factories import published_episode

pytestmark = [pytest.mark.django_db, pytest.mark.postgres]


def aged(storage, name: str, days: float) -> None:
    then = time.time() - days * 86400
    os.utime(storage.path(name), (then, then))


@pytest.fixture
def versioned(tone, media_root) -> Episode:
    """Version 1, replaced by 2 forty days ago, replaced by 3 ten days ago."""
    episode = published_episode(tone, slug="v")
    storage = episode.audio.storage
    names = {"1": episode.audio.name}
    for version in (2, 3):
        names[str(version)] = storage.save(f"audio/main/0001-v-v{version}.mp3", ContentFile(tone))
    episode.audio.name, episode.audio_version, episode.audio_files = names["3"], 3, names
    episode.save()
    aged(storage, names["1"], 400)
    aged(storage, names["2"], 40)
    aged(storage, names["3"], 10)
    return episode


def test_grace_is_thirty_days() -> None:
    assert dt.timedelta(days=30) == GRACE


def test_a_version_replaced_more_than_thirty_days_ago_is_removed(versioned) -> None:
    storage, names = versioned.audio.storage, versioned.audio_files
    assert prune_audio_versions() == 1
    assert not storage.exists(names["1"])
    assert storage.exists(names["2"]), "replaced ten days ago: apps may still hold it"
    assert storage.exists(names["3"]), "the current version"


def test_the_pruned_versions_url_redirects_to_the_current_version(versioned) -> None:
    prune_audio_versions()
    client = Client()
    old = client.get(versioned.download_url().split("?")[0] + "?v=1")
    assert old.status_code == 302 and old["Location"] == versioned.download_url()
    assert client.get(versioned.download_url().split("?")[0] + "?v=2").status_code == 200
    assert client.get(versioned.download_url()).status_code == 200


def test_pruning_twice_removes_nothing_more(versioned) -> None:
    prune_audio_versions()
    assert prune_audio_versions() == 0


def test_a_name_the_current_version_shares_is_never_removed(versioned) -> None:
    versioned.audio_files = {**versioned.audio_files, "1": versioned.audio.name}
    versioned.save()
    prune_audio_versions()
    assert versioned.audio.storage.exists(versioned.audio.name)
