"""Transcript files are written once per build and served from storage, not per request."""

import json

import pytest
from django.core.files.storage import default_storage
from django.core.files.uploadedfile import SimpleUploadedFile

from tests.factories import ShowFactory, published_episode
from tests.responses import body_of
from transcripts import files
from transcripts.services import (
    delete_transcripts,
    process_transcript,
    rename_speaker,
    store_transcript_source,
)

TEXT = "00:00 Ann: Hello.\n\n00:01 Bob: Hi there.\n\n00:02 Ann: Bye.\n"


@pytest.fixture
def transcript(db, tone):
    episode = published_episode(tone, show=ShowFactory(slug="main"), number=7, slug="files")
    upload = SimpleUploadedFile("t.txt", TEXT.encode())
    transcript = store_transcript_source(episode=episode, upload=upload)
    process_transcript(transcript_id=transcript.pk)
    transcript.refresh_from_db()
    return transcript


def url(transcript, fmt: str) -> str:
    return f"{transcript.episode.transcript_url()}.{fmt}"


def test_the_build_writes_every_format_into_storage(transcript):
    for fmt in files.FORMATS:
        assert default_storage.exists(files.file_name(transcript, fmt)), fmt


def test_a_request_reads_the_stored_file_and_not_the_segments(client, transcript):
    # Were the file written per request, the deleted rows would leave it empty.
    transcript.segments.all().delete()
    response = client.get(url(transcript, "json"))
    assert response.status_code == 200
    bodies = [s["body"] for s in json.loads(response.content)["segments"]]
    assert len(bodies) == 3 and bodies[0] == "Hello." and bodies[2] == "Bye."
    assert response["ETag"] and response["Last-Modified"]
    again = client.get(url(transcript, "json"), HTTP_IF_NONE_MATCH=response["ETag"])
    assert again.status_code == 304


def test_a_missing_file_is_written_by_the_first_request(client, transcript):
    name = files.file_name(transcript, "vtt")
    default_storage.delete(name)
    assert client.get(url(transcript, "vtt")).content.startswith(b"WEBVTT")
    assert default_storage.exists(name)


def test_a_speaker_rename_serves_new_bytes_under_a_new_etag(client, transcript):
    before = client.get(url(transcript, "txt"))
    rename_speaker(transcript=transcript, old="Ann", new="Anna")
    after = client.get(url(transcript, "txt"))
    assert b"Anna: Hello." in after.content and b"Ann:" not in after.content
    assert after["ETag"] != before["ETag"]


def test_a_range_of_a_transcript_file_is_answered(client, transcript):
    response = client.get(url(transcript, "txt"), HTTP_RANGE="bytes=0-4")
    assert response.status_code == 206
    assert body_of(response) == b"00:00"


def test_deleting_the_transcript_deletes_its_files(transcript):
    names = [files.file_name(transcript, fmt) for fmt in files.FORMATS]
    delete_transcripts([transcript])
    assert not any(default_storage.exists(name) for name in names)
