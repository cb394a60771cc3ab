"""Each episode's downloads in its first 1, 7, 30 and 90 days, kept in EpisodeMilestones.

Summing a year of daily counts per episode on every view of the show page cost
most of its time, so the sums are kept: remade whole by the worker for episodes
that have none, or whose release day changed (refresh), and added to by every
batch (add), both under the aggregation lock, so no batch is missed or counted
twice. A reader trusts a row only for the release day it names and sums the
daily counts itself for the rest (sums).
"""

import datetime as dt
from collections import Counter
from collections.abc import Iterable

from django.db import connection
from django.db.models import DateField, ExpressionWrapper, F, Q, Sum
from django.db.models.functions import TruncDate

from episodes.models import Episode

from .increments import upsert_rows
from .models import EpisodeDownloads, EpisodeMilestones

MILESTONES = (1, 7, 30, 90)
COLUMNS = tuple(f"d{days}" for days in MILESTONES)


def release_day(publish_at: dt.datetime) -> dt.date:
    return publish_at.astimezone(dt.UTC).date()


def after(released: TruncDate, days: int) -> ExpressionWrapper:
    """The day `days` days after release (the release day is day 1)."""
    return ExpressionWrapper(released + dt.timedelta(days=days), output_field=DateField())


def sums(episodes: Iterable[int]) -> dict[int, tuple[int, ...]]:
    """Episode -> downloads in its first 1, 7, 30, 90 days, summed from the daily counts."""
    released = TruncDate(F("episode__publish_at"), tzinfo=dt.UTC)
    totals = {
        column: Sum("downloads", filter=Q(day__lt=after(released, days)))
        for column, days in zip(COLUMNS, MILESTONES, strict=True)
    }
    rows = EpisodeDownloads.objects.filter(
        episode__in=list(episodes), day__lt=after(released, MILESTONES[-1])
    )
    found = rows.values("episode").annotate(**totals)
    return {r["episode"]: tuple(r[c] or 0 for c in COLUMNS) for r in found}


def kept(show_id: int) -> dict[int, tuple[dt.date, tuple[int, ...]]]:
    """Episode -> (release day, milestone sums) as kept for a show."""
    rows = EpisodeMilestones.objects.filter(show_id=show_id)
    return {r[0]: (r[1], r[2:]) for r in rows.values_list("episode_id", "released", *COLUMNS)}


def refresh() -> int:
    """Remake the rows of published episodes that have none or name another release day."""
    have = dict(EpisodeMilestones.objects.values_list("episode_id", "released"))
    published = Episode.objects.filter(publish_at__isnull=False)
    stale = {
        pk: (show, release_day(publish_at))
        for pk, show, publish_at in published.values_list("pk", "show_id", "publish_at")
        if have.get(pk) != release_day(publish_at)
    }
    found = sums(stale)
    fields = ("episode", "show", "released", *COLUMNS)
    rows = [
        (pk, show, day, *found.get(pk, (0,) * len(COLUMNS))) for pk, (show, day) in stale.items()
    ]
    upsert_rows(EpisodeMilestones, fields, rows)
    return len(rows)


def add(by_episode: Counter) -> None:
    """Add a batch's downloads, keyed (day, show, episode), to the rows that are whole."""
    if not by_episode:
        return
    wanted = {episode for _, _, episode in by_episode}
    published = Episode.objects.filter(pk__in=wanted, publish_at__isnull=False)
    released = {pk: release_day(at) for pk, at in published.values_list("pk", "publish_at")}
    added: dict[int, list[int]] = {}
    for (day, _, episode), n in by_episode.items():
        if episode in released:
            age = (day - released[episode]).days
            counts = added.setdefault(episode, [0] * len(MILESTONES))
            for i, days in enumerate(MILESTONES):
                counts[i] += n if age < days else 0
    table = connection.ops.quote_name(EpisodeMilestones._meta.db_table)
    sets = ", ".join(f"{c} = {c} + %s" for c in COLUMNS)
    # Only rows made whole for this release day: refresh() makes the others, all at once.
    sql = f"UPDATE {table} SET {sets} WHERE episode_id = %s AND released = %s"
    values = [(*counts, pk, released[pk]) for pk, counts in added.items() if any(counts)]
    if not values:
        return
    with connection.cursor() as cursor:
        cursor.executemany(sql, values)
