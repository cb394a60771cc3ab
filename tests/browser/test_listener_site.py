"""Every public page type in chromium at 1280 and 390 px: art, subscribe, embed, a11y, weight.

Screenshots of every page at both widths and both colour schemes land in the
test's output folder (pytest-playwright's `output_path`, under test-results/).
"""

import functools
import http.server
import threading
from pathlib import Path

import pytest
from django.core.files.base import ContentFile
from django.utils import timezone

from episodes import search
from episodes.artcopies import refresh_episode_page_art, refresh_show_page_art
from episodes.audio.tones import tone_mp3
from episodes.demoart import cover_jpeg
from episodes.models import Role
from tests.factories import (
    ChapterFactory,
    PersonFactory,
    SegmentFactory,
    ShowFactory,
    SponsorFactory,
    TranscriptFactory,
    published_episode,
)
from transcripts.services import render_segments

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

WIDTHS = {"desktop": (1280, 900), "phone": (390, 844)}
LINES = [(0.0, "Ada", "Welcome to the show."), (4.0, "Ada", "Today: capybaras."),
         (9.0, "Grace", "Capybaras are the calmest animals."), (15.0, "Ada", "Bye!")]  # fmt: skip


@pytest.fixture
def site(transactional_db):
    show = ShowFactory(
        slug="main", is_default=True, title="Browser Show", promo_banner="Brought to you by tests",
        apple_podcasts_url="https://podcasts.apple.com/us/podcast/id1",
        spotify_url="https://open.spotify.com/show/abc",
        description="A show about calm animals and the tools that film them.",
    )  # fmt: skip
    show.artwork.save("cover.jpg", ContentFile(cover_jpeg("Browser Show")), save=True)
    refresh_show_page_art(show_id=show.pk)
    host = PersonFactory(name="Ada Host", slug="ada")
    show.hosts.create(person=host, role=Role.HOST)
    mp3 = tone_mp3(20.0)
    episodes = []
    for number in (1, 2):
        episode = published_episode(
            mp3, show=show, number=number, slug=f"episode-{number}", title=f"Calm animals {number}",
            summary="Why capybaras stay calm.", show_notes="Notes about [capybaras](https://example.com/).",
            publish_at=timezone.now() - timezone.timedelta(days=3 - number),
        )  # fmt: skip
        episode.audio_duration = 20.0
        episode.save()
        episode.credits.create(person=host, role=Role.HOST)
        episode.sponsorships.create(
            sponsor=SponsorFactory(slug=f"s{number}", name=f"Sponsor {number}")
        )
        ChapterFactory(episode=episode, start=0.0, title="Hello")
        ChapterFactory(episode=episode, start=9.5, title="Calm")
        episode.render_notes()
        episode.save()
        transcript = TranscriptFactory(episode=episode)
        for position, (start, speaker, text) in enumerate(LINES):
            SegmentFactory(
                transcript=transcript, position=position, start=start, speaker=speaker, text=text
            )
        transcript.rendered_html = render_segments(episode, transcript.segments.all())
        transcript.save()
        search.index_episode(episode)
        search.index_transcript(transcript)
        episodes.append(episode)
    episodes[0].artwork.save("e.jpg", ContentFile(cover_jpeg("Ep 1", hue=(146, 64, 14))), save=True)
    refresh_episode_page_art(episode_id=episodes[0].pk)
    return show, episodes[0]


def page_types(episode) -> dict[str, str]:
    return {
        "home": "/",
        "list": "/episodes/",
        "episode": episode.get_absolute_url(),
        "transcript": episode.transcript_url(),
        "search": "/search?q=capybaras",
        "person": "/people/ada",
        "sponsors": "/sponsors",
        "embed": "/embed/1",
        "not-found": "/no-such-page",
    }


@pytest.fixture
def shots(output_path) -> Path:
    """This test's output folder, where its screenshots go."""
    folder = Path(output_path)
    folder.mkdir(parents=True, exist_ok=True)
    return folder


NAMES = [
    "home",
    "list",
    "episode",
    "transcript",
    "search",
    "person",
    "sponsors",
    "embed",
    "not-found",
]


@pytest.mark.parametrize("width", WIDTHS)
@pytest.mark.parametrize("name", NAMES)
def test_every_page_type_looks_right_at_both_widths(page, live_server, site, shots, name, width):
    show, episode = site
    images = []
    page.on("response", lambda r: images.append((r.url, r.status)) if "/media/" in r.url else None)
    page.set_viewport_size(dict(zip(("width", "height"), WIDTHS[width], strict=True)))
    for scheme in ("light", "dark"):
        page.emulate_media(color_scheme=scheme)
        response = page.goto(live_server.url + page_types(episode)[name])
        assert response.status == (404 if name == "not-found" else 200)
        page.wait_for_load_state("networkidle")
        page.screenshot(path=shots / f"{name}-{width}-{scheme}.png", full_page=True)
    sizes = page.evaluate(
        "[document.documentElement.scrollWidth, document.documentElement.clientWidth]"
    )
    assert sizes[0] <= sizes[1], "something overflows sideways"
    broken = page.evaluate(
        "[...document.images].filter(i => !i.complete || !i.naturalWidth).map(i => i.src)"
    )
    assert broken == []
    assert images and all(status in (200, 304) for _, status in images), images
    if name != "embed":
        top = page.evaluate(
            "(() => { const h = document.querySelector('header.site').getBoundingClientRect();"
            " return h.bottom; })()"
        )
        assert top <= WIDTHS[width][1] / 4, f"banner and header take {top} px"


