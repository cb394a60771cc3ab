"""The admin's analytics page in chromium, at a desktop and a phone width, with screenshots."""

import urllib.request

import pytest

from analytics import aggregation
from tests.browser.conftest import log_in
from tests.conftest import ROOT
from tests.factories import published_episode

pytestmark = pytest.mark.browser
SCREENSHOTS = ROOT / "var" / "screenshots"
APPS = (
    "Overcast/3.0 (+http://overcast.fm/; iOS podcast app)",
    "Spotify/8.9 Android/34 (SM-S918B)",
    "PocketCasts/1.0 (Pocket Casts Feed Parser; +http://pocketcasts.com/)",
    "AppleCoreMedia/1.0.0.21E236 (iPhone; U; CPU OS 17_4 like Mac OS X; en_us)",
)


@pytest.fixture
def counted(live_server, transactional_db, tone, settings, tmp_path):
    settings.PODCAST_ANALYTICS_SPOOL_DIR = tmp_path / "analytics"
    settings.PODCAST_ANALYTICS_REDIS_URL = ""
    episode = published_episode(tone * 5, slug="tone")
    for agent in APPS:
        request = urllib.request.Request(live_server.url + episode.download_url())
        request.add_header("User-Agent", agent)
        urllib.request.urlopen(request).read()
    feed = urllib.request.Request(live_server.url + "/episodes/rss")
    feed.add_header(
        "User-Agent", "Feedly/1.0 (+http://www.feedly.com/fetcher.html; 42 subscribers)"
    )
    feed.add_header("Accept-Encoding", "gzip")
    urllib.request.urlopen(feed).read()
    aggregation.aggregate_pending()
    return episode


@pytest.mark.parametrize("width", [1280, 390])
def test_the_show_analytics_page_reads_at_desktop_and_phone_width(
    page, live_server, admin_user, counted, width
):
    page.set_viewport_size({"width": width, "height": 900})
    path = f"/admin/analytics/show/{counted.show.slug}/"
    log_in(page, live_server.url, path)
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=SCREENSHOTS / f"analytics-show-{width}.png", full_page=True)
    assert page.locator(".analytics-totals strong").first.inner_text() == "4"
    chart = page.locator("svg.downloads-chart").bounding_box()
    assert chart["width"] > width * 0.6  # the chart fills the content column
    assert page.get_by_role("img", name="Downloads per day, last 90 days").is_visible()
    widths = page.evaluate(
        "() => [document.documentElement.scrollWidth, document.documentElement.clientWidth]"
    )
    assert widths[0] <= widths[1]  # nothing scrolls sideways, the wide tables scroll inside
    bandwidth = page.locator(".analytics-bandwidth")
    assert bandwidth.is_visible() and "saved by gzip" in bandwidth.inner_text()
