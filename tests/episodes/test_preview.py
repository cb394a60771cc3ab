"""Who sees an unpublished episode: staff, and anyone holding its preview link until it is out."""

import pytest
from django.test import Client
from django.utils import timezone

from episodes.models import Episode
from tests.factories import SegmentFactory, ShowFactory, TranscriptFactory, published_episode

# Also run by .ci/run on PostgreSQL, where the same pages must hold.
pytestmark = [pytest.mark.django_db, pytest.mark.postgres]


@pytest.fixture(autouse=True)
def fast_password_hashing(settings) -> None:
    # admin_client creates a user per test; the real hasher is slow by design.
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture
def draft(tone) -> Episode:
    show = ShowFactory(slug="main", title="Preview Show")
    episode = published_episode(
        tone, show=show, number=5, title="Not yet", slug="not-yet", publish_at=None
    )
    transcript = TranscriptFactory(episode=episode)
    SegmentFactory(transcript=transcript, position=0, start=0.0, text="Hello previewers.")
    return episode


def urls(episode: Episode) -> dict[str, str]:
    return {
        "page": episode.get_absolute_url(),
        "transcript": episode.transcript_url(),
        "vtt": episode.transcript_url() + ".vtt",
        "audio": episode.download_url(),
    }


def with_token(url: str, token: str) -> str:
    return f"{url}?preview={token}"


@pytest.mark.parametrize("kind", ["page", "transcript", "vtt", "audio"])
def test_a_draft_is_hidden_without_the_token(client: Client, draft, kind):
    assert client.get(urls(draft)[kind]).status_code == 404


@pytest.mark.parametrize("kind", ["page", "transcript", "vtt", "audio"])
def test_the_preview_token_opens_a_draft_to_anyone(client: Client, draft, kind):
    response = client.get(with_token(urls(draft)[kind], draft.preview_token))
    assert response.status_code == 200


@pytest.mark.parametrize("kind", ["page", "transcript", "vtt", "audio"])
def test_a_wrong_token_is_404(client: Client, draft, kind):
    assert client.get(with_token(urls(draft)[kind], "not-the-token")).status_code == 404


def test_another_episodes_token_does_not_open_this_one(client: Client, draft, tone):
    other = published_episode(tone, show=draft.show, number=6, publish_at=None)
    assert client.get(with_token(draft.get_absolute_url(), other.preview_token)).status_code == 404


def test_a_scheduled_episode_can_be_previewed_too(client: Client, draft):
    draft.publish_at = timezone.now() + timezone.timedelta(days=3)
    draft.save()
    response = client.get(with_token(draft.get_absolute_url(), draft.preview_token))
    assert response.status_code == 200


def test_the_preview_page_links_carry_the_token(client: Client, draft):
    token = draft.preview_token
    content = client.get(with_token(draft.get_absolute_url(), token)).content.decode()
    assert f'src="{draft.download_url()}?preview={token}"' in content
    assert f'href="{draft.transcript_url()}?preview={token}"' in content
    assert '<meta name="robots" content="noindex">' in content
    transcript = client.get(with_token(draft.transcript_url(), token)).content.decode()
    assert f'href="{draft.transcript_url()}.vtt?preview={token}"' in transcript
    assert f'href="{draft.get_absolute_url()}?preview={token}"' in transcript


def test_a_previewed_transcript_file_is_not_publicly_cacheable(client: Client, draft):
    response = client.get(with_token(draft.transcript_url() + ".vtt", draft.preview_token))
    assert response["Cache-Control"] == "private, no-store"


def test_once_published_the_token_stops_mattering(client: Client, draft):
    draft.publish_at = timezone.now()
    draft.save()
    assert client.get(draft.get_absolute_url()).status_code == 200
    content = client.get(with_token(draft.get_absolute_url(), draft.preview_token)).content
    assert b"?preview=" not in content, "a public page does not spread the token"
    assert client.get(with_token(draft.get_absolute_url(), "junk")).status_code == 200


@pytest.mark.parametrize("kind", ["page", "transcript", "vtt", "audio"])
def test_staff_see_a_drafts_page_transcript_and_audio(admin_client: Client, draft, kind):
    assert admin_client.get(urls(draft)[kind]).status_code == 200


def test_a_previewed_download_is_not_publicly_cacheable(client: Client, draft):
    response = client.get(with_token(draft.download_url(), draft.preview_token))
    assert "public" not in response.get("Cache-Control", "")