@pytest.mark.browser_context_args(bypass_csp=True)
@pytest.mark.parametrize("scheme", ["light", "dark"])
@pytest.mark.parametrize("name", NAMES)
def test_no_accessibility_violations_in_either_colour_scheme(
    page, live_server, site, axe_source, name, scheme
):
    page.emulate_media(color_scheme=scheme)
    page.goto(live_server.url + page_types(site[1])[name])
    page.add_script_tag(content=axe_source)
    violations = page.evaluate(
        "async () => (await axe.run(document)).violations"
        ".map(v => v.id + ': ' + v.nodes.map(n => n.target.join(' ')).join(', '))"
    )
    assert violations == []


def test_home_shows_the_latest_episode_player_cards_and_subscribe_links(page, live_server, site):
    show, episode = site
    page.goto(live_server.url + "/")
    latest = page.locator("section.latest")
    assert "Calm animals 2" in latest.inner_text() and latest.locator("audio#player").count() == 1
    assert page.locator("li.card").count() == 1
    subscribe = page.locator("#subscribe")
    assert (
        subscribe.get_by_role("link", name="Apple Podcasts")
        .get_attribute("href")
        .startswith("https://podcasts.apple")
    )
    assert subscribe.get_by_role("link", name="Spotify").count() == 1
    assert subscribe.get_by_role("link", name="Overcast").count() == 0
    assert page.locator("#feed-url").input_value() == show.feed_url()


def test_the_feed_url_is_copied_with_the_keyboard(page, live_server, site, context) -> None:
    context.grant_permissions(["clipboard-read", "clipboard-write"])
    page.goto(live_server.url + "/")
    page.locator("#feed-url").focus()
    page.keyboard.press("Tab")  # to the Copy button
    assert page.evaluate("document.activeElement.textContent") == "Copy"
    page.keyboard.press("Enter")
    page.wait_for_function("document.querySelector('#subscribe .copied').textContent === 'Copied'")
    assert page.evaluate("navigator.clipboard.readText()") == site[0].feed_url()


def test_the_episode_page_does_not_shift_and_stays_within_its_weight(page, live_server, site):
    show, episode = site
    page.add_init_script(
        "window.__cls = 0; new PerformanceObserver(l => l.getEntries().forEach(e => {"
        " if (!e.hadRecentInput) window.__cls += e.value; })).observe({type: 'layout-shift', buffered: true});"
    )
    page.goto(live_server.url + episode.get_absolute_url())
    page.wait_for_load_state("networkidle")
    page.wait_for_timeout(500)
    assert page.evaluate("window.__cls") < 0.01
    weights = page.evaluate(
        "performance.getEntriesByType('navigation').concat(performance.getEntriesByType('resource'))"
        ".filter(e => !e.name.includes('/download/')).map(e => [e.name, e.transferSize || e.encodedBodySize])"
    )
    art = sum(size for url, size in weights if "/media/" in url)
    total = sum(size for url, size in weights if "/media/" not in url)
    assert 0 < art <= 100 * 1024, weights
    assert 0 < total <= 150 * 1024, weights


@pytest.fixture
def other_origin(tmp_path, live_server, site):
    """A page on 127.0.0.1 at another port that frames our embed and our episode page."""
    episode = site[1]
    (tmp_path / "host.html").write_text(
        "<!doctype html><title>Someone's blog</title><h1>A blog post</h1>"
        f'<iframe id="embed" src="{live_server.url}/embed/1" width="600" height="200"></iframe>'
        f'<iframe id="page" src="{live_server.url}{episode.get_absolute_url()}" width="600" height="200"></iframe>'
    )
    handler = functools.partial(http.server.SimpleHTTPRequestHandler, directory=str(tmp_path))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    yield f"http://127.0.0.1:{server.server_address[1]}/host.html"
    server.shutdown()


def test_another_site_can_embed_the_player_but_not_our_pages(page, other_origin, shots):
    page.goto(other_origin)
    embed = page.frame_locator("#embed")
    assert embed.get_by_role("heading").inner_text() == "#1: Calm animals 1"
    embed.locator("audio#player").evaluate("p => p.play()")
    embed.locator("audio#player").evaluate(
        "p => new Promise(r => { const t = () => p.currentTime > 0.3 ? r() : setTimeout(t, 50); t(); })"
    )
    page.wait_for_timeout(300)
    page.screenshot(path=shots / "embedded-elsewhere.png")
    # The episode page itself refuses to be framed (frame-ancestors 'none', DENY).
    framed = page.locator("#page").element_handle().content_frame()
    assert framed.url.startswith("chrome-error://") or framed.locator("#player").count() == 0


@pytest.mark.parametrize("width", WIDTHS)
def test_the_feed_opened_in_a_browser_is_a_readable_page(page, live_server, site, shots, width):
    page.set_viewport_size(dict(zip(("width", "height"), WIDTHS[width], strict=True)))
    response = page.goto(live_server.url + "/episodes/rss")
    assert response.headers["content-type"] == "application/xml; charset=utf-8"
    page.wait_for_load_state("networkidle")
    page.screenshot(path=shots / f"feed-{width}.png")
    shown = page.evaluate(
        "(() => { const s = e => getComputedStyle(document.querySelector(e)).display;"
        " return {title: s('channel > title'), item: s('item > title'), link: s('channel > link'),"
        " intro: getComputedStyle(document.documentElement, '::before').content}; })()"
    )
    assert shown["title"] == shown["item"] == "block" and shown["link"] == "none"
    assert "podcast app" in shown["intro"]
    sizes = page.evaluate(
        "[document.documentElement.scrollWidth, document.documentElement.clientWidth]"
    )
    assert sizes[0] <= sizes[1]
