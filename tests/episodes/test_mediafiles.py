"""Uploaded artwork and chapter images are served, with validators and the right type."""

import pytest
from django.core.files.base import ContentFile
from django.test import Client

from episodes.demoart import cover_jpeg
from tests.factories import ChapterFactory, ShowFactory, published_episode

pytestmark = pytest.mark.django_db


@pytest.fixture(scope="module")
def cover() -> bytes:
    return cover_jpeg("Test")


@pytest.fixture
def show(cover):
    show = ShowFactory(slug="main", is_default=True)
    show.artwork.save("cover.jpg", ContentFile(cover), save=True)
    return show


@pytest.mark.parametrize("debug", [False, True], ids=["debug-off", "debug-on"])
def test_show_artwork_is_served_as_a_long_cached_jpeg(client: Client, show, cover, settings, debug):
    settings.DEBUG = debug
    response = client.get(show.artwork.url)
    assert response.status_code == 200
    assert b"".join(response.streaming_content) == cover
    assert response["Content-Type"] == "image/jpeg"
    assert response["Cache-Control"] == "public, max-age=31536000, immutable"
    assert response["ETag"] and response["Last-Modified"]
    again = client.get(show.artwork.url, HTTP_IF_NONE_MATCH=response["ETag"])
    assert again.status_code == 304


def test_the_feed_names_artwork_that_answers(client: Client, show, tone) -> None:
    published_episode(tone, show=show, number=1)
    feed = client.get("/episodes/rss").content.decode()
    url = show.absolute(show.artwork.url)
    assert f'<itunes:image href="{url}"/>' in feed
    assert client.head(show.artwork.url).status_code == 200


def test_chapter_images_are_served_as_png(client: Client, show, tone) -> None:
    episode = published_episode(tone, show=show, number=1)
    chapter = ChapterFactory(episode=episode, start=0, title="Intro")
    png = b"\x89PNG\r\n\x1a\n" + b"\0" * 32
    chapter.image.save("c.png", ContentFile(png), save=True)
    response = client.get(chapter.image.url)
    assert response.status_code == 200 and response["Content-Type"] == "image/png"


@pytest.mark.parametrize(
    "path",
    ["/media/uploads/main/0001-secret.mp3", "/media/audio/main/0001-draft-v1.mp3",
     "/media/artwork/../uploads/x.jpg", "/media/artwork/main/nothing-here.jpg",
     "/media/transcripts/x.txt", "/media/artwork/main/script.js"],
)  # fmt: skip
def test_only_existing_images_in_public_folders_are_served(client: Client, show, path) -> None:
    # Drafts' audio and editors' raw uploads stay behind the download view's checks.
    assert client.get(path).status_code == 404


def test_favicon_is_served(client: Client, show) -> None:
    response = client.get("/favicon.ico")
    assert response.status_code == 200
    assert response["Content-Type"] in ("image/x-icon", "image/vnd.microsoft.icon")
