"""An anonymous listener finds a premium episode, or any episode of a private show, nowhere.

One table of every public URL kind: the episode's own URLs answer 404, and the
lists, feeds, search, sitemap and embeds never name it. Staff still see it.
"""

import pytest
from django.test import Client

from episodes.models import Episode
from episodes.podping import notify_episode_podping
from episodes.services import notify_websub_hub
from tests.conftest import SITE
from tests.factories import (
    ChapterFactory,
    PersonFactory,
    ShowFactory,
    SponsorFactory,
    published_episode,
)
from tests.security.conftest import TRANSCRIPT_FORMATS, built_transcript

pytestmark = [pytest.mark.django_db, pytest.mark.postgres]
SECRET_TITLE = "Zanzibar members bonus"
SECRET_WORD = "quokkawhisper"  # in its notes and transcript, searchable


def hidden_episode(show, tone, **fields) -> Episode:
    episode = published_episode(
        tone, show=show, number=2, slug="bonus", title=SECRET_TITLE,
        show_notes=f"Notes about {SECRET_WORD}.", **fields,
    )  # fmt: skip
    built_transcript(episode, f"00:00:01 the {SECRET_WORD} segment\n")
    ChapterFactory(episode=episode, title="Members chapter")
    episode.credits.create(person=PersonFactory(slug="pat", name="Pat Guest"))
    episode.sponsorships.create(sponsor=SponsorFactory(slug="acme", name="Acme Secret Sponsor"))
    return episode


@pytest.fixture(params=["premium episode", "private show"])
def hidden(request, settings, tone) -> Episode:
    settings.PODCAST_SITE_URL = SITE
    show = ShowFactory(slug="main", title="Paid Show", private=request.param == "private show")
    published_episode(tone, show=show, number=1, slug="free", title="Free for all")
    return hidden_episode(show, tone, premium=request.param == "premium episode")


# The episode's own URLs: 404 to anyone without a token.
OWN_URLS = {
    "page": lambda e: e.get_absolute_url(),
    "page by number": lambda e: f"/episodes/show/{e.number}",
    "transcript page": lambda e: e.transcript_url(),
    **{
        f"transcript .{fmt}": (lambda e, f=fmt: f"{e.transcript_url()}.{f}")
        for fmt in TRANSCRIPT_FORMATS
    },
    "chapters": lambda e: f"/episodes/chapters/{e.number}.json",
    "audio": lambda e: e.download_url(),
    "audio, other show path": lambda e: f"/shows/main/episodes/download/{e.number}/{e.slug}.mp3",
    "embed": lambda e: f"/embed/{e.number}",
    "oembed": lambda e: f"/oembed?url={SITE}{e.get_absolute_url()}",
}
# Public places that list episodes: they answer, without it.
LISTS = {
    "home": "/",
    "episode list": "/episodes/",
    "main feed": "/episodes/rss",
    "full history": "/episodes/rss_full_history",
    "feed page 1": "/episodes/rss?page=1",
    "search by title": "/search?q=Zanzibar",
    "search by transcript": f"/search?q={SECRET_WORD}",
    "sitemap": "/sitemap.xml",
    "sponsors": "/sponsors",
    "other show path": "/shows/main/episodes/",
}


@pytest.mark.parametrize("kind", OWN_URLS)
def test_the_hidden_episodes_own_urls_are_404(hidden, kind):
    assert Client().get(OWN_URLS[kind](hidden)).status_code == 404


@pytest.mark.parametrize("kind", LISTS)
def test_no_public_list_names_the_hidden_episode(hidden, kind):
    response = Client().get(LISTS[kind])
    assert response.status_code == 200
    body = response.content.decode()
    assert SECRET_TITLE not in body and "/bonus" not in body
    assert "Notes about" not in body and "segment" not in body  # its notes and transcript
    assert "Acme Secret Sponsor" not in body


def test_the_guests_page_of_a_hidden_episode_only_is_404(hidden):
    assert Client().get("/people/pat").status_code == 404


def test_staff_still_see_the_hidden_episode(hidden, admin_client):
    assert admin_client.get(hidden.get_absolute_url()).status_code == 200
    response = admin_client.get(hidden.download_url())
    assert response.status_code == 200
    assert "private" in response["Cache-Control"]


def test_neither_websub_nor_podping_hears_of_a_hidden_episode(hidden, settings):
    settings.PODCAST_WEBSUB_HUB = "http://127.0.0.1:1/hub"  # nothing listens: a ping would raise
    settings.PODCAST_PODPING_URL = "http://127.0.0.1:1/"
    assert notify_websub_hub(episode_id=hidden.pk) is False
    assert notify_episode_podping(episode_id=hidden.pk) is False
    hidden.refresh_from_db()
    assert hidden.websub_pinged_at is None and hidden.podping_pinged_at is None


def test_the_show_page_says_how_to_subscribe(hidden):
    body = Client().get("/").content.decode()
    assert "for subscribers only" in body
    assert 'href="https://pay.example.com/"' in body or not hidden.show.subscribe_url


def test_the_show_page_links_to_the_subscribe_url(settings, tone):
    show = ShowFactory(slug="main", subscribe_url="https://pay.example.com/join")
    published_episode(tone, show=show, number=1, premium=True)
    body = Client().get("/").content.decode()
    assert 'href="https://pay.example.com/join"' in body


def test_a_show_without_premium_episodes_says_nothing_of_subscribers(tone):
    show = ShowFactory(slug="main", subscribe_url="https://pay.example.com/join")
    published_episode(tone, show=show, number=1)
    assert "pay.example.com" not in Client().get("/").content.decode()
