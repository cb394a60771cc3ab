"""A subscriber's token: found by the token alone, gone after revoke or regenerate."""

import datetime as dt

import pytest
from django.utils import timezone

from subscribers.models import Subscriber
from tests.factories import ShowFactory

pytestmark = pytest.mark.django_db


def subscriber(**fields) -> Subscriber:
    return Subscriber.objects.create(show=ShowFactory(), email="ann@example.com", **fields)


def test_the_token_finds_its_subscriber_and_is_not_stored():
    ann = subscriber(name="Ann")
    assert Subscriber.objects.for_token(ann.token) == ann
    stored = Subscriber.objects.values().get(pk=ann.pk)
    assert ann.token not in {str(value) for value in stored.values()}


def test_a_regenerated_token_replaces_the_old_one():
    ann = subscriber()
    old = ann.token
    new = ann.regenerate()
    assert new != old
    assert Subscriber.objects.for_token(old) is None
    assert Subscriber.objects.for_token(new) == ann


def test_revoked_and_expired_subscribers_are_not_active():
    ann = subscriber()
    assert ann.is_active() and list(Subscriber.objects.active()) == [ann]
    ann.revoke()
    assert not ann.is_active() and not Subscriber.objects.active().exists()
    bob = Subscriber.objects.create(
        show=ann.show, email="bob@example.com", expires_at=timezone.now() - dt.timedelta(seconds=1)
    )
    assert not bob.is_active() and Subscriber.objects.for_token(bob.token) == bob
