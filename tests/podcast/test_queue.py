"""Work stuck in pending or processing is sent again, once per sweep; a down broker loses nothing."""

import datetime as dt
import logging

import pytest
from django.core.files.base import ContentFile
from django.core.management import call_command
from django.utils import timezone

from episodes.models import Episode
from episodes.services import attach_audio
from podcast.celery import app
from podcast.queue import requeue_stuck
from tests.conftest import broker_down
from tests.factories import EpisodeFactory
from transcripts.models import Transcript
from transcripts.services import store_transcript_source

pytestmark = pytest.mark.django_db
HOUR = dt.timedelta(hours=1)


def age(model, pk: int, by: dt.timedelta) -> None:
    model.objects.filter(pk=pk).update(updated_at=timezone.now() - by)


def uploaded(tone: bytes, status: str) -> Episode:
    episode = EpisodeFactory()
    episode.audio_upload.save("a.mp3", ContentFile(tone), save=False)
    episode.audio_status = status
    episode.save()
    return episode


@pytest.mark.parametrize("status", ["pending", "processing"])
def test_it_sends_stuck_audio_again_once(tone, django_capture_on_commit_callbacks, status):
    episode = uploaded(tone, status)
    age(Episode, episode.pk, 2 * HOUR)
    with django_capture_on_commit_callbacks() as callbacks:
        assert requeue_stuck(older_than=HOUR) == {"audio uploads": 1, "transcripts": 0}
        assert requeue_stuck(older_than=HOUR)["audio uploads"] == 0, "the claim re-stamped it"
    assert len(callbacks) == 1
    episode.refresh_from_db()
    assert episode.audio_status == "pending"


@pytest.mark.parametrize("status", ["", "ready", "failed"])
def test_it_leaves_finished_audio_alone(tone, status):
    episode = uploaded(tone, status)
    age(Episode, episode.pk, 2 * HOUR)
    assert requeue_stuck(older_than=HOUR)["audio uploads"] == 0


def test_it_leaves_recent_work_to_the_worker(tone):
    uploaded(tone, "pending")
    assert requeue_stuck(older_than=HOUR)["audio uploads"] == 0


def test_it_sends_stuck_transcripts_again_once(django_capture_on_commit_callbacks):
    transcript = store_transcript_source(episode=EpisodeFactory(), text="Hello.")
    age(Transcript, transcript.pk, 2 * HOUR)
    with django_capture_on_commit_callbacks() as callbacks:
        assert requeue_stuck(older_than=HOUR) == {"audio uploads": 0, "transcripts": 1}
        assert requeue_stuck(older_than=HOUR)["transcripts"] == 0
    assert len(callbacks) == 1


def test_the_command_reports_what_it_sent(tone, capsys, django_capture_on_commit_callbacks):
    age(Episode, uploaded(tone, "processing").pk, 2 * HOUR)
    with django_capture_on_commit_callbacks():
        call_command("sweep_pending", "--older-than", "30")
    assert "Re-enqueued 1 audio uploads and 0 transcripts." in capsys.readouterr().out


def test_an_upload_with_the_broker_down_is_kept_pending(
    tone, django_capture_on_commit_callbacks, caplog, settings
):
    episode = EpisodeFactory()
    with (
        broker_down(),
        caplog.at_level(logging.WARNING),
        django_capture_on_commit_callbacks(execute=True),
    ):
        attach_audio(episode=episode, upload=ContentFile(tone, name="a.mp3"))
    episode.refresh_from_db()
    assert episode.audio_status == "pending" and episode.audio_upload
    assert "broker unreachable" in caplog.text


def test_beat_sends_the_one_sweep_for_audio_and_transcripts(settings):
    tasks = [entry["task"] for entry in settings.CELERY_BEAT_SCHEDULE.values()]
    app.loader.import_default_modules()
    assert "podcast.queue.requeue_stuck_work" in tasks
    assert all(task in app.tasks for task in tasks), "beat names a task no worker knows"
