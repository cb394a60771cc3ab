"""The home page: the latest episode with its player, cards, the subscribe block, link previews."""

import json
import re

import pytest
from django.core.files.base import ContentFile
from django.test import Client

from episodes.demoart import cover_jpeg
from tests.factories import ShowFactory, published_episode

pytestmark = [pytest.mark.django_db, pytest.mark.postgres]


@pytest.fixture
def show():
    show = ShowFactory(
        slug="main", is_default=True, title="Bytes Show",
        apple_podcasts_url="https://podcasts.apple.com/us/podcast/id123",
        overcast_url="https://overcast.fm/itunes123",
    )  # fmt: skip
    show.artwork.save("cover.jpg", ContentFile(cover_jpeg("Bytes")), save=True)
    return show


def test_subscribe_lists_the_directories_an_editor_filled_in_and_the_feed(
    client: Client, show, tone
):
    published_episode(tone, show=show, number=1)
    body = client.get("/").content.decode()
    block = body[
        body.index('id="subscribe"') : body.index("</section>", body.index('id="subscribe"'))
    ]
    assert (
        '<a href="https://podcasts.apple.com/us/podcast/id123" rel="noopener">Apple Podcasts</a>'
        in block
    )
    assert '<a href="https://overcast.fm/itunes123" rel="noopener">Overcast</a>' in block
    for hidden in ("Spotify", "Pocket Casts", "AntennaPod", "Podcast Addict", ">Podcast Index<"):
        assert hidden not in block
    assert f'value="{show.feed_url()}" readonly' in block and 'data-copy="feed-url"' in block
    assert str(show.podcast_guid) in block


def test_every_page_has_a_preview_image_and_the_home_page_json_ld_names_it(
    client: Client, show, tone
):
    episode = published_episode(tone, show=show, number=1, slug="one")
    image = show.absolute(show.artwork.url)
    for url in ["/", "/episodes/", episode.get_absolute_url(), "/search?q=x", "/sponsors"]:
        body = client.get(url).content.decode()
        assert f'<meta property="og:image" content="{image}">' in body, url
        assert f'<meta name="twitter:image" content="{image}">' in body, url
        assert '<meta name="twitter:card" content="summary">' in body, url
    home = client.get("/").content.decode()
    (ld,) = re.findall(r'<script type="application/ld\+json">(.*?)</script>', home)
    assert json.loads(ld)["image"] == image and json.loads(ld)["@type"] == "PodcastSeries"
    page = client.get(episode.get_absolute_url()).content.decode()
    (ld,) = re.findall(r'<script type="application/ld\+json">(.*?)</script>', page)
    assert json.loads(ld)["image"] == image


def test_cards_carry_art_with_its_size_so_nothing_shifts(client: Client, show, tone) -> None:
    for number in (1, 2):
        published_episode(tone, show=show, number=number, slug=f"e{number}")
    body = client.get("/").content.decode()
    assert body.count(f'<img src="{show.artwork.url}" alt="" width="96" height="96"') == 1
    assert 'class="cover" src="' in body and 'width="140" height="140"' in body


def test_editors_fill_in_directory_links_and_the_source_label_on_the_show(
    admin_client, show, settings
):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    body = admin_client.get(f"/admin/episodes/show/{show.pk}/change/").content.decode()
    for field in ("apple_podcasts_url", "spotify_url", "overcast_url", "pocket_casts_url",
                  "antennapod_url", "podcast_addict_url", "podcast_index_url",
                  "transcript_source_label"):  # fmt: skip
        assert f'name="{field}"' in body, field
