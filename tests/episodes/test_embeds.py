"""The embeddable player and oEmbed: only the embed page may be framed; only our URLs answer."""

import json

import pytest
from django.core.files.base import ContentFile
from django.test import Client

from episodes.demoart import cover_jpeg
from tests.factories import ChapterFactory, EpisodeFactory, ShowFactory, published_episode

pytestmark = [pytest.mark.django_db, pytest.mark.postgres]


@pytest.fixture
def episode(tone):
    show = ShowFactory(slug="main", is_default=True, title="Bytes Show")
    show.artwork.save("cover.jpg", ContentFile(cover_jpeg("Bytes")), save=True)
    episode = published_episode(tone, show=show, number=7, slug="scripts", title="Scripts")
    ChapterFactory(episode=episode, start=12.5, title="Middle")
    return episode


def directives(policy: str) -> dict[str, str]:
    return dict(d.strip().split(" ", 1) for d in policy.split(";") if d.strip())


def test_the_embed_page_may_be_framed_by_any_site_and_nothing_else_may(client: Client, episode):
    embed = client.get("/embed/7")
    assert embed.status_code == 200
    assert directives(embed["Content-Security-Policy"])["frame-ancestors"] == "*"
    assert "X-Frame-Options" not in embed
    body = embed.content.decode()
    assert 'id="player"' in body and "Scripts" in body and 'href="?t=12" data-t="12"' in body
    assert f'href="{episode.get_absolute_url()}" target="_blank"' in body
    for url in ["/", episode.get_absolute_url(), "/search?q=x", episode.transcript_url()]:
        response = client.get(url)
        assert response["X-Frame-Options"] == "DENY", url
        assert directives(response["Content-Security-Policy"])["frame-ancestors"] == "'none'", url


def test_embeds_exist_under_a_shows_own_path_too(client: Client, tone) -> None:
    other = ShowFactory(slug="other")
    published_episode(tone, show=other, number=3)
    assert client.get("/shows/other/embed/3").status_code == 200


def test_drafts_have_no_embed(client: Client, episode) -> None:
    EpisodeFactory(show=episode.show, number=8)
    assert client.get("/embed/8").status_code == 404
    assert client.get("/embed/99").status_code == 404


def test_oembed_answers_for_our_episode_urls(client: Client, episode, settings) -> None:
    page = settings.PODCAST_SITE_URL + episode.get_absolute_url()
    response = client.get("/oembed", {"url": page, "maxwidth": "400"})
    assert response.status_code == 200 and response["Content-Type"] == "application/json"
    data = json.loads(response.content)
    assert data["version"] == "1.0" and data["type"] == "rich" and data["width"] == 400
    assert data["provider_name"] == "Bytes Show" and data["title"] == "#7: Scripts"
    assert f'src="{settings.PODCAST_SITE_URL}/embed/7"' in data["html"]
    assert data["thumbnail_width"] == data["thumbnail_height"] == 1400


@pytest.mark.parametrize(
    "url",
    ["https://evil.example.com/episodes/show/7/scripts", "http://169.254.169.254/latest/meta-data",
     "/episodes/show/7/scripts", "", "javascript:alert(1)", "{site}/episodes/show/99/none",
     "{site}/sponsors", "{site}/admin/"],
)  # fmt: skip
def test_oembed_is_404_for_anything_not_one_of_our_episodes(client: Client, episode, settings, url):
    # Never fetched: nothing but our own URL patterns is consulted.
    url = url.format(site=settings.PODCAST_SITE_URL)
    assert client.get("/oembed", {"url": url}).status_code == 404


def test_oembed_offers_json_only(client: Client, episode, settings) -> None:
    page = settings.PODCAST_SITE_URL + episode.get_absolute_url()
    assert client.get("/oembed", {"url": page, "format": "xml"}).status_code == 501


def test_the_episode_page_has_discovery_and_a_share_snippet(client: Client, episode, settings):
    body = client.get(episode.get_absolute_url()).content.decode()
    assert '<link rel="alternate" type="application/json+oembed" href="' in body
    assert f"{settings.PODCAST_SITE_URL}/oembed?url=" in body
    assert "Share / embed" in body and "&lt;iframe src=&quot;" in body
