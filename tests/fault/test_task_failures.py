"""Every Celery task ends in a final state with a reason: a forced, real failure for each.

Each task is run in this process with .apply(), as a worker runs it, retries (without
their countdown) and on_failure included; the failures are real ones (a file gone from
storage, a hub that refuses connections, a setting out of range, text the database
refuses), never a mock of our code. A task added without a case here fails the walk.
"""

import contextlib
import json
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from django.core.files.base import ContentFile
from django.db import connection
from django.utils import timezone

from episodes.demoart import cover_jpeg
from episodes.importing.models import FeedImport, ImportedEpisode
from episodes.models import Episode
from episodes.services import store_audio_upload
from episodes.tasks import write_audio_tags
from podcast.celery import app
from podcast.failures import RecordedTask
from podcast.models import QueuedWork, TaskFailure
from podcast.queue import send_queued_work
from tests.factories import EpisodeFactory, published_episode
from tests.integration.test_fault_tolerance import another_session
from transcripts.models import Transcript
from transcripts.services import store_transcript_source
from transcripts.tasks import build_transcript

pytestmark = [pytest.mark.django_db, pytest.mark.postgres]
CLOSED_REDIS = "redis://127.0.0.1:1/0"  # nothing listens on port 1


def audio_upload_gone(tone, settings) -> tuple[tuple, Callable[[], str]]:
    episode = EpisodeFactory()
    store_audio_upload(episode=episode, upload=ContentFile(tone, name="upload.mp3"))
    (settings.MEDIA_ROOT / "audio").write_bytes(b"")  # a file where the served folder goes

    def state() -> str:
        episode.refresh_from_db()
        return episode.audio_status

    return (episode.pk,), state


def transcript_source_gone(tone, settings) -> tuple[tuple, Callable[[], str]]:
    transcript = store_transcript_source(episode=EpisodeFactory(), text="00:00:01 hello\n")
    transcript.source_file.storage.delete(transcript.source_file.name)

    def state() -> str:
        transcript.refresh_from_db()
        return transcript.status

    return (transcript.pk,), state


def served_audio_gone(tone, settings) -> tuple[tuple, Callable[[], str]]:
    episode = published_episode(tone)
    episode.audio.storage.delete(episode.audio.name)
    return (episode.pk,), lambda: "failed"  # only the failure record says so


def pinged_state(row, claim: str) -> Callable[[], str]:
    """ "pinged" once the task's claim field is set, else "failed"."""

    def state() -> str:
        row.refresh_from_db()
        return "pinged" if getattr(row, claim) else "failed"

    return state


def hub_refusing(tone, settings) -> tuple[tuple, Callable[[], str]]:
    settings.PODCAST_WEBSUB_HUB = "http://127.0.0.1:1/"  # nothing listens on port 1
    episode = published_episode(tone)
    return (episode.pk,), pinged_state(episode, "websub_pinged_at")


def podping_refusing(tone, settings) -> tuple[tuple, Callable[[], str]]:
    settings.PODCAST_PODPING_URL = "http://127.0.0.1:1/"  # nothing listens on port 1
    episode = published_episode(tone)
    return (episode.pk,), pinged_state(episode, "podping_pinged_at")


def live_podping_refusing(tone, settings) -> tuple[tuple, Callable[[], str]]:
    settings.PODCAST_PODPING_URL = "http://127.0.0.1:1/"
    show = published_episode(tone).show
    live = show.live_items.create(
        title="Live", status="live", start=timezone.now(), content_url="https://youtube.com/x"
    )
    return (live.pk,), pinged_state(live, "podping_live_at")


def sweep_period_out_of_range(tone, settings) -> tuple[tuple, Callable[[], str]]:
    settings.PODCAST_REQUEUE_AFTER_MINUTES = 10**12  # past what a timedelta holds
    return (), lambda: "failed"


def raw_days_out_of_range(tone, settings) -> tuple[tuple, Callable[[], str]]:
    settings.PODCAST_ANALYTICS_RAW_DAYS = 10**12
    return (), lambda: "failed"


