import pytest
from django.conf import settings
from django.core.files.base import ContentFile

from episodes.models import Episode
from episodes.services import attach_audio
from episodes.tasks import extract_audio_metadata
from tests.factories import EpisodeFactory
from tests.integration.conftest import REDIS_TEST_URL, redis_is_up, wait_for
from tests.missing import missing

pytestmark = pytest.mark.integration


def audio_ready(episode: Episode) -> bool:
    episode.refresh_from_db()
    return episode.audio_status in ("ready", "failed")


def test_a_worker_reads_an_upload_through_the_configured_broker(worker_factory, tone):
    worker_factory(settings.CELERY_BROKER_URL)
    episode = EpisodeFactory()
    attach_audio(episode=episode, upload=ContentFile(tone, name="upload.mp3"))
    assert wait_for(lambda: audio_ready(episode)), "the worker did not process the upload"
    assert episode.audio_status == "ready", episode.audio_error
    assert 1.9 < episode.audio_duration < 2.2
    assert episode.audio_size == len(tone)


def test_a_worker_reads_an_upload_through_redis(worker_factory, tone):
    if not redis_is_up():
        missing("needs Redis on 127.0.0.1:6379 (.ci/run starts it)")
    worker_factory(REDIS_TEST_URL)
    episode = EpisodeFactory()
    from episodes.services import store_audio_upload

    store_audio_upload(episode=episode, upload=ContentFile(tone, name="upload.mp3"))
    from podcast.celery import app

    with app.connection_for_write(REDIS_TEST_URL) as connection:
        extract_audio_metadata.apply_async((episode.pk,), connection=connection)
    assert wait_for(lambda: audio_ready(episode)), "the worker did not process the upload"
    assert episode.audio_status == "ready", episode.audio_error


def opus_made(episode: Episode) -> bool:
    episode.refresh_from_db()
    return episode.has_opus() or bool(episode.opus_error)


def test_the_worker_makes_the_opus_copy_after_reading_the_audio(worker_factory, tone):
    worker_factory(settings.CELERY_BROKER_URL)
    episode = EpisodeFactory()
    attach_audio(episode=episode, upload=ContentFile(tone, name="upload.mp3"))
    assert wait_for(lambda: opus_made(episode)), "the worker made no Opus copy"
    assert episode.has_opus(), episode.opus_error
    with episode.audio.storage.open(episode.opus_audio, "rb") as opus:
        assert opus.read(4) == b"OggS"
    assert episode.opus_integrity.startswith("sha384-") and episode.opus_size > 0
