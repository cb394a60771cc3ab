"""The admin's feed import in chromium: URL, dry run, Import, live progress; two widths."""

import pytest

from episodes.importing import media
from episodes.importing.models import FeedImport
from tests.browser.conftest import log_in
from tests.conftest import ROOT
from tests.episodes.importing import feedhost

pytestmark = pytest.mark.browser
SCREENSHOTS = ROOT / "var" / "screenshots"
host = feedhost.host  # the old host, a fixture


def no_sideways_scroll(page) -> bool:
    widths = page.evaluate(
        "() => [document.documentElement.scrollWidth, document.documentElement.clientWidth]"
    )
    return widths[0] <= widths[1]


@pytest.mark.parametrize("width", [1280, 390])
def test_an_editor_reads_the_report_imports_and_watches_the_progress(
    page, live_server, admin_user, transactional_db, host, width
):
    page.set_viewport_size({"width": width, "height": 900})
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    log_in(page, live_server.url, "/admin/episodes/feedimport/add/")
    page.get_by_label("Feed URL").fill(host.serve_file("feedjira/itunes.xml"))
    page.get_by_role("button", name="Read the feed (dry run)").click()
    report = page.get_by_role("region", name="What the import would do")
    assert "New episodes: 3." in report.inner_text()
    page.screenshot(path=SCREENSHOTS / f"import-dry-run-{width}.png", full_page=True)
    assert no_sideways_scroll(page)

    page.get_by_role("button", name="Import", exact=True).click()
    page.wait_for_url("**/change/")
    progress = page.locator(".import-state")
    assert progress.locator("[data-kind=waiting]").inner_text() == "3"
    for item_id in FeedImport.objects.get().items.values_list("pk", flat=True):
        media.fetch_item_files(imported_id=item_id)
    # The page asks the server again every 2 s while anything is waiting.
    page.wait_for_function(
        "() => document.querySelector('.import-state [data-kind=downloaded]').textContent === '3'",
        timeout=15_000,
    )
    assert progress.locator("[data-kind=failed]").inner_text() == "0"
    assert page.get_by_role("region", name="At the old host").is_visible()
    page.screenshot(path=SCREENSHOTS / f"import-progress-{width}.png", full_page=True)
    assert no_sideways_scroll(page)
