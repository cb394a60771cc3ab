"""Several worker processes on one Redis queue: every upload is processed, once."""

import re
from pathlib import Path

import pytest
import redis
from django.conf import settings
from django.core.files.base import ContentFile
from django.db import transaction

from episodes.models import Episode
from episodes.services import attach_audio
from tests.conftest import sending_to
from tests.factories import EpisodeFactory, ShowFactory
from tests.integration.conftest import REDIS_TEST_URL, redis_is_up, wait_for
from tests.missing import missing

pytestmark = pytest.mark.integration

UPLOADS = 12


def finished(episodes: list[Episode]) -> bool:
    states = Episode.objects.filter(pk__in=[e.pk for e in episodes]).values_list(
        "audio_status", flat=True
    )
    return all(state in ("ready", "failed") for state in states)


def extractions(log: Path) -> list[str]:
    """The ids of the extraction tasks a worker finished, from its log."""
    pattern = r"Task episodes\.tasks\.extract_audio_metadata\[([0-9a-f-]+)\] succeeded"
    return re.findall(pattern, log.read_text(errors="replace"))


def stalled(workers, broker_url: str) -> str:
    """What to look at when nothing finished: the queue, its binding and the workers' logs."""
    broker = redis.Redis.from_url(broker_url)
    queued, bound = broker.llen("celery"), broker.smembers("_kombu.binding.celery")
    tails = [worker.log.read_text(errors="replace")[-1500:] for worker in workers]
    return f"queued {queued}, binding {bound or 'missing (db flushed?)'}, logs:\n" + "\n---\n".join(
        tails
    )


def test_two_workers_process_every_upload_exactly_once(worker_factory, tone):
    if not redis_is_up():
        missing("needs Redis on 127.0.0.1:6379 (.ci/run starts it)")
    workers = [worker_factory(REDIS_TEST_URL), worker_factory(REDIS_TEST_URL)]
    show = ShowFactory(slug="main")
    with sending_to(REDIS_TEST_URL), transaction.atomic():
        # One commit: all the tasks reach the queue at once, so both workers get some.
        episodes = [EpisodeFactory(show=show, number=n) for n in range(1, UPLOADS + 1)]
        for episode in episodes:
            attach_audio(episode=episode, upload=ContentFile(tone, name="upload.mp3"))
    assert wait_for(lambda: finished(episodes), timeout=120), stalled(workers, REDIS_TEST_URL)

    served = sorted(p.name for p in (Path(settings.MEDIA_ROOT) / "audio").rglob("*.mp3"))
    for episode in episodes:
        episode.refresh_from_db()
        assert episode.audio_status == "ready", episode.audio_error
        assert episode.audio_version == 1 and episode.audio_size == len(tone)
        assert episode.audio_processed_at is not None
    assert served == sorted(Path(e.audio.name).name for e in episodes), "one file each"
    done = [extractions(worker.log) for worker in workers]
    assert sum(len(ids) for ids in done) == UPLOADS, "each upload's task ran once"
    assert len({task for ids in done for task in ids}) == UPLOADS
    assert all(done), f"both workers took part: {[len(ids) for ids in done]}"
