"""Every admin page answers an editor: a staff user with the model permissions, not a superuser."""

import pytest
from django.apps import apps
from django.contrib import admin
from django.contrib.auth.models import Group, Permission, User
from django.test import Client
from django.urls import reverse

from analytics.models import MeasurementPrefix, ShowAnalytics
from episodes.importing.models import FeedImport, ImportedEpisode
from episodes.models import ShowHost
from podcast.models import QueuedWork, TaskFailure
from subscribers.models import Subscriber
from tests.factories import (
    ChapterFactory,
    EpisodeFactory,
    PersonFactory,
    SegmentFactory,
    ShowFactory,
    ShowNoteLinkFactory,
    SponsorFactory,
    TranscriptFactory,
    published_episode,
)

OUR_APPS = ("episodes", "transcripts", "podcast")


def our_models() -> list[type]:
    return [model for label in OUR_APPS for model in apps.get_app_config(label).get_models()]


def url_name(model: type, page: str) -> str:
    return f"admin:{model._meta.app_label}_{model._meta.model_name}_{page}"


REGISTERED = sorted(admin.site._registry, key=lambda model: model._meta.label)


@pytest.fixture
def one_of_each(db, tone) -> None:
    """A row of every registered model, linked as editors link them.

    Two shows and two groups: a filter on a relation shows only with a choice to make.
    """
    show = ShowFactory(slug="main")
    ShowFactory(slug="other", title="Other show", is_default=False)
    Group.objects.create(name="Editors")
    Group.objects.create(name="Guests")
    show.funding_links.create(url="https://example.org/support", label="Support us")
    person = PersonFactory(slug="pat")
    ShowHost.objects.create(show=show, person=person)
    episode = published_episode(tone, show=show, number=1, slug="one")
    episode.credits.create(person=person)
    episode.sponsorships.create(sponsor=SponsorFactory(slug="acme"))
    ShowNoteLinkFactory(episode=episode, picked_by=person)
    ChapterFactory(episode=episode, title="Start")
    SegmentFactory(transcript=TranscriptFactory(episode=episode), speaker="Pat")
    feed_import = FeedImport.objects.create(show=show, url="https://old.example/feed.xml")
    feed_import.items.create(episode=episode, enclosure_url="https://old.example/1.mp3")
    for task in ("episodes.tasks.write_audio_tags", "episodes.tasks.ping_websub_hub"):
        TaskFailure.objects.create(task=task, arguments=[episode.pk], reason="gave up")
    QueuedWork.objects.create(task="episodes.tasks.write_audio_tags", arguments=[episode.pk])
    MeasurementPrefix.objects.create(show=show, service="op3", prefix="https://op3.dev/e/")
    show.txts.create(purpose="verify", text="token")
    show.podroll.create(feed_guid="917393e3-1b1e-5cef-ace4-edaa54e1f810")
    show.value_recipients.create(name="Pat", address="02" + "ab" * 32, split=100)
    episode.social_interacts.create(protocol="activitypub", uri="https://social.example/@pat/1")
    episode.value_recipients.create(name="Pat", address="02" + "ab" * 32, split=100)
    show.live_items.create(
        title="Live", start=episode.publish_at, content_url="https://youtube.com/live"
    )
    Subscriber.objects.create(show=show, email="pat@example.com", source="editor")
    Subscriber.objects.create(show=show, email="sam@example.com", source="webhook")


@pytest.fixture
def editor(db) -> Client:
    user = User.objects.create_user("editor", password="pw", is_staff=True)
    user.user_permissions.set(Permission.objects.all())
    client = Client()
    client.force_login(user)
    return client


def test_every_model_of_our_apps_is_in_the_admin_or_an_inline_there() -> None:
    inlines = {inline.model for model_admin in admin.site._registry.values()
               for inline in model_admin.inlines}  # fmt: skip
    missing = [m.__name__ for m in our_models() if m not in {*admin.site._registry, *inlines}]
    assert missing == []


def test_the_fixture_has_a_row_of_every_model(one_of_each) -> None:
    assert [m.__name__ for m in our_models() if not m.objects.exists()] == []


@pytest.mark.parametrize("model", REGISTERED, ids=lambda m: m._meta.label)
def test_every_changelist_answers_an_editor_with_a_search_and_each_filter(
    editor, one_of_each, model
) -> None:
    url = reverse(url_name(model, "changelist"))
    response = editor.get(url)
    assert response.status_code == 200
    assert editor.get(url, {"q": "x"}).status_code == 200
    changelist = response.context["cl"]
    assert len(changelist.filter_specs) == len(admin.site._registry[model].list_filter)
    for spec in changelist.filter_specs:
        choices = [c["query_string"] for c in spec.choices(changelist)][1:]  # after "All"
        assert choices, f"{spec.title}: no choice to filter by"
        for query in choices:
            filtered = editor.get(url + query)
            assert filtered.status_code == 200, (spec.title, query)
            assert editor.get(url + query + "&q=x").status_code == 200, (spec.title, query)


@pytest.mark.parametrize("model", REGISTERED, ids=lambda m: m._meta.label)
def test_every_add_and_change_page_answers_an_editor(editor, one_of_each, model) -> None:
    # Records the site writes itself (background work, analytics) have no add page.
    expected = 403 if model in (TaskFailure, QueuedWork, ImportedEpisode, ShowAnalytics) else 200
    assert editor.get(reverse(url_name(model, "add"))).status_code == expected
    row = model.objects.first()
    assert editor.get(reverse(url_name(model, "change"), args=[row.pk])).status_code == 200


@pytest.mark.django_db
@pytest.mark.parametrize("model", REGISTERED, ids=lambda m: m._meta.label)
@pytest.mark.parametrize("page", ["changelist", "add"])
def test_every_admin_page_sends_an_anonymous_visitor_to_the_login(client, model, page) -> None:
    response = client.get(reverse(url_name(model, page)))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("admin:login"))


@pytest.mark.django_db
def test_the_episode_change_page_shows_its_inlines_and_status(editor):
    episode = EpisodeFactory(audio_status="failed", audio_error="the file is empty")
    response = editor.get(reverse("admin:episodes_episode_change", args=[episode.pk]))
    content = response.content.decode()
    assert response.status_code == 200
    for inline in ("Show note links", "Episode persons", "Chapters"):
        assert inline.lower() in content.lower()
    assert "the file is empty" in content
