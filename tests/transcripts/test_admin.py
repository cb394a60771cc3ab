"""The editors' side of transcripts: the Transcript admin and the episode admin's transcript."""

import datetime as dt

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from episodes import search
from tests.episodes.test_admin_editing import errors_of, post_change
from tests.episodes.test_admin_views import queued_tasks
from tests.factories import published_episode
from tests.formdata import admin_form_data
from transcripts.models import Transcript
from transcripts.services import MAX_TRANSCRIPT_BYTES, process_transcript, store_transcript_source

TEXT = b"00:00 KENNEDY: Hi.\n\n00:03 KENNEDY: Still me.\n\n00:05 OKKEN: Hello.\n\n00:07 OKKEN: Bye capybaras.\n"


# Long enough for the sample transcripts' times (1:02:03): none is past the end.
HOURS = 4 * 3600.0


@pytest.fixture
def episode(db, tone):
    return published_episode(tone, number=5, duration=HOURS)


@pytest.fixture
def transcript(episode) -> Transcript:
    transcript = store_transcript_source(episode=episode, upload=SimpleUploadedFile("t.txt", TEXT))
    process_transcript(transcript_id=transcript.pk)
    transcript.refresh_from_db()
    return transcript


def change_url(transcript: Transcript) -> str:
    return reverse("admin:transcripts_transcript_change", args=[transcript.pk])


def change(client, transcript: Transcript, **fields):
    form = admin_form_data(client.get(change_url(transcript)).content.decode())
    form.update(fields)
    return client.post(change_url(transcript), form, follow=True)


def test_an_editor_renames_a_mislabelled_speaker_in_one_step(admin_client, transcript):
    response = change(admin_client, transcript, rename_from="KENNEDY", rename_to="Michael Kennedy")
    assert (
        "Renamed &#x27;KENNEDY&#x27; to &#x27;Michael Kennedy&#x27; in 2 segments"
        in response.content.decode()
    )
    assert set(transcript.segments.values_list("speaker", flat=True)) == {
        "Michael Kennedy",
        "OKKEN",
    }


def test_a_failed_transcript_shows_each_problem_once_with_its_line(admin_client, transcript):
    bad = b"Title\n\n00:01 --> soon\n"
    transcript.source_file.save("bad.srt", SimpleUploadedFile("bad.srt", bad))
    process_transcript(transcript_id=transcript.pk)
    body = admin_client.get(change_url(transcript)).content.decode()
    transcript.refresh_from_db()
    assert transcript.status == "failed"
    assert "<li>line 1: no cue timing (&#x27;--&gt;&#x27;) for this text</li>" in body
    assert (
        "<li>line 3: malformed cue timing; expected 00:00:01.000 --&gt; 00:00:04.000</li>" in body
    )
    assert "line 1: line 1:" not in body
    assert transcript.source_file.name.endswith(".srt"), "the uploaded file is kept"


def test_a_failed_rebuild_says_listeners_keep_the_last_good_build(admin_client, transcript):
    transcript.source_file.save("bad.json", SimpleUploadedFile("bad.json", b'{"segments": 1}'))
    process_transcript(transcript_id=transcript.pk)
    body = admin_client.get(change_url(transcript)).content.decode()
    assert "the last good build, made" in body
    assert "json: read 1 line, made 0 segments" in body


def test_the_report_lists_warnings_of_a_good_build(admin_client, episode):
    upload = SimpleUploadedFile("t.txt", b"Title\n00:05 a\n\n00:05\n")
    transcript = store_transcript_source(episode=episode, upload=upload)
    process_transcript(transcript_id=transcript.pk)
    body = admin_client.get(change_url(transcript)).content.decode()
    assert (
        "<p>text: read 3 lines, made 2 segments, joined 0, speakers: none; 2 warnings</p>" in body
    )
    assert (
        "<li>line 1: text before the first timestamp; kept as an opening segment at 0:00</li>"
        in body
    )
    assert "<li>line 4: no text follows this time; nothing kept</li>" in body


