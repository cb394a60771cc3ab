"""The production web process against WhiteNoise and nginx serving the same bytes (issue 16).

Starts the Procfile's `web` command as written (DEBUG off, PostgreSQL and the
Redis cache when they answer, else SQLite and the per-process cache), a show of
3,000 episodes and one episode with a BENCH_STACK_AUDIO_MB file; then copies the
bytes it serves (feed, gzipped feed, episode page, MP3) into a folder that
WhiteNoise under gunicorn and nginx serve, and drives all three with wrk
(BENCH_STACK_SECONDS per case, BENCH_STACK_CONNECTIONS connections). Also run
through deploy/nginx.conf in front of our process (audio by X-Accel-Redirect).

BENCH_STACK_SERVERS="uvicorn,granian" adds rows for other server commands
serving the same app, to compare with the Procfile's choice.
"""

import gzip
import os
import shutil
import sys
import tempfile
import urllib.request
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from email.message import Message
from pathlib import Path

sys.path[:0] = [str(Path(__file__).resolve().parent)]

import bench_load  # noqa: E402
import stack_servers as servers  # noqa: E402
from bench_feed import make_show  # noqa: E402

ROOT = servers.ROOT
SECONDS = float(os.environ.get("BENCH_STACK_SECONDS", "5"))
CONNECTIONS = int(os.environ.get("BENCH_STACK_CONNECTIONS", "64"))
AUDIO_MB = int(os.environ.get("BENCH_STACK_AUDIO_MB", "20"))
# Not db 15: the integration tests' broker lives there, and a cache clear would empty its queue.
REDIS_CACHE = os.environ.get("BENCH_STACK_CACHE_URL", "redis://127.0.0.1:6379/9")
OTHER_SERVERS = {
    "uvicorn": "uvicorn podcast.asgi:application --host 127.0.0.1 --port {port} --workers 2 "
    "--no-access-log --no-server-header",
    "gunicorn": "gunicorn podcast.wsgi:application --bind 127.0.0.1:{port} --workers 2 "
    "--worker-class gthread --threads 8",
    "granian": "granian --interface wsgi podcast.wsgi:application --host 127.0.0.1 --port {port} "
    "--workers 2 --blocking-threads 8 --no-ws",
}
# BENCH_STACK_CASES="probe,random_64k" measures only those; BENCH_STACK_FRONT=0 skips nginx in front.
CASES = set(filter(None, os.environ.get("BENCH_STACK_CASES", "").split(",")))
FRONT = os.environ.get("BENCH_STACK_FRONT", "1") != "0"
GZIP = {"Accept-Encoding": "gzip"}
Row = tuple[str, float, str, str]


def environment(data_dir: Path, database_url: str) -> dict[str, str]:
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "podcast.settings",
        "DEBUG": "0",
        "SECRET_KEY": "bench-stack-secret-key",
        "PODCAST_DATA_DIR": str(data_dir),
        "PODCAST_SITE_URL": "http://127.0.0.1",
        "ALLOWED_HOSTS": "127.0.0.1,localhost",
        "SECURE_SSL_REDIRECT": "0",
        "LOG_LEVEL": "WARNING",
        "WEB_CONCURRENCY": "2",
    }
    if database_url:
        env["DATABASE_URL"] = database_url
    if bench_load.reachable(6379):
        env["CACHE_URL"] = REDIS_CACHE
    return env


def setup_site(env: dict[str, str]) -> dict[str, str]:
    """Migrate, collect static files, build the show; the URLs of what is measured."""
    os.environ.update(env)
    import django

    django.setup()
    from django.core.cache import cache
    from django.core.management import call_command

    call_command("migrate", verbosity=0)
    call_command("collectstatic", interactive=False, verbosity=0)
    cache.clear()
    show = make_show()
    episode = show.episodes.get(number=3000)
    path = Path(env["PODCAST_DATA_DIR"]) / "media" / episode.audio.name
    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("wb") as out:
        out.write(os.urandom(AUDIO_MB * 1024 * 1024))
    type(episode).objects.filter(pk=episode.pk).update(audio_size=path.stat().st_size)
    add_transcript(episode)
    return {
        "feed": "/episodes/rss",
        "page": episode.get_absolute_url(),
        "transcript": episode.transcript_url(),
        "audio": episode.download_url(),
        "robots": "/robots.txt",
    }


