"""A preview link lives for one draft period: it dies at publish and never comes back."""

import datetime as dt

import pytest
from django.test import Client
from django.utils import timezone

from episodes.models import Episode
from tests.factories import (
    ChapterFactory,
    SegmentFactory,
    ShowFactory,
    TranscriptFactory,
    published_episode,
)

pytestmark = [pytest.mark.django_db, pytest.mark.postgres]


@pytest.fixture
def draft(tone) -> Episode:
    show = ShowFactory(slug="main", title="Preview Show")
    episode = published_episode(tone, show=show, number=7, slug="soon", publish_at=None)
    transcript = TranscriptFactory(episode=episode)
    SegmentFactory(transcript=transcript, position=0, start=0.0, text="Hello previewers.")
    ChapterFactory(episode=episode, title="Opening")
    return episode


def preview_urls(episode: Episode, token: str) -> dict[str, str]:
    urls = {
        "page": episode.get_absolute_url(),
        "transcript": episode.transcript_url(),
        "vtt": episode.transcript_url() + ".vtt",
        "audio": episode.download_url(),
        "chapters": f"/episodes/chapters/{episode.number}.json",
    }
    return {kind: f"{url}?preview={token}" for kind, url in urls.items()}


KINDS = ["page", "transcript", "vtt", "audio", "chapters"]


def publish_then_unpublish(episode: Episode) -> None:
    episode.publish_at = timezone.now()
    episode.save()
    episode.publish_at = None
    episode.save()


@pytest.mark.parametrize("kind", KINDS)
def test_the_old_token_is_dead_after_publish_and_unpublish(client: Client, draft, kind) -> None:
    old = draft.preview_token
    publish_then_unpublish(draft)
    assert client.get(preview_urls(draft, old)[kind]).status_code == 404


@pytest.mark.parametrize("kind", KINDS)
def test_the_next_draft_period_has_a_token_of_its_own(client: Client, draft, kind) -> None:
    old = draft.preview_token
    publish_then_unpublish(draft)
    draft.refresh_from_db()
    assert draft.preview_token != old
    assert client.get(preview_urls(draft, draft.preview_token)[kind]).status_code == 200


def test_a_scheduled_episode_that_went_out_by_the_clock_also_retires_its_token(
    client: Client, draft
) -> None:
    old = draft.preview_token
    Episode.objects.filter(pk=draft.pk).update(publish_at=timezone.now() - dt.timedelta(hours=1))
    episode = Episode.objects.get(pk=draft.pk)  # as the admin loads it, hours later
    episode.publish_at = None
    episode.save()
    assert client.get(preview_urls(episode, old)["page"]).status_code == 404


def test_saving_a_draft_keeps_its_token(draft) -> None:
    old = draft.preview_token
    draft.title = "A better title"
    draft.save()
    draft.refresh_from_db()
    assert draft.preview_token == old


@pytest.mark.parametrize("kind", KINDS)
def test_preview_responses_stay_out_of_every_cache(client: Client, draft, kind) -> None:
    response = client.get(preview_urls(draft, draft.preview_token)[kind])
    assert response.status_code == 200
    assert response["Cache-Control"] == "private, no-store"
