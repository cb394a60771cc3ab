"""The episode form in the editor's order, technical facts read-only, collapsed, in their units."""

import datetime as dt

import pytest
from django.urls import reverse

from episodes.models import Episode
from tests.factories import ShowFactory, published_episode

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("fast_password_hashing")]


@pytest.fixture
def episode(tone):
    show = ShowFactory(slug="main", time_zone="America/New_York")
    episode = published_episode(tone, show=show, number=4, duration=118.99734693877551)
    Episode.objects.filter(pk=episode.pk).update(
        audio_size=24_117_248, audio_processed_at=dt.datetime(2026, 7, 1, 16, 5, tzinfo=dt.UTC)
    )
    return episode


def test_the_form_follows_the_editor_s_order(admin_client, episode):
    response = admin_client.get(reverse("admin:episodes_episode_change", args=[episode.pk]))
    fieldsets = [(f.name, list(f.fields)) for f in response.context["adminform"]]
    names = [name for name, _ in fieldsets]
    assert names == [
        None,
        "Notes",
        "Audio",
        "Soundbite",
        "Transcript",
        "Publishing",
        "More about the episode",
        "Technical",
    ]
    flat = [field for _, fields in fieldsets for field in fields]
    assert flat.index("title") < flat.index("show_notes") < flat.index("new_audio")
    assert flat.index("new_audio") < flat.index("transcript_file") < flat.index("publishing")
    # Every editable field is somewhere on the form, none twice.
    form_fields = set(response.context["adminform"].form.fields)
    assert form_fields <= set(flat) and len(flat) == len(set(flat))


def test_technical_facts_are_read_only_collapsed_and_in_editor_units(admin_client, episode):
    body = admin_client.get(
        reverse("admin:episodes_episode_change", args=[episode.pk])
    ).content.decode()
    technical = body[body.index(">Technical<") - 400 :]
    assert "collapse" in technical[:600]
    assert "0:01:58" in technical and "118.99" not in body
    assert "24.1 MB" in technical
    assert "2026-07-01 12:05 EDT" in technical
    assert 'name="audio_version"' not in body and 'name="guid"' not in body


def test_publish_anyway_is_asked_only_when_the_audio_may_be_short(admin_client, episode):
    url = reverse("admin:episodes_episode_change", args=[episode.pk])
    assert 'type="hidden" name="publish_anyway"' in admin_client.get(url).content.decode()
    Episode.objects.filter(pk=episode.pk).update(audio_notes="x\ntruncated upload?")
    assert 'type="checkbox" name="publish_anyway"' in admin_client.get(url).content.decode()
