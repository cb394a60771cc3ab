"""The editor's admin in chromium: the import report and Needs review on the episode form,
accepting a held transcript, and the episode list's State column through every state.

Screenshots of the form and the list at 1280 px go to var/screenshots/.
"""

import datetime as dt

import pytest
from django.utils import timezone

from episodes.audio.tones import tone_mp3
from episodes.models import Episode
from tests.browser.conftest import log_in as log_in_at
from tests.browser.test_editor_flow import STATUS, log_in, save_and_continue, worker  # noqa: F401
from tests.conftest import ROOT
from tests.factories import EpisodeFactory, ShowFactory, with_served_audio
from transcripts.models import Transcript

pytestmark = pytest.mark.browser

SCREENSHOTS = ROOT / "var" / "screenshots"
GOOD = "00:00 Hello and welcome to the show.\n00:20 The first story.\n"
BAD = "00:00 Hello and welcome to the show.\n00:0x:61 A mistyped time.\n00:20 The story, fixed.\n"
TRANSCRIPT_STATUS = STATUS.format(kind="transcript")


def wait_for_transcript(page, status: str) -> None:
    page.wait_for_function(f"() => {TRANSCRIPT_STATUS} === '{status}'", timeout=60_000)


def public_transcript(browser, url: str) -> str:
    """The transcript page as a listener sees it: a fresh context, no editor's session."""
    listener = browser.new_context()
    try:
        page = listener.new_page()
        response = page.goto(url)
        return page.text_content("main") if response.status == 200 else f"HTTP {response.status}"
    finally:
        listener.close()


def test_a_bad_transcript_waits_for_review_and_goes_live_when_accepted(
    page,
    browser,
    live_server,
    worker,  # noqa: F811 (the fixture imported above)
    admin_user,
    tmp_path,
):
    ShowFactory(slug="main", title="Review Show", time_zone="Europe/Berlin")
    mp3, good, bad = tmp_path / "episode.mp3", tmp_path / "good.txt", tmp_path / "bad.txt"
    mp3.write_bytes(tone_mp3(30.0))
    good.write_text(GOOD)
    bad.write_text(BAD)
    page.set_viewport_size({"width": 1280, "height": 900})
    base = live_server.url
    worker.start()

    log_in(page, base)
    page.locator("#id_title").press_sequentially("Reviewed words")
    page.set_input_files("#id_new_audio", str(mp3))
    page.set_input_files("#id_transcript_file", str(good))
    page.check("#id_publishing_1")  # Publish now
    save_and_continue(page)
    assert "it will go live when the audio is ready" in page.text_content("ul.messagelist")
    wait_for_transcript(page, "ready")
    report = page.text_content(".import-report")
    assert "Import report: text: read 2 lines, made 2 segments" in report
    episode = Episode.objects.get(slug="reviewed-words")
    assert "The first story." in public_transcript(browser, f"{base}{episode.transcript_url()}")

    # A new file with a mistyped time: held, the report says where, listeners keep the old.
    page.set_input_files("#id_transcript_file", str(bad))
    save_and_continue(page)
    wait_for_transcript(page, "review")
    status = page.locator("[data-kind=transcript]")
    assert "Needs review" in status.text_content()
    assert "line 2: 00:0x:61 is not a valid time; read as text" in status.text_content()
    listener_sees = public_transcript(browser, f"{base}{episode.transcript_url()}")
    assert "The first story." in listener_sees and "fixed" not in listener_sees
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=SCREENSHOTS / "episode-form-needs-review-1280.png", full_page=True)

    page.get_by_role("button", name="Accept this build and publish it").click()
    page.wait_for_url("**/change/")
    assert "Accepted the transcript (en); listeners get it now." in page.text_content(
        "ul.messagelist"
    )
    assert "Accepted with 1 problem by admin on" in page.text_content("[data-kind=transcript]")
    assert "The story, fixed." in public_transcript(browser, f"{base}{episode.transcript_url()}")
    transcript = Transcript.objects.get(episode=episode)
    assert transcript.accepted_by == admin_user and transcript.accepted_at is not None


def state_cell(page, base: str, episode: Episode) -> str:
    page.goto(f"{base}/admin/episodes/episode/")
    row = page.locator("#result_list tbody tr", has_text=episode.title)
    return row.locator("td.field-state").text_content().strip()


def test_the_list_shows_an_episode_through_every_state(page, live_server, admin_user, tone):
    show = ShowFactory(slug="main", title="State Show", time_zone="America/New_York")
    for number in range(1, 8):  # neighbours with long titles: no horizontal overflow
        EpisodeFactory(show=show, number=number, title="A long title " * 12)
    episode = EpisodeFactory(show=show, number=9, title="Moving through states")
    page.set_viewport_size({"width": 1280, "height": 900})
    base = live_server.url
    page.goto(f"{base}/admin/login/?next=/admin/episodes/episode/")
    page.fill("#id_username", "admin")
    page.fill("#id_password", "password")
    page.click("input[type=submit]")
    page.wait_for_url("**/admin/episodes/episode/")

    assert state_cell(page, base, episode) == "Draft"
    Episode.objects.filter(pk=episode.pk).update(
        publish_at=dt.datetime(2031, 6, 1, 13, 0, tzinfo=dt.UTC)
    )
    assert state_cell(page, base, episode) == "Scheduled for 2031-06-01 09:00 EDT"
    Episode.objects.filter(pk=episode.pk).update(publish_at=timezone.now() - dt.timedelta(hours=1))
    assert state_cell(page, base, episode) == "Waiting for audio"
    episode.refresh_from_db()
    with_served_audio(episode, tone)
    assert state_cell(page, base, episode) == "Live"
    transcript = Transcript.objects.create(episode=episode, status="review")
    assert state_cell(page, base, episode) == "Transcript needs review"
    transcript.delete()
    Episode.objects.filter(pk=episode.pk).update(
        audio_status="failed", audio_error="the file is empty"
    )
    assert state_cell(page, base, episode) == "Audio failedthe file is empty"  # <br> between

    overflow = page.evaluate("() => document.documentElement.scrollWidth")
    assert overflow <= 1280, f"the page is {overflow} px wide at 1280 px"
    table = page.evaluate(
        "() => { const box = document.querySelector('#changelist .results');"
        " return [box.scrollWidth, box.clientWidth]; }"
    )
    assert table[0] <= table[1], f"the table ({table[0]} px) scrolls in its {table[1]} px box"
    assert page.locator("td.field-duration").first.is_visible()
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=SCREENSHOTS / "episode-list-1280.png", full_page=True)

    page.get_by_role("link", name="Audio failed").click()
    page.wait_for_url("**?state=failed")
    rows = page.locator("#result_list tbody tr")
    assert rows.count() == 1 and "Moving through states" in rows.first.text_content()


