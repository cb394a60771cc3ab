"""An editor's whole day in a real browser, with a real Celery worker doing the processing.

Log in, create an episode with an MP3, a transcript and two chapters, watch the
processing finish without reloading, share the preview link, publish, and find the
episode on the site, in the feed and on its transcript page; the MP3 the feed points
at carries the chapters and the cover.
"""

import io
from pathlib import Path
from urllib.parse import urlsplit

import podcastparser
import pytest
from django.conf import settings
from django.core.files.base import ContentFile
from mutagen.id3 import ID3, PictureType
from PIL import Image

from episodes.audio.reading import read_audio
from episodes.models import Episode
from tests.factories import ShowFactory
from tests.integration.conftest import Worker, purge, wait_for
from tests.missing import missing

pytestmark = pytest.mark.browser

SEED_TRANSCRIPT = Path("seed") / "pythonbytes-203-transcript-page.txt"
STATUS = "document.querySelector('[data-kind={kind}]')?.dataset.status"


@pytest.fixture
def worker(settings, tmp_path, transactional_db):
    """A real worker, started when the test says so; it shares the database and MEDIA_ROOT.

    Unlike worker_factory it does not purge the queue when it starts, so the test can
    queue work first and then watch the page pick up the worker's results.
    """
    media = tmp_path / "media"
    media.mkdir()
    settings.MEDIA_ROOT = media  # live_server runs in this process: it sees the same folder
    purge(settings.CELERY_BROKER_URL)
    worker = Worker(settings.CELERY_BROKER_URL, media, tmp_path / "worker.log")
    yield worker
    worker.stop()


def cover_jpeg() -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", (1400, 1400), "darkgreen").save(buffer, "JPEG")
    return buffer.getvalue()


def log_in(page, base: str) -> None:
    page.goto(f"{base}/admin/login/?next=/admin/episodes/episode/add/")
    page.fill("#id_username", "admin")
    page.fill("#id_password", "password")
    page.click("input[type=submit]")
    page.wait_for_url("**/admin/episodes/episode/add/")


def fill_new_episode(page, mp3: Path, transcript: Path) -> None:
    page.locator("#id_title").press_sequentially("Editors at work")  # keys drive the slug
    assert page.input_value("#id_slug") == "editors-at-work", "the slug is prefilled"
    page.fill("#id_show_notes", "Notes with **bold** words and [a link](https://example.com/).")
    page.wait_for_selector(".notes-preview strong", timeout=10_000)
    assert page.text_content(".notes-preview strong") == "bold"
    page.set_input_files("#id_new_audio", str(mp3))
    page.set_input_files("#id_transcript_file", str(transcript))
    add_row = page.locator("#chapters-group .add-row a")
    for i, (start, title, url) in enumerate(
        [("0", "Welcome", "https://example.com/welcome"), ("3", "The main topic", "")]
    ):
        add_row.click()
        page.fill(f"#id_chapters-{i}-start", start)
        page.fill(f"#id_chapters-{i}-title", title)
        page.fill(f"#id_chapters-{i}-url", url)


def save_and_continue(page) -> None:
    page.click("input[name=_continue]")
    page.wait_for_url("**/change/")
    assert page.locator(".errornote").count() == 0, page.text_content("#content")


