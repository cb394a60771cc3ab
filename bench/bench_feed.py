"""The podcast feed of a 3,000-episode show: building it cold, serving it warm and as 304s.

Building: the whole cold build of our build.build_feed (ORM queries, the stored
notes cut to descriptions, XML), against feedgen and a django.contrib.syndication
Feed subclass building the same items from the same queries (feed_baselines.py),
each best of 3 with the notes memo emptied before every run.
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

from timing import best_of

ROOT = Path(__file__).resolve().parent.parent
EPISODES = 3000
REQUESTS = 1000
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
    sys.path[:0] = [str(ROOT), str(ROOT / "bench")]
    os.environ.update(environment(data_dir))
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0)


def make_show():
    """A show of EPISODES public episodes with notes, chapters, transcripts and guests."""
    import datetime as dt

    from django.utils import timezone

    from episodes.models import Chapter, Episode, FundingLink, Person, Show, ShowHost
    from transcripts.models import Transcript

    show = Show.objects.create(title="Bench Show", slug="bench", is_default=True,
                               description="A big show.", owner_email="o@example.com", owner_name="O",
                               categories=["Technology"])  # fmt: skip
    host = Person.objects.create(name="Host", slug="host", url="https://host.example/")
    ShowHost.objects.create(show=show, person=host)
    FundingLink.objects.create(show=show, url="https://example.com/support", label="Support us")
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
        [
            Transcript(episode_id=pk, status="ready", good_build_at=timezone.now())
            for n, pk in ids.items()
            if n % 2
        ]
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


# ---------------------------------------------------------------- building


def cold(build) -> tuple[float, bytes]:
    """Best of 3 builds, the notes memo emptied before each as after a restart; (s, bytes)."""
    from episodes.feeds import rss

    body = b""

    def once() -> None:
        nonlocal body
        rss.notes_from_html.cache_clear()
        body = build()

    return best_of(3, once), body


def shape(body: bytes) -> tuple[int, int]:
    """(items, elements) of a feed: every writer must give all items, and about as many tags."""
    from lxml import etree

    root = etree.fromstring(body)
    return len(root.findall("channel/item")), sum(1 for _ in root.iter())


def build_rows(show) -> list[tuple[str, float, str, str]]:
    from django.utils import timezone
    from feed_baselines import django_feed, feedgen_feed

    from episodes.feeds import build

    now = timezone.now()
    ours, body = cold(lambda: build.build_feed(show, build.Variant("full"), now))
    feedgen, feedgen_body = cold(lambda: feedgen_feed(show, now))
    django, django_body = cold(lambda: django_feed(show, now))
    sizes = {name: shape(b) for name, b in [("ours", body), ("feedgen", feedgen_body),
                                            ("django", django_body)]}  # fmt: skip
    assert {items for items, _ in sizes.values()} == {EPISODES}, sizes
    note = f"{EPISODES} episodes: ORM + notes + XML, best of 3 cold"
    elements = ", ".join(f"{name} {count}" for name, (_, count) in sizes.items())
    return [
        ("feed_build_cold_ours", round(ours, 3), "s", note),
        ("feed_build_cold_feedgen", round(feedgen, 3), "s", note),
        ("feed_build_cold_django", round(django, 3), "s", note + "; syndication Feed subclass"),
        ("feed_build_feedgen_ratio", round(feedgen / ours, 2), "x", "feedgen time / ours"),
        ("feed_build_django_ratio", round(django / ours, 2), "x", "Django Feed time / ours"),
        ("feed_build_elements", sizes["ours"][1], "elements", elements),
    ]


def rebuild_rows(show) -> list[tuple[str, float, str, str]]:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext
    from django.utils import timezone

    from episodes.feeds import build

    variant = build.Variant("full")
    with CaptureQueriesContext(connection) as queries:
        warm = best_of(3, lambda: build.build_feed(show, variant, timezone.now()))
    body = build.build_feed(show, variant, timezone.now())
    packed = gzip.compress(body, compresslevel=6, mtime=0)
    return [
        ("feed_build_notes_memo", round(warm, 3), "s", "rebuild after an edit: notes memoised"),
        ("feed_build_queries", len(queries) / 3, "queries", "per build, any episode count"),
        ("feed_size", round(len(body) / 1e6, 2), "MB", "uncompressed"),
        ("feed_size_gzip", round(len(packed) / 1e6, 3), "MB", f"{len(body) / len(packed):.1f}x"),
    ]


def request_rows() -> list[tuple[str, float, str, str]]:
    """Queries per request of the view itself, through Django's test client."""
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    client = Client()
    etag = client.get("/episodes/rss")["ETag"]
    rows = []
    for name, headers in [("warm", {}), ("304", {"HTTP_IF_NONE_MATCH": etag})]:
        with CaptureQueriesContext(connection) as queries:
            client.get("/episodes/rss", **headers)
        rows.append((f"feed_{name}_queries", len(queries), "queries", "per request"))
    return rows


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


