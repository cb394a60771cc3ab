"""Files nothing points to are removed after a day; a storage write error is retried.

A worker killed mid-copy leaves a partial file no row names. The periodic cleanup
(podcast.orphans, beat daily) removes files older than a day that no row points
to, and never a file a row names, however old.
"""

import os
import time

import pytest
from django.core.files.base import ContentFile

from episodes.services import store_audio_upload
from episodes.tasks import extract_audio_metadata
from podcast.orphans import remove_orphan_files
from podcast.queue import RETRY_POLICY
from tests.factories import EpisodeFactory, published_episode
from transcripts.services import store_transcript_source

pytestmark = [pytest.mark.django_db, pytest.mark.postgres]

DAY = 24 * 3600


def age(path, seconds: float) -> None:
    then = time.time() - seconds
    os.utime(path, (then, then))


def every_file(root) -> set[str]:
    return {str(p.relative_to(root)) for p in root.rglob("*") if p.is_file()}


@pytest.fixture
def world(media_root, tone):
    episode = published_episode(tone, slug="kept")
    store_audio_upload(episode=episode, upload=ContentFile(tone, name="upload.mp3"))
    store_transcript_source(episode=episode, text="00:00:01 hello\n")
    return episode


def test_an_old_partial_copy_nothing_names_is_removed(world, media_root) -> None:
    partial = media_root / "audio" / "main" / "0001-kept-v2.mp3"
    partial.parent.mkdir(parents=True, exist_ok=True)
    partial.write_bytes(b"\xff\xfb" * 1000)  # half a copy, then kill -9
    age(partial, 2 * DAY)
    report = remove_orphan_files()
    assert not partial.exists()
    assert report.removed == 1 and report.bytes == 2000


def test_a_file_a_row_names_is_never_removed_however_old(world, media_root) -> None:
    named = every_file(media_root)
    for path in media_root.rglob("*"):
        if path.is_file():
            age(path, 400 * DAY)
    remove_orphan_files()
    assert every_file(media_root) == named


def test_every_served_version_stays(world, media_root, tone) -> None:
    old = world.audio.name
    world.audio_files = {"1": old, "2": "audio/x/new.mp3"}
    world.save()
    age(media_root / old, 400 * DAY)
    remove_orphan_files()
    assert (media_root / old).exists()


def test_a_young_orphan_stays_it_may_be_an_upload_in_progress(world, media_root) -> None:
    fresh = media_root / "uploads" / "in-progress.part"
    fresh.parent.mkdir(parents=True, exist_ok=True)
    fresh.write_bytes(b"x")
    age(fresh, DAY - 600)
    remove_orphan_files()
    assert fresh.exists()


def test_a_storage_write_error_is_retried_before_the_audio_fails(media_root, tone) -> None:
    episode = EpisodeFactory()
    store_audio_upload(episode=episode, upload=ContentFile(tone, name="upload.mp3"))
    (media_root / "audio").write_bytes(b"")  # every write to the served folder fails
    extract_audio_metadata.apply((episode.pk,))
    episode.refresh_from_db()
    tries = RETRY_POLICY["max_retries"] + 1
    assert episode.audio_status == "failed"
    assert episode.audio_error.startswith(f"gave up after {tries} tries: StorageWriteError: ")
