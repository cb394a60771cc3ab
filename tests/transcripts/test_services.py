import json

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from tests.factories import published_episode
from transcripts.models import Transcript
from transcripts.services import process_transcript, rename_speaker, store_transcript_source

# A "Name:" label counts as a speaker once it recurs (one-off "Note:" lines stay text).
TEXT = (
    "00:00 Michael: Hello and welcome.\n\n00:04 Michael: This is the second line.\n\n"
    "01:02:03 Much later.\n"
)


@pytest.fixture
def episode(db, tone):
    return published_episode(tone, number=203, slug="scripting", title="Scripting")


def build(episode, text: str = TEXT, name: str = "t.txt") -> Transcript:
    transcript = store_transcript_source(
        episode=episode, upload=SimpleUploadedFile(name, text.encode())
    )
    process_transcript(transcript_id=transcript.pk)
    transcript.refresh_from_db()
    return transcript


def test_a_build_stores_segments_report_and_the_rendered_page(episode):
    transcript = build(episode)
    assert transcript.status == "ready"
    assert [(s.start, s.text) for s in transcript.segments.all()] == [
        (0.0, "Hello and welcome."),
        (4.0, "This is the second line."),
        (3723.0, "Much later."),
    ]
    assert transcript.report["format"] == "text"
    assert transcript.report["segments_made"] == 3
    assert 'href="/episodes/show/203/scripting#t=3723"' in transcript.rendered_html
    assert ">1:02:03<" in transcript.rendered_html


def test_a_failed_build_keeps_the_file_and_says_where(episode):
    broken = "WEBVTT\n\nnot a timing line\nsome text\n"
    transcript = build(episode, broken, name="broken.vtt")
    if transcript.status == "ready":
        # The parser may keep the text as rejected lines; then the report names them.
        assert transcript.report["rejected"]
        assert all("line" in p for p in transcript.report["rejected"])
    else:
        assert transcript.status == "failed"
        assert "line " in transcript.error
    assert transcript.source_file.read() == broken.encode()


def test_nothing_parseable_fails_with_line_numbers_and_keeps_the_upload(episode):
    transcript = build(episode, '{"version": "1.0.0", "segments": "nope"}', name="t.json")
    assert transcript.status == "failed"
    assert "line 1" in transcript.error
    assert transcript.source_file.read().startswith(b'{"version"')


def test_a_rebuild_replaces_the_segments_instead_of_adding(episode):
    transcript = build(episode)
    process_transcript(transcript_id=transcript.pk)
    assert transcript.segments.count() == 3


def test_renaming_a_speaker_changes_every_segment_and_the_page(episode):
    transcript = build(episode)
    assert rename_speaker(transcript=transcript, old="Michael", new="Michael Kennedy") == 2
    transcript.refresh_from_db()
    assert transcript.segments.filter(speaker="Michael Kennedy").count() == 2
    assert "Michael Kennedy" in transcript.rendered_html


def test_the_seed_page_builds_one_segment_per_timestamped_line(episode, shared_data):
    seed = (shared_data / "seed" / "pythonbytes-203-transcript-page.txt").read_text()
    transcript = build(episode, seed)
    stamped = [line for line in seed.splitlines() if line[:2].isdigit() and line[2] == ":"]
    assert transcript.status == "ready"
    assert transcript.segments.count() == len(stamped)
    assert transcript.report["rejected"], "the banner and title lines are reported, not dropped"


@pytest.mark.parametrize(
    ("fmt", "content_type", "marker"),
    [
        ("vtt", "text/vtt; charset=utf-8", "WEBVTT"),
        ("srt", "application/x-subrip; charset=utf-8", "00:00:00,000 --> "),
        ("json", "application/json", '"version": "1.0.0"'),
        ("txt", "text/plain; charset=utf-8", "00:00:00 Michael: Hello and welcome."),
        ("html", "text/html; charset=utf-8", "Hello and welcome."),
    ],
)
def test_transcript_files_are_served_with_their_type_and_cors(
    client, episode, fmt, content_type, marker
):
    build(episode)
    response = client.get(f"{episode.transcript_url()}.{fmt}")
    assert response.status_code == 200
    assert response["Content-Type"] == content_type
    assert response["Access-Control-Allow-Origin"] == "*"
    assert marker in response.content.decode()


def test_the_json_file_lists_every_segment(client, episode):
    build(episode)
    data = json.loads(client.get(f"{episode.transcript_url()}.json").content)
    assert [s["startTime"] for s in data["segments"]] == [0.0, 4.0, 3723.0]
    assert data["segments"][1]["speaker"] == "Michael"


def test_the_transcript_page_is_modelled_on_the_seed(client, episode):
    episode.show.transcript_source_url_template = "https://example.org/t/{number:03}-{slug}.txt"
    episode.show.save()
    build(episode)
    body = client.get(episode.transcript_url()).content.decode()
    assert "Transcript #203: Scripting" in body
    assert "Return to episode page" in body and "Back to show page" in body
    assert 'href="https://example.org/t/203-scripting.txt"' in body
    assert "Recorded on" in body
    assert 'href="/episodes/show/203/scripting#t=4"' in body


def test_a_wrong_slug_redirects_to_the_transcript(client, episode):
    build(episode)
    response = client.get("/episodes/transcript/203/wrong")
    assert response.status_code == 301
    assert response["Location"] == episode.transcript_url()