def test_uploading_through_the_transcript_form_queues_a_build(
    admin_client, transcript, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks() as callbacks:
        response = change(
            admin_client, transcript, source_file=SimpleUploadedFile("new.vtt", b"WEBVTT\n")
        )
    assert "a worker is building it now" in response.content.decode()
    transcript.refresh_from_db()
    assert transcript.status == "pending"
    assert transcript.source_file.read() == b"WEBVTT\n"
    assert queued_tasks(callbacks) == ["build_transcript"]


def test_the_transcript_form_refuses_a_file_that_is_not_text(admin_client, transcript):
    before = transcript.source_file.name
    response = change(
        admin_client, transcript, source_file=SimpleUploadedFile("a.txt", b"\xff\xfe\x00"[1:])
    )
    assert "is not UTF-8 text" in response.content.decode()
    response = change(
        admin_client,
        transcript,
        source_file=SimpleUploadedFile("a.txt", b"x" * (MAX_TRANSCRIPT_BYTES + 1)),
    )
    assert "transcripts can be at most 20 MB" in response.content.decode()
    transcript.refresh_from_db()
    assert (transcript.source_file.name, transcript.status) == (before, "ready")


# The episode admin's transcript fields (episodes/admin.py hands them to attach_transcript)


def test_pasting_a_transcript_on_the_episode_keeps_it_and_queues_its_build(
    admin_client, episode, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks() as callbacks:
        response = post_change(admin_client, episode, transcript_text="00:00 Pasted words\n")
    assert response.status_code == 302
    transcript = Transcript.objects.get(episode=episode)
    assert transcript.status == "pending"
    assert transcript.source_file.read() == b"00:00 Pasted words"
    assert "build_transcript" in queued_tasks(callbacks)


def test_the_episode_admin_takes_a_file_or_pasted_text_not_both(admin_client, episode):
    upload = SimpleUploadedFile("t.txt", b"00:00 file")
    response = post_change(admin_client, episode, transcript_file=upload, transcript_text="00:00 x")
    assert "Upload a transcript file or paste text, not both." in errors_of(response)
    assert not Transcript.objects.exists()


# Deleting


def test_deleting_a_transcript_takes_it_off_the_feed_and_out_of_search(
    admin_client, client, transcript, episode, django_capture_on_commit_callbacks
):
    feed = reverse("episodes:rss")
    assert "podcast:transcript" in client.get(feed).content.decode()  # built and kept
    assert search.search(episode.show, "capybaras")
    url = reverse("admin:transcripts_transcript_delete", args=[transcript.pk])
    with django_capture_on_commit_callbacks(execute=True):
        response = admin_client.post(url, {"post": "yes"}, follow=True)
    assert response.status_code == 200
    assert not Transcript.objects.exists()
    assert "podcast:transcript" not in client.get(feed).content.decode()
    assert search.search(episode.show, "capybaras") == []


def test_deleting_transcripts_from_the_list_does_the_same(
    admin_client, client, transcript, episode
):
    feed = reverse("episodes:rss")
    assert "podcast:transcript" in client.get(feed).content.decode()
    changelist = reverse("admin:transcripts_transcript_changelist")
    data = {"action": "delete_selected", "_selected_action": [transcript.pk], "post": "yes"}
    admin_client.post(changelist, data, follow=True)
    assert not Transcript.objects.exists()
    assert "podcast:transcript" not in client.get(feed).content.decode()
    assert search.search(episode.show, "capybaras") == []


def test_the_add_form_says_nothing_is_served_yet(admin_client, db):
    body = admin_client.get(reverse("admin:transcripts_transcript_add")).content.decode()
    assert "nothing yet: no build has succeeded" in body


def test_build_times_are_shown_in_the_show_s_time_zone(admin_client, transcript):
    show = transcript.episode.show
    show.time_zone = "America/New_York"
    show.save()
    Transcript.objects.filter(pk=transcript.pk).update(
        built_at=dt.datetime(2026, 1, 15, 17, 30, tzinfo=dt.UTC),
        good_build_at=dt.datetime(2026, 1, 15, 17, 30, tzinfo=dt.UTC),
    )
    body = admin_client.get(change_url(transcript)).content.decode()
    assert "this build, made 2026-01-15 12:30 EST" in body
    listing = admin_client.get(reverse("admin:transcripts_transcript_changelist"))
    assert "2026-01-15 12:30 EST" in listing.content.decode()
