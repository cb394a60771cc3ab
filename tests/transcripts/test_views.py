"""The transcript page and files (transcripts/views.py), built through the real pipeline."""

import datetime as dt
import json
import re

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from tests.factories import ShowFactory, published_episode
from transcripts.models import Transcript
from transcripts.services import process_transcript, store_transcript_source

TEXT = (
    "00:00 Michael: Hello and welcome.\n\n00:04 Michael: This is the second line.\n\n"
    "59:59 Just under the hour.\n\n01:02:03 Much later.\n"
)


@pytest.fixture
def episode(db, tone):
    show = ShowFactory(slug="main", promo_banner="Brought to you by capybaras")
    return published_episode(
        tone, show=show, number=203, slug="scripting", title="Scripting",
        recorded_on=dt.date(2020, 10, 8), duration=4 * 3600.0,  # past every sample time
    )  # fmt: skip


def build(episode, text: str = TEXT, name: str = "t.txt") -> Transcript:
    upload = SimpleUploadedFile(name, text.encode())
    transcript = store_transcript_source(episode=episode, upload=upload)
    process_transcript(transcript_id=transcript.pk)
    transcript.refresh_from_db()
    return transcript


def test_the_transcript_page_is_modelled_on_the_seed(client, episode):
    episode.show.transcript_source_url_template = "https://example.org/t/{number:03}-{slug}.txt"
    episode.show.save()
    build(episode)
    body = client.get(episode.transcript_url()).content.decode()
    assert (
        '<aside class="banner" aria-label="Sponsor message"><p>Brought to you by capybaras</p>'
        in body
    )
    assert "Transcript #203: Scripting" in body
    assert "Return to episode page" in body and "Back to show page" in body
    assert 'href="https://example.org/t/203-scripting.txt"' in body
    # The seed says "Recorded on Thursday, Oct 8, 2020."
    assert "<p>Recorded on Thursday, Oct 8, 2020.</p>" in body


def test_timestamps_read_mm_ss_under_an_hour_and_h_mm_ss_beyond(client, episode):
    build(episode)
    body = client.get(episode.transcript_url()).content.decode()
    stamps = re.findall(r'<a class="stamp"[^>]*>([^<]*)</a>', body)
    assert stamps == ["00:00", "00:04", "59:59", "1:02:03"]
    assert '<p class="speaker">Michael</p>' in body and "<span>Hello and welcome.</span>" in body


def test_a_timestamp_opens_the_episode_player_there_without_javascript(client, episode):
    build(episode)
    body = client.get(episode.transcript_url()).content.decode()
    links = re.findall(r'<a class="stamp" href="([^"]*)"', body)
    assert links[3] == "/episodes/show/203/scripting?t=3723#t=3723"
    # What a browser without JavaScript sends: the fragment stays behind, ?t= reaches us.
    page = client.get(links[3].split("#")[0]).content.decode()
    assert f'src="{episode.download_url()}#t=3723"' in page


@pytest.mark.parametrize(
    ("fmt", "content_type", "marker"),
    [
        ("vtt", "text/vtt; charset=utf-8", "WEBVTT"),
        ("srt", "application/x-subrip; charset=utf-8", "00:00:00,000 --> "),
        ("json", "application/json", '"version": "1.0.0"'),
        ("txt", "text/plain; charset=utf-8", "00:00:00 Michael: Hello and welcome."),
        ("html", "text/html; charset=utf-8", "<cite>Michael:</cite>"),
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
    assert [s["startTime"] for s in data["segments"]] == [0.0, 4.0, 3599.0, 3723.0]
    assert data["segments"][1]["speaker"] == "Michael"


def test_a_failed_rebuild_keeps_the_last_good_transcript_online(client, episode):
    transcript = build(episode)
    build(episode, '{"version": "1.0.0", "segments": "nope"}', name="t.json")
    transcript.refresh_from_db()
    assert transcript.status == "failed"
    page = client.get(episode.transcript_url())
    assert page.status_code == 200 and "Hello and welcome." in page.content.decode()
    vtt = client.get(f"{episode.transcript_url()}.vtt")
    assert vtt.status_code == 200 and "Much later." in vtt.content.decode()


def test_a_transcript_that_never_built_is_not_found(client, episode):
    build(episode, "no timestamps at all\n")
    assert client.get(episode.transcript_url()).status_code == 404
    assert client.get(f"{episode.transcript_url()}.vtt").status_code == 404


def test_a_wrong_slug_redirects_to_the_transcript(client, episode):
    build(episode)
    response = client.get("/episodes/transcript/203/wrong")
    assert response.status_code == 301
    assert response["Location"] == episode.transcript_url()


def test_a_transcript_file_answers_304_by_etag_or_by_date(client, episode):
    build(episode)
    url = f"{episode.transcript_url()}.vtt"
    first = client.get(url)
    by_etag = client.get(url, headers={"If-None-Match": first["ETag"]})
    by_date = client.get(url, headers={"If-Modified-Since": first["Last-Modified"]})
    assert by_etag.status_code == by_date.status_code == 304
    assert by_etag.content == b"" and by_etag["ETag"] == first["ETag"]
    assert by_etag["Access-Control-Allow-Origin"] == "*"


@pytest.mark.parametrize("fmt", ["vtt", "srt", "json", "txt", "html"])
def test_a_stale_etag_wins_over_a_current_date(client, episode, fmt):
    """RFC 9110 section 13.2.2: with If-None-Match, If-Modified-Since is not evaluated.

    Last-Modified has one-second resolution: two builds within a second share it, and a
    player holding the first build's bytes must still get the second's, by the ETag.
    """
    build(episode)
    url = f"{episode.transcript_url()}.{fmt}"
    first = client.get(url)
    build(episode, TEXT.replace("Much later.", "Rebuilt within the second."))
    current = client.get(url)
    assert current["ETag"] != first["ETag"]
    headers = {"If-None-Match": first["ETag"], "If-Modified-Since": current["Last-Modified"]}
    response = client.get(url, headers=headers)
    assert response.status_code == 200
    assert response.content == current.content
    assert "Rebuilt within the second." in response.content.decode()
