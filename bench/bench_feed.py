"""The podcast feed of a 3,000-episode show: building it, and serving it warm and as 304s.

Building: our generator against feedgen and a Django syndication feed class
(django.utils.feedgenerator.Rss201rev2Feed) writing the same prepared items.
Serving: our feed view and WhiteNoise serving the same bytes as a static file,
each behind its own uvicorn (WSGI interface, one process) on 127.0.0.1, driven
by the same bounded loop of http.client requests over one keep-alive connection.
"""

import gzip
import http.client
import os
import socket
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
EPISODES = 3000
REQUESTS = 400
SITE = "https://pod.example.com"
NOTES = "\n".join(
    ["Sponsored by [Example Hosting](https://example.com/hosting/{n}).", ""]
    + [f"**Pick #{i}:** [A useful tool {i}](https://example.com/tools/{{n}}/{i})\n\n"
       f"- Why it matters, in a sentence or two with `code` and *emphasis*.\n"
       f"- A second point with [another link](https://example.com/more/{i})." for i in range(6)]
)  # fmt: skip


def static_app(environ, start_response):
    """WhiteNoise over BENCH_STATIC_DIR, for the uvicorn that serves the static baseline."""
    global _static
    if "_static" not in globals():
        from whitenoise import WhiteNoise

        _static = WhiteNoise(None, root=os.environ["BENCH_STATIC_DIR"], prefix="/s/")
    return _static(environ, start_response)


def environment(data_dir: str) -> dict[str, str]:
    return {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "podcast.settings",
        "SECRET_KEY": "bench-secret-key",
        "DEBUG": "0",
        "PODCAST_DATA_DIR": data_dir,
        "PODCAST_SITE_URL": SITE,
        "ALLOWED_HOSTS": "127.0.0.1,testserver",
        "CACHE_URL": "locmem://",
        # Plain HTTP on 127.0.0.1, as a TLS-terminating proxy would hand it on.
        "SECURE_SSL_REDIRECT": "0",
        "LOG_LEVEL": "WARNING",
    }


def setup_django(data_dir: str) -> None:
    sys.path.insert(0, str(ROOT))
    os.environ.update(environment(data_dir))
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0)


def make_show():
    """A show of EPISODES public episodes with notes, chapters, transcripts and guests."""
    import datetime as dt

    from django.utils import timezone

    from episodes.models import Chapter, Episode, Person, Show, ShowHost
    from transcripts.models import Transcript

    show = Show.objects.create(title="Bench Show", slug="bench", is_default=True,
                               description="A big show.", owner_email="o@example.com",
                               categories=["Technology"])  # fmt: skip
    host = Person.objects.create(name="Host", slug="host", url="https://host.example/")
    ShowHost.objects.create(show=show, person=host)
    start = timezone.now() - dt.timedelta(days=EPISODES + 1)
    Episode.objects.bulk_create(
        [bench_episode(show, n, start + dt.timedelta(days=n)) for n in range(1, EPISODES + 1)],
        batch_size=500,
    )
    ids = dict(show.episodes.values_list("number", "pk"))
    Chapter.objects.bulk_create(
        [Chapter(episode_id=pk, start=0, title="Start") for pk in ids.values()]
    )
    Transcript.objects.bulk_create(
        [Transcript(episode_id=pk, status="ready") for n, pk in ids.items() if n % 2]
    )
    return show


def bench_episode(show, n: int, when):
    from episodes.models import Episode

    episode = Episode(
        show=show, number=n, title=f"Episode {n}: tools & tricks", slug=f"episode-{n}",
        show_notes=NOTES.format(n=n), publish_at=when, audio=f"audio/bench/{n:05d}.mp3",
        audio_version=1, audio_size=30_000_000 + n, audio_duration=1800.0 + n,
        audio_mime_type="audio/mpeg", audio_status="ready",
    )  # fmt: skip
    episode.render_notes()  # as every path that saves show notes does
    return episode


def best_of(runs: int, work) -> float:
    timings = []
    for _ in range(runs):
        started = time.perf_counter()
        work()
        timings.append(time.perf_counter() - started)
    return min(timings)


# ---------------------------------------------------------------- baselines


