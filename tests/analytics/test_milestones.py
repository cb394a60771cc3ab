"""The first-days table's sums, kept by the worker: always what summing the daily counts gives."""

import datetime as dt

from django.urls import reverse

from analytics import aggregation, milestones
from analytics.models import EpisodeMilestones
from analytics.recording import event_fields, push

from .test_recording import OVERCAST

SALT = b"m" * 32


def downloaded(episode, *days_after: int) -> None:
    """One full download per listener on each of these days after release, aggregated."""
    released = episode.publish_at
    for n, days in enumerate(days_after):
        when = (released + dt.timedelta(days=days, minutes=1)).timestamp()
        ip = f"198.51.100.{n + 1}"
        line = event_fields("a", when, episode.show_id, episode.pk, 200, ip, OVERCAST, "", SALT)
        push([[*line, 0, episode.audio_size - 1, episode.audio_size]])
    aggregation.aggregate_pending()


def kept(episode) -> tuple:
    row = EpisodeMilestones.objects.get(episode=episode)
    return row.released, (row.d1, row.d7, row.d30, row.d90)


def test_the_worker_keeps_each_episodes_first_days_and_adds_each_batch(episode):
    episode.publish_at -= dt.timedelta(days=100)
    episode.save()
    downloaded(episode, 0, 3)  # the worker's first run makes the row whole
    assert kept(episode) == (episode.publish_at.date(), (1, 2, 2, 2))
    downloaded(episode, 10, 40, 95)  # later batches add to it: day 95 is past every milestone
    assert kept(episode)[1] == (1, 2, 3, 4) == milestones.sums([episode.pk])[episode.pk]


def test_a_rescheduled_episode_is_summed_on_the_page_until_the_worker_remakes_its_row(
    admin_client, episode
):
    episode.publish_at -= dt.timedelta(days=100)
    episode.save()
    downloaded(episode, 0, 3, 20)
    episode.publish_at += dt.timedelta(days=3)  # now the day-3 download is on release day
    episode.save()
    page = admin_client.get(reverse("analytics:show", args=[episode.show.slug]))
    assert '<td class="number">2</td><td class="number">2</td><td class="number">3</td>' in (
        page.content.decode()
    )  # day 1 holds the earlier download too: before release counts as within
    aggregation.aggregate_pending()
    assert kept(episode) == (episode.publish_at.date(), (2, 2, 3, 3))


def test_an_episode_not_old_enough_shows_a_dash(admin_client, episode):
    downloaded(episode, 0)
    html = admin_client.get(reverse("analytics:show", args=[episode.show.slug])).content.decode()
    assert '<td class="number">1</td><td class="number"><span title="not that old yet">' in html
