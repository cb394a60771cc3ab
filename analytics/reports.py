"""Downloads as reports read them: per episode per day, totals, first days after release.

The admin page and `analytics_report` read the same functions, so a script sees
the numbers an editor sees.
"""

import datetime as dt
from dataclasses import dataclass

from django.db.models import QuerySet, Sum

from episodes.models import Episode, Show

from . import milestones as kept_milestones
from .milestones import MILESTONES, release_day
from .models import (
    ClientDownloads,
    DailyDownloads,
    DailyFeedPolls,
    DailyRequests,
    EpisodeDownloads,
)


@dataclass(frozen=True)
class DayRow:
    day: dt.date
    show: str
    episode: int
    downloads: int


def downloads(show: Show | None = None, since: dt.date | None = None) -> QuerySet:
    """Downloads per episode per day (EpisodeDownloads rows), of a show and from a day."""
    rows = EpisodeDownloads.objects.all()
    if show is not None:
        rows = rows.filter(show=show)
    if since is not None:
        rows = rows.filter(day__gte=since)
    return rows


def per_episode_per_day(show: Show | None = None, since: dt.date | None = None) -> list[DayRow]:
    """Downloads of each episode on each UTC day, oldest day first."""
    rows = (
        downloads(show, since)
        .values("day", "show__slug", "episode__number")
        .annotate(n=Sum("downloads"))
        .order_by("day", "show__slug", "episode__number")
    )
    return [DayRow(r["day"], r["show__slug"], r["episode__number"], r["n"]) for r in rows if r["n"]]


def total(rows: QuerySet) -> int:
    return rows.aggregate(n=Sum("downloads"))["n"] or 0


def per_day(rows: QuerySet) -> list[tuple[dt.date, int]]:
    """Total downloads per day, oldest first."""
    totals = rows.values("day").annotate(n=Sum("downloads")).order_by("day")
    return [(r["day"], r["n"]) for r in totals]


def totals_by_episode(show: Show | None = None, since: dt.date | None = None) -> list[dict]:
    """Each episode with downloads: show slug, number, title, total."""
    rows = downloads(show, since).values("show__slug", "episode__number", "episode__title")
    rows = rows.annotate(n=Sum("downloads")).order_by("show__slug", "-episode__number")
    return [r for r in rows if r["n"]]


def by_client(show: Show, episode: Episode | None = None) -> QuerySet:
    """Downloads by app and device type: a show's (ClientDownloads), or an episode's."""
    if episode is not None:
        return DailyDownloads.objects.filter(episode=episode)
    return ClientDownloads.objects.filter(show=show)


def top(rows: QuerySet, field: str, limit: int = 10) -> list[tuple[str, int]]:
    """The apps (field="client") or device types most downloads came from."""
    grouped = rows.values(field).annotate(n=Sum("downloads")).order_by("-n", field)[:limit]
    return [(r[field] or "unknown", r["n"]) for r in grouped if r["n"]]


def milestones(show: Show) -> list[dict]:
    """Per episode: downloads within 1, 7, 30 and 90 days of release (None: not that old yet).

    Read from the kept sums (milestones.py); an episode whose sums are not kept for
    its release day (new, or rescheduled, until the worker's next run) is summed here.
    """
    episodes = show.episodes.published().order_by("-publish_at")
    rows = list(episodes.values_list("pk", "number", "title", "publish_at"))
    stored = kept_milestones.kept(show.pk)
    found = {pk: sums for pk, (day, sums) in stored.items()}
    missing = [pk for pk, _, _, at in rows if stored.get(pk, (None,))[0] != release_day(at)]
    found |= kept_milestones.sums(missing) if missing else {}
    today = dt.datetime.now(dt.UTC).date()
    out = []
    for pk, number, title, publish_at in rows:
        day, sums_of = release_day(publish_at), found.get(pk, (0,) * len(MILESTONES))
        after_days = [
            n if day + dt.timedelta(days=d) <= today else None
            for d, n in zip(MILESTONES, sums_of, strict=True)
        ]
        out.append({"pk": pk, "number": number, "title": title, "after": after_days})
    return out


def requests_by_kind(rows: QuerySet) -> list[tuple[str, int]]:
    grouped = rows.values("client_kind").annotate(n=Sum("requests")).order_by("-n")
    return [(r["client_kind"], r["n"]) for r in grouped]


def requests(show: Show, episode: Episode | None = None) -> QuerySet:
    rows = DailyRequests.objects.filter(show=show)
    return rows.filter(episode=episode) if episode else rows


def feed_clients(show: Show, since: dt.date) -> list[dict]:
    """Who polls the feed: requests a day, share of 304s, bytes sent and saved, subscribers."""
    rows = DailyFeedPolls.objects.filter(show=show, day__gte=since)
    days = max(1, (dt.datetime.now(dt.UTC).date() - since).days + 1)
    grouped = rows.values("client", "client_kind").annotate(
        requests=Sum("requests"),
        not_modified=Sum("not_modified"),
        full=Sum("full_responses"),
        gzipped=Sum("gzipped"),
        sent=Sum("bytes_sent"),
        gzip_saved=Sum("gzip_saved"),
    )
    clients = []
    for r in grouped.order_by("-requests"):
        average = r["sent"] / r["full"] if r["full"] else 0
        latest = rows.filter(client=r["client"], subscribers__isnull=False).order_by("-day").first()
        clients.append(
            r
            | {
                "per_day": r["requests"] / days,
                "share_304": r["not_modified"] / r["requests"] if r["requests"] else 0,
                "saved": round(r["not_modified"] * average),
                "subscribers": latest.subscribers if latest else None,
            }
        )
    return clients


def feed_bandwidth(clients: list[dict]) -> dict[str, int]:
    """Bytes the feed sent, and those 304s and gzip saved, over feed_clients' rows."""
    return {
        "sent": sum(c["sent"] for c in clients),
        "saved_304": sum(c["saved"] for c in clients),
        "saved_gzip": sum(c["gzip_saved"] for c in clients),
    }