def add_transcript(episode) -> None:
    """An hour's transcript of 720 speaker turns, built as the worker builds one."""
    from transcripts.services import process_transcript, store_transcript_source

    turns = (
        f"{second // 3600:02d}:{second // 60 % 60:02d}:{second % 60:02d} "
        f"{('Ada', 'Grace')[second // 5 % 2]}: words said at second {second}, about feeds."
        for second in range(0, 3600, 5)
    )
    transcript = store_transcript_source(episode=episode, text="\n".join(turns) + "\n")
    process_transcript(transcript_id=transcript.pk)


def fetch(port: int, path: str, headers: dict[str, str] | None = None) -> tuple[bytes, Message]:
    """The body and the (case-insensitive) headers of one GET."""
    request = urllib.request.Request(f"http://127.0.0.1:{port}{path}", headers=headers or {})
    with urllib.request.urlopen(request, timeout=60) as response:
        return response.read(), response.headers


def copy_bytes(port: int, urls: dict[str, str], static_root: Path) -> dict[str, str]:
    """Write what our server answers into files; their ETags under WhiteNoise come later."""
    static_root.mkdir()
    feed, _ = fetch(port, urls["feed"])
    packed, headers = fetch(port, urls["feed"], GZIP)
    assert headers.get("Content-Encoding") == "gzip", headers
    assert gzip.decompress(packed) == feed
    (static_root / "feed.xml").write_bytes(feed)
    (static_root / "feed.xml.gz").write_bytes(packed)
    (static_root / "page.html").write_bytes(fetch(port, urls["page"])[0])
    (static_root / "transcript.html").write_bytes(fetch(port, urls["transcript"])[0])
    (static_root / "robots.txt").write_bytes(fetch(port, urls["robots"])[0])
    audio = next((Path(os.environ["PODCAST_DATA_DIR"]) / "media").rglob("03000.mp3"))
    os.link(audio, static_root / "episode.mp3")
    return {
        "feed": "/s/feed.xml",
        "page": "/s/page.html",
        "transcript": "/s/transcript.html",
        "audio": "/s/episode.mp3",
        "robots": "/s/robots.txt",
    }


def cases(port: int, urls: dict[str, str], audio_size: int, lua: Path) -> dict[str, dict]:
    """Every measured request kind against one server."""
    base = f"http://127.0.0.1:{port}"
    _, headers = fetch(port, urls["feed"], GZIP)
    etag = headers["ETag"]
    run = {"seconds": SECONDS, "connections": CONNECTIONS}
    every = {
        "feed_gzip": lambda: servers.wrk(base + urls["feed"], GZIP, **run),
        "feed_304": lambda: servers.wrk(
            base + urls["feed"], {**GZIP, "If-None-Match": etag}, **run
        ),
        "page": lambda: servers.wrk(base + urls["page"], **run),
        "transcript": lambda: servers.wrk(base + urls["transcript"], **run),
        "probe": lambda: servers.wrk(base + urls["audio"], {"Range": "bytes=0-1"}, **run),
        "random_64k": lambda: servers.wrk(base + urls["audio"], script=lua, **run),
        "full_get": lambda: servers.wrk(base + urls["audio"], seconds=SECONDS, connections=4),
        "robots": lambda: servers.wrk(base + urls["robots"], **run),
    }
    results = {kind: measure() for kind, measure in every.items() if kind in CASES or not CASES}
    assert fetch(port, urls["audio"], {"Range": "bytes=0-1"})[1]["Content-Range"].endswith(
        f"/{audio_size}"
    )
    return results


def figure(results: dict[str, dict], kind: str) -> float:
    return results[kind]["mbps" if kind == "full_get" else "rps"]


def rows_for(label: str, ours: dict, whitenoise: dict, nginx: dict) -> list[Row]:
    rows: list[Row] = []
    for kind in ours:
        unit = "MB/s" if kind == "full_get" else "req/s"
        mine, wn, ng = figure(ours, kind), figure(whitenoise, kind), figure(nginx, kind)
        errors = f", {ours[kind]['errors']:.0f} errors" if ours[kind]["errors"] else ""
        note = f"WhiteNoise {wn:.0f}, nginx {ng:.0f} {unit}; p99 {ours[kind]['p99']:.1f} ms{errors}"
        rows.append((f"stack_{label}_{kind}", round(mine, 1), unit, note))
        rows.append((f"stack_{label}_{kind}_vs_whitenoise", round(mine / wn, 2), "x", ""))
    return rows


