"""The payment webhook: only signed, fresh, first deliveries change subscribers."""

import datetime as dt
import json
import time

import pytest
import time_machine
from django.core import mail
from django.utils import timezone

from subscribers.models import Subscriber, WebhookDelivery
from subscribers.signatures import header_value
from tests.factories import ShowFactory

pytestmark = pytest.mark.django_db
SECRET = "whsec-test-secret"
URL = "/subscribers/webhook"


@pytest.fixture(autouse=True)
def webhook_on(settings):
    settings.PODCAST_SUBSCRIBER_WEBHOOK_SECRET = SECRET


@pytest.fixture
def show():
    return ShowFactory(slug="main", title="Paid Show")


def post(client, payload: dict, *, secret=SECRET, at=None, header=None):
    body = json.dumps(payload).encode()
    signed = header if header is not None else header_value(secret, int(at or time.time()), body)
    return client.post(
        URL, body, content_type="application/json", headers={"X-Podcast-Signature": signed}
    )


def event(kind: str, number: int = 1, **fields) -> dict:
    return {
        "event": kind,
        "id": f"evt_{kind}_{number}",
        "show": "main",
        "email": "ann@example.com",
        "name": "Ann",
        "external_id": "sub_42",
        "expires_at": "2030-01-31T00:00:00Z",
    } | fields


def test_create_makes_an_active_subscriber_and_emails_their_link(client, show):
    response = post(client, event("create"))
    assert response.status_code == 200, response.content
    ann = Subscriber.objects.get(show=show, email="ann@example.com")
    assert ann.is_active() and ann.name == "Ann" and ann.external_id == "sub_42"
    assert ann.source == "webhook"
    assert ann.expires_at == dt.datetime(2030, 1, 31, tzinfo=dt.UTC)
    assert response.json() | {"subscriber": 0} == {
        "ok": True, "event": "create", "id": "evt_create_1", "subscriber": 0,
        "active": True, "expires_at": "2030-01-31T00:00:00+00:00", "emailed": True,
        "new_feed_url": False,
    }  # fmt: skip
    [message] = mail.outbox
    assert message.to == ["ann@example.com"] and "Paid Show" in message.subject
    assert "/subscribers/page/" in message.body
    assert ann.token not in message.subject + message.body


def test_renew_moves_the_expiry_and_cancel_revokes_at_once(client, show):
    post(client, event("create"))
    renewed = post(client, event("renew", expires_at="2031-01-31T00:00:00+00:00"))
    assert renewed.status_code == 200
    ann = Subscriber.objects.get()
    assert ann.expires_at == dt.datetime(2031, 1, 31, tzinfo=dt.UTC)
    cancelled = post(client, event("cancel"))
    assert cancelled.status_code == 200 and cancelled.json()["active"] is False
    ann.refresh_from_db()
    assert ann.revoked_at is not None and not ann.is_active()
    assert Subscriber.objects.for_token(ann.token) == ann  # found, but no longer active
    assert len(mail.outbox) == 1  # only create emails


def refused_everywhere(client, token: str, episode) -> bool:
    """The old personal feed URL and its audio URL serve nothing."""
    feed = client.get(f"/feeds/{token}/rss")
    audio = client.get(f"/feeds/{token}/audio/{episode.number}/{episode.slug}.mp3")
    return feed.status_code in (404, 410) and audio.status_code in (403, 404)


def test_a_renewal_after_a_cancel_brings_the_subscriber_back_under_a_new_url(
    client, show, public_episode
):
    post(client, event("create"))
    leaked = Subscriber.objects.get().token
    post(client, event("cancel"))
    renewed = post(client, event("renew", 2))
    ann = Subscriber.objects.get()
    assert ann.is_active() and ann.token != leaked
    assert renewed.json()["new_feed_url"] is True and renewed.json()["emailed"] is True
    assert len(mail.outbox) == 2  # the create's link, then the link to the new URL
    assert client.get(f"/feeds/{ann.token}/rss").status_code == 200
    assert refused_everywhere(client, leaked, public_episode)


def test_a_create_for_a_revoked_email_issues_a_new_token(client, show, public_episode):
    post(client, event("create"))
    ann = Subscriber.objects.get()
    leaked = ann.token
    ann.revoke()  # an editor revoked the leaked URL
    assert client.get(f"/feeds/{leaked}/rss").status_code == 410
    again = post(client, event("create", 2))
    ann.refresh_from_db()
    assert again.json()["active"] is True and again.json()["new_feed_url"] is True
    assert ann.token != leaked and ann.pk == again.json()["subscriber"]
    assert client.get(f"/feeds/{ann.token}/rss").status_code == 200
    assert refused_everywhere(client, leaked, public_episode)


def test_a_create_for_an_active_email_keeps_its_feed_url(client, show):
    post(client, event("create"))
    token = Subscriber.objects.get().token
    again = post(client, event("create", 2, expires_at="2032-01-31T00:00:00Z"))
    assert again.json()["new_feed_url"] is False
    assert Subscriber.objects.get().token == token


def test_a_replayed_event_id_is_refused_and_changes_nothing(client, show):
    post(client, event("create"))
    post(client, event("cancel"))
    replay = post(client, event("cancel", expires_at=None))  # same id, freshly signed
    assert replay.status_code == 409
    assert replay.json() == {
        "ok": False,
        "error": "replayed: the event 'evt_cancel_1' was already received",
    }
    again = post(client, event("create"))
    assert again.status_code == 409
    assert not Subscriber.objects.get().is_active()  # the replayed create did not revive it


@pytest.mark.parametrize(
    ("header", "error"),
    [
        ("", "unsigned"),
        ("sha256=abc", "malformed"),
        (header_value("not-the-secret", int(time.time()), b"{}"), "bad signature"),
    ],
)
def test_unsigned_or_badly_signed_requests_are_refused(client, show, header, error):
    response = post(client, event("create"), header=header)
    assert response.status_code == 401
    assert response.json()["error"].startswith(error)
    assert not Subscriber.objects.exists() and not mail.outbox


def test_a_stale_request_is_refused_even_when_its_signature_is_right(client, show):
    response = post(client, event("create"), at=time.time() - 301)
    assert response.status_code == 401
    assert response.json()["error"].startswith("stale")
    assert not Subscriber.objects.exists()


def test_a_refused_event_does_not_use_up_its_id(client, show):
    bad = post(client, event("create", show="no-such-show"))
    assert bad.status_code == 422 and "no-such-show" in bad.json()["error"]
    assert post(client, event("create")).status_code == 200


@pytest.mark.parametrize(
    ("payload", "status", "error"),
    [
        (event("upgrade"), 400, "event"),
        (event("create", id=""), 400, "id"),
        (event("create", email="not-an-email"), 400, "email"),
        (event("create", expires_at="2030-01-31"), 400, "expires_at"),
        (event("renew", external_id="sub_unknown"), 422, "no subscriber"),
    ],
)
def test_a_malformed_event_says_what_is_wrong(client, show, payload, status, error):
    response = post(client, payload)
    assert response.status_code == status
    assert error in response.json()["error"]


def test_the_webhook_is_off_without_a_secret(client, show, settings):
    settings.PODCAST_SUBSCRIBER_WEBHOOK_SECRET = ""
    assert post(client, event("create"), secret="anything").status_code == 404


def test_seen_ids_older_than_a_month_are_cleaned_up(client, show):
    post(client, event("create"))
    with time_machine.travel(timezone.now() + dt.timedelta(days=31)):
        assert post(client, event("cancel")).status_code == 200
    assert list(WebhookDelivery.objects.values_list("event_id", flat=True)) == ["evt_cancel_1"]
