"""Personal feeds of a 3,000-episode show: one build for every subscriber, a join per request.

The show of bench_feed (3,000 episodes with notes, chapters, transcripts), every
tenth one premium, and SUBSCRIBERS subscribers. Through Django's test client
(middleware, the token lookup and all), in one process on the embedded SQLite:
- first request: the subscriber feed built (cold, the notes memo emptied) and
  filled with the first subscriber's token;
- warm request: the same subscriber again, and each other subscriber's first
  request (the template is built: what the 10,000th subscriber costs);
- against the public main feed's warm request in the same run (the ratio);
plain and gzip. Both feeds hold the newest PODCAST_FEED_MAX_EPISODES (300).
"""

import gzip
import statistics
import tempfile
import time

from bench_feed import make_show, setup_django
from timing import best_of

SUBSCRIBERS = 300
REPEATS = 100
PREMIUM_EVERY = 10


def add_subscribers(show) -> list[str]:
    """SUBSCRIBERS subscribers in one insert (save() derives the digest; bulk_create does not)."""
    from subscribers import tokens
    from subscribers.models import Subscriber

    rows = [Subscriber(show=show, email=f"s{n}@example.com") for n in range(SUBSCRIBERS)]
    for row in rows:
        row.token_digest = tokens.token_digest(row.token)
    Subscriber.objects.bulk_create(rows, batch_size=500)
    return [row.token for row in rows]


def timed(client, path: str, headers: dict, expect: int = 200) -> float:
    started = time.perf_counter()
    response = client.get(path, headers=headers)
    elapsed = time.perf_counter() - started
    assert response.status_code == expect, (path, response.status_code)
    return elapsed


def median_ms(client, paths: list[str], headers: dict) -> float:
    return statistics.median(timed(client, path, headers) for path in paths) * 1000


def first_request_ms(client, path: str, headers: dict) -> float:
    """Best of 3 cold builds: each run empties the notes memo and forgets the stored template."""
    from django.core.cache import cache

    from episodes.feeds import rss
    from episodes.models import Show
    from subscribers import feeds

    def once() -> None:
        rss.notes_from_html.cache_clear()
        feeds.recent.clear()
        cache.clear()
        Show.objects.update(feed_validators={})
        timed(client, path, headers)

    return best_of(3, once) * 1000


def rows_for(client, tokens: list[str], gzipped: bool) -> list[tuple[str, float, str, str]]:
    headers = {"Accept-Encoding": "gzip"} if gzipped else {}
    name = "gzip" if gzipped else "plain"
    paths = [f"/feeds/{token}/rss" for token in tokens]
    first = first_request_ms(client, paths[0], headers)
    timed(client, "/episodes/rss", headers)  # the public feed's bytes built
    public = median_ms(client, ["/episodes/rss"] * REPEATS, headers)
    warm = median_ms(client, [paths[0]] * REPEATS, headers)
    others = median_ms(client, paths[1:], headers)
    body = client.get(paths[0], headers=headers).content
    public_body = client.get("/episodes/rss", headers=headers).content
    note = f"{name}, 300 newest of 3,000 episodes, test client, median"
    return [
        (f"personal_feed_first_{name}_ms", round(first, 1), "ms", f"{name}: build + fill, best of 3 cold"),
        (f"personal_feed_warm_{name}_ms", round(warm, 2), "ms", note + " of 100"),
        (f"personal_feed_other_subscribers_{name}_ms", round(others, 2), "ms",
         f"{SUBSCRIBERS - 1} other subscribers' first requests, " + note),
        (f"public_feed_warm_{name}_ms", round(public, 2), "ms", note + " of 100"),
        (f"personal_feed_warm_{name}_ratio", round(warm / public, 2), "x", "personal warm / public warm"),
        (f"personal_feed_10000_subscribers_{name}_s", round(others * 10_000 / 1000, 1), "s",
         "10,000 subscribers' first requests, one build"),
        (f"personal_feed_size_{name}", round(len(body) / 1e6, 3), "MB",
         f"public feed: {len(public_body) / 1e6:.3f} MB"),
    ]  # fmt: skip


def run() -> list[tuple[str, float, str, str]]:
    setup_django(tempfile.mkdtemp(prefix="bench-personal-feed-"))
    from django.test import Client

    from episodes.models import Episode

    show = make_show()
    Episode.objects.filter(number__in=range(PREMIUM_EVERY, 3001, PREMIUM_EVERY)).update(
        premium=True
    )
    tokens = add_subscribers(show)
    client = Client()
    body = client.get(f"/feeds/{tokens[0]}/rss", headers={"Accept-Encoding": "gzip"}).content
    assert tokens[0].encode() in gzip.decompress(body)
    return rows_for(client, tokens, gzipped=False) + rows_for(client, tokens, gzipped=True)


if __name__ == "__main__":
    for row in run():
        print("\t".join(str(cell) for cell in row))
