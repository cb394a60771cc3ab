"""An editor's save never undoes what a worker wrote while the request was in flight.

The admin reads the row when the POST arrives and saves it at the end; a worker that
finished in between (the resized art, the Opus copy) must keep its copies. Each test
runs the admin's own steps (read the row, validate the posted form, save) with the
real worker run between the read and the save.
"""

import pytest
from django.contrib import admin
from django.contrib.messages.storage.fallback import FallbackStorage
from django.core.files.base import ContentFile
from django.test import RequestFactory
from django.urls import reverse

from episodes.artcopies import refresh_episode_page_art, refresh_show_page_art
from episodes.audio.tones import tone_mp3
from episodes.demoart import cover_jpeg
from episodes.models import Episode, Show
from episodes.tasks import make_opus_rendition
from tests.factories import ShowFactory, published_episode
from tests.formdata import change_form_data
from tests.responses import body_of

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("feed_site")]


@pytest.fixture(autouse=True)
def fast_password_hashing(settings) -> None:
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture
def show() -> Show:
    show = ShowFactory(slug="main", title="Art Show", is_default=True)
    show.artwork.save("cover.jpg", ContentFile(cover_jpeg("Show")), save=True)
    return show


@pytest.fixture
def episode(show) -> Episode:
    episode = published_episode(tone_mp3(20.0), duration=20.0, show=show, number=1, slug="one")
    episode.artwork.save("own.jpg", ContentFile(cover_jpeg("Episode")), save=False)
    Episode.objects.filter(pk=episode.pk).update(
        artwork=episode.artwork.name, audio_source="uploads/one.mp3"
    )
    return Episode.objects.get(pk=episode.pk)


def save_with_worker_between(admin_client, admin_user, obj, run_worker, **changes) -> None:
    """The admin's change view, with the worker finishing after the row was read."""
    model_admin = admin.site._registry[type(obj)]
    url = reverse(f"admin:episodes_{obj._meta.model_name}_change", args=[obj.pk])
    data = change_form_data(admin_client.get(url)) | changes
    request = RequestFactory().post(url, data)
    request.user, request.session = admin_user, admin_client.session
    request._messages = FallbackStorage(request)
    stale = model_admin.get_object(request, str(obj.pk))  # read when the POST arrives
    form = model_admin.get_form(request, stale, change=True)(data, instance=stale)
    assert form.is_valid(), form.errors
    run_worker()  # the worker finishes while the request is still in flight
    model_admin.save_model(request, form.save(commit=False), form, change=True)


def test_an_episode_save_keeps_the_art_copies_and_opus_copy_the_worker_just_made(
    admin_client, admin_user, client, episode
):
    def worker() -> None:
        refresh_episode_page_art(episode_id=episode.pk)
        make_opus_rendition(episode.pk)

    save_with_worker_between(admin_client, admin_user, episode, worker, title="Renamed")
    saved = Episode.objects.get(pk=episode.pk)
    assert saved.title == "Renamed"  # the editor's change landed
    assert saved.page_art.endswith(".webp") and saved.page_art_source
    assert saved.feed_art and saved.feed_art_source == saved.artwork.name
    assert saved.has_opus() and saved.opus_version == 1 and saved.opus_integrity
    feed = body_of(client.get("/episodes/rss")).decode()
    assert "podcast:alternateEnclosure" in feed and saved.opus_integrity in feed
    assert "podcast:images" in feed
    page = client.get(saved.get_absolute_url()).content.decode()
    assert saved.page_art_url() in page


def test_a_show_save_keeps_the_art_copies_the_worker_just_made(
    admin_client, admin_user, client, show
):
    worker = lambda: refresh_show_page_art(show_id=show.pk)  # noqa: E731
    save_with_worker_between(admin_client, admin_user, show, worker, title="Renamed Show")
    saved = Show.objects.get(pk=show.pk)
    assert saved.title == "Renamed Show"
    assert saved.page_art.endswith(".webp") and saved.feed_art
    assert saved.page_art_source == saved.feed_art_source == saved.artwork.name
    assert f'src="{saved.page_art_url()}"' in client.get("/").content.decode()
