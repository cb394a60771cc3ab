import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from tests.factories import published_episode
from tests.formdata import admin_form_data
from transcripts.models import Transcript
from transcripts.services import process_transcript, store_transcript_source


@pytest.fixture
def transcript(db, tone) -> Transcript:
    episode = published_episode(tone, number=5)
    text = b"00:00 KENNEDY: Hi.\n\n00:03 KENNEDY: Still me.\n\n00:05 OKKEN: Hello.\n\n00:07 OKKEN: Bye.\n"
    transcript = store_transcript_source(episode=episode, upload=SimpleUploadedFile("t.txt", text))
    process_transcript(transcript_id=transcript.pk)
    return transcript


def change(client, transcript: Transcript, **fields):
    url = reverse("admin:transcripts_transcript_change", args=[transcript.pk])
    form = admin_form_data(client.get(url).content.decode())
    form.update(fields)
    return client.post(url, form, follow=True)


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


def test_a_failed_transcript_shows_its_problems_with_line_numbers(admin_client, transcript):
    transcript.source_file.save("bad.json", SimpleUploadedFile("bad.json", b'{"segments": 1}'))
    process_transcript(transcript_id=transcript.pk)
    url = reverse("admin:transcripts_transcript_change", args=[transcript.pk])
    body = admin_client.get(url).content.decode()
    transcript.refresh_from_db()
    assert transcript.status == "failed"
    assert "line 1" in body
    assert transcript.source_file.name.endswith(".json"), "the uploaded file is kept"


def test_the_report_is_shown_after_a_build(admin_client, transcript):
    url = reverse("admin:transcripts_transcript_change", args=[transcript.pk])
    body = admin_client.get(url).content.decode()
    assert "made 4 segments" in body
