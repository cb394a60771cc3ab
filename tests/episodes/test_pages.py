"""The public pages: lists, episode page, people, sponsors, SEO data, errors."""

import datetime as dt
import json
import re

import pytest
from django.test import Client
from django.utils import timezone

from episodes.models import Role, Sponsor
from tests.factories import (
    ChapterFactory,
    EpisodeFactory,
    PersonFactory,
    SegmentFactory,
    ShowFactory,
    ShowNoteLinkFactory,
    SponsorFactory,
    TranscriptFactory,
    published_episode,
)
from tests.security.executables import SAFE_SCRIPTS, executables

# Also run by .ci/run on PostgreSQL, where the same pages must hold.
pytestmark = [pytest.mark.django_db, pytest.mark.postgres]


@pytest.fixture
def show():
    return ShowFactory(slug="main", title="Bytes Show", promo_banner="Brought to you by tests")


@pytest.fixture
def episode(show, tone):
    return published_episode(
        tone, show=show, number=7, title="Scripting things", slug="scripting-things",
        summary="We talk about scripts.", show_notes="A **bold** claim.",
    )  # fmt: skip


def draft_and_scheduled(show, tone):
    draft = EpisodeFactory(show=show, number=90, slug="draft", title="Secret draft")
    scheduled = published_episode(
        tone, show=show, number=91, slug="later", title="Secret scheduled",
        publish_at=timezone.now() + dt.timedelta(days=3),
    )  # fmt: skip
    return draft, scheduled


def test_home_lists_published_episodes_with_readable_durations(client: Client, episode) -> None:
    episode.audio_duration = 3725.0
    episode.save()
    body = client.get("/").content.decode()
    assert "#7: Scripting things" in body and "1:02:05" in body and "We talk about scripts." in body
    day = episode.publish_at
    assert f'<time datetime="{day.isoformat()}">{day:%b} {day.day}, {day.year}</time>' in body
    assert "3725" not in body


def test_lists_page_twenty_at_a_time(client: Client, show, tone) -> None:
    for number in range(1, 23):
        published_episode(tone, show=show, number=number, slug=f"e{number}", title=f"Ep {number}")
    first = client.get("/episodes/").content.decode()
    second = client.get("/episodes/?page=2").content.decode()
    # The first page leads with the newest episode and its player, then 19 cards.
    latest = first[
        first.index('<section class="latest"') : first.index(
            "</section>", first.index('<section class="latest"')
        )
    ]
    assert "Ep 22" in latest and 'id="player"' in latest
    assert first.count('<li class="card">') == 19
    assert "Ep 22" in first and "Ep 2<" not in first
    assert second.count('<li class="card">') == 2 and 'class="latest"' not in second


def test_banner_and_feed_link_are_on_every_page(client: Client, episode) -> None:
    host = PersonFactory(slug="hosting-person")
    episode.credits.create(person=host, role=Role.HOST)
    TranscriptFactory(episode=episode, status="ready", rendered_html="<p>hi</p>")
    paths = [
        "/", "/episodes/", episode.get_absolute_url(), episode.transcript_url(), "/sponsors",
        "/search?q=x", "/people/hosting-person", "/no/such/page",
    ]  # fmt: skip
    for path in paths:
        body = client.get(path).content.decode()
        assert "Brought to you by tests" in body, path
        assert 'type="application/rss+xml"' in body and "/episodes/rss" in body, path


def test_episode_page_has_player_download_notes_and_duration(client: Client, episode) -> None:
    body = client.get(episode.get_absolute_url()).content.decode()
    assert '<audio id="player" controls preload="metadata"' in body
    assert f'aria-label="Episode audio" src="{episode.download_url()}"' in body
    assert f'href="{episode.download_url()}" download' in body
    assert "<strong>bold</strong>" in body
    assert "0:02" in body


def test_wrong_slug_redirects_permanently(client: Client, episode) -> None:
    response = client.get("/episodes/show/7/old-slug")
    assert response.status_code == 301
    assert response["Location"] == episode.get_absolute_url()


@pytest.mark.parametrize(("query", "seconds"), [("754", 754), ("12:34", 754), ("1:00:00", 3600)])
def test_a_start_time_reaches_the_player_without_javascript(
    client, episode, query, seconds
) -> None:
    body = client.get(episode.get_absolute_url(), {"t": query}).content.decode()
    assert f'src="{episode.download_url()}#t={seconds}" data-start="{seconds}"' in body


def test_a_bad_start_time_is_ignored(client: Client, episode) -> None:
    body = client.get(episode.get_absolute_url(), {"t": "<script>"}).content.decode()
    assert f'src="{episode.download_url()}"' in body