def analytics_buffer_unreachable(tone, settings) -> tuple[tuple, Callable[[], str]]:
    settings.PODCAST_ANALYTICS_REDIS_URL = CLOSED_REDIS
    return (), lambda: "failed"


def imported_item_with_bad_transcript_links(tone, settings) -> tuple[tuple, Callable[[], str]]:
    episode = EpisodeFactory()
    feed = FeedImport.objects.create(show=episode.show, url="https://feeds.example.com/rss")
    # A transcripts list as a broken reader or a hand edit might leave it: not links.
    item = ImportedEpisode.objects.create(feed_import=feed, episode=episode, transcripts=[42])

    def state() -> str:
        item.refresh_from_db()
        return item.status

    return (item.pk,), state


def show_artwork_url_not_text(tone, settings) -> tuple[tuple, Callable[[], str]]:
    show = EpisodeFactory().show
    feed = FeedImport.objects.create(show=show, url="https://feeds.example.com/rss")
    return (feed.pk, 42), lambda: "failed"


def art_folder_blocked(owner) -> None:
    owner.artwork.save("cover.jpg", ContentFile(cover_jpeg("Cover")), save=True)
    media_root = Path(owner.artwork.storage.location)
    (media_root / "art").write_bytes(b"")  # a file where the page copies' folder goes


def show_art_storage_blocked(tone, settings) -> tuple[tuple, Callable[[], str]]:
    show = EpisodeFactory().show
    art_folder_blocked(show)
    return (show.pk,), lambda: "failed"


def episode_art_storage_blocked(tone, settings) -> tuple[tuple, Callable[[], str]]:
    episode = EpisodeFactory()
    art_folder_blocked(episode)
    return (episode.pk,), lambda: "failed"


@contextlib.contextmanager
def queued_work_table_refused() -> Iterator[None]:
    """The database refuses the table: renamed away (SQLite), locked by another session (PG)."""
    if connection.vendor == "sqlite":
        with connection.cursor() as cursor:
            cursor.execute("ALTER TABLE podcast_queuedwork RENAME TO podcast_queuedwork_away")
        yield
        with connection.cursor() as cursor:
            cursor.execute("ALTER TABLE podcast_queuedwork_away RENAME TO podcast_queuedwork")
        return
    with another_session(connection.settings_dict["NAME"]) as other:
        other.execute("LOCK TABLE podcast_queuedwork IN ACCESS EXCLUSIVE MODE")
        with connection.cursor() as cursor:
            cursor.execute("SET lock_timeout = '200ms'")
        yield
        other.rollback()
        with connection.cursor() as cursor:
            cursor.execute("RESET lock_timeout")


def media_folder_unreadable(tone, settings) -> tuple[tuple, Callable[[], str]]:
    (settings.MEDIA_ROOT / "audio").write_bytes(b"")  # a file where a folder is listed
    return (), lambda: "failed"


def versions_map_garbled(tone, settings) -> tuple[tuple, Callable[[], str]]:
    episode = published_episode(tone)
    # A version map as a bad hand edit could leave it: a key that is no version number.
    Episode.objects.filter(pk=episode.pk).update(audio_version=2, audio_files={"two": "x.mp3"})
    return (), lambda: "failed"


CASES = {
    "episodes.tasks.prune_audio_versions": versions_map_garbled,
    "podcast.tasks.remove_orphan_files": media_folder_unreadable,
    "podcast.queue.send_queued_work": None,  # its own test below: the database refuses it
    "episodes.tasks.make_show_page_art": show_art_storage_blocked,
    "episodes.tasks.make_episode_page_art": episode_art_storage_blocked,
    "analytics.tasks.aggregate_events": analytics_buffer_unreachable,
    "analytics.tasks.expire_analytics": raw_days_out_of_range,
    "episodes.importing.tasks.fetch_imported_episode": imported_item_with_bad_transcript_links,
    "episodes.importing.tasks.fetch_show_artwork": show_artwork_url_not_text,
    "episodes.tasks.extract_audio_metadata": audio_upload_gone,
    "transcripts.tasks.build_transcript": transcript_source_gone,
    "episodes.tasks.write_audio_tags": served_audio_gone,
    "episodes.tasks.ping_websub_hub": hub_refusing,
    "episodes.tasks.send_episode_podping": podping_refusing,
    "episodes.tasks.send_live_podping": live_podping_refusing,
    "episodes.tasks.make_opus_rendition": served_audio_gone,
    "podcast.queue.requeue_stuck_work": sweep_period_out_of_range,
}


