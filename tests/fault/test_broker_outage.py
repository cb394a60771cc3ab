"""A broker outage: editors are told their work is queued, and it starts soon after.

While the broker is down, work that cannot be sent is kept in the database
(podcast.QueuedWork); beat sends it again every 30 seconds, so once the broker is
back it starts within a minute, not after the 15-minute sweep. The ID3 tagging job
(a title edit of a published episode) goes the same way. Real worker, real broker.
"""

import pytest
from django.conf import settings
from django.contrib.messages import get_messages
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from episodes.audio.tones import tone_mp3
from episodes.models import Episode
from podcast.models import QueuedWork
from podcast.queue import send_queued_work
from tests.conftest import broker_down
from tests.factories import ShowFactory, published_episode
from tests.formdata import admin_form_data
from tests.integration.conftest import wait_for

pytestmark = pytest.mark.integration

QUEUED = "queued: the background service is unreachable just now"


def save_form(client, episode: Episode, **changes: object):
    url = reverse("admin:episodes_episode_change", args=[episode.pk])
    form = {**admin_form_data(client.get(url).content.decode()), **changes}
    response = client.post(url, form)
    assert response.status_code == 302, response.content.decode()[:3000]
    return [str(m) for m in get_messages(response.wsgi_request)]


@pytest.fixture
def draft(transactional_db) -> Episode:
    return Episode.objects.create(show=ShowFactory(slug="main"), number=1, title="Out", slug="out")


def test_an_upload_while_the_broker_is_down_says_it_is_queued(admin_client, draft, tone) -> None:
    with broker_down():
        upload = SimpleUploadedFile("upload.mp3", tone, "audio/mpeg")
        shown = save_form(admin_client, draft, new_audio=upload)
    assert any(QUEUED in m and "will start when it is back" in m for m in shown), shown
    assert not any("reading it now" in m for m in shown), shown
    assert QueuedWork.objects.filter(task="episodes.tasks.extract_audio_metadata").exists()


def test_a_transcript_while_the_broker_is_down_says_it_is_queued(admin_client, draft) -> None:
    with broker_down():
        shown = save_form(admin_client, draft, transcript_text="00:00:01 Hello there.")
    assert any(QUEUED in m for m in shown), shown
    assert not any("building it now" in m for m in shown), shown


def test_with_the_broker_up_the_message_says_a_worker_has_it(admin_client, draft, tone) -> None:
    upload = SimpleUploadedFile("upload.mp3", tone, "audio/mpeg")
    shown = save_form(admin_client, draft, new_audio=upload)
    assert any("reading it now" in m for m in shown), shown
    assert not QueuedWork.objects.exists()


def test_queued_work_is_sent_again_at_least_every_half_minute() -> None:
    entry = next(
        e for e in settings.CELERY_BEAT_SCHEDULE.values()
        if e["task"] == "podcast.queue.send_queued_work"
    )  # fmt: skip
    assert entry["schedule"] <= 30, "work must start within a minute of the broker's return"


def test_queued_upload_starts_once_the_broker_is_back(worker_factory, admin_client, tone) -> None:
    episode = Episode.objects.create(show=ShowFactory(slug="main"), number=1, slug="o", title="O")
    with broker_down():
        save_form(admin_client, episode, new_audio=SimpleUploadedFile("u.mp3", tone, "audio/mpeg"))
    worker_factory(settings.CELERY_BROKER_URL)
    send_queued_work.delay()  # what beat sends every 30 s; no sweep, no --older-than 0
    assert wait_for(lambda: Episode.objects.get(pk=episode.pk).audio_status == "ready", 30)
    assert not QueuedWork.objects.exists()


def test_a_title_edit_during_an_outage_still_reaches_the_served_mp3(
    worker_factory, admin_client
) -> None:
    episode = published_episode(tone_mp3(2.0), show=ShowFactory(slug="main"), title="Old title")
    version = episode.audio_version
    with broker_down():
        save_form(admin_client, episode, title="New title")
    assert QueuedWork.objects.filter(task="episodes.tasks.write_audio_tags").exists()
    worker_factory(settings.CELERY_BROKER_URL)
    send_queued_work.delay()
    assert wait_for(lambda: Episode.objects.get(pk=episode.pk).audio_version > version, 30)
    episode.refresh_from_db()
    with episode.audio.open("rb") as served:
        assert b"New title" in served.read(4096)
