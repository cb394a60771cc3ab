"""The subscriber page: the emailed link shows the personal feed URL, and only while it should."""

import datetime as dt

import pytest
import time_machine
from django.core import mail
from django.utils import timezone

from subscribers import links, services
from subscribers.models import Subscriber
from tests.factories import ShowFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def ann():
    show = ShowFactory(slug="main", title="Paid Show")
    return Subscriber.objects.create(show=show, email="ann@example.com", name="Ann")


def emailed_path(subscriber: Subscriber) -> str:
    """The page path out of the email the subscriber received."""
    assert services.send_link(subscriber=subscriber)
    url = next(line for line in mail.outbox[-1].body.splitlines() if "/subscribers/page/" in line)
    return url.strip().removeprefix("http://127.0.0.1:8000")


def test_the_emailed_link_shows_the_feed_url_and_the_app_links(client, ann):
    response = client.get(emailed_path(ann))
    assert response.status_code == 200
    page = response.content.decode()
    feed_url = links.personal_feed_url(ann)
    assert feed_url.endswith(f"/feeds/{ann.token}/rss")
    assert f'value="{feed_url}"' in page
    assert "Hello Ann" in page and "Paid Show" in page
    for scheme in ("podcast://", "overcast://x-callback-url/add?url=", "pktc://subscribe/",
                   "antennapod-subscribe://"):  # fmt: skip
        assert f'href="{scheme}' in page


def test_the_page_is_never_cached_indexed_or_sent_on_as_a_referrer(client, ann):
    response = client.get(emailed_path(ann))
    assert response["Cache-Control"] == "private, no-store"
    assert response["Referrer-Policy"] == "no-referrer"
    assert "noindex" in response["X-Robots-Tag"]


def test_the_email_carries_no_token(ann):
    emailed_path(ann)
    message = mail.outbox[0]
    assert ann.token not in message.subject and ann.token not in message.body


def test_the_link_expires(client, ann, settings):
    path = emailed_path(ann)
    later = timezone.now() + dt.timedelta(days=settings.PODCAST_SUBSCRIBER_LINK_DAYS, hours=1)
    with time_machine.travel(later):
        response = client.get(path)
    assert response.status_code == 404
    assert "no longer works" in response.content.decode()
    assert ann.token not in response.content.decode()


@pytest.mark.parametrize("change", ["regenerate", "revoke"])
def test_a_regenerated_or_revoked_subscriber_s_old_link_stops_working(client, ann, change):
    path = emailed_path(ann)
    getattr(ann, change)()
    response = client.get(path)
    assert response.status_code == 404
    assert ann.token not in response.content.decode()


def test_a_tampered_link_is_refused(client, ann):
    path = emailed_path(ann)
    other = Subscriber.objects.create(show=ann.show, email="bob@example.com")
    forged = path.replace(path.rsplit("/", 1)[1].split(":", 1)[0], f"[{other.pk}")
    assert client.get(forged).status_code == 404
    assert client.get(path + "x").status_code == 404
