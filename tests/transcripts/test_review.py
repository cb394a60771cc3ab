"""Builds with problems wait for an editor: listeners keep the last good build until accepted."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from tests.factories import published_episode
from transcripts.models import Transcript
from transcripts.services import process_transcript, store_transcript_source

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("fast_password_hashing")]

GOOD = "00:00 Hello and welcome.\n00:30 The first story.\n"
BAD_LINE = "00:00 Hello again.\n00:0x:61 A mistyped time.\n00:30 The first story, fixed.\n"


@pytest.fixture
def episode(tone):
    return published_episode(tone, number=7, slug="seven", duration=600.0)


def build(episode, text: str) -> Transcript:
    upload = SimpleUploadedFile("t.txt", text.encode())
    transcript = store_transcript_source(episode=episode, upload=upload)
    process_transcript(transcript_id=transcript.pk)
    transcript.refresh_from_db()
    return transcript


def page(client, episode) -> str:
    return client.get(episode.transcript_url()).content.decode()


@pytest.mark.parametrize(
    ("text", "problem"),
    [
        (BAD_LINE, "line 2: 00:0x:61 is not a valid time; read as text"),
        ("00:10 a\n00:05 b\n", "line 2: timestamp 00:05 goes backwards (previous 00:10)"),
        ("00:10 a\n59:00 b\n", "line 2: starts at 59:00, after the end of the audio (10:00)"),
        ("00:10 a\n1:75:00 b\n", "line 2: 1:75:00 is not a valid time; read as text"),
    ],
    ids=["malformed", "backwards", "past-the-end", "impossible"],
)
def test_a_rebuild_with_problems_waits_and_listeners_keep_the_old_one(
    client, episode, text, problem
):
    build(episode, GOOD)
    held = build(episode, text)
    assert held.status == "review"
    assert problem in [p["message"] for p in held.report["review"]]
    assert [s.text for s in held.segments.all()] == ["Hello and welcome.", "The first story."]
    assert "The first story." in page(client, episode)


def test_a_first_build_with_problems_is_not_published_until_accepted(client, episode):
    held = build(episode, BAD_LINE)
    assert held.status == "review" and not held.is_servable()
    assert client.get(episode.transcript_url()).status_code == 404


def test_accepting_is_one_click_on_the_episode_form_and_is_recorded(admin_client, client, episode):
    build(episode, GOOD)
    held = build(episode, BAD_LINE)
    form = admin_client.get(reverse("admin:episodes_episode_change", args=[episode.pk]))
    body = form.content.decode()
    assert "Needs review" in body
    assert "line 2: 00:0x:61 is not a valid time; read as text" in body
    accept_url = reverse("admin:transcripts_transcript_accept", args=[held.pk])
    assert f'formaction="{accept_url}"' in body

    response = admin_client.post(accept_url, follow=True)
    assert "Accepted the transcript (en); listeners get it now." in response.content.decode()
    held.refresh_from_db()
    assert held.status == "ready"
    assert held.accepted_by.get_username() == "admin" and held.accepted_at is not None
    assert "The first story, fixed." in page(client, episode)
    form = admin_client.get(reverse("admin:episodes_episode_change", args=[episode.pk]))
    assert "Accepted with 1 problem by admin on" in form.content.decode()
    zone = episode.show.zone()
    accepted = held.accepted_at.astimezone(zone).strftime("%Y-%m-%d %H:%M %Z")
    assert f"by admin on {accepted}." in form.content.decode()


def test_a_fixed_upload_replaces_the_held_build_without_acceptance(episode):
    build(episode, BAD_LINE)
    fixed = build(episode, GOOD)
    assert fixed.status == "ready" and fixed.accepted_at is None
    assert fixed.segments.count() == 2


def test_accepting_needs_a_held_build(admin_client, episode):
    ready = build(episode, GOOD)
    url = reverse("admin:transcripts_transcript_accept", args=[ready.pk])
    response = admin_client.post(url, follow=True)
    assert "This transcript has no build waiting for review." in response.content.decode()
    assert admin_client.get(url).status_code == 405


def test_a_clean_build_with_an_intro_is_published_at_once(episode):
    transcript = build(episode, "Welcome to the show notes.\n" + GOOD)
    assert transcript.status == "ready"
    assert transcript.segments.first().start == 0


def test_a_json_transcript_with_nul_characters_is_stored_without_them(episode):
    import json

    data = {"version": "1.0.0", "segments": [
        {"startTime": 0, "endTime": 2, "body": "Hello\u0000 there"},
        {"startTime": 2, "endTime": 3, "body": "Fine words."},
    ]}  # fmt: skip
    upload = SimpleUploadedFile("t.json", json.dumps(data).encode())
    transcript = store_transcript_source(episode=episode, upload=upload)
    process_transcript(transcript_id=transcript.pk)
    transcript.refresh_from_db()
    assert transcript.status == "ready", transcript.error
    assert [s.text for s in transcript.segments.all()] == ["Hello there", "Fine words."]
    assert "control characters (such as NUL) removed" in str(transcript.report["warnings"])