def our_tasks() -> list[str]:
    app.loader.import_default_modules()
    return sorted(name for name in app.tasks if not name.startswith("celery."))


def test_every_task_has_a_forced_failure_case_here() -> None:
    missing = set(our_tasks()) - set(CASES)
    assert not missing, f"add a failure case to CASES for {sorted(missing)}"


def test_every_task_records_its_failures() -> None:
    for name in our_tasks():
        assert isinstance(app.tasks[name], RecordedTask), name


@pytest.mark.parametrize("name", sorted(name for name, case in CASES.items() if case))
def test_a_failing_task_ends_failed_with_the_reason(name, tone, settings, media_root, caplog):
    args, state = CASES[name](tone, settings)
    result = app.tasks[name].apply(args)
    assert result.failed()
    assert state() == "failed"
    failure = TaskFailure.objects.get(task=name)
    assert failure.arguments == json.loads(json.dumps(list(args)))
    assert "gave up after" in failure.reason and type(result.result).__name__ in failure.reason
    logged = [r for r in caplog.records if r.name == "podcast.failures"]
    assert len(logged) == 1 and "\n" not in logged[0].getMessage()


@pytest.mark.django_db(transaction=True)  # as in a worker: no test transaction to abort
def test_sending_queued_work_the_database_refuses_is_recorded() -> None:
    with queued_work_table_refused():
        result = send_queued_work.apply()
    assert result.failed()
    failure = TaskFailure.objects.get(task="podcast.queue.send_queued_work")
    assert "OperationalError" in failure.reason


def test_a_queued_row_no_send_can_take_is_recorded_and_the_rest_sent() -> None:
    QueuedWork.objects.create(task="episodes.tasks.write_audio_tags", arguments={"not": "a list"})
    assert send_queued_work.apply().get() == 0
    assert not QueuedWork.objects.exists()
    assert "TypeError" in TaskFailure.objects.get(task="episodes.tasks.write_audio_tags").reason


def test_the_failed_state_names_the_reason_for_editors(tone, settings, media_root) -> None:
    args, state = transcript_source_gone(tone, settings)
    build_transcript.apply(args)
    transcript = Transcript.objects.get(pk=args[0])
    assert transcript.status == "failed"
    assert "FileNotFoundError" in transcript.error


def test_a_nul_in_a_json_transcript_never_leaves_it_processing(tone) -> None:
    # PostgreSQL refuses NUL in text; either the reader drops it or the build fails with
    # the database's reason. Never "processing" for ever, retried by every sweep.
    source = json.dumps({"segments": [{"startTime": 0, "endTime": 1, "body": "a\u0000b"}]})
    episode = EpisodeFactory()
    transcript = store_transcript_source(episode=episode, text=source)
    transcript.source_file.save("t.json", ContentFile(source.encode()), save=True)
    build_transcript.apply((transcript.pk,))
    transcript.refresh_from_db()
    assert transcript.status in {"ready", "failed"}
    if transcript.status == "failed":
        assert "NUL" in transcript.error or "0x00" in transcript.error, transcript.error
    elif connection.vendor == "postgresql":
        assert "\x00" not in "".join(transcript.segments.values_list("text", flat=True))


def test_a_failure_keeps_the_audio_served(tone, settings, media_root) -> None:
    episode = published_episode(tone)
    served = episode.audio.name
    episode.audio.storage.delete(served)
    write_audio_tags.apply((episode.pk,))
    assert Episode.objects.get(pk=episode.pk).audio.name == served
