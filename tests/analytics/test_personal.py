"""Downloads through personal feeds: counted per subscriber, a shared feed flagged in the admin.

Requests go through the real audio response and record_download with the subscriber's id
(what the personal feed's audio view passes), then the worker's aggregation.
"""

import pytest
from django.contrib.auth.models import AnonymousUser
from django.urls import reverse

from analytics import aggregation
from analytics.models import DailyDownloads, SubscriberDay, SubscriberListener
from analytics.recording import record_download
from episodes.views import audio_response
from subscribers.models import Subscriber

OVERCAST = "Overcast/3.0 (+http://overcast.fm/; iOS podcast app)"
LIST = reverse("admin:subscribers_subscriber_changelist")


@pytest.fixture
def ann(episode) -> Subscriber:
    return Subscriber.objects.create(show=episode.show, email="ann@example.com")


def fetch(rf, episode, subscriber=None, *, ip="203.0.113.5", ua=OVERCAST, **headers):
    """One audio GET as a listener's app makes it, the whole body read."""
    request = rf.get(episode.download_url(), HTTP_USER_AGENT=ua, REMOTE_ADDR=ip, **headers)
    request.user = AnonymousUser()
    response = audio_response(request, episode, episode.audio.name)
    response = record_download(
        request, episode, response, subscriber_id=subscriber.pk if subscriber else None
    )
    b"".join(response)  # read to the end (a small range comes whole): the delivery is recorded


def test_a_download_through_a_personal_feed_counts_for_the_subscriber_and_the_episode(
    rf, episode, ann
):
    fetch(rf, episode, ann)
    fetch(rf, episode, ann)  # the same app again: still one download
    fetch(rf, episode, ip="198.51.100.9")  # a public listener: not the subscriber's
    aggregation.aggregate_pending()
    day = SubscriberDay.objects.get(subscriber=ann)
    assert (day.downloads, day.listeners) == (1, 1)
    assert sum(DailyDownloads.objects.values_list("downloads", flat=True)) == 2


def test_listener_keys_add_up_across_batches_without_counting_one_twice(rf, episode, ann):
    fetch(rf, episode, ann, ip="203.0.113.1")
    aggregation.aggregate_pending()
    fetch(rf, episode, ann, ip="203.0.113.1", HTTP_RANGE="bytes=0-1")
    fetch(rf, episode, ann, ip="203.0.113.2")
    aggregation.aggregate_pending()
    day = SubscriberDay.objects.get(subscriber=ann)
    assert (day.downloads, day.listeners) == (2, 2)
    assert SubscriberListener.objects.filter(subscriber=ann).count() == 2


@pytest.mark.usefixtures("fast_password_hashing")
def test_a_token_used_from_many_listener_keys_in_a_day_is_flagged(
    rf, episode, ann, admin_client, settings
):
    settings.PODCAST_SUBSCRIBER_SHARING_KEYS = 3
    bob = Subscriber.objects.create(show=episode.show, email="bob@example.com")
    for n in range(4):  # four addresses: four listener keys on one day
        fetch(rf, episode, ann, ip=f"203.0.113.{n + 10}", HTTP_RANGE="bytes=0-1")
    fetch(rf, episode, bob, ip="203.0.113.99")
    aggregation.aggregate_pending()
    page = admin_client.get(LIST).content.decode()
    assert "Shared? 4" in page
    flagged = admin_client.get(LIST, {"shared": "yes"}).content.decode()
    assert "ann@example.com" in flagged and "bob@example.com" not in flagged
    bob_row = page[page.index("bob@example.com") :]
    assert '<td class="field-downloads">1</td>' in bob_row


def test_a_deleted_subscriber_s_requests_still_count_for_the_episode(rf, episode, ann):
    fetch(rf, episode, ann)
    ann.delete()
    aggregation.aggregate_pending()
    assert not SubscriberDay.objects.exists()
    assert sum(DailyDownloads.objects.values_list("downloads", flat=True)) == 1


def test_audio_through_the_personal_feed_url_counts_for_its_subscriber(client, episode, ann):
    feed = client.get(f"/feeds/{ann.token}/rss").content.decode()
    audio = feed.split('<enclosure url="', 1)[1].split('"', 1)[0]
    assert ann.token in audio
    response = client.get(audio.removeprefix("http://127.0.0.1:8000"), HTTP_USER_AGENT=OVERCAST)
    b"".join(response.streaming_content)
    aggregation.aggregate_pending()
    assert SubscriberDay.objects.get(subscriber=ann).downloads == 1