def feedgen_feed(channel, items) -> bytes:
    from feedgen.feed import FeedGenerator

    fg = FeedGenerator()
    fg.load_extension("podcast")
    fg.title(channel.title)
    fg.link(href=channel.link)
    fg.description(channel.description)
    fg.language(channel.language)
    fg.podcast.itunes_author(channel.author or "Host")
    fg.podcast.itunes_explicit("no")
    for item in reversed(items):  # feedgen prepends entries
        entry = fg.add_entry()
        entry.title(item.title)
        entry.link(href=item.link)
        entry.guid(item.guid, permalink=False)
        entry.pubDate(item.published)
        entry.description(item.description_html)
        entry.content(item.content_html, type="CDATA")
        entry.enclosure(item.enclosure_url, str(item.enclosure_length), item.enclosure_type)
        entry.podcast.itunes_duration(item.duration)
        entry.podcast.itunes_explicit("no")
    return fg.rss_str()


def django_feed(channel, items) -> bytes:
    from django.utils import feedgenerator

    class PodcastFeed(feedgenerator.Rss201rev2Feed):
        # The pattern of django-cast: iTunes and content elements added per item.
        def rss_attributes(self):
            attrs = super().rss_attributes()
            attrs["xmlns:itunes"] = "http://www.itunes.com/dtds/podcast-1.0.dtd"
            attrs["xmlns:content"] = "http://purl.org/rss/1.0/modules/content/"
            return attrs

        def add_item_elements(self, handler, item):
            super().add_item_elements(handler, item)
            handler.addQuickElement("content:encoded", item["content"])
            handler.addQuickElement("itunes:duration", str(item["duration"]))
            handler.addQuickElement("itunes:episode", str(item["number"]))
            handler.addQuickElement("itunes:explicit", "false")

    feed = PodcastFeed(channel.title, channel.link, channel.description, language=channel.language)
    for item in items:
        feed.add_item(
            item.title, item.link, item.description_html, unique_id=item.guid,
            unique_id_is_permalink=False, pubdate=item.published,
            enclosures=[feedgenerator.Enclosure(item.enclosure_url, str(item.enclosure_length),
                                                item.enclosure_type)],
            content=item.content_html, duration=item.duration, number=item.number,
        )  # fmt: skip
    return feed.writeString("utf-8").encode()


def generator_rows(show) -> list[tuple[str, float, str, str]]:
    """Each writer on the same prepared items (no ORM, notes already rendered)."""
    from django.utils import timezone

    from episodes import feeds, feedxml

    now = timezone.now()
    variant = feeds.Variant()
    channel = feeds.channel_for(show, variant, EPISODES)
    episodes = list(feeds.feed_episodes(show, variant, now))
    related = feeds.load_related(channel, show.episodes.published(now))
    urls = feeds.EpisodeUrls.for_show(show)
    items = [feeds.item_for(show, e, related, channel.image, urls) for e in episodes]
    ours = best_of(3, lambda: feedxml.render_feed(channel, items))
    theirs = best_of(3, lambda: feedgen_feed(channel, items))
    django = best_of(3, lambda: django_feed(channel, items))
    note = f"{EPISODES} items, XML writing only, best of 3"
    return [
        ("feed_write_ours", round(ours * 1000, 1), "ms", note),
        ("feed_write_feedgen", round(theirs * 1000, 1), "ms", note + "; fewer elements than ours"),
        ("feed_write_django", round(django * 1000, 1), "ms", note + "; fewer elements than ours"),
        ("feed_write_feedgen_ratio", round(theirs / ours, 2), "x", "feedgen time / ours"),
        ("feed_write_django_ratio", round(django / ours, 2), "x", "Django syndication time / ours"),
    ]


def build_rows(show) -> list[tuple[str, float, str, str]]:
    from django.db import connection, reset_queries
    from django.test.utils import CaptureQueriesContext
    from django.utils import timezone

    from episodes import feeds, feedxml

    variant = feeds.Variant()
    feedxml.notes_html.cache_clear()
    feedxml.notes_from_html.cache_clear()
    cold = best_of(1, lambda: feeds.build_feed(show, variant, timezone.now(), EPISODES))
    reset_queries()
    with CaptureQueriesContext(connection) as queries:
        warm = best_of(3, lambda: feeds.build_feed(show, variant, timezone.now(), EPISODES))
    body = feeds.build_feed(show, variant, timezone.now(), EPISODES)
    packed = gzip.compress(body, compresslevel=6, mtime=0)
    return [
        ("feed_build_cold", round(cold, 2), "s", f"{EPISODES} episodes, ORM + stored notes + XML"),
        ("feed_build_notes_memo", round(warm, 2), "s", "rebuild after an edit: notes memoised"),
        ("feed_build_queries", len(queries) / 3, "queries", "per build, any episode count"),
        ("feed_size", round(len(body) / 1e6, 2), "MB", "uncompressed"),
        ("feed_size_gzip", round(len(packed) / 1e6, 3), "MB", f"{len(body) / len(packed):.1f}x"),
    ]


