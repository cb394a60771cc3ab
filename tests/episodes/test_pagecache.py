import pytest
from django.core.cache import cache

from episodes import search as search_index
from episodes import services
from tests.factories import published_episode


@pytest.fixture
def episode(db, tone, settings):
    settings.PODCAST_PAGE_CACHE_SECONDS = 10
    cache.clear()
    yield published_episode(tone, slug="cached", title="Before the edit")
    cache.clear()


def edit_title(episode) -> None:
    episode.title = "After the edit"
    episode.save()


def test_listeners_get_the_page_from_the_cache_for_a_few_seconds(client, episode):
    assert "Before the edit" in client.get(episode.get_absolute_url()).content.decode()
    edit_title(episode)
    assert "Before the edit" in client.get(episode.get_absolute_url()).content.decode()


def test_editors_always_see_the_page_built_fresh(admin_client, client, episode):
    client.get(episode.get_absolute_url())
    edit_title(episode)
    assert "After the edit" in admin_client.get(episode.get_absolute_url()).content.decode()


def test_turned_off_every_request_builds_the_page(client, episode, settings):
    settings.PODCAST_PAGE_CACHE_SECONDS = 0
    client.get(episode.get_absolute_url())
    edit_title(episode)
    assert "After the edit" in client.get(episode.get_absolute_url()).content.decode()


def test_unpublishing_takes_the_page_down_at_once(
    client, episode, django_capture_on_commit_callbacks
):
    assert client.get(episode.get_absolute_url()).status_code == 200
    assert "Before the edit" in client.get("/").content.decode()
    episode.publish_at = None
    episode.save()
    with django_capture_on_commit_callbacks(execute=True):
        services.record_episode_change(episode=episode)
    assert client.get(episode.get_absolute_url()).status_code == 404
    assert "Before the edit" not in client.get("/").content.decode()


def test_an_edit_saved_by_an_editor_reaches_listeners_at_once(
    client, episode, django_capture_on_commit_callbacks
):
    client.get(episode.get_absolute_url())
    edit_title(episode)
    with django_capture_on_commit_callbacks(execute=True):
        services.record_episode_change(episode=episode)
    assert "After the edit" in client.get(episode.get_absolute_url()).content.decode()


def test_a_preview_link_is_never_served_from_the_cache(client, episode):
    client.get(episode.get_absolute_url())
    edit_title(episode)
    url = f"{episode.get_absolute_url()}?preview={episode.preview_token}"
    assert "After the edit" in client.get(url).content.decode()


@pytest.mark.parametrize("query", ["?q=edit", "?utm_source=x"])
def test_unknown_parameters_get_the_page_built_fresh(client, episode, query):
    client.get(f"{episode.get_absolute_url()}{query}")
    edit_title(episode)
    assert "After the edit" in client.get(f"{episode.get_absolute_url()}{query}").content.decode()


def test_a_search_is_never_served_from_the_cache(client, episode):
    assert "After the edit" not in client.get("/search?q=after").content.decode()
    edit_title(episode)
    search_index.index_episode(episode)
    assert "After the edit" in client.get("/search?q=after").content.decode()
