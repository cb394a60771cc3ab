"""Real MP3s from other projects' test suites, uploaded through the admin, read by a real worker."""

import pytest
from django.conf import settings
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from episodes.models import Episode
from tests.factories import ShowFactory
from tests.formdata import admin_form_data
from tests.integration.conftest import wait_for

pytestmark = pytest.mark.integration

# file -> (status, duration or None, a phrase of the error or note)
CASES = {
    "mutagen/silence-44-s.mp3": ("ready", 3.74, ""),
    "mutagen/xing.mp3": ("ready", 2.04, ""),
    "mutagen/silence-44-s-mpeg2.mp3": ("ready", 3.68, ""),
    "mutagen/bad-xing.mp3": ("ready", 0.10, "truncated upload?"),
    "mutagen/too-short.mp3": ("failed", None, "too short to use"),
    "music-metadata/chapters.mp3": ("ready", 2.0, "3 chapters read from the file"),
    "music-metadata/incomplete.mp3": ("ready", 49.24, "truncated upload?"),
    "music-metadata/id3v2.4.mp3": ("ready", 0.73, ""),
    "mp3-parser/id3v2.3-chap-iso-8859-1.mp3": ("ready", 6.06, "2 chapters read from the file"),
}


def upload_through_admin(client, episode: Episode, name: str, data: bytes) -> None:
    url = reverse("admin:episodes_episode_change", args=[episode.pk])
    form = admin_form_data(client.get(url).content.decode())
    form["new_audio"] = SimpleUploadedFile(name.rsplit("/", 1)[-1], data, "audio/mpeg")
    response = client.post(url, form)
    assert response.status_code == 302, response.content.decode()[:3000]


def test_every_real_mp3_ends_in_the_right_state(worker_factory, admin_client, shared_data):
    worker_factory(settings.CELERY_BROKER_URL)
    show = ShowFactory(slug="main")
    episodes = {}
    for number, name in enumerate(CASES, start=1):
        episode = Episode.objects.create(
            show=show, number=number, title=f"T{number}", slug=f"t{number}"
        )
        upload_through_admin(admin_client, episode, name, (shared_data / "mp3" / name).read_bytes())
        episodes[name] = episode
    for name, (status, duration, phrase) in CASES.items():
        episode = episodes[name]
        assert wait_for(
            lambda e=episode: e.refresh_from_db() or e.audio_status in ("ready", "failed")
        )
        assert episode.audio_status == status, (name, episode.audio_error)
        assert episode.audio_upload, "the uploaded file is kept in every case"
        if duration is not None:
            assert episode.audio_duration == pytest.approx(duration, abs=0.05), name
            assert episode.audio_size == (shared_data / "mp3" / name).stat().st_size
        assert phrase in f"{episode.audio_error}\n{episode.audio_notes}", name


def test_an_empty_file_is_refused_with_a_clear_message(admin_client, transactional_db):
    show = ShowFactory(slug="main")
    episode = Episode.objects.create(show=show, number=1, title="T", slug="t")
    url = reverse("admin:episodes_episode_change", args=[episode.pk])
    form = admin_form_data(admin_client.get(url).content.decode())
    form["new_audio"] = SimpleUploadedFile("empty.mp3", b"", "audio/mpeg")
    response = admin_client.post(url, form)
    assert response.status_code == 200
    assert "The submitted file is empty." in response.content.decode()
