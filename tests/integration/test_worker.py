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
