import uuid

import pytest

from episodes.guids import PODCAST_GUID_NAMESPACE, podcast_guid
from episodes.models import Show
from tests.factories import ShowFactory


def test_podcast_guid_matches_the_namespace_check_values():
    assert str(podcast_guid("https://podnews.net/rss")) == "9b024349-ccf0-5f69-a609-6b82873eab3c"
    assert (
        str(podcast_guid("http://mp3s.nashownotes.com/pc20rss.xml/"))
        == "917393e3-1b1e-5cef-ace4-edaa54e1f810"
    )


@pytest.mark.parametrize("scheme", ["https://", "http://", ""])
def test_podcast_guid_ignores_the_scheme_and_trailing_slashes(scheme):
    expected = uuid.uuid5(PODCAST_GUID_NAMESPACE, "pod.example.com/episodes/rss")
    assert podcast_guid(f"{scheme}pod.example.com/episodes/rss//") == expected


@pytest.mark.django_db
def test_a_saved_show_gets_the_guid_of_its_feed_url_without_the_scheme(settings):
    settings.PODCAST_SITE_URL = "https://pod.example.com"
    show = ShowFactory(slug="main", is_default=True)
    assert show.feed_url() == "https://pod.example.com/episodes/rss"
    stored = Show.objects.get(pk=show.pk).podcast_guid
    assert stored == uuid.uuid5(PODCAST_GUID_NAMESPACE, "pod.example.com/episodes/rss")
    assert stored == podcast_guid(show.feed_url())


def move_show(show: Show, settings, change: str) -> None:
    if change == "slug":
        show.slug = "renamed"  # the default show's feed URL has no slug: make it another one
        show.is_default = False
        ShowFactory(slug="default", is_default=True)
    elif change == "is_default":
        show.is_default = False  # from /episodes/rss to /shows/main/episodes/rss
    else:
        settings.PODCAST_SITE_URL = "https://elsewhere.example.org"
    show.save()


@pytest.mark.parametrize("change", ["slug", "is_default", "site_url"])
@pytest.mark.django_db
def test_the_guid_is_kept_for_life_when_the_feed_url_changes(client, settings, change):
    settings.PODCAST_SITE_URL = "https://pod.example.com"
    show = ShowFactory(slug="main", is_default=True)
    first, old_url = show.podcast_guid, show.feed_url()
    move_show(show, settings, change)
    show = Show.objects.get(pk=show.pk)
    show.title = "Saved again after the move"
    show.save()
    assert show.feed_url() != old_url
    assert Show.objects.get(pk=show.pk).podcast_guid == first != podcast_guid(show.feed_url())
    feed = client.get(show.reverse("rss")).content
    assert f"<podcast:guid>{first}</podcast:guid>".encode() in feed
