"""The audio workflow the worker runs: what an upload becomes on its episode.

The task functions are thin; these call the services they run directly (the real
worker path is proven in tests/integration).
"""

from pathlib import Path

import pytest
from django.core.files.base import ContentFile
from django.urls import reverse

from episodes.models import Chapter, Episode
from episodes.services import process_audio, store_audio_upload
from tests.factories import EpisodeFactory, ShowFactory
from tests.formdata import change_form_data
from tests.responses import body_of

pytestmark = pytest.mark.django_db


def upload(episode: Episode, data: bytes, name: str = "upload.mp3") -> Episode:
    store_audio_upload(episode=episode, upload=ContentFile(data, name=name))
    process_audio(episode_id=episode.pk)
    episode.refresh_from_db()
    return episode


def real(shared_data: Path, name: str) -> bytes:
    return (shared_data / "mp3" / name).read_bytes()


@pytest.fixture
def episode():
    return EpisodeFactory(show=ShowFactory(slug="main"), number=7, slug="seven")


def test_the_chapters_of_the_file_become_the_episodes_with_their_images(episode, shared_data):
    upload(episode, real(shared_data, "music-metadata/chapters.mp3"))
    chapters = list(episode.chapters.all())
    assert [(c.start, c.title) for c in chapters] == [
        (0.0, "Introduction"),
        (1.0, "New chapter"),
        (2.0, "Chapter 1"),
    ]
    assert chapters[0].url == "https://github.com/Borewit/music-metadata"
    assert chapters[0].image.size == 689
    assert (
        chapters[0].image.name.startswith("chapters/")
        and "chapters.mp3" not in chapters[0].image.name
    )


def test_a_chapter_ending_after_the_audio_ends_with_it_and_the_editor_is_told(episode, shared_data):
    upload(episode, real(shared_data, "music-metadata/chapters.mp3"))
    last = episode.chapters.last()
    # It starts where the audio ends: clipped, it would end where it starts, so it has no end.
    assert (last.start, last.end) == (2.0, None)
    assert episode.chapters.get(title="New chapter").end == 2.0
    assert "3 chapters read from the file; 1 ended after the audio and now end with it" in (
        episode.audio_notes
    )


def test_the_form_saves_again_after_the_worker_adopted_the_files_chapters(
    admin_client, episode, shared_data
):
    upload(episode, real(shared_data, "music-metadata/chapters.mp3"))
    url = reverse("admin:episodes_episode_change", args=[episode.pk])
    response = admin_client.post(url, change_form_data(admin_client.get(url)))
    assert response.status_code == 302, response.content.decode()[-3000:]


def test_chapters_an_editor_entered_are_kept_and_the_message_says_so(episode, shared_data):
    Chapter.objects.create(episode=episode, start=0, title="Ours")
    upload(episode, real(shared_data, "music-metadata/chapters.mp3"))
    assert [c.title for c in episode.chapters.all()] == ["Ours"]
    assert (
        "kept the 1 chapters entered by an editor; the 3 chapters in the file were not used"
        in episode.audio_notes
    )


def test_a_file_chapter_an_editor_changed_survives_reading_the_file_again(
    admin_client, episode, shared_data
):
    upload(episode, real(shared_data, "music-metadata/chapters.mp3"))
    url = reverse("admin:episodes_episode_change", args=[episode.pk])
    data = change_form_data(admin_client.get(url))
    row = next(i for i in range(3) if data[f"chapters-{i}-title"] == "Introduction")
    data[f"chapters-{row}-title"] = "Welcome"
    assert admin_client.post(url, data).status_code == 302
    process_audio(episode_id=episode.pk)
    assert "Welcome" in [c.title for c in episode.chapters.all()]


def test_editor_chapters_the_new_audio_no_longer_covers_are_named(episode, tone):
    Chapter.objects.create(episode=episode, start=0, title="Intro")
    Chapter.objects.create(episode=episode, start=300, title="Much later")
    upload(episode, tone)
    assert "chapter 'Much later': chapter at 300 s starts after the audio ends (2 s)" in (
        episode.audio_notes
    )


