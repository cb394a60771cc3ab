"""The admin's import: the URL form, its dry-run report, Import, then progress and advice."""

import pytest
from django.contrib.auth.models import Permission, User
from django.test import Client
from django.urls import reverse

from episodes.importing import media
from episodes.importing.models import FeedImport
from episodes.models import Episode, Show

pytestmark = pytest.mark.django_db

NEW = "admin:episodes_feedimport_add"


def editor_with(email: str) -> Client:
    user = User.objects.create_user("editor", email=email, password="pw", is_staff=True)
    user.user_permissions.set(Permission.objects.all())
    client = Client()
    client.force_login(user)
    return client


@pytest.fixture
def editor() -> Client:
    return editor_with("editor@example.org")


def test_the_dry_run_shows_the_report_and_creates_nothing(editor, host):
    url = host.serve_file("feedjira/itunes.xml")
    response = editor.post(reverse(NEW), {"url": url, "preview": "1"})
    content = response.content.decode()
    assert response.status_code == 200
    assert "Dry run: what the import would do" in content
    assert "New episodes: 3. Already here (matched by guid): 0." in content
    assert 'name="import" value="Import"' in content
    assert Show.objects.count() == 0


def test_import_creates_drafts_and_shows_progress_and_what_to_do_at_the_old_host(editor, host):
    url = host.serve_file("feedjira/itunes.xml")
    response = editor.post(reverse(NEW), {"url": url, "import": "1"})
    feed_import = FeedImport.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse(
        "admin:episodes_feedimport_change", args=[feed_import.pk]
    )
    page = editor.get(response["Location"]).content.decode()
    assert 'Episodes found in the feed</dt><dd data-kind="found">3</dd>' in page
    assert 'Waiting for the worker</dt><dd data-kind="waiting" data-status="pending">3' in page
    our_feed = feed_import.show.feed_url()
    assert f"&lt;itunes:new-feed-url&gt;{our_feed}&lt;/itunes:new-feed-url&gt;" in page
    assert f"Redirect the old feed URL <code>{url}</code>" in page
    first = feed_import.items.order_by("pk").first()
    media.fetch_item_files(imported_id=first.pk)
    progress = editor.get(
        reverse("admin:episodes_feedimport_progress", args=[feed_import.pk])
    ).json()
    assert (progress["found"], progress["downloaded"], progress["waiting"]) == (3, 1, 2)
    editor.post(reverse("admin:episodes_feedimport_publish", args=[feed_import.pk]))
    assert list(Episode.objects.published()) == [first.episode]


def test_a_locked_feed_is_refused_in_words_unless_the_editor_is_its_owner(host):
    url = host.serve_file("podcast-namespace/example.xml")
    stranger = editor_with("editor@example.org")
    response = stranger.post(reverse(NEW), {"url": url, "import": "1"})
    assert "The feed is locked" in response.content.decode()
    assert Show.objects.count() == 0
    User.objects.all().delete()
    owner = editor_with("podcastowner@example.com")
    response = owner.post(reverse(NEW), {"url": url, "import": "1"})
    assert response.status_code == 302
    assert Episode.objects.count() == 3


def test_a_private_address_is_refused_on_the_form(editor, settings):
    settings.PODCAST_IMPORT_ALLOWED_NETWORKS = []
    response = editor.post(
        reverse(NEW), {"url": "http://169.254.169.254/latest/meta-data/", "preview": "1"}
    )
    assert "169.254.169.254 is a link-local address" in response.content.decode()
