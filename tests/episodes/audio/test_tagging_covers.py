"""Which cover the served MP3 carries, and re-tagging when the show's artwork changes."""

import datetime as dt
import io

import pytest
from django.core.files.base import ContentFile
from django.urls import reverse
from mutagen.id3 import APIC, ID3

from episodes.audio.reading import read_audio
from episodes.audio.tagging import tag_served_audio
from episodes.audio.tones import tone_mp3
from episodes.models import Episode
from episodes.tasks import write_audio_tags
from tests.episodes.audio.test_tagging import jpeg
from tests.factories import ShowFactory, published_episode
from tests.formdata import change_form_data

pytestmark = pytest.mark.django_db


def with_cover(mp3: bytes, image: bytes) -> bytes:
    """The MP3 as an editor may upload it: with a front cover of their own inside."""
    buffer = io.BytesIO(mp3)
    tags = ID3()
    tags.add(APIC(encoding=3, mime="image/jpeg", type=3, desc="", data=image))
    tags.save(buffer)
    return buffer.getvalue()


def served_cover(episode: Episode) -> bytes:
    episode.refresh_from_db()
    with episode.audio.open("rb") as audio:
        return read_audio(audio).cover.data


@pytest.fixture(scope="module")
def six_seconds() -> bytes:
    return tone_mp3(6.0)


@pytest.fixture
def show():
    show = ShowFactory(slug="main", title="Cover Show")
    show.artwork.save("show.jpg", ContentFile(jpeg(colour="teal")), save=True)
    return show


def published(show, data: bytes, number: int) -> Episode:
    episode = published_episode(
        data, show=show, number=number, publish_at=dt.datetime(2026, 5, 1, tzinfo=dt.UTC)
    )
    episode.audio_upload.save(f"upload-{number}.mp3", ContentFile(data), save=True)
    return episode


def test_the_mp3_s_own_cover_is_kept_when_the_editor_set_none(show, six_seconds):
    own = jpeg(colour="orange")
    episode = published(show, with_cover(six_seconds, own), 1)
    assert tag_served_audio(episode_id=episode.pk)
    assert served_cover(episode) == own


def test_without_any_cover_in_the_file_the_show_s_is_used(show, six_seconds):
    episode = published(show, six_seconds, 2)
    tag_served_audio(episode_id=episode.pk)
    with show.artwork.open("rb") as artwork:
        assert served_cover(episode) == artwork.read()


def test_new_show_artwork_retags_published_episodes_in_the_background(
    admin_client,
    show,
    six_seconds,
    django_capture_on_commit_callbacks,
):
    plain = published(show, six_seconds, 3)
    own = published(show, with_cover(six_seconds, jpeg(colour="orange")), 4)
    for episode in (plain, own):
        tag_served_audio(episode_id=episode.pk)
    url = reverse("admin:episodes_show_change", args=[show.pk])
    data = change_form_data(admin_client.get(url))
    new_art = jpeg(colour="purple")
    data["artwork"] = ContentFile(new_art, name="new.jpg")
    response = admin_client.post(url, data, follow=True)
    assert "goes into the MP3s of 2 published episodes in the background" in (
        response.content.decode()
    )
    for episode in (plain, own):  # what the worker does with each
        write_audio_tags.run(episode.pk)
    show.refresh_from_db()
    with show.artwork.open("rb") as artwork:
        assert served_cover(plain) == artwork.read()
    assert served_cover(own) == jpeg(colour="orange"), "the episode's own cover stays"
