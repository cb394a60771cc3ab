"""Importing a show from its feed: the plan, the drafts, the worker's half called directly."""

import logging

import pytest
from django.contrib.auth import get_user_model
from django.core.management import CommandError, call_command

from episodes.importing import media
from episodes.importing.models import FeedImport, ImportedEpisode
from episodes.importing.services import (
    ImportRefused,
    import_feed,
    plan_import,
    publish_import,
)
from episodes.models import Episode, Show
from transcripts.models import Transcript

pytestmark = pytest.mark.django_db


def run(url: str, **options) -> FeedImport:
    plan, _ = plan_import(url=url, show_slug=options.pop("show_slug", ""))
    return import_feed(plan=plan, **options)


def test_a_dry_run_reports_and_creates_nothing(host):
    url = host.serve_file("feedjira/itunes.xml")
    plan, show = plan_import(url=url)
    assert show is None
    assert plan.summary()[:2] == [
        f"Read {url}: 'All About Everything', 3 items.",
        "New episodes: 3. Already here (matched by guid): 0.",
    ]
    assert (Show.objects.count(), Episode.objects.count()) == (0, 0)


def test_the_import_creates_draft_episodes_with_the_feeds_guids_and_numbers(
    host, django_capture_on_commit_callbacks
):
    url = host.serve_file("feedjira/itunes.xml")
    with django_capture_on_commit_callbacks() as sent:
        feed_import = run(url, i_own_this_feed=False)
    show = feed_import.show
    assert (show.slug, show.imported_from) == ("all-about-everything", url)
    episodes = {e.imported_guid: e for e in show.episodes.all()}
    assert {guid: e.number for guid, e in episodes.items()} == {
        "http://example.com/podcasts/archive/aae20050615.m4a": 3,
        "http://example.com/podcasts/archive/aae20050608.mp3": 2,
        "http://example.com/podcasts/archive/aae20050601.mp3": 1,
    }
    assert all(e.publish_at is None for e in episodes.values())
    assert not Episode.objects.published().exists()
    # One download per item, and the show's artwork, each sent after commit.
    assert len(sent) == 3 + 1
    assert "New episodes: 3." in feed_import.report


def test_a_second_run_adds_nothing(host):
    url = host.serve_file("partytime/dk-podcast.xml")
    run(url)
    plan, show = plan_import(url=url)
    assert (len(plan.new), len(plan.existing)) == (0, 59)
    again = import_feed(plan=plan)
    assert again.created == 0 and show.episodes.count() == 59


def test_new_items_of_a_later_run_are_added_after_the_existing_ones(host):
    feed = (host.shared / "feeds/feedjira/itunes.xml").read_bytes()
    first_item_ends = feed.index(b"</item>") + len(b"</item>")
    start = feed.index(b"<item>")
    older = feed[:start] + feed[first_item_ends:]  # without the newest item
    run(host.serve(older))
    feed_import = run(host.serve(feed))
    assert feed_import.created == 1
    assert feed_import.show.episodes.count() == 3


def test_a_locked_feed_is_refused_unless_the_owner_imports_it(host, caplog):
    url = host.serve_file("podcast-namespace/example.xml")
    plan, _ = plan_import(url=url)
    with pytest.raises(ImportRefused, match="podcastowner@example.com"):
        import_feed(plan=plan, user_email="someone@example.org")
    assert Show.objects.count() == 0
    owner = get_user_model().objects.create(username="o", email="PodcastOwner@example.com")
    with caplog.at_level(logging.WARNING, logger="episodes.importing.services"):
        feed_import = import_feed(plan=plan, user=owner, user_email=owner.email)
    assert feed_import.created == 3
    assert "import of locked feed" in caplog.text
    show = feed_import.show
    assert str(show.podcast_guid) != "y0ur-gu1d-g035-h3r3"  # not a UUID: a new one, noted
    assert "podcast:guid 'y0ur-gu1d-g035-h3r3' is not a UUID" in feed_import.report
    assert list(show.funding_links.values_list("url", flat=True)) == ["https://example.com/donate"]
    episode = show.episodes.get(imported_guid="https://example.com/ep0003")
    credits = {(c.person.name, c.role) for c in episode.credits.select_related("person")}
    assert credits == {("Adam Curry", "host"), ("Dave Jones", "guest")}
    assert "Becky Smith (cover art designer)" in feed_import.report


