"""The episode list's downloads column: IAB downloads to date, linked to the analytics page."""

import datetime as dt

import pytest
from django.urls import reverse

from analytics.models import DailyDownloads
from tests.factories import ShowFactory, published_episode

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("fast_password_hashing")]


def count(episode, day: int, client: str, downloads: int) -> None:
    DailyDownloads.objects.create(
        day=dt.date(2026, 11, day),
        show=episode.show,
        episode=episode,
        client=client,
        device_category="mobile",
        downloads=downloads,
    )


def test_the_list_shows_each_episode_s_downloads_summed_over_days_and_apps(admin_client, tone):
    show = ShowFactory(slug="main")
    heard = published_episode(tone, show=show, number=7)
    quiet = published_episode(tone, show=show, number=8)
    count(heard, 1, "Apple Podcasts", 1200)
    count(heard, 2, "Overcast", 34)
    response = admin_client.get(reverse("admin:episodes_episode_changelist"))
    body = response.content.decode()
    page = reverse("analytics:episode", args=["main", 7])
    assert f'<a href="{page}">1,234</a>' in body
    assert f'<a href="{reverse("analytics:episode", args=["main", 8])}">0</a>' in body
    rows = {e.number: e.downloads for e in response.context["cl"].result_list}
    assert rows == {7: 1234, 8: 0} and quiet.number == 8


def test_the_list_sorts_by_downloads(admin_client, tone):
    show = ShowFactory(slug="main")
    for number, downloads in [(1, 5), (2, 50), (3, 0)]:
        episode = published_episode(tone, show=show, number=number)
        if downloads:
            count(episode, 1, "Overcast", downloads)
    columns = list(
        admin_client.get(reverse("admin:episodes_episode_changelist")).context["cl"].list_display
    )
    position = columns.index("downloads")
    response = admin_client.get(reverse("admin:episodes_episode_changelist"), {"o": f"-{position}"})
    assert [e.number for e in response.context["cl"].result_list] == [2, 1, 3]