def test_the_form_and_its_links_inline_fit_1280_px(page, live_server, admin_user):
    from tests.factories import ShowNoteLinkFactory

    episode = EpisodeFactory(show=ShowFactory(slug="main"), number=3, title="Links galore")
    long_url = "https://example.com/" + "a-very-long-path-segment/" * 12
    ShowNoteLinkFactory(episode=episode, position=1, title="A title " * 10, url=long_url,
                        description="Words " * 60)  # fmt: skip
    page.set_viewport_size({"width": 1280, "height": 900})
    page.goto(f"{live_server.url}/admin/episodes/episode/{episode.pk}/change/")
    page.fill("#id_username", "admin")
    page.fill("#id_password", "password")
    page.click("input[type=submit]")
    page.wait_for_selector("#links-group")
    assert page.evaluate("() => document.documentElement.scrollWidth") <= 1280
    inline = page.evaluate(
        "() => { const box = document.querySelector('#links-group .tabular');"
        " return [box.scrollWidth, box.clientWidth]; }"
    )
    assert inline[0] <= inline[1], f"the links inline ({inline[0]} px) overflows {inline[1]} px"
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=SCREENSHOTS / "episode-form-1280.png", full_page=True)


# --- the Podcasting 2.0 sections ----------------------------------------------------------------

WIDTHS = {"1280": (1280, 900), "390": (390, 844)}
# The show form's namespace fieldsets (by their heading) and inlines (by their group id).
SHOW_SECTIONS = {
    "license-location": "fieldset:has(h2:text('podcast:license'))",
    "update-frequency": "fieldset:has(h2:text('podcast:updateFrequency'))",
    "value": "fieldset:has(h2:text('Value for value'))",
    "txt": "#txts-group",
    "podroll": "#podroll-group",
    "value-recipients": "#value_recipients-group",
}
EPISODE_SECTIONS = {
    "social-interact": "#social_interacts-group",
    "value-recipients": "#value_recipients-group",
}


@pytest.fixture
def namespace_rows(transactional_db):
    """The demo's Podcasting 2.0 rows on a show, one episode and a live item."""
    from episodes.demo import load_live_item
    from episodes.demo_namespace import EPISODE_TAGS, SHOW_TAGS, load_episode_tags, load_show_tags

    show = ShowFactory(slug="main", title="Namespace Show", **SHOW_TAGS)
    load_show_tags(show)
    episode = EpisodeFactory(show=show, number=1, title="Tagged", **EPISODE_TAGS[2])
    load_episode_tags(episode)  # the demo's social threads are on its episode 1
    episode.number = 2
    load_episode_tags(episode)  # and its value recipients on episode 2
    load_live_item(show)
    return show, episode, show.live_items.get()


def right_edge(section) -> int:
    """Where the section ends on the page, in px: an inline may scroll inside itself."""
    return section.evaluate("e => Math.round(e.getBoundingClientRect().right)")


@pytest.mark.parametrize("width", WIDTHS)
def test_the_podcasting_2_sections_fit_both_widths(
    page, live_server, admin_user, namespace_rows, width
):
    show, episode, live = namespace_rows
    page.set_viewport_size(dict(zip(("width", "height"), WIDTHS[width], strict=True)))
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    pages = [
        ("show", f"/admin/episodes/show/{show.pk}/change/", SHOW_SECTIONS),
        ("episode", f"/admin/episodes/episode/{episode.pk}/change/", EPISODE_SECTIONS),
        ("live-item", f"/admin/episodes/liveitem/{live.pk}/change/", {"form": "#liveitem_form"}),
    ]
    log_in_at(page, live_server.url, pages[0][1])  # then each page in turn
    for kind, path, sections in pages:
        page.goto(live_server.url + path)
        for name, selector in sections.items():
            section = page.locator(selector)
            section.scroll_into_view_if_needed()
            section.screenshot(path=SCREENSHOTS / f"p20-{kind}-{name}-{width}.png")
            right = right_edge(section)
            assert right <= WIDTHS[width][0], f"{kind} {name}: ends at {right} px"
        headings = page.locator("fieldset.module h2").all_inner_texts()
        assert not [h for h in headings if ")s" in h.lower()], f"a broken plural: {headings}"
        overflow = page.evaluate(
            "[document.documentElement.scrollWidth, document.documentElement.clientWidth]"
        )
        assert overflow[0] <= overflow[1], f"the {kind} page overflows sideways: {overflow}"
