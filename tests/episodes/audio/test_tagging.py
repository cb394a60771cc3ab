"""On publish the served MP3 gets the episode's ID3 tags, cover and chapters, as a new version."""

import datetime as dt
import io

import pytest
from django.core.files.base import ContentFile
from mutagen.id3 import ID3, PictureType
from PIL import Image

from episodes.audio.reading import read_audio
from episodes.audio.tagging import (
    episode_tags,
    switch_served_audio,
    tag_served_audio,
)
from episodes.audio.tones import tone_mp3
from episodes.models import Episode
from episodes.services import queue_audio_tagging, record_episode_change
from episodes.tasks import write_audio_tags
from tests.factories import ChapterFactory, ShowFactory, published_episode

pytestmark = pytest.mark.django_db


def jpeg(size: int = 1400, colour: str = "navy") -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", (size, size), colour).save(buffer, "JPEG")
    return buffer.getvalue()


@pytest.fixture(scope="module")
def six_seconds() -> bytes:
    return tone_mp3(6.0)


@pytest.fixture
def episode(six_seconds) -> Episode:
    show = ShowFactory(slug="main", title="Tag Show", author="Tag Host", time_zone="Asia/Tokyo")
    show.artwork.save("show.jpg", ContentFile(jpeg(colour="teal")), save=True)
    episode = published_episode(
        six_seconds,
        show=show,
        number=12,
        title="Tagged things",
        slug="tagged-things",
        publish_at=dt.datetime(2026, 5, 1, 20, 0, tzinfo=dt.UTC),  # May 2nd in Tokyo
    )
    ChapterFactory(episode=episode, start=0.0, title="Welcome", url="https://example.com/a")
    ChapterFactory(episode=episode, start=3.0, title="The news")
    return episode


def id3_of(episode: Episode) -> ID3:
    with episode.audio.open("rb") as audio:
        return ID3(audio)


def test_it_writes_titles_number_date_cover_and_chapters(episode):
    assert tag_served_audio(episode_id=episode.pk) is True
    episode.refresh_from_db()
    id3 = id3_of(episode)
    assert str(id3["TIT2"]) == "Tagged things" and str(id3["TALB"]) == "Tag Show"
    assert str(id3["TRCK"]) == "12" and str(id3["TDRC"]) == "2026-05-02"
    assert str(id3["TPE1"]) == "Tag Host"
    (cover,) = id3.getall("APIC")
    assert cover.type == PictureType.COVER_FRONT and cover.mime == "image/jpeg"
    with episode.show.artwork.open("rb") as artwork:
        assert cover.data == artwork.read()
    chapters = sorted(id3.getall("CHAP"), key=lambda c: c.start_time)
    assert [(c.start_time, str(c.sub_frames["TIT2"])) for c in chapters] == [
        (0, "Welcome"),
        (3000, "The news"),
    ]
    assert chapters[0].sub_frames.getall("WXXX")[0].url == "https://example.com/a"
    (toc,) = id3.getall("CTOC")
    assert toc.child_element_ids == [c.element_id for c in chapters]


def test_the_tagged_file_is_a_new_version_with_a_new_url_and_the_old_file_stays(episode):
    old_name, old_url = episode.audio.name, episode.download_url()
    tag_served_audio(episode_id=episode.pk)
    episode.refresh_from_db()
    assert episode.audio_version == 2 and episode.download_url() == f"{old_url}?v=2"
    assert episode.audio.name != old_name and episode.audio.name.endswith("-v2.mp3")
    assert episode.audio.storage.exists(old_name)
    assert episode.audio_size == episode.audio.size


def test_our_reader_sees_the_chapters_and_the_episode_artwork_first(episode):
    episode.artwork.save("episode.jpg", ContentFile(jpeg(colour="maroon")), save=True)
    tag_served_audio(episode_id=episode.pk)
    episode.refresh_from_db()
    with episode.audio.open("rb") as audio:
        info = read_audio(audio)
    assert [(c.start, c.title, c.url) for c in info.chapters] == [
        (0.0, "Welcome", "https://example.com/a"),
        (3.0, "The news", ""),
    ]
    with episode.artwork.open("rb") as artwork:
        assert info.cover.data == artwork.read() and info.cover.picture_type == 3
    assert 5.9 < info.duration < 6.2


