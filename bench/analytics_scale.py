"""Part 2 and 3 of bench_analytics.py, on PostgreSQL and Redis (its child process).

Aggregation: BENCH_ANALYTICS_EVENTS events in the Redis buffer, aggregated as
the worker does, against storing the same raw events alone. The page: the
show's analytics page with 500 episodes and a year of daily counts.
"""

import datetime as dt
import itertools
import json
import os
import random
import statistics
import sys
import time
from collections.abc import Iterator
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
EVENTS = int(os.environ.get("BENCH_ANALYTICS_EVENTS", "1000000"))
PARTS = os.environ.get("BENCH_ANALYTICS_PARTS", "serving,aggregation,page").split(",")
SAMPLE = 100_000  # events stored raw for the baseline
EPISODES = 500
SIZE = 28_840_000  # 30 minutes at 128 kbps with a 40 kB tag
APPS = [
    ("Overcast", "mobile", "Overcast/3.0 (+http://overcast.fm/; iOS podcast app)"),
    ("Apple Podcasts", "mobile", "Podcasts/1650.20 CFNetwork/1408.0.4 Darwin/22.5.0"),
    ("Spotify", "mobile", "Spotify/8.9.10 Android/34 (SM-S918B)"),
    (
        "Pocket Casts",
        "mobile",
        "PocketCasts/1.0 (Pocket Casts Feed Parser; +http://pocketcasts.com/)",
    ),
    ("AntennaPod", "mobile", "AntennaPod/3.4.0"),
    ("Chrome", "computer", "Mozilla/5.0 (Windows NT 10.0; Win64; x64) Chrome/120.0 Safari/537.36"),
]
BOT = "Googlebot/2.1 (+http://www.google.com/bot.html)"
FEEDLY = (
    "Feedly/1.0 (+http://www.feedly.com/fetcher.html; 123 subscribers; like FeedFetcher-Google)"
)


def row(name: str, value: float, unit: str, note: str = "") -> None:
    print(f"{name}\t{value:.3g}\t{unit}\t{note}", flush=True)


def setup():
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0)  # on the fresh database bench_analytics.py made
    from episodes.models import Episode, Show

    show = Show.objects.create(title="Bench Show", slug="bench", is_default=True, description="B")
    now = dt.datetime.now(dt.UTC)
    episodes = [
        Episode(
            show=show,
            number=n + 1,
            title=f"Episode {n + 1}",
            slug=f"episode-{n + 1}",
            publish_at=now - dt.timedelta(days=365 * (EPISODES - n) / EPISODES),
            audio=f"audio/{n + 1}.mp3",
            audio_version=1,
            audio_size=SIZE,
            audio_duration=1800.0,
            audio_bitrate=128_000,
        )  # fmt: skip
        for n in range(EPISODES)
    ]
    return show, Episode.objects.bulk_create(episodes)


def lines(show, episodes, count: int) -> Iterator[str]:
    """Buffered lines as recorded: probes and progressive ranges, full GETs, bots, feed polls."""
    rng = random.Random(7)
    now = time.time()
    made = 0
    while made < count:
        out: list[str] = []
        stamp = round(now - rng.random() * 29 * 86400, 3)
        key = f"{rng.getrandbits(128):032x}"
        episode = rng.choice(episodes[-60:] if rng.random() < 0.8 else episodes).pk
        agent = rng.choice(APPS)[2]
        kind = rng.random()
        if kind < 0.5:  # a probe, then the first 600 kB, then the rest
            out += [
                json.dumps(["a", stamp, show.pk, episode, 206, key, agent, "", 0, 1, 2]),
                json.dumps(["a", stamp + 1, show.pk, episode, 206, key, agent, "", 0, 599_999, 600_000]),
                json.dumps(["a", stamp + 40, show.pk, episode, 206, key, agent, "", 600_000, SIZE - 1, SIZE - 600_000]),
            ]  # fmt: skip
        elif kind < 0.8:
            out.append(
                json.dumps(["a", stamp, show.pk, episode, 200, key, agent, "", 0, SIZE - 1, SIZE])
            )
        elif kind < 0.85:
            out.append(
                json.dumps(["a", stamp, show.pk, episode, 200, key, BOT, "", 0, SIZE - 1, SIZE])
            )
        else:
            status = 304 if rng.random() < 0.7 else 200
            sent = 0 if status == 304 else 400_000
            out.append(
                json.dumps(
                    ["f", stamp, show.pk, None, status, key, FEEDLY, "", None, None, sent, True]
                )
            )
        yield from out[: count - made]
        made += len(out)


def aggregation(show, episodes) -> None:
    from analytics import aggregation as agg
    from analytics import buffer
    from analytics.increments import insert_rows
    from analytics.models import DailyDownloads, Event

    events = lines(show, episodes, EVENTS)
    source = buffer.get_buffer()
    source.client.delete(buffer.EVENTS, buffer.IN_FLIGHT)
    sample = []
    while chunk := list(itertools.islice(events, 20_000)):  # ten million do not fit at once
        source.client.rpush(buffer.EVENTS, *chunk)
        sample += chunk[: SAMPLE - len(sample)]
    started = time.perf_counter()
    summary = agg.aggregate_pending()
    took = time.perf_counter() - started
    total = sum(DailyDownloads.objects.values_list("downloads", flat=True))
    row(
        f"aggregate {EVENTS:,} events (PostgreSQL + Redis)",
        took,
        "s",
        f"{summary.downloads:,} downloads; {total:,} in the daily counts",
    )
    row("  aggregation rate", EVENTS / took, "events/s", "")
    Event.objects.all().delete()
    started = time.perf_counter()
    rows = [r for r in map(agg.parse, sample) if r]
    insert_rows(Event, agg.EVENT_FIELDS, [agg.event_row(r) for r in rows])
    raw = len(sample) / (time.perf_counter() - started)
    row("  baseline: storing raw events alone", raw, "events/s", f"{len(sample):,} events, COPY")
    row("  ratio aggregation/raw storing", EVENTS / took / raw, "x", "")
    if EVENTS < 10_000_000:
        minutes = 10_000_000 / (EVENTS / took) / 60
        row("  10 million events, extrapolated", minutes, "min", "BENCH_ANALYTICS_EVENTS=10000000")


