"""The public site in a real browser: playing, deep links, search, accessibility, phones."""

import pytest
from django.utils import timezone

from episodes import search
from episodes.audio.tones import tone_mp3
from tests.factories import (
    ChapterFactory,
    SegmentFactory,
    ShowFactory,
    TranscriptFactory,
    published_episode,
)
from transcripts.services import render_segments

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

SEGMENTS = [(0.0, "Welcome to the show."), (4.0, "Let us talk about capybaras today."),
            (6.0, "That is all for now.")]  # fmt: skip


@pytest.fixture(scope="session")
def eight_seconds() -> bytes:
    return tone_mp3(8.0)


@pytest.fixture
def episode(transactional_db, eight_seconds):
    show = ShowFactory(slug="main", title="Browser Show", promo_banner="Brought to you by tests")
    episode = published_episode(
        eight_seconds, show=show, number=1, slug="first", title="The first one",
        summary="A short episode.", show_notes="Notes with a [link](https://example.com/).",
        publish_at=timezone.now() - timezone.timedelta(days=1),
    )  # fmt: skip
    episode.audio_duration = 8.0
    episode.save()
    ChapterFactory(episode=episode, start=3.0, title="Middle")
    transcript = TranscriptFactory(episode=episode)
    for position, (start, text) in enumerate(SEGMENTS):
        SegmentFactory(transcript=transcript, position=position, start=start, text=text)
    transcript.rendered_html = render_segments(episode, transcript.segments.all())
    transcript.save()
    search.index_episode(episode)
    search.index_transcript(transcript)
    return episode


def player_state(page) -> dict:
    return page.evaluate(
        "() => { const p = document.getElementById('player');"
        " return {time: p.currentTime, paused: p.paused}; }"
    )


def wait_until_playing_from(page, seconds: float) -> None:
    page.wait_for_function(
        "(s) => { const p = document.getElementById('player');"
        " return p && !p.paused && p.currentTime >= s && p.currentTime < s + 3; }",
        arg=seconds,
        timeout=15_000,
    )


def test_an_episode_plays(page, live_server, episode) -> None:
    page.goto(live_server.url + episode.get_absolute_url())
    page.evaluate("() => document.getElementById('player').play()")
    page.wait_for_function(
        "() => { const p = document.getElementById('player');"
        " return !p.paused && p.currentTime > 0.5; }",
        timeout=15_000,
    )
    assert player_state(page)["paused"] is False


def test_a_transcript_timestamp_starts_the_player_there(page, live_server, episode) -> None:
    page.goto(live_server.url + episode.transcript_url())
    page.get_by_role("link", name="00:04").click()
    page.wait_for_url(f"**{episode.get_absolute_url()}?t=4#t=4")
    wait_until_playing_from(page, 4)


def test_a_search_hit_starts_the_player_at_its_moment(page, live_server, episode) -> None:
    page.goto(live_server.url + "/search?q=capybaras")
    page.locator("ol.results a.stamp").first.click()
    page.wait_for_url(f"**{episode.get_absolute_url()}?t=4#player")
    wait_until_playing_from(page, 4)


def test_a_chapter_link_seeks_the_player(page, live_server, episode) -> None:
    page.goto(live_server.url + episode.get_absolute_url())
    page.get_by_role("link", name="0:03 Middle").click()
    wait_until_playing_from(page, 3)
    assert page.url.endswith("#t=3")


def test_a_shared_deep_link_starts_the_player(page, live_server, episode) -> None:
    page.goto(live_server.url + episode.get_absolute_url() + "?t=0:05")
    wait_until_playing_from(page, 5)


PAGES = ["/", "episode", "transcript", "/search?q=capybaras"]


def page_path(name: str, episode) -> str:
    return {"episode": episode.get_absolute_url(), "transcript": episode.transcript_url()}.get(
        name, name
    )


# axe is injected as an inline script, which our Content-Security-Policy rightly
# refuses; test_csp.py checks the pages under the policy without this bypass.
@pytest.mark.browser_context_args(bypass_csp=True)
@pytest.mark.parametrize("name", PAGES)
def test_no_serious_accessibility_violations(page, live_server, episode, axe_source, name) -> None:
    page.goto(live_server.url + page_path(name, episode))
    page.add_script_tag(content=axe_source)
    violations = page.evaluate(
        "async () => (await axe.run(document)).violations"
        ".filter(v => v.impact === 'serious' || v.impact === 'critical')"
        ".map(v => v.id + ': ' + v.nodes.map(n => n.target.join(' ')).join(', '))"
    )
    assert violations == []


@pytest.mark.parametrize("name", PAGES)
def test_nothing_scrolls_sideways_on_a_phone(page, live_server, episode, name) -> None:
    page.set_viewport_size({"width": 375, "height": 667})
    page.goto(live_server.url + page_path(name, episode))
    widths = page.evaluate(
        "() => [document.documentElement.scrollWidth, document.documentElement.clientWidth]"
    )
    assert widths[0] <= widths[1]


def test_the_site_can_be_searched_with_the_keyboard(page, live_server, episode) -> None:
    page.goto(live_server.url + "/")
    page.keyboard.press("Tab")  # skip link
    focused = page.evaluate("() => document.activeElement.textContent")
    assert focused == "Skip to content"
    page.get_by_label("Search episodes and transcripts").focus()
    page.keyboard.type("capybaras")
    page.keyboard.press("Enter")
    page.wait_for_url("**/search?q=capybaras")
    assert page.locator("ol.results mark").first.text_content() == "capybaras"