# ---------------------------------------------------------------- serving


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def start_server(app: str, env: dict[str, str]) -> tuple[subprocess.Popen, int]:
    port = free_port()
    command = [sys.executable, "-m", "uvicorn", app, "--interface", "wsgi", "--port", str(port)]
    command += ["--host", "127.0.0.1", "--log-level", "warning", "--app-dir", str(ROOT / "bench")]
    server = subprocess.Popen(command, cwd=ROOT, env=env)
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        try:
            socket.create_connection(("127.0.0.1", port), timeout=0.2).close()
            return server, port
        except OSError:
            time.sleep(0.1)
    server.kill()
    raise RuntimeError(f"{app} did not start")


def request(conn: http.client.HTTPConnection, path: str, headers: dict) -> tuple[int, dict, bytes]:
    conn.request("GET", path, headers=headers)
    response = conn.getresponse()
    return response.status, dict(response.getheaders()), response.read()


def throughput(port: int, path: str, headers: dict, expect: int) -> float:
    """Requests per second over one keep-alive connection, REQUESTS requests."""
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
    status, _, _ = request(conn, path, headers)  # warm caches
    assert status == expect, (path, status)
    started = time.perf_counter()
    for _ in range(REQUESTS):
        status, _, _ = request(conn, path, headers)
        assert status == expect, (path, status)
    conn.close()
    return REQUESTS / (time.perf_counter() - started)


def validators(port: int, path: str) -> str:
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
    _, headers, _ = request(conn, path, {"Accept-Encoding": "gzip"})
    conn.close()
    return headers["etag"] if "etag" in headers else headers["ETag"]


def loop_rows(port: int, path: str) -> tuple[float, float]:
    etag = validators(port, path)
    warm = throughput(port, path, {"Accept-Encoding": "gzip"}, 200)
    not_modified = throughput(port, path, {"Accept-Encoding": "gzip", "If-None-Match": etag}, 304)
    return warm, not_modified


def serving_rows(data_dir: str) -> list[tuple[str, float, str, str]]:
    env = environment(data_dir)
    ours, port = start_server("podcast.wsgi:application", env)
    try:
        conn = http.client.HTTPConnection("127.0.0.1", port, timeout=120)
        _, _, body = request(conn, "/episodes/rss", {})
        conn.close()
        our_warm, our_304 = loop_rows(port, "/episodes/rss")
    finally:
        ours.terminate()
        ours.wait(10)
    static_dir = Path(data_dir) / "static-copy"
    static_dir.mkdir()
    (static_dir / "feed.xml").write_bytes(body)
    (static_dir / "feed.xml.gz").write_bytes(gzip.compress(body, mtime=0))
    static, port = start_server(
        "bench_feed:static_app", {**env, "BENCH_STATIC_DIR": str(static_dir)}
    )
    try:
        static_warm, static_304 = loop_rows(port, "/s/feed.xml")
    finally:
        static.terminate()
        static.wait(10)
    note = f"uvicorn WSGI, {REQUESTS} keep-alive requests, gzip, SQLite"
    return [
        ("feed_warm_rps", round(our_warm), "req/s", note),
        ("feed_304_rps", round(our_304), "req/s", note + ", If-None-Match"),
        ("static_warm_rps", round(static_warm), "req/s", "WhiteNoise, same bytes, same loop"),
        ("static_304_rps", round(static_304), "req/s", "WhiteNoise, same loop"),
        ("feed_warm_ratio", round(our_warm / static_warm, 3), "x", "ours / WhiteNoise"),
        ("feed_304_ratio", round(our_304 / static_304, 3), "x", "ours / WhiteNoise"),
    ]


def run() -> list[tuple[str, float, str, str]]:
    data_dir = tempfile.mkdtemp(prefix="bench-feed-")
    setup_django(data_dir)
    show = make_show()
    return build_rows(show) + generator_rows(show) + serving_rows(data_dir)


if __name__ == "__main__":
    for row in run():
        print("\t".join(str(cell) for cell in row))
