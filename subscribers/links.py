"""A subscriber's two URLs: the personal feed, and the signed page link we email.

The page link carries a signed, time-stamped value (django.core.signing), never the
feed token: it expires after PODCAST_SUBSCRIBER_LINK_DAYS, and it names the token's
digest prefix, so regenerating or revoking the token makes older links fail too.
"""

from django.conf import settings
from django.core import signing
from django.urls import reverse

from .models import Subscriber

SALT = "subscribers.page"
DIGEST_CHARS = 16


def personal_feed_url(subscriber: Subscriber) -> str:
    """The absolute URL of the subscriber's personal feed (/feeds/<token>/rss)."""
    path = reverse("personal:rss", kwargs={"token": subscriber.token})
    return settings.PODCAST_SITE_URL.rstrip("/") + path


def page_value(subscriber: Subscriber) -> str:
    payload = [subscriber.pk, subscriber.token_digest[:DIGEST_CHARS]]
    return signing.dumps(payload, salt=SALT, compress=False)


def page_url(subscriber: Subscriber) -> str:
    """The absolute, signed and expiring URL of the subscriber's page."""
    path = reverse("subscribers:page", args=[page_value(subscriber)])
    return settings.PODCAST_SITE_URL + path


def link_days() -> int:
    return settings.PODCAST_SUBSCRIBER_LINK_DAYS


def subscriber_for_page(value: str) -> Subscriber | None:
    """The active subscriber a page link names, or None if forged, expired or outdated."""
    max_age = link_days() * 86400
    try:
        pk, digest = signing.loads(value, salt=SALT, max_age=max_age)
    except (signing.BadSignature, ValueError, TypeError):
        return None
    found = Subscriber.objects.active().select_related("show").filter(pk=pk).first()
    if found is None or found.token_digest[:DIGEST_CHARS] != digest:
        return None
    return found
