"""The staff-only endpoints and the bulk actions of the episode admin."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from episodes.models import Episode
from tests.factories import EpisodeFactory, TranscriptFactory, published_episode

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def fast_password_hashing(settings) -> None:
    # admin_client creates a user per test; the real hasher is slow by design.
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


def status_url(episode: Episode) -> str:
    return reverse("admin:episodes_episode_status", args=[episode.pk])


def queued_tasks(callbacks) -> list[str]:
    """The Celery task names the captured on-commit callbacks send."""
    names = []
    for callback in callbacks:
        for cell in getattr(callback, "__closure__", None) or ():
            name = getattr(cell.cell_contents, "name", None)
            if isinstance(name, str) and name.startswith(("episodes.", "transcripts.")):
                names.append(name.rsplit(".", 1)[-1])
    return names


# --- live status --------------------------------------------------------------------------------


def test_the_status_says_what_is_pending_with_the_messages(admin_client):
    episode = EpisodeFactory(audio_status="processing")
    TranscriptFactory(episode=episode, status="failed", error="line 3: no timestamp")
    response = admin_client.get(status_url(episode))
    state = response.json()
    assert "no-store" in response["Cache-Control"]
    assert state["pending"] is True
    assert state["audio"]["status"] == "processing" and state["audio"]["message"] == ""
    assert state["transcripts"][0]["message"] == "line 3: no timestamp"
    assert "Processing" in state["html"] and "line 3: no timestamp" in state["html"]


def test_the_status_stops_being_pending_once_everything_is_done(admin_client, tone):
    episode = published_episode(tone)
    comment = "a long ID3 comment " * 40
    notes = f'MPEG-1 Layer III, 64 kbit/s CBR, 44.1 kHz, mono; tags: comment "{comment}"'
    Episode.objects.filter(pk=episode.pk).update(
        audio_notes=f"{notes}\n3 chapters read from the file"
    )
    TranscriptFactory(episode=episode, status="ready")
    state = admin_client.get(status_url(episode)).json()
    assert state["pending"] is False
    # Short: what the file is and what needs attention; the tags behind a details toggle.
    assert state["audio"]["message"] == "3 chapters read from the file"
    assert state["audio"]["kind"] == "MPEG-1 Layer III, 64 kbit/s CBR, 44.1 kHz, mono"
    assert "Ready</strong>: 0:00:02, 0.0 MB, version 1" in state["html"]
    assert "<summary>File details</summary>tags: comment" in state["html"]


def test_the_status_escapes_messages(admin_client):
    episode = EpisodeFactory(audio_status="failed", audio_error="<img src=x onerror=alert(1)>")
    html = admin_client.get(status_url(episode)).json()["html"]
    assert "<img" not in html and "&lt;img" in html


def test_the_status_is_for_staff_only(client, django_user_model):
    episode = EpisodeFactory()
    response = client.get(status_url(episode))
    assert response.status_code == 302 and "status" not in response.content.decode()
    user = django_user_model.objects.create_user("listener", password="pw")
    client.force_login(user)
    assert client.get(status_url(episode))["Location"].startswith(reverse("admin:login"))
    user.is_staff = True
    user.save()
    assert client.get(status_url(episode)).status_code == 403  # staff without the permission


def test_the_status_of_a_missing_episode_is_404(admin_client):
    assert admin_client.get(reverse("admin:episodes_episode_status", args=[999])).status_code == 404


def test_the_change_form_marks_pending_work_for_the_poller(admin_client):
    episode = EpisodeFactory(audio_status="pending")
    content = admin_client.get(
        reverse("admin:episodes_episode_change", args=[episode.pk])
    ).content.decode()
    assert f'data-status-url="{status_url(episode)}" data-pending="true"' in content


# --- the preview link on the change form --------------------------------------------------------


def test_the_change_form_shows_the_preview_link_until_published(admin_client, tone):
    episode = EpisodeFactory()
    url = reverse("admin:episodes_episode_change", args=[episode.pk])
    assert f"?preview={episode.preview_token}" in admin_client.get(url).content.decode()
    published = published_episode(tone)
    url = reverse("admin:episodes_episode_change", args=[published.pk])
    content = admin_client.get(url).content.decode()
    assert "?preview=" not in content and "needs no preview link" in content


def test_a_premium_episode_s_preview_text_says_who_sees_it(admin_client, client, tone):
    draft = EpisodeFactory(premium=True)
    url = reverse("admin:episodes_episode_change", args=[draft.pk])
    content = admin_client.get(url).content.decode()
    assert f"?preview={draft.preview_token}" in content
    assert "then it is for subscribers only (their personal feeds), never public" in content
    page = draft.get_absolute_url()
    assert client.get(f"{page}?preview={draft.preview_token}").status_code == 200  # true
    published = published_episode(tone, show=draft.show, premium=True, number=2)
    url = reverse("admin:episodes_episode_change", args=[published.pk])
    content = admin_client.get(url).content.decode()
    assert "needs no preview link" not in content and "?preview=" not in content
    assert "Published for subscribers only: not public" in content
    assert "editors logged in here see its page" in content
    page = published.get_absolute_url()
    assert client.get(page).status_code == 404  # visitors: not public, as it says
    assert client.get(f"{page}?preview={published.preview_token}").status_code == 404
    assert admin_client.get(page).status_code == 200  # staff preview works, as it says


# --- actions ------------------------------------------------------------------------------------


def run_action(client, action: str, *episodes: Episode):
    url = reverse("admin:episodes_episode_changelist")
    data = {"action": action, "_selected_action": [e.pk for e in episodes]}
    return client.post(url, data, follow=True)


def messages_of(response) -> list[str]:
    return [str(m) for m in response.context["messages"]]


def test_publish_selected_publishes_drafts_and_leaves_others(
    admin_client, tone, django_capture_on_commit_callbacks
):
    draft = published_episode(tone, publish_at=None)
    earlier = published_episode(tone)
    before = earlier.publish_at
    with django_capture_on_commit_callbacks() as callbacks:
        response = run_action(admin_client, "publish_now", draft, earlier)
    draft.refresh_from_db(), earlier.refresh_from_db()
    assert draft.is_published() and earlier.publish_at == before
    assert "Published 1 episodes (already public ones kept their date)." in messages_of(response)
    assert "write_audio_tags" in queued_tasks(callbacks)


def test_publish_selected_brings_a_scheduled_episode_forward(admin_client, tone, client):
    scheduled = published_episode(tone, publish_at=timezone.now() + timedelta(days=3))
    assert client.get(scheduled.get_absolute_url()).status_code == 404
    run_action(admin_client, "publish_now", scheduled)
    scheduled.refresh_from_db()
    assert scheduled.publish_at <= timezone.now()
    assert client.get(scheduled.get_absolute_url()).status_code == 200


def test_publish_selected_says_which_episodes_wait_for_their_audio(admin_client):
    silent = EpisodeFactory(number=41, publish_at=None)
    response = run_action(admin_client, "publish_now", silent)
    assert "#41 will go live when their audio is ready." in " ".join(messages_of(response))


def test_unpublish_makes_drafts_again(
    admin_client, tone, client, settings, django_capture_on_commit_callbacks
):
    settings.PODCAST_PAGE_CACHE_SECONDS = 10  # as in production: the cached page goes too
    episode = published_episode(tone)
    assert client.get(episode.get_absolute_url()).status_code == 200
    with django_capture_on_commit_callbacks(execute=True):
        response = run_action(admin_client, "unpublish", episode)
    episode.refresh_from_db()
    assert episode.publish_at is None
    assert "1 episodes are drafts again." in messages_of(response)
    assert client.get(episode.get_absolute_url()).status_code == 404
    assert episode.title not in client.get(reverse("episodes:rss")).content.decode()


def test_rerun_extraction_queues_only_episodes_with_an_upload(
    admin_client, tone, django_capture_on_commit_callbacks
):
    with_upload = published_episode(tone)
    with_upload.audio_upload.name = with_upload.audio.name
    with_upload.save()
    without = EpisodeFactory()
    with django_capture_on_commit_callbacks() as callbacks:
        response = run_action(admin_client, "rerun_audio_extraction", with_upload, without)
    with_upload.refresh_from_db()
    assert with_upload.audio_status == "pending"
    assert queued_tasks(callbacks) == ["extract_audio_metadata"]
    assert "Queued 1 episodes; 1 have no uploaded audio." in messages_of(response)


def test_rebuild_transcripts_queues_those_with_a_source(
    admin_client, django_capture_on_commit_callbacks
):
    from django.core.files.base import ContentFile

    episode = EpisodeFactory()
    transcript = TranscriptFactory(episode=episode)
    transcript.source_file.save("t.txt", ContentFile(b"00:00 Hello"), save=True)
    TranscriptFactory(episode=EpisodeFactory())  # no source file: nothing to rebuild
    with django_capture_on_commit_callbacks() as callbacks:
        response = run_action(admin_client, "rebuild_transcripts", *Episode.objects.all())
    transcript.refresh_from_db()
    assert transcript.status == "pending"
    assert queued_tasks(callbacks) == ["build_transcript"]
    assert "Queued 1 transcripts for rebuilding." in messages_of(response)


def test_saving_a_published_episode_with_ready_audio_queues_the_tagging(
    admin_client, tone, django_capture_on_commit_callbacks
):
    from tests.episodes.test_admin_editing import post_change

    episode = published_episode(tone, publish_at=timezone.now())
    with django_capture_on_commit_callbacks() as callbacks:
        assert post_change(admin_client, episode).status_code == 302
    assert "write_audio_tags" in queued_tasks(callbacks)
    draft = published_episode(tone, publish_at=None)
    with django_capture_on_commit_callbacks() as callbacks:
        assert post_change(admin_client, draft).status_code == 302
    assert "write_audio_tags" not in queued_tasks(callbacks)
