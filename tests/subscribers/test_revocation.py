"""A revoked or expired subscriber: 410 Gone on the feed, 403 on its files, at once."""

import datetime as dt

import pytest
from django.test import Client
from django.utils import timezone

pytestmark = pytest.mark.django_db


def token_urls(subscriber, episode) -> dict[str, str]:
    base = f"/feeds/{subscriber.token}"
    return {
        "audio": f"{base}/audio/{episode.number}/{episode.slug}.mp3",
        "transcript": f"{base}/transcript/{episode.number}/{episode.slug}.vtt",
        "chapters": f"{base}/chapters/{episode.number}.json",
    }


def end(subscriber, how: str) -> None:
    if how == "revoked":
        subscriber.revoke()
    else:
        subscriber.expires_at = timezone.now() - dt.timedelta(seconds=1)
        subscriber.save()


@pytest.mark.parametrize("how", ["revoked", "expired"])
def test_an_ended_subscription_is_refused_right_after_a_warm_request(
    subscriber, premium_episode, how
):
    client = Client()
    feed = f"/feeds/{subscriber.token}/rss"
    urls = token_urls(subscriber, premium_episode)
    assert client.get(feed).status_code == 200  # the feed's bytes are now cached
    assert all(client.get(url).status_code == 200 for url in urls.values())
    end(subscriber, how)
    response = client.get(feed)
    assert response.status_code == 410
    assert response["Cache-Control"] == "no-store"
    assert {kind: client.get(url).status_code for kind, url in urls.items()} == dict.fromkeys(
        urls, 403
    )


def test_a_regenerated_token_leaves_the_old_urls_dead(subscriber, premium_episode):
    old = token_urls(subscriber, premium_episode)
    subscriber.regenerate()
    assert {Client().get(url).status_code for url in old.values()} == {404}
    assert Client().get(token_urls(subscriber, premium_episode)["audio"]).status_code == 200


def test_a_token_opens_only_its_own_shows_episodes(subscriber, premium_episode, tone):
    from tests.factories import ShowFactory, published_episode

    other = published_episode(tone, show=ShowFactory(slug="other", is_default=False), number=9)
    url = token_urls(subscriber, other)["audio"]
    assert Client().get(url).status_code == 404


def test_token_urls_stay_out_of_shared_caches(subscriber, public_episode):
    response = Client().get(token_urls(subscriber, public_episode)["audio"])
    assert response.status_code == 200
    assert "public" not in response["Cache-Control"]