def test_i_own_this_feed_imports_a_locked_feed_and_is_logged(host, caplog):
    url = host.serve_file("podcast-namespace/example.xml")
    with pytest.raises(CommandError, match="The feed is locked"):
        call_command("import_feed", url)
    with caplog.at_level(logging.WARNING, logger="episodes.importing.services"):
        call_command("import_feed", url, "--i-own-this-feed")
    assert "--i-own-this-feed" in caplog.text
    assert FeedImport.objects.get().owner_override


def test_the_worker_half_reads_audio_chapters_and_transcript(host):
    feed_import = run(host.serve_file("podcast-namespace/example.xml"), i_own_this_feed=True)
    item = feed_import.items.get(episode__imported_guid="https://example.com/ep0003")
    media.fetch_item_files(imported_id=item.pk)
    item.refresh_from_db()
    episode = item.episode
    assert (item.status, item.error) == ("ready", "")
    assert episode.audio_status == "ready" and episode.audio_duration > 0
    assert episode.chapters.filter(from_file=False).count() > 0
    assert Transcript.objects.get(episode=episode).status == "pending"
    assert episode.publish_at is None


def test_a_failed_enclosure_keeps_a_draft_with_the_reason_and_the_rest_goes_on(host):
    feed = (host.shared / "feeds/feedjira/itunes.xml").read_bytes()
    feed_import = run(host.serve(feed))
    first, second = feed_import.items.order_by("pk")[:2]
    ImportedEpisode.objects.filter(pk=first.pk).update(enclosure_url=host.server.url("/gone.mp3"))
    media.fetch_item_files(imported_id=first.pk)
    media.fetch_item_files(imported_id=second.pk)
    first.refresh_from_db()
    second.refresh_from_db()
    assert first.status == "failed" and "answered 404" in first.error
    assert "answered 404" in first.episode.audio_error
    assert second.status == "ready"
    assert publish_import(feed_import=feed_import) == 1
    assert list(Episode.objects.published()) == [second.episode]


def test_publishing_dates_episodes_as_the_old_feed_did_and_keeps_its_guids(host, client):
    feed_import = run(host.serve_file("feedjira/itunes.xml"), publish=True)
    for item in feed_import.items.all():
        media.fetch_item_files(imported_id=item.pk)
    episodes = Episode.objects.published()
    assert episodes.count() == 3
    dates = {e.imported_guid: e.publish_at.isoformat() for e in episodes}
    assert (
        dates["http://example.com/podcasts/archive/aae20050615.m4a"] == "2005-06-15T19:00:00+00:00"
    )
    feed = client.get(feed_import.show.reverse("rss")).content.decode()
    for guid in dates:
        assert f'<guid isPermaLink="false">{guid}</guid>' in feed


def test_a_private_feed_address_is_refused_by_default(host, settings):
    settings.PODCAST_IMPORT_ALLOWED_NETWORKS = []
    url = host.serve_file("feedjira/itunes.xml")
    with pytest.raises(CommandError, match="127.0.0.1 is a loopback address"):
        call_command("import_feed", url, "--dry-run")
    assert host.server.seen == []


def test_update_refreshes_matched_episodes_and_adds_none(host):
    feed = (host.shared / "feeds/feedjira/itunes.xml").read_bytes()
    run(host.serve(feed))
    renamed = feed.replace(b"Shake Shake Shake Your Spices", b"Shake It Again", 1)
    plan, _ = plan_import(url=host.serve(renamed))
    again = import_feed(plan=plan, update=True)
    assert again.created == 0 and "Updated: 3." in again.report
    assert Episode.objects.filter(title="Shake It Again").count() == 1


def test_two_imports_at_once_create_each_episode_once(host):
    url = host.serve_file("feedjira/itunes.xml")
    first, _ = plan_import(url=url)
    second, _ = plan_import(url=url)  # read before the first import created anything
    import_feed(plan=first)
    with pytest.raises(ImportRefused, match="Another import into this show ran at the same time"):
        import_feed(plan=second)
    assert Episode.objects.count() == 3
