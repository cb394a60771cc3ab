"""The worker's page copies of art, and the fallback chain: episode art, MP3 cover, show art."""

import tempfile
from pathlib import Path

import pytest
from django.core.files.base import ContentFile
from django.test import Client

from episodes import services
from episodes.artcopies import refresh_episode_page_art, refresh_show_page_art
from episodes.audio.id3 import FRONT_COVER, Picture, Tags, write_tags
from episodes.demoart import cover_jpeg
from episodes.models import Episode, Show
from episodes.tasks import make_episode_page_art
from tests.factories import ShowFactory, published_episode

pytestmark = pytest.mark.django_db


@pytest.fixture(scope="module")
def show_cover() -> bytes:
    return cover_jpeg("Show")


@pytest.fixture
def show(show_cover) -> Show:
    show = ShowFactory(slug="main", is_default=True)
    show.artwork.save("cover.jpg", ContentFile(show_cover), save=True)
    return show


def mp3_with_cover(tone: bytes, cover: bytes) -> bytes:
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "a.mp3"
        path.write_bytes(tone)
        picture = Picture(data=cover, mime="image/jpeg", picture_type=FRONT_COVER)
        write_tags(
            path, Tags(title="t", show="s", episode_number=1, date="2026-01-01", cover=picture)
        )
        return path.read_bytes()


def test_pages_show_the_small_copy_of_the_show_cover_once_the_worker_made_it(
    client: Client, show, tone
):
    episode = published_episode(tone, show=show, number=1)
    assert show.page_art_url() == show.artwork.url  # until the worker ran: the original
    refresh_show_page_art(show_id=show.pk)
    show.refresh_from_db()
    assert show.page_art.startswith("art/main/") and show.page_art_url().endswith(".webp")
    home = client.get("/").content.decode()
    assert f'src="{show.page_art_url()}"' in home
    art = client.get(show.page_art_url())
    assert art.status_code == 200 and art["Content-Type"] == "image/webp"
    assert int(art["Content-Length"]) <= 100 * 1024
    assert Episode.objects.get(pk=episode.pk).page_art_url() == show.page_art_url()


def test_a_replaced_cover_is_never_shown_stale(show, show_cover) -> None:
    refresh_show_page_art(show_id=show.pk)
    show.refresh_from_db()
    show.artwork.save("new.jpg", ContentFile(cover_jpeg("New")), save=True)
    assert show.page_art_url() == show.artwork.url  # the old copy no longer matches


def test_an_episode_without_art_shows_the_cover_inside_its_mp3(show, tone) -> None:
    episode = published_episode(tone, show=show, number=2)
    mp3_cover = cover_jpeg("From the MP3", hue=(20, 120, 40))
    episode.audio_upload.save("up.mp3", ContentFile(mp3_with_cover(tone, mp3_cover)), save=True)
    refresh_episode_page_art(episode_id=episode.pk)
    refresh_show_page_art(show_id=show.pk)
    episode = Episode.objects.select_related("show").get(pk=episode.pk)
    assert episode.page_art and episode.page_art_url() != episode.show.page_art_url()


def test_an_episode_with_its_own_art_shows_it_and_one_without_any_shows_the_show(show, tone):
    own = published_episode(tone, show=show, number=3)
    own.artwork.save("e.jpg", ContentFile(cover_jpeg("Own")), save=True)
    plain = published_episode(tone, show=show, number=4)
    for episode in (own, plain):
        refresh_episode_page_art(episode_id=episode.pk)
    own, plain = (Episode.objects.get(pk=e.pk) for e in (own, plain))
    assert own.page_art_url().endswith(".webp") and own.page_art_url() != show.page_art_url()
    assert plain.page_art == "" and plain.page_art_url() == show.page_art_url()
    assert own.social_image_url() == show.absolute(own.artwork.url)


def test_an_edit_queues_the_copy_only_when_the_art_changed(
    show, tone, django_capture_on_commit_callbacks, monkeypatch
):
    sent = []
    # The broker is the process boundary: what would be sent to it is recorded instead.
    monkeypatch.setattr(
        make_episode_page_art, "apply_async", lambda args, **options: sent.append(tuple(args))
    )
    episode = published_episode(tone, show=show, number=5)
    episode.artwork.save("e.jpg", ContentFile(cover_jpeg("Own")), save=True)
    with django_capture_on_commit_callbacks(execute=True):
        services.record_episode_change(episode=episode)
    assert sent == [(episode.pk,)]
    refresh_episode_page_art(episode_id=episode.pk)
    episode.refresh_from_db()
    with django_capture_on_commit_callbacks(execute=True):
        services.record_episode_change(episode=episode)
    assert sent == [(episode.pk,)]