def test_links_people_sponsors_chapters_and_transcript(client: Client, episode, show) -> None:
    host = PersonFactory(name="Michael Host", slug="michael")
    guest = PersonFactory(name="Gina Guest", slug="gina")
    episode.credits.create(person=host, role=Role.HOST)
    episode.credits.create(person=guest, role=Role.GUEST)
    ShowNoteLinkFactory(
        episode=episode, title="Playwright", url="https://playwright.dev/", picked_by=host,
        description="Drives *browsers*.",
    )  # fmt: skip
    sponsor = SponsorFactory(name="Acme Hosting", slug="acme")
    episode.sponsorships.create(sponsor=sponsor)
    ChapterFactory(episode=episode, start=754.0, title="The middle bit")
    TranscriptFactory(episode=episode)
    body = client.get(episode.get_absolute_url()).content.decode()
    assert 'href="https://playwright.dev/"' in body and "<em>browsers</em>" in body
    assert 'picked by <a href="/people/michael">Michael Host</a>' in body
    assert '<a href="/people/gina">Gina Guest</a>' in body
    assert '<a href="/sponsor/acme" rel="sponsored">Acme Hosting</a>' in body
    assert 'href="?t=754#player" data-t="754"><time>12:34</time> The middle bit' in body
    assert f'href="{episode.transcript_url()}"' in body


def test_previous_and_next_skip_unpublished_episodes(client: Client, show, tone) -> None:
    now = timezone.now()
    first = published_episode(
        tone, show=show, number=1, slug="one", publish_at=now - dt.timedelta(days=3)
    )
    middle = published_episode(
        tone, show=show, number=2, slug="two", publish_at=now - dt.timedelta(days=2)
    )
    draft_and_scheduled(show, tone)
    body = client.get(middle.get_absolute_url()).content.decode()
    assert f'href="{first.get_absolute_url()}" rel="prev"' in body
    assert 'rel="next"' not in body


def test_show_notes_are_cached_but_an_edit_shows_at_once(client: Client, episode) -> None:
    assert "<strong>bold</strong>" in client.get(episode.get_absolute_url()).content.decode()
    episode.show_notes = "Now *different*."
    episode.save()
    assert "<em>different</em>" in client.get(episode.get_absolute_url()).content.decode()


def test_notes_stored_on_save_are_what_the_page_shows(client: Client, episode) -> None:
    episode.show_notes = "Now *stored* <script>alert(1)</script>."
    episode.save(update_fields=["show_notes"])
    episode.refresh_from_db()
    assert episode.show_notes_html == "<p>Now <em>stored</em> .</p>"
    assert "<p>Now <em>stored</em> .</p>" in client.get(episode.get_absolute_url()).content.decode()


def test_the_episode_page_looks_its_show_up_once(client: Client, episode) -> None:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as queries:
        assert client.get(episode.get_absolute_url()).status_code == 200
    shows = [q for q in queries.captured_queries if 'FROM "episodes_show"' in q["sql"]]
    assert len(shows) == 1  # the view's lookup serves the context processor too


XSS_PAYLOADS = [
    "<script>alert('x')</script>",
    '<img src=x onerror="alert(1)">',
    "[click](javascript:alert(1))",
    '<a href="javascript:alert(1)">x</a>',
    '"><svg onload=alert(1)>',
    "</script><script>alert(1)</script>",
    '<iframe src="https://evil.example/"></iframe>',
]


@pytest.mark.parametrize("payload", XSS_PAYLOADS)
def test_nothing_executable_survives_in_notes_links_or_titles(client, show, tone, payload) -> None:
    episode = published_episode(
        tone, show=show, number=5, slug="x", title=f"Title {payload}", summary=payload,
        show_notes=f"Notes {payload}",
    )  # fmt: skip
    ShowNoteLinkFactory(
        episode=episode, title=f"Link {payload}", url="javascript:alert(1)", description=payload
    )
    page = executables(client.get(episode.get_absolute_url()).content.decode())
    assert page.found == []
    assert page.scripts == SAFE_SCRIPTS


def test_json_ld_describes_the_episode_and_cannot_break_out(client, show, tone) -> None:
    episode = published_episode(
        tone, show=show, number=3, slug="ld", title="</script><script>alert(1)</script>"
    )
    body = client.get(episode.get_absolute_url()).content.decode()
    block = re.search(r'<script type="application/ld\+json">(.*?)</script>', body, re.S).group(1)
    data = json.loads(block)
    assert data["@type"] == "PodcastEpisode" and data["episodeNumber"] == 3
    assert data["name"] == "</script><script>alert(1)</script>"
    assert data["associatedMedia"]["contentUrl"].endswith(episode.download_url())


