"""`manage.py import_feed --wait` on real feeds from a local old host, with a real worker."""

from collections import Counter
from io import StringIO

import pytest
from django.conf import settings
from django.core.management import CommandError, call_command

from episodes.models import Episode, Show
from tests.episodes.importing import feedhost
from tests.episodes.importing.feedhost import expected_items
from transcripts.models import Transcript

pytestmark = pytest.mark.integration

# (feed, items without an enclosure, which --wait names as failures)
FEEDS = [
    ("podcast-namespace/example.xml", 0),
    ("partytime/themnshow.xml", 0),
    ("partytime/pc20rss.xml", 0),
    ("partytime/dk-podcast.xml", 0),
    ("partytime/sentimental-garbage.xml", 0),
    ("partytime/no-agenda.xml", 0),
    ("rss-parser/giantbomb-podcast.rss", 0),
    ("rss-parser/itunes-missing-image.rss", 0),
    ("rss-parser/heraldsun.rss", 0),
    ("lukaswhite-podcast-feed-parser/serial.rss", 0),
    ("feedjira/CRE.xml", 0),
    ("feedjira/itunes.xml", 0),
    ("feed-rs/rss_2.0_nightvale.xml", 0),
    ("feed-rs/rss_2.0_relurl_2.xml", 0),
    ("feed-rs/atom_relative.xml", 1),
    ("feedparser/atom10.xml", 0),
    ("node-feedparser/iconv.xml", 0),
    ("node-feedparser/mediacontent-dupes.xml", 0),
    ("node-feedparser/rss-with-relative-urls.xml", 2),
]


host = feedhost.host  # the old host, a fixture


@pytest.fixture(autouse=True)
def worker_may_fetch_from_the_old_host(monkeypatch):
    # The worker is another process: it reads the setting from its environment.
    monkeypatch.setenv("PODCAST_IMPORT_ALLOWED_NETWORKS", "127.0.0.0/8")


def import_feed(*args: str) -> str:
    out = StringIO()
    call_command("import_feed", *args, stdout=out)
    return out.getvalue()


@pytest.mark.parametrize(("name", "without_audio"), FEEDS)
def test_a_real_feed_moves_here_with_its_guids_numbers_and_dates(
    worker_factory, host, name, without_audio
):
    worker_factory(settings.CELERY_BROKER_URL)
    url = host.serve_file(name)
    args = (url, "--i-own-this-feed", "--publish", "--wait", "--timeout", "900")
    if without_audio:
        with pytest.raises(CommandError, match=f"{without_audio} failed") as failed:
            import_feed(*args)
        assert "the feed gives no enclosure for this item" in str(failed.value)
    else:
        out = import_feed(*args)
        assert "Old host: redirect" in out
    expected = expected_items(host.shared / "feeds" / name)
    show = Show.objects.get()
    episodes = list(show.episodes.all())
    repeated = sum(n - 1 for n in Counter(e.guid for e in expected if e.guid).values())
    assert len(episodes) == len(expected) - repeated
    by_guid = {e.imported_guid: e for e in episodes}
    for item in expected:
        if item.guid is None:
            continue
        episode = by_guid[item.guid]
        if item.number is not None and not repeated_number(expected, item.number):
            assert episode.number == item.number, item.guid
        if item.published is not None:
            assert episode.import_items.get().published_at == item.published, item.guid
            if episode.audio:
                assert episode.publish_at == item.published, item.guid
    published = Episode.objects.published().filter(show=show).count()
    assert published == len(episodes) - without_audio
    rerun = import_feed(url, "--i-own-this-feed")
    assert "New episodes: 0." in rerun
    assert show.episodes.count() == len(episodes)


def repeated_number(expected, number: int) -> bool:
    return sum(1 for item in expected if item.number == number) > 1


def test_transcripts_and_chapters_come_through_the_normal_pipelines(worker_factory, host):
    worker_factory(settings.CELERY_BROKER_URL)
    url = host.serve_file("podcast-namespace/example.xml")
    import_feed(url, "--i-own-this-feed", "--wait", "--timeout", "120")
    episode = Episode.objects.get(imported_guid="https://example.com/ep0003")
    transcript = Transcript.objects.get(episode=episode)
    # The real transcript is an hour long and the test MP3 two seconds: the build is kept
    # for an editor's review (segments past the audio), which proves it went through.
    assert transcript.status in ("ready", "review"), transcript.error
    assert transcript.report["segments_made"] > 10
    assert episode.chapters.count() > 0
    assert episode.publish_at is None  # nothing public until published


def test_a_locked_feed_is_refused_without_proof_of_ownership(worker_factory, host):
    worker_factory(settings.CELERY_BROKER_URL)
    url = host.serve_file("partytime/pc20rss.xml")
    with pytest.raises(CommandError, match="adam@curry.com"):
        import_feed(url)
    assert Show.objects.count() == 0