def behind_nginx(env: dict[str, str], data_dir: Path) -> list[servers.Process]:
    """deploy/nginx.conf in front of another Procfile web that hands audio to it."""
    app = servers.start_procfile_web(
        {**env, "PODCAST_ACCEL_REDIRECT": "/_media/"}, data_dir / "web-accel.log"
    )
    site = (ROOT / "deploy" / "nginx.conf").read_text()
    for old, new in (
        ("listen 80;", "listen 127.0.0.1:{port};"),
        ("server 127.0.0.1:8000;", f"server 127.0.0.1:{app.port};"),
        ("alias /app/var/media/;", f"alias {data_dir / 'media'}/;"),
    ):
        site = site.replace(old, new)
    try:
        return [app, servers.start_nginx(site, data_dir / "nginx-front")]
    except RuntimeError:
        app.stop()
        raise


@contextmanager
def site_and_servers(kind: str) -> Iterator[tuple[Path, dict, list[servers.Process]]]:
    """A data folder, a fresh PostgreSQL database (SQLite without one) and the environment
    the servers run with; the servers the benchmark appends to the list are stopped after."""
    data_dir = Path(tempfile.mkdtemp(prefix=f"bench-{kind}-"))
    data_dir.chmod(0o755)  # nginx's workers read the files as another user
    database, name = "", f"podcast_bench_{kind}_{uuid.uuid4().hex[:8]}"
    try:
        bench_load.pg_admin(f'CREATE DATABASE "{name}"')
        database = bench_load.PG_ADMIN_URL.rsplit("/", 1)[0] + f"/{name}"
    except Exception:  # noqa: BLE001 - no PostgreSQL here: SQLite, as make run
        pass
    started: list[servers.Process] = []
    try:
        yield data_dir, environment(data_dir, database), started
    finally:
        for process in reversed(started):
            process.stop()
        if database:
            from django.db import connections

            connections.close_all()
            bench_load.pg_admin(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        shutil.rmtree(data_dir, ignore_errors=True)


def run() -> list[Row]:
    with site_and_servers("stack") as (data_dir, env, started):
        urls = setup_site(env)
        ours = servers.start_procfile_web(env, data_dir / "web.log")
        started.append(ours)
        static_urls = copy_bytes(ours.port, urls, data_dir / "static-copy")
        audio_size = (data_dir / "static-copy" / "episode.mp3").stat().st_size
        lua = data_dir / "ranges.lua"
        lua.write_text(servers.RANDOM_RANGES_LUA.format(size=audio_size))
        whitenoise = servers.start_whitenoise(
            data_dir / "static-copy", env, data_dir / "wn.log", "2"
        )
        nginx = servers.static_nginx(data_dir / "static-copy", data_dir / "nginx-static")
        started += [whitenoise, nginx]
        theirs = cases(whitenoise.port, static_urls, audio_size, lua)
        nginx_figures = cases(nginx.port, static_urls, audio_size, lua)
        mine = cases(ours.port, urls, audio_size, lua)
        rows = rows_for("procfile", mine, theirs, nginx_figures)
        rows.append(("stack_procfile_rss", round(ours.memory_mb(), 1), "MB", "all web processes"))
        if {"feed_304", "feed_gzip"} <= mine.keys():
            own_304 = figure(mine, "feed_304") / figure(mine, "feed_gzip")
            rows.append(
                ("stack_procfile_feed_304_vs_own_200", round(own_304, 2), "x", "goal >= 1.5")
            )
        if FRONT:
            front = behind_nginx(env, data_dir)
            started += front
            rows += rows_for("nginx_front", cases(front[-1].port, urls, audio_size, lua), theirs,
                             nginx_figures)  # fmt: skip
        for label in filter(None, os.environ.get("BENCH_STACK_SERVERS", "").split(",")):
            other = servers.start_command(OTHER_SERVERS[label], env, data_dir / f"{label}.log")
            started.append(other)
            rows += rows_for(label, cases(other.port, urls, audio_size, lua), theirs, nginx_figures)
            other.stop()
        return rows


if __name__ == "__main__":
    for row in run():
        print("\t".join(str(cell) for cell in row))