def test_the_status_message_describes_what_the_file_holds(episode, shared_data):
    upload(episode, real(shared_data, "music-metadata/id3v2.4.mp3"))
    assert "MPEG-1 Layer III, 128 kbit/s CBR, 44.1 kHz, stereo" in episode.audio_notes
    assert 'title "Home"' in episode.audio_notes
    assert "cover art 80,938 bytes (image/jpeg)" in episode.audio_notes


@pytest.mark.parametrize(
    ("data", "reason"),
    [
        (b"", "the file is empty"),
        (b"<html><script>alert(1)</script></html>", "this is not an MP3 file"),
        (bytes([0xFF, 0xF1, 0x50, 0x80, 0x02, 0x1F, 0xFC]) * 50, "raw AAC (ADTS)"),
    ],
    ids=["empty", "html", "adts"],
)
def test_a_file_that_is_not_audio_fails_with_the_reason_and_is_kept(episode, data, reason):
    upload(episode, data, name="episode.mp3")
    assert episode.audio_status == "failed"
    assert reason in episode.audio_error
    assert episode.audio_upload.read() == data, "the upload is kept as it came"
    assert not episode.audio, "nothing that is not audio is served"


def test_a_failed_replacement_keeps_the_audio_being_served(episode, tone, client):
    upload(episode, tone)
    served = episode.audio.name
    upload(episode, b"not audio at all")
    assert episode.audio_status == "failed"
    assert episode.audio.name == served and episode.audio_version == 1


def test_replacing_the_audio_gives_a_new_url_and_the_old_one_its_old_bytes(episode, tone, client):
    from episodes.audio.tones import tone_mp3

    Episode.objects.filter(pk=episode.pk).update(publish_at="2020-01-01T00:00Z")
    first_url = upload(episode, tone).download_url()
    store_audio_upload(episode=episode, upload=ContentFile(tone_mp3(3.0), name="new.mp3"))
    episode.refresh_from_db()
    assert episode.audio_status == "pending" and episode.download_url() == first_url
    process_audio(episode_id=episode.pk)
    episode.refresh_from_db()
    assert episode.download_url() == f"{first_url}?v=2"
    assert b"".join(client.get(f"{first_url}?v=1").streaming_content) == tone
    assert b"".join(client.get(episode.download_url()).streaming_content) == tone_mp3(3.0)
    # The bare URL, shared by hand, serves the current file.
    assert b"".join(client.get(first_url).streaming_content) == tone_mp3(3.0)


def test_an_old_url_keeps_its_bytes_after_the_slug_changed(episode, tone, client):
    from episodes.audio.tones import tone_mp3

    Episode.objects.filter(pk=episode.pk).update(publish_at="2020-01-01T00:00Z")
    first_url = upload(episode, tone).download_url()
    Episode.objects.filter(pk=episode.pk).update(slug="renamed")
    episode.refresh_from_db()
    upload(episode, tone_mp3(3.0))
    assert episode.download_url().endswith("/renamed.mp3?v=2")
    assert b"".join(client.get(f"{first_url}?v=1").streaming_content) == tone


def test_an_m4a_upload_is_served_under_an_m4a_url(episode, client):
    from tests.episodes.audio.test_mp4 import m4a

    Episode.objects.filter(pk=episode.pk).update(publish_at="2020-01-01T00:00Z")
    data = m4a(12.5)
    upload(episode, data, name="episode.m4a")
    assert episode.audio_status == "ready", episode.audio_error
    assert episode.download_url() == "/episodes/download/7/seven.m4a"
    response = client.get(episode.download_url(), HTTP_RANGE="bytes=0-1")
    assert response.status_code == 206 and response["Content-Type"] == "audio/x-m4a"
    assert body_of(response) == data[:2]
