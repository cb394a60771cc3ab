"""The soundbite picker on the episode form, in chromium at a desktop and a phone width.

The editor plays the episode's audio, clicks "Set start here" and "Set end here",
saves, and the feed carries the podcast:soundbite that both real parsers read back.
"""

import pytest
from lxml import etree

from episodes.audio.tones import tone_mp3
from tests.browser.conftest import log_in
from tests.conftest import ROOT
from tests.episodes.feeds.test_views import NS
from tests.episodes.test_admin_soundbite import check_soundbite
from tests.episodes.test_feed_parsers import podcast_schema, validate
from tests.factories import ShowFactory, published_episode

pytestmark = pytest.mark.browser
SCREENSHOTS = ROOT / "var" / "screenshots"


def seek(page, seconds: float) -> None:
    page.evaluate(
        "(t) => { const a = document.querySelector('.soundbite-picker audio'); a.currentTime = t; }",
        seconds,
    )
    page.wait_for_function(
        "(t) => Math.abs(document.querySelector('.soundbite-picker audio').currentTime - t) < 0.05",
        arg=seconds,
    )


@pytest.mark.parametrize("width", [1280, 390])
def test_an_editor_picks_the_soundbite_with_the_player(
    page, live_server, admin_user, transactional_db, settings, partytime_whole, feedsmith,
    shared_data, tmp_path, width,
):  # fmt: skip
    settings.PODCAST_SITE_URL = live_server.url
    show = ShowFactory(slug="main", title="Bite Show")
    episode = published_episode(tone_mp3(40.0), duration=40.0, show=show, number=7, slug="bite")
    errors: list[str] = []
    page.on("pageerror", lambda error: errors.append(str(error)))
    page.set_viewport_size({"width": width, "height": 900})
    log_in(page, live_server.url, f"/admin/episodes/episode/{episode.pk}/change/")
    page.wait_for_function(
        "() => document.querySelector('.soundbite-picker audio').readyState >= 1"
    )
    seek(page, 5.0)
    page.get_by_role("button", name="Set start here").click()
    seek(page, 27.5)
    page.get_by_role("button", name="Set end here").click()
    assert page.text_content(".soundbite-note") == "Soundbite: 22.5 s from 5 s."
    page.fill("#id_soundbite_title", "The best bit")
    page.locator("#id_soundbite_title").scroll_into_view_if_needed()
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=SCREENSHOTS / f"episode-soundbite-{width}.png", full_page=False)
    page.click("input[name=_continue]")
    page.wait_for_url("**/change/")
    assert page.locator(".errornote").count() == 0, page.text_content("#content")
    episode.refresh_from_db()
    assert (episode.soundbite_start, episode.soundbite_duration) == (5.0, 22.5)
    assert errors == []

    feed = page.request.get(f"{live_server.url}/episodes/rss").body()
    check_soundbite(feed, (5, 22.5, "The best bit"), partytime_whole, feedsmith)
    (bite,) = etree.fromstring(feed).xpath("//podcast:soundbite", namespaces=NS)
    validate(podcast_schema(shared_data, tmp_path), [bite])
