"""Fixtures of the security tests: a safe show and episode, an anonymous client, the public URLs."""

import pytest
from django.test import Client
from django.utils import timezone

from episodes import search
from episodes.models import Episode
from tests.factories import (
    ChapterFactory,
    PersonFactory,
    ShowFactory,
    SponsorFactory,
    published_episode,
)
from transcripts import files
from transcripts.models import Transcript
from transcripts.services import process_transcript, render_segments, store_transcript_source

TRANSCRIPT_FORMATS = ["vtt", "srt", "json", "txt", "html"]


def built_transcript(episode: Episode, text: str) -> Transcript:
    """A transcript through the real build: parsed, stored, rendered and indexed."""
    transcript = store_transcript_source(episode=episode, text=text)
    process_transcript(transcript_id=transcript.pk)
    transcript.refresh_from_db()
    assert transcript.is_ready(), transcript.error
    return transcript


def rerender(transcript: Transcript) -> None:
    """After segments were edited in place: the page, index and files, as a rebuild makes them."""
    transcript.rendered_html = render_segments(transcript.episode, transcript.segments.all())
    transcript.built_at = transcript.good_build_at = timezone.now()
    transcript.save()
    search.index_transcript(transcript)
    files.write_all(transcript)


@pytest.fixture
def show():
    return ShowFactory(slug="main", title="Safe Show")


@pytest.fixture
def episode(show, tone):
    episode = published_episode(tone, show=show, number=1, slug="public", title="Public one")
    built_transcript(episode, "00:00:01 hello world\n")
    ChapterFactory(episode=episode, title="Start")
    return episode


@pytest.fixture
def anonymous() -> Client:
    return Client(raise_request_exception=False)


def public_urls(episode: Episode) -> list[str]:
    show = episode.show
    number, slug = episode.number, episode.slug
    person = PersonFactory(slug="pat")
    episode.credits.create(person=person)
    episode.sponsorships.create(sponsor=SponsorFactory(slug="acme"))
    return [
        "/",
        "/episodes/",
        episode.get_absolute_url(),
        f"/episodes/show/{number}",
        episode.transcript_url(),
        *[f"{episode.transcript_url()}.{fmt}" for fmt in TRANSCRIPT_FORMATS],
        f"/episodes/chapters/{number}.json",
        episode.download_url(),
        "/episodes/rss",
        "/episodes/rss_full_history",
        "/people/pat",
        "/sponsors",
        "/sponsor/acme",
        "/search?q=hello",
        "/robots.txt",
        "/sitemap.xml",
        "/healthz",
        f"/shows/{show.slug}/episodes/show/{number}/{slug}",
    ]
