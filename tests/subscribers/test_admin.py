"""The subscriber admin: what editors see and do, through the real admin pages."""

import datetime as dt

import pytest
from django.core import mail
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone

from subscribers import links
from subscribers.models import Subscriber
from tests.factories import EpisodeFactory, ShowFactory

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("fast_password_hashing")]
LIST = reverse("admin:subscribers_subscriber_changelist")


@pytest.fixture
def show():
    return ShowFactory(slug="main", title="Paid Show")


def make(show, email: str, **fields) -> Subscriber:
    return Subscriber.objects.create(show=show, email=email, **fields)


def change_url(subscriber: Subscriber) -> str:
    return reverse("admin:subscribers_subscriber_change", args=[subscriber.pk])


def button(subscriber: Subscriber, what: str) -> str:
    return reverse("admin:subscribers_button", args=[subscriber.pk, what])


def test_the_list_says_each_subscriber_s_state_and_filters_by_it(admin_client, show):
    make(show, "ann@example.com", name="Ann")
    make(show, "bob@example.com", revoked_at=timezone.now())
    make(show, "cat@example.com", expires_at=timezone.now() - dt.timedelta(days=1))
    page = admin_client.get(LIST).content.decode()
    assert all(state in page for state in ("Active", "Revoked", "Expired"))
    revoked = admin_client.get(LIST, {"state": "revoked"}).content.decode()
    assert "bob@example.com" in revoked and "ann@example.com" not in revoked
    expired = admin_client.get(LIST, {"state": "expired"}).content.decode()
    assert "cat@example.com" in expired and "bob@example.com" not in expired
    found = admin_client.get(LIST, {"q": "Ann"}).content.decode()
    assert "ann@example.com" in found and "cat@example.com" not in found


def test_an_editor_adds_a_subscriber_and_sees_the_personal_feed_url(admin_client, show):
    response = admin_client.post(
        reverse("admin:subscribers_subscriber_add"),
        {"show": show.pk, "name": "Ann", "email": "ann@example.com", "external_id": ""},
    )
    assert response.status_code == 302
    ann = Subscriber.objects.get()
    assert ann.source == "admin"
    page = admin_client.get(change_url(ann)).content.decode()
    assert links.personal_feed_url(ann) in page
    assert "Revoke now" in page and "Regenerate feed URL" in page


@pytest.mark.parametrize("spelling", ["ann@example.com", "ANN@Example.com"])
def test_re_adding_a_revoked_subscriber_in_the_admin_is_refused(admin_client, show, spelling):
    ann = make(show, "ann@example.com", revoked_at=timezone.now())
    leaked = ann.token
    response = admin_client.post(
        reverse("admin:subscribers_subscriber_add"),
        {"show": show.pk, "name": "Ann", "email": spelling, "external_id": ""},
    )
    assert response.status_code == 200
    assert "is already a subscriber of main" in response.content.decode()
    assert Subscriber.objects.get().revoked_at is not None
    assert admin_client.get(f"/feeds/{leaked}/rss").status_code == 410


def asks_first(page: str, *emails: str) -> bool:
    """An "Are you sure?" page naming each affected subscriber and what stops working."""
    return (
        "Are you sure" in page
        and "stop working at once" in page
        and all(email in page for email in emails)
    )


def test_revoke_on_the_change_page_asks_first_then_stops_the_subscriber(admin_client, show):
    ann = make(show, "ann@example.com")
    asked = admin_client.get(button(ann, "revoke"))
    assert asked.status_code == 200 and asks_first(asked.content.decode(), "ann@example.com")
    assert "410 Gone" in asked.content.decode()
    ann.refresh_from_db()
    assert ann.is_active()  # asking changed nothing
    response = admin_client.post(button(ann, "revoke"), {"post": "yes"}, follow=True)
    assert "Revoked 1: their personal feeds and audio stop now." in response.content.decode()
    ann.refresh_from_db()
    assert not ann.is_active()
    assert admin_client.get(f"/feeds/{ann.token}/rss").status_code == 410
    assert "Revoke now" not in admin_client.get(change_url(ann)).content.decode()


def test_regenerate_asks_first_then_shows_the_new_url_and_the_old_one_stops(admin_client, show):
    ann = make(show, "ann@example.com")
    old = ann.token
    asked = admin_client.post(button(ann, "regenerate"))  # a POST without "yes" only asks
    assert asked.status_code == 200 and asks_first(asked.content.decode(), "ann@example.com")
    assert Subscriber.objects.get(pk=ann.pk).token == old
    response = admin_client.post(button(ann, "regenerate"), {"post": "yes"}, follow=True)
    ann.refresh_from_db()
    assert ann.token != old
    assert (
        f"The new personal feed URL (the old one no longer works): <code>{links.personal_feed_url(ann)}</code>"
        in response.content.decode()
    )
    assert Subscriber.objects.for_token(old) is None


def test_the_email_button_answers_only_to_post(admin_client, show):
    ann = make(show, "ann@example.com")
    assert admin_client.get(button(ann, "send-link")).status_code == 405
    assert mail.outbox == []