def year_of_counts(show, episodes) -> None:
    """A year of daily counts per episode, app and device, as a year of aggregation leaves."""
    from django.db import connection

    from analytics.models import DailyDownloads, DailyFeedPolls, DailyRequests

    DailyDownloads.objects.all().delete()
    DailyRequests.objects.all().delete()
    rng = random.Random(3)
    today = dt.datetime.now(dt.UTC).date()
    batch = []
    for episode in episodes:
        released = episode.publish_at.date()
        for age in range((today - released).days + 1):
            for client, device, _ in APPS:
                n = int(200 / (age + 1) * rng.random()) + (1 if rng.random() < 0.3 else 0)
                if n:
                    day = released + dt.timedelta(days=age)
                    batch.append(
                        DailyDownloads(
                            day=day,
                            show=show,
                            episode=episode,
                            client=client,
                            device_category=device,
                            downloads=n,
                        )
                    )
        if len(batch) > 50_000:
            DailyDownloads.objects.bulk_create(batch, batch_size=5000)
            batch = []
    DailyDownloads.objects.bulk_create(batch, batch_size=5000)
    polls = [
        DailyFeedPolls(day=today - dt.timedelta(days=d), show=show, client=c, client_kind="app",
                       requests=96, not_modified=80, full_responses=16, gzipped=16,
                       bytes_sent=16 * 400_000, subscribers=123 if c == "Feedly" else None)
        for d in range(365) for c in ("Feedly", "Overcast", "Apple Podcasts", "Pocket Casts", "Spotify")
    ]  # fmt: skip
    DailyFeedPolls.objects.bulk_create(polls, batch_size=5000)
    with connection.cursor() as cursor:  # the rollups aggregation keeps beside DailyDownloads
        cursor.execute(
            "DELETE FROM analytics_episodedownloads; DELETE FROM analytics_clientdownloads"
        )
        cursor.execute(
            "INSERT INTO analytics_episodedownloads (day, show_id, episode_id, downloads) "
            "SELECT day, show_id, episode_id, SUM(downloads) FROM analytics_dailydownloads "
            "GROUP BY day, show_id, episode_id"
        )
        cursor.execute(
            "INSERT INTO analytics_clientdownloads (day, show_id, client, device_category, downloads) "
            "SELECT day, show_id, client, device_category, SUM(downloads) "
            "FROM analytics_dailydownloads GROUP BY day, show_id, client, device_category"
        )
    from analytics import milestones
    from analytics.models import EpisodeMilestones

    EpisodeMilestones.objects.all().delete()  # made by the aggregation above, for other counts
    started = time.perf_counter()
    made = milestones.refresh()  # the worker's run after aggregating: each episode's first days
    row("  first-days sums made by the worker", (time.perf_counter() - started) * 1000, "ms",
        f"{made} episodes, once; each batch then adds to them")  # fmt: skip
    row(
        "  daily count rows for the page",
        DailyDownloads.objects.count(),
        "rows",
        "500 episodes, a year",
    )


def page_times(client, path: str, times: int = 15) -> list[float]:
    client.get(path)
    out = []
    for _ in range(times):
        started = time.perf_counter()
        response = client.get(path)
        out.append((time.perf_counter() - started) * 1000)
        assert response.status_code == 200, response.status_code
    return sorted(out)


def page(show, episodes) -> None:
    from django.conf import settings
    from django.contrib.auth import get_user_model
    from django.db import connection
    from django.test import Client

    # Plain static storage, as the tests use: no collectstatic manifest in this process.
    plain = {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"}
    settings.STORAGES = {**settings.STORAGES, "staticfiles": plain}
    year_of_counts(show, episodes)
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")
    user = get_user_model().objects.create_superuser("bench", "b@example.com", "x")
    client = Client()
    client.force_login(user)
    ours = page_times(client, f"/admin/analytics/show/{show.slug}/")
    base = page_times(client, "/admin/episodes/episode/")
    p50, p95 = statistics.median(ours), ours[int(len(ours) * 0.95) - 1]
    row(
        "analytics page, 500 episodes, a year (PostgreSQL)",
        p50,
        "ms p50",
        f"p95 {p95:.0f} ms; goal < 300 ms",
    )
    row("  baseline: the admin's episode list", statistics.median(base), "ms p50", "")
    row("  ratio page/episode list", p50 / statistics.median(base), "x", "")


def main() -> None:
    show, episodes = setup()
    if "aggregation" in PARTS:
        aggregation(show, episodes)
    if "page" in PARTS:
        page(show, episodes)


if __name__ == "__main__":
    main()