def test_an_editor_publishes_an_episode_end_to_end(
    page, browser, live_server, worker, admin_user, shared_data, tmp_path
):
    transcript = shared_data / SEED_TRANSCRIPT
    if not transcript.exists():
        missing(f"needs {transcript}")
    show = ShowFactory(slug="main", title="Editors Show", author="The Editors")
    show.artwork.save("cover.jpg", ContentFile(cover_jpeg()), save=True)
    # A real MP3 from another project's tests (3.74 s, ID3 tags of its own to replace).
    mp3 = tmp_path / "episode.mp3"
    mp3.write_bytes((shared_data / "mp3" / "mutagen" / "silence-44-s.mp3").read_bytes())
    base = live_server.url
    errors: list[str] = []
    page.on("pageerror", lambda error: errors.append(str(error)))

    log_in(page, base)
    fill_new_episode(page, mp3, transcript)
    save_and_continue(page)
    episode = Episode.objects.get(slug="editors-at-work")
    assert page.evaluate(STATUS.format(kind="audio")) == "pending"

    # Nothing is processed until the worker starts; the page must notice it on its own.
    page.evaluate("() => { window.notReloaded = true; }")
    worker.start()
    # The seed transcript runs to 40:41 and the MP3 to 3.74 s: once the audio is measured,
    # the build waits for review, its report on the form, until the editor accepts it.
    page.wait_for_function(
        f"() => {STATUS.format(kind='audio')} === 'ready'"
        f" && {STATUS.format(kind='transcript')} === 'review'",
        timeout=60_000,
    )
    assert page.evaluate("() => window.notReloaded") is True, "the page was reloaded"
    assert "version 1" in page.text_content(".episode-status")
    assert "after the end of the audio (00:03)" in page.text_content(".import-report")
    page.get_by_role("button", name="Accept this build and publish it").click()
    page.wait_for_url("**/change/")
    assert "Accepted with" in page.text_content("[data-kind=transcript]")

    # Anyone with the preview link sees the draft; nobody else does.
    preview = urlsplit(page.get_attribute("a.preview-link", "href"))
    stranger = browser.new_context()
    try:
        visit = stranger.new_page()
        assert visit.goto(f"{base}{preview.path}?{preview.query}").status == 200
        assert "Editors at work" in visit.text_content("h1")
        assert visit.goto(f"{base}{preview.path}").status == 404
    finally:
        stranger.close()

    page.check("#id_publishing_1")  # Publish now
    save_and_continue(page)
    assert wait_for(lambda: refreshed(episode).audio_version == 2), worker_log(worker)

    page.goto(f"{base}/")
    page.get_by_role("link", name="Editors at work").first.click()
    page.wait_for_url(f"**{episode.get_absolute_url()}")
    assert "?v=2" in page.get_attribute("#player", "src")

    feed = page.request.get(f"{base}/episodes/rss")
    parsed = podcastparser.parse(f"{base}/episodes/rss", io.BytesIO(feed.body()))
    (item,) = [e for e in parsed["episodes"] if e["title"] == "Editors at work"]
    enclosure = urlsplit(item["enclosures"][0]["url"])
    assert enclosure.query == "v=2", "the feed points at the tagged version"

    page.goto(f"{base}{episode.transcript_url()}")
    assert "Hello and welcome to Python Bytes" in page.text_content("article")

    audio = page.request.get(f"{base}{enclosure.path}?{enclosure.query}")
    assert audio.ok
    check_tags(audio.body(), show_cover=show.artwork, episode=refreshed(episode))
    assert errors == [], "no script failed on any page"


def check_tags(data: bytes, *, show_cover, episode: Episode) -> None:
    id3 = ID3(io.BytesIO(data))
    assert str(id3["TRCK"]) == str(episode.number)
    assert str(id3["TDRC"]) == episode.publish_at.date().isoformat()
    titles = sorted((c.start_time, str(c.sub_frames["TIT2"])) for c in id3.getall("CHAP"))
    assert titles == [(0, "Welcome"), (3000, "The main topic")]
    (cover,) = id3.getall("APIC")
    assert cover.type == PictureType.COVER_FRONT
    with show_cover.open("rb") as artwork:
        assert cover.data == artwork.read()
    info = read_audio(io.BytesIO(data))
    assert [c.url for c in info.chapters] == ["https://example.com/welcome", ""]
    assert info.title == "Editors at work" and info.album == "Editors Show"


def refreshed(episode: Episode) -> Episode:
    episode.refresh_from_db()
    return episode


def worker_log(worker: Worker) -> str:
    return worker.log.read_text(errors="replace")[-3000:] if worker.log.exists() else ""


def test_the_link_buttons_reorder_the_show_notes_links(page, live_server, admin_user, db):
    from tests.factories import EpisodeFactory, ShowNoteLinkFactory

    episode = EpisodeFactory(show=ShowFactory(slug="main"))
    ShowNoteLinkFactory(episode=episode, position=1, title="Alpha")
    ShowNoteLinkFactory(episode=episode, position=2, title="Beta")
    page.goto(f"{live_server.url}/admin/episodes/episode/{episode.pk}/change/")
    page.fill("#id_username", "admin")
    page.fill("#id_password", "password")
    page.click("input[type=submit]")
    page.locator("#links-group tr.form-row").nth(1).get_by_role("button", name="Move up").click()
    save_and_continue(page)
    assert [link.title for link in episode.links.all()] == ["Beta", "Alpha"]
    assert settings.MEDIA_ROOT  # the autouse media folder is in use