def test_open_graph_and_twitter_tags(client: Client, episode) -> None:
    body = client.get(episode.get_absolute_url()).content.decode()
    assert '<meta property="og:title" content="#7: Scripting things">' in body
    assert '<meta property="og:description" content="We talk about scripts.">' in body
    assert '<meta name="twitter:card" content="summary">' in body
    assert '<meta name="description" content="We talk about scripts.">' in body
    assert "<title>#7: Scripting things - Bytes Show</title>" in body


def test_person_page_lists_only_published_episodes(client: Client, episode, show, tone) -> None:
    person = PersonFactory(name="Brian", slug="brian")
    episode.credits.create(person=person, role=Role.CO_HOST)
    draft, scheduled = draft_and_scheduled(show, tone)
    draft.credits.create(person=person)
    scheduled.credits.create(person=person)
    body = client.get("/people/brian").content.decode()
    assert "Brian" in body and "Scripting things" in body
    assert "Secret" not in body


def test_a_person_only_in_unpublished_episodes_has_no_page(client: Client, show, tone) -> None:
    person = PersonFactory(slug="hidden")
    draft, scheduled = draft_and_scheduled(show, tone)
    scheduled.credits.create(person=person)
    assert client.get("/people/hidden").status_code == 404
    assert client.get("/people/nobody").status_code == 404


def test_sponsors_page_and_the_redirect_counts_clicks(client: Client, episode) -> None:
    sponsor = SponsorFactory(name="Acme", slug="acme", url="https://acme.example/?ref=show")
    episode.sponsorships.create(sponsor=sponsor)
    assert (
        '<a href="/sponsor/acme" rel="sponsored">Acme</a>'
        in client.get("/sponsors").content.decode()
    )
    for _ in range(3):
        response = client.get("/sponsor/acme")
        assert response.status_code == 302
        assert response["Location"] == "https://acme.example/?ref=show"
    assert Sponsor.objects.get(pk=sponsor.pk).clicks == 3
    assert client.get("/sponsor/nope").status_code == 404


def test_drafts_and_scheduled_episodes_are_404_everywhere(client: Client, show, tone) -> None:
    for hidden in draft_and_scheduled(show, tone):
        SegmentFactory(transcript=TranscriptFactory(episode=hidden), text="secretword here")
        assert client.get(hidden.get_absolute_url()).status_code == 404
        assert client.get(hidden.transcript_url()).status_code == 404
        assert hidden.title not in client.get("/").content.decode()
    assert "Secret" not in client.get("/search?q=secretword").content.decode()
    assert "Secret" not in client.get("/search?q=secret").content.decode()
    sitemap = client.get("/sitemap.xml").content.decode()
    assert "/90/" not in sitemap and "/91/" not in sitemap


def test_sitemap_lists_home_episodes_transcripts_and_people(client: Client, episode) -> None:
    episode.credits.create(person=PersonFactory(slug="ann"))
    TranscriptFactory(episode=episode)
    response = client.get("/sitemap.xml")
    body = response.content.decode()
    assert response.status_code == 200
    for path in ["/", episode.get_absolute_url(), episode.transcript_url(), "/people/ann"]:
        assert f"<loc>http://127.0.0.1:8000{path}</loc>" in body, path


def test_robots_txt_points_at_the_sitemap(client: Client) -> None:
    response = client.get("/robots.txt")
    assert response["Content-Type"].startswith("text/plain")
    assert "Sitemap: http://127.0.0.1:8000/sitemap.xml" in response.content.decode()


def test_other_shows_have_the_same_pages_under_their_prefix(client: Client, show, tone) -> None:
    other = ShowFactory(slug="other", title="Other Show", is_default=False)
    episode = published_episode(tone, show=other, number=1, slug="hello", title="Other hello")
    assert episode.get_absolute_url() == "/shows/other/episodes/show/1/hello"
    assert "Other hello" in client.get("/shows/other/").content.decode()
    assert "Other hello" not in client.get("/").content.decode()
    assert client.get(episode.get_absolute_url()).status_code == 200
    assert client.get("/shows/other/sponsors").status_code == 200
    assert client.get("/shows/other/search?q=hello").status_code == 200


def test_not_found_page_uses_the_site_layout(client: Client, show) -> None:
    response = client.get("/no/such/page")
    assert response.status_code == 404
    assert "Page not found" in response.content.decode()
    assert "Bytes Show" in response.content.decode()


def test_server_error_page_renders_without_request_or_database() -> None:
    from django.template import loader

    html = loader.get_template("500.html").render()
    assert "Something went wrong" in html


def test_static_files_are_self_hosted(client: Client, episode) -> None:
    body = client.get(episode.get_absolute_url()).content.decode()
    urls = re.findall(r'(?:src|href)="([^"]+\.(?:js|css))"', body)
    assert urls, "the page loads its stylesheet and script"
    for url in urls:
        assert url.startswith("/static/"), url