def serve_ours(env: dict[str, str]) -> tuple[float, float, bytes, bytes]:
    """(warm req/s, 304 req/s, plain bytes, gzip bytes) of our feed view behind uvicorn."""
    ours, port = start_server("podcast.wsgi:application", env)
    try:
        conn = http.client.HTTPConnection("127.0.0.1", port, timeout=120)
        _, _, body = request(conn, "/episodes/rss", {})
        _, _, packed = request(conn, "/episodes/rss", {"Accept-Encoding": "gzip"})
        conn.close()
        return *loop_rows(port, "/episodes/rss"), body, packed
    finally:
        ours.terminate()
        ours.wait(10)


def serving_rows(data_dir: str) -> list[tuple[str, float, str, str]]:
    env = environment(data_dir)
    our_warm, our_304, body, packed = serve_ours(env)
    # The default closes the database connection after each request: SQLite's connect
    # and PRAGMAs then cost about as much as the one query. Kept open for comparison.
    kept_warm, kept_304, _, _ = serve_ours({**env, "DATABASE_CONN_MAX_AGE": "60"})
    static_dir = Path(data_dir) / "static-copy"
    static_dir.mkdir()
    (static_dir / "feed.xml").write_bytes(body)
    (static_dir / "feed.xml.gz").write_bytes(packed)  # WhiteNoise serves it to gzip clients
    static, port = start_server(
        "bench_feed:static_app", {**env, "BENCH_STATIC_DIR": str(static_dir)}
    )
    try:
        static_warm, static_304 = loop_rows(port, "/s/feed.xml")
    finally:
        static.terminate()
        static.wait(10)
    note = f"uvicorn WSGI, {REQUESTS} keep-alive requests, gzip, SQLite"
    kept = "; database connection kept (DATABASE_CONN_MAX_AGE=60)"
    return [
        ("feed_warm_rps", round(our_warm), "req/s", note),
        ("feed_304_rps", round(our_304), "req/s", note + ", If-None-Match"),
        ("feed_warm_rps_conn_kept", round(kept_warm), "req/s", note + kept),
        ("feed_304_rps_conn_kept", round(kept_304), "req/s", note + ", If-None-Match" + kept),
        ("static_warm_rps", round(static_warm), "req/s", "WhiteNoise, same bytes, same loop"),
        ("static_304_rps", round(static_304), "req/s", "WhiteNoise, same loop"),
        ("feed_warm_ratio", round(our_warm / static_warm, 3), "x", "ours / WhiteNoise"),
        ("feed_304_ratio", round(our_304 / static_304, 3), "x", "ours / WhiteNoise"),
        ("feed_304_ratio_conn_kept", round(kept_304 / static_304, 3), "x", "ours / WhiteNoise"),
    ]


def run() -> list[tuple[str, float, str, str]]:
    data_dir = tempfile.mkdtemp(prefix="bench-feed-")
    setup_django(data_dir)
    show = make_show()
    return build_rows(show) + rebuild_rows(show) + request_rows() + serving_rows(data_dir)


if __name__ == "__main__":
    for row in run():
        print("\t".join(str(cell) for cell in row))