def test_revoke_and_regenerate_as_list_actions_ask_first(admin_client, show):
    ann, bob = make(show, "ann@example.com"), make(show, "bob@example.com")
    old = bob.token
    chosen = {"_selected_action": [ann.pk, bob.pk]}
    asked = admin_client.post(LIST, {"action": "revoke", **chosen})
    page = asked.content.decode()
    assert asked.status_code == 200 and asks_first(page, "ann@example.com", "bob@example.com")
    assert Subscriber.objects.active().count() == 2  # asking changed nothing
    admin_client.post(LIST, {"action": "revoke", "_selected_action": [ann.pk], "post": "yes"})
    asked = admin_client.post(LIST, {"action": "regenerate", "_selected_action": [bob.pk]})
    assert asks_first(asked.content.decode(), "bob@example.com")
    assert Subscriber.objects.get(pk=bob.pk).token == old
    admin_client.post(LIST, {"action": "regenerate", "_selected_action": [bob.pk], "post": "yes"})
    ann.refresh_from_db()
    assert not ann.is_active()
    assert (
        Subscriber.objects.for_token(old) is None and Subscriber.objects.get(pk=bob.pk).is_active()
    )


def test_revoking_only_revoked_subscribers_says_there_is_nothing_to_do(admin_client, show):
    bob = make(show, "bob@example.com", revoked_at=timezone.now())
    response = admin_client.post(
        LIST, {"action": "revoke", "_selected_action": [bob.pk]}, follow=True
    )
    assert "None of them is active: nothing to revoke." in response.content.decode()


def test_bring_back_asks_first_then_gives_a_new_url_and_emails_the_page_link(admin_client, show):
    ann = make(show, "ann@example.com", revoked_at=timezone.now())
    leaked = ann.token
    page = admin_client.get(change_url(ann)).content.decode()
    assert "Bring back" in page and "Revoke now" not in page
    asked = admin_client.get(button(ann, "reinstate")).content.decode()
    assert "Are you sure you want to bring back" in asked and "ann@example.com" in asked
    assert "stays dead" in asked
    assert Subscriber.objects.get(pk=ann.pk).revoked_at is not None  # asking changed nothing
    response = admin_client.post(button(ann, "reinstate"), {"post": "yes"}, follow=True)
    said = response.content.decode()
    assert "Brought back 1, each with a new personal feed URL" in said
    assert "emailed 1 the link to their page" in said
    ann.refresh_from_db()
    assert ann.is_active() and ann.token != leaked
    assert admin_client.get(f"/feeds/{leaked}/rss").status_code == 404  # nobody holds it
    assert admin_client.get(f"/feeds/{ann.token}/rss").status_code == 200
    assert [m.to for m in mail.outbox] == [["ann@example.com"]]
    assert "/subscribers/page/" in mail.outbox[0].body
    assert "Revoke now" in admin_client.get(change_url(ann)).content.decode()


def test_bring_back_from_the_list_takes_only_the_revoked(admin_client, show):
    ann = make(show, "ann@example.com")
    bob = make(show, "bob@example.com", revoked_at=timezone.now())
    kept, chosen = ann.token, {"_selected_action": [ann.pk, bob.pk]}
    asked = admin_client.post(LIST, {"action": "reinstate", **chosen}).content.decode()
    assert "bob@example.com" in asked and "ann@example.com" not in asked
    admin_client.post(LIST, {"action": "reinstate", "_selected_action": [bob.pk], "post": "yes"})
    assert Subscriber.objects.active().count() == 2
    assert Subscriber.objects.get(pk=ann.pk).token == kept, "an active one is left alone"
    nothing = admin_client.post(
        LIST, {"action": "reinstate", "_selected_action": [ann.pk]}, follow=True
    )
    assert "None of them is revoked: nothing to bring back." in nothing.content.decode()


def test_sending_links_emails_active_subscribers_only(admin_client, show):
    ann = make(show, "ann@example.com")
    bob = make(show, "bob@example.com", revoked_at=timezone.now())
    response = admin_client.post(
        LIST, {"action": "send_link", "_selected_action": [ann.pk, bob.pk]}, follow=True
    )
    page = response.content.decode()
    assert "Sent 1 link emails." in page and "1 not active" in page
    assert [m.to for m in mail.outbox] == [["ann@example.com"]]


def test_the_csv_import_reports_each_refused_line_and_creates_the_rest(admin_client, show):
    csv = b"email,name,expires\nann@example.com,Ann,\nnope,Bob,\ncat@example.com,Cat,2027-02-30\n"
    response = admin_client.post(
        reverse("admin:subscribers_subscriber_import"),
        {"show": show.pk, "file": SimpleUploadedFile("s.csv", csv), "send_links": "on"},
    )
    page = response.content.decode()
    assert "4 rows read: 1 created, 2 refused, 1 header." in page
    assert "<td>3</td><td>&#x27;nope&#x27; is not an email address</td>" in page
    assert "<td>4</td><td>expires &#x27;2027-02-30&#x27; is not a date like 2027-01-31</td>" in page
    assert list(Subscriber.objects.values_list("email", flat=True)) == ["ann@example.com"]
    assert [m.to for m in mail.outbox] == [["ann@example.com"]]


def test_a_file_that_is_not_utf8_is_refused_as_a_whole(admin_client, show):
    response = admin_client.post(
        reverse("admin:subscribers_subscriber_import"),
        {
            "show": show.pk,
            "file": SimpleUploadedFile("s.csv", "café@example.com".encode("latin-1")),
        },
    )
    assert "not UTF-8" in response.content.decode()
    assert not Subscriber.objects.exists()


def test_premium_and_private_are_on_the_episode_and_show_forms(admin_client, show):
    episode = EpisodeFactory(show=show)
    episode_page = admin_client.get(reverse("admin:episodes_episode_change", args=[episode.pk]))
    publishing = dict((f.name, list(f.fields)) for f in episode_page.context["adminform"])
    assert "premium" in publishing["Publishing"]  # next to when it goes out, and to whom
    show_page = admin_client.get(reverse("admin:episodes_show_change", args=[show.pk]))
    assert 'name="private"' in show_page.content.decode()
    assert 'name="subscribe_url"' in show_page.content.decode()
