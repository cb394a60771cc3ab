"""The episode list's State column and filter: one state per episode, in the editor's words."""

import datetime as dt

import pytest
from django.urls import reverse
from django.utils import timezone

from episodes.editorstate import STATES, clock, filter_by_state, state_of, with_review_flag
from episodes.models import Episode
from tests.factories import EpisodeFactory, ShowFactory, published_episode
from transcripts.models import Transcript

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("fast_password_hashing")]


@pytest.fixture
def episodes(tone) -> dict[str, Episode]:
    show = ShowFactory(slug="main", time_zone="Europe/Berlin")
    now = timezone.now()
    live = published_episode(tone, show=show, number=1, title="Live one")
    review = published_episode(tone, show=show, number=2, title="Held transcript")
    Transcript.objects.create(episode=review, status="review")
    return {
        "live": live,
        "review": review,
        "failed": EpisodeFactory(show=show, number=3, audio_status="failed", audio_error="empty"),
        "draft": EpisodeFactory(show=show, number=4),
        "scheduled": EpisodeFactory(
            show=show, number=5, publish_at=dt.datetime(2031, 1, 2, 8, 0, tzinfo=dt.UTC)
        ),
        "waiting": EpisodeFactory(show=show, number=6, publish_at=now - dt.timedelta(hours=1)),
    }


def test_each_episode_has_its_state_and_the_filter_finds_exactly_it(episodes):
    annotated = with_review_flag(Episode.objects.all())
    for key, episode in episodes.items():
        assert state_of(annotated.get(pk=episode.pk))[0] == key
        assert list(filter_by_state(annotated, key)) == [episode], key
    assert {key for key, _ in STATES} == set(episodes)


def test_a_scheduled_time_is_shown_in_the_show_zone(episodes):
    assert state_of(episodes["scheduled"])[1] == "Scheduled for 2031-01-02 09:00 CET"


def test_the_list_shows_state_number_title_and_duration(admin_client, episodes):
    url = reverse("admin:episodes_episode_changelist")
    body = admin_client.get(url).content.decode()
    for label in ["Live", "Transcript needs review", "Audio failed", "Draft",
                  "Scheduled for 2031-01-02 09:00 CET", "Waiting for audio"]:  # fmt: skip
        assert f">{label}</span>" in body, label
    assert "0:00:02" in body, "durations read h:mm:ss"
    only_review = admin_client.get(url, {"state": "review"}).content.decode()
    assert "Held transcript" in only_review and "Live one" not in only_review


def test_durations_read_h_mm_ss() -> None:
    assert [clock(118.99734693877551), clock(3723), clock(None)] == ["0:01:58", "1:02:03", "-"]


# --- publishing: audio not ready, audio that may be cut short ----------------------------------


def publish_now(client, episode, **extra):
    from tests.formdata import change_form_data

    url = reverse("admin:episodes_episode_change", args=[episode.pk])
    data = change_form_data(client.get(url)) | {"publishing": "now"} | extra
    return client.post(url, data, follow=True)


def test_publish_now_without_audio_says_when_it_goes_live(admin_client):
    episode = EpisodeFactory(show=ShowFactory(slug="main"), number=8)
    body = publish_now(admin_client, episode).content.decode()
    assert "Published: it will go live when the audio is ready" in body


def test_audio_that_may_be_cut_short_needs_publish_anyway(admin_client, tone):
    episode = published_episode(tone, show=ShowFactory(slug="main"), number=9, publish_at=None)
    note = "the file ends after 61 s but its header promises 14 min: truncated upload?"
    Episode.objects.filter(pk=episode.pk).update(audio_notes=f"MPEG-1 Layer III\n{note}")
    refused = publish_now(admin_client, episode)
    assert f"The audio may be cut short ({note})." in refused.content.decode()
    episode.refresh_from_db()
    assert episode.publish_at is None
    publish_now(admin_client, episode, publish_anyway="on")
    episode.refresh_from_db()
    assert episode.is_published()