def test_running_it_again_makes_no_further_version(episode):
    assert tag_served_audio(episode_id=episode.pk) is True
    assert tag_served_audio(episode_id=episode.pk) is False
    write_audio_tags(episode.pk)  # the task: same service, same outcome
    episode.refresh_from_db()
    assert episode.audio_version == 2


def test_an_edit_that_changes_the_tags_makes_the_next_version(episode):
    tag_served_audio(episode_id=episode.pk)
    ChapterFactory(episode=episode, start=5.0, title="Goodbye")
    assert tag_served_audio(episode_id=episode.pk) is True
    episode.refresh_from_db()
    assert episode.audio_version == 3
    assert [c.title for c in episode_tags(episode).chapters] == ["Welcome", "The news", "Goodbye"]


def test_drafts_m4a_and_missing_episodes_are_left_alone(episode):
    Episode.objects.filter(pk=episode.pk).update(publish_at=None)
    assert tag_served_audio(episode_id=episode.pk) is False
    Episode.objects.filter(pk=episode.pk).update(
        publish_at=dt.datetime(2026, 1, 1, tzinfo=dt.UTC), audio_mime_type="audio/x-m4a"
    )
    assert tag_served_audio(episode_id=episode.pk) is False
    write_audio_tags(999_999)  # gone: returns quietly
    episode.refresh_from_db()
    assert episode.audio_version == 1


def test_it_is_queued_only_for_a_published_or_scheduled_mp3(
    episode, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks() as callbacks:
        queue_audio_tagging(episode=episode)
    assert len(callbacks) == 1
    episode.publish_at = None
    with django_capture_on_commit_callbacks() as callbacks:
        queue_audio_tagging(episode=episode)
    assert callbacks == []


def test_every_recorded_change_of_a_published_episode_queues_it(
    episode, django_capture_on_commit_callbacks
):
    from tests.episodes.test_admin_views import queued_tasks

    with django_capture_on_commit_callbacks() as callbacks:
        record_episode_change(episode=episode)
    assert "write_audio_tags" in queued_tasks(callbacks)


def test_the_tagging_does_not_queue_anything_itself(episode, django_capture_on_commit_callbacks):
    from tests.episodes.test_admin_views import queued_tasks

    with django_capture_on_commit_callbacks() as callbacks:
        tag_served_audio(episode_id=episode.pk)
    assert queued_tasks(callbacks) == [], "tagging must not start extraction or itself again"


def test_new_audio_served_meanwhile_wins(episode, tmp_path, django_capture_on_commit_callbacks):
    stale = Episode.objects.get(pk=episode.pk)
    # The worker serves a new upload while this task is writing its tagged copy.
    Episode.objects.filter(pk=episode.pk).update(audio="audio/main/other.mp3", audio_version=5)
    tagged = tmp_path / "tagged.mp3"
    tagged.write_bytes(b"tagged bytes")
    with django_capture_on_commit_callbacks(execute=True):
        assert switch_served_audio(episode=stale, path=tagged) is False
    episode.refresh_from_db()
    assert episode.audio.name == "audio/main/other.mp3" and episode.audio_version == 5
    assert not episode.audio.storage.exists(stale.served_audio_name()), "our copy is removed"


def test_audio_becoming_ready_for_a_published_episode_queues_the_tagging_once(
    six_seconds, django_capture_on_commit_callbacks
):
    from episodes.services import process_audio, store_audio_upload
    from tests.episodes.test_admin_views import queued_tasks
    from tests.factories import EpisodeFactory

    episode = EpisodeFactory(publish_at=dt.datetime(2026, 1, 1, tzinfo=dt.UTC))
    store_audio_upload(episode=episode, upload=ContentFile(six_seconds, name="up.mp3"))
    with django_capture_on_commit_callbacks() as callbacks:
        process_audio(episode_id=episode.pk)
    assert "write_audio_tags" in queued_tasks(callbacks)
    assert tag_served_audio(episode_id=episode.pk) is True
    # Extraction run again on the same upload keeps serving the tagged version.
    process_audio(episode_id=episode.pk)
    assert tag_served_audio(episode_id=episode.pk) is False
    episode.refresh_from_db()
    assert episode.audio_version == 2 and episode.audio_status == "ready"
