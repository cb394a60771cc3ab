"""Bad episode artwork keeps the artwork listeners see, and the editor is told why."""

import pytest
from django.core.files.base import ContentFile
from django.core.files.uploadedfile import SimpleUploadedFile

from episodes.artcopies import refresh_episode_page_art
from episodes.demoart import cover_jpeg
from episodes.models import Episode
from tests.episodes.test_admin_editing import errors_of, image_upload, post_change
from tests.factories import ShowFactory, published_episode

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def fast_password_hashing(settings) -> None:
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture
def episode(tone):
    show = ShowFactory(slug="main", is_default=True, title="Bytes Show")
    episode = published_episode(tone, show=show, number=3, title="Third", slug="third")
    episode.artwork.save("good.jpg", ContentFile(cover_jpeg("Good")), save=True)
    refresh_episode_page_art(episode_id=episode.pk)
    return Episode.objects.get(pk=episode.pk)


@pytest.mark.parametrize(
    ("upload", "reason"),
    [
        (SimpleUploadedFile("art.jpg", b"ID3 not a picture at all", "image/jpeg"), "image"),
        (image_upload((600, 600)), "it is 600 px wide; artwork must be 1400-3000 px"),
        (image_upload((1400, 1000)), "it is 1400x1000 px; artwork must be square"),
    ],
    ids=["not-an-image", "too-small", "not-square"],
)
def test_refused_artwork_keeps_the_previous_one_and_says_why(
    admin_client, client, episode, upload, reason
):
    before, page_art = episode.artwork.name, episode.page_art_url()
    errors = errors_of(post_change(admin_client, episode, artwork=upload))
    assert reason in errors
    episode.refresh_from_db()
    assert episode.artwork.name == before and episode.page_art_url() == page_art
    assert client.get(episode.artwork.url).status_code == 200
    assert f'src="{page_art}"' in client.get(episode.get_absolute_url()).content.decode()
