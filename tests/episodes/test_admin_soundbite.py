"""The soundbite on the episode form: refused outside the audio, warned outside 15-120 s,
and read back from the feed by podcast-partytime and feedsmith."""

import pytest
from django.contrib.messages import get_messages

from episodes.models import Episode
from tests.episodes.test_admin_editing import errors_of, post_change
from tests.factories import ShowFactory, published_episode

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("feed_site")]


@pytest.fixture
def episode(tone):
    show = ShowFactory(slug="main", title="Bytes Show")
    return published_episode(tone, duration=60.0, show=show, number=3, slug="third")


def test_a_soundbite_past_the_end_of_the_audio_is_refused(admin_client, episode):
    response = post_change(admin_client, episode, soundbite_start="50", soundbite_duration="20")
    assert "ends at 70 s, after the audio ends (60.0 s)" in errors_of(response)
    episode.refresh_from_db()
    assert episode.soundbite_start is None


def test_a_short_soundbite_is_saved_with_the_specs_advice(admin_client, episode):
    response = post_change(admin_client, episode, soundbite_start="1", soundbite_duration="5")
    assert response.status_code == 302
    said = [str(m) for m in get_messages(response.wsgi_request)]
    assert any("recommends 15 to 120 seconds" in m for m in said), said
    episode.refresh_from_db()
    assert (episode.soundbite_start, episode.soundbite_duration) == (1.0, 5.0)


def test_the_form_has_a_player_of_the_episodes_audio(admin_client, episode):
    response = admin_client.get(f"/admin/episodes/episode/{episode.pk}/change/")
    html = response.content.decode()
    assert f'<audio controls preload="metadata" src="{episode.download_url()}">' in html
    assert "Set start here" in html and "js/admin-soundbite.js" in html


def test_the_saved_soundbite_is_what_both_parsers_read(
    admin_client, client, episode, partytime_whole, feedsmith
):
    changes = dict(soundbite_start="12.5", soundbite_duration="30", soundbite_title="Bite & more")
    assert post_change(admin_client, episode, **changes).status_code == 302
    feed = client.get("/episodes/rss").content
    check_soundbite(feed, (12.5, 30, "Bite & more"), partytime_whole, feedsmith)


def check_soundbite(feed: bytes, bite: tuple, partytime_whole, feedsmith) -> None:
    """The one item's soundbite, (start, duration, title), as both parsers report it."""
    start, duration, title = bite
    (item,) = partytime_whole(feed)["items"]
    expected = {"startTime": start, "duration": duration, "title": title}
    assert item["podcastSoundbites"] == [expected]
    (item,) = feedsmith(feed)["items"]
    expected = {"startTime": start, "duration": duration, "display": title}
    assert item["podcast"]["soundbites"] == [expected]


def test_a_soundbite_left_outside_shorter_new_audio_drops_out_of_the_feed(client, episode):
    Episode.objects.filter(pk=episode.pk).update(
        soundbite_start=50.0, soundbite_duration=20.0, audio_duration=30.0
    )
    feed = client.get("/episodes/rss").content
    assert b"podcast:soundbite" not in feed and b"<item>" in feed
