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
import http.client
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


def feed_answers(port: int, path: str) -> dict[str, list[tuple[str, str]]]:
    """The headers of our gzipped feed's 200 and 304 as sent, less what a server adds."""
    added = {"date", "server", "connection", "keep-alive", "transfer-encoding"}
    answers, etag = {}, None
    for status in ("200", "304"):
        connection = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
        conditional = {"If-None-Match": etag} if etag else {}
        connection.request("GET", path, headers={**GZIP, **conditional})
        response = connection.getresponse()
        response.read()
        connection.close()
        assert str(response.status) == status, response.status
        etag = response.getheader("ETag")
        answers[status] = [(k, v) for k, v in response.getheaders() if k.lower() not in added]
    return answers


def cases(
    port: int, urls: dict[str, str], audio_size: int, lua: Path, watched: list | None = None
) -> dict[str, dict]:
    """Every measured request kind against one server; with `watched` (the server's
    processes), the CPU they used per request as `cpu_us` (wrk's own is not in it)."""
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
    results = {
        kind: costed(measure, watched or [])
        for kind, measure in every.items()
        if kind in CASES or not CASES
    }
    assert fetch(port, urls["audio"], {"Range": "bytes=0-1"})[1]["Content-Range"].endswith(
        f"/{audio_size}"
    )
    return results


def costed(measure, watched: list) -> dict:
    before = sum(process.cpu_seconds() for process in watched)
    result = measure()
    used = sum(process.cpu_seconds() for process in watched) - before
    result["cpu_us"] = used / result["requests"] * 1e6 if watched and result["requests"] else 0
    return result


def figure(results: dict[str, dict], kind: str) -> float:
    return results[kind]["mbps" if kind == "full_get" else "rps"]


def rows_for(label: str, ours: dict, whitenoise: dict, nginx: dict) -> list[Row]:
    rows: list[Row] = []
    for kind in ours:
        unit = "MB/s" if kind == "full_get" else "req/s"
        mine, wn, ng = figure(ours, kind), figure(whitenoise, kind), figure(nginx, kind)
        errors = f", {ours[kind]['errors']:.0f} errors" if ours[kind]["errors"] else ""
        cpu = ours[kind]["cpu_us"]
        cost = f"; server CPU {cpu:.0f} us/request" if cpu else ""
        note = f"WhiteNoise {wn:.0f}, nginx {ng:.0f} {unit}; p99 {ours[kind]['p99']:.1f} ms{errors}{cost}"
        rows.append((f"stack_{label}_{kind}", round(mine, 1), unit, note))
        rows.append((f"stack_{label}_{kind}_vs_whitenoise", round(mine / wn, 2), "x", ""))
    return rows


def against_the_floor(mine: dict, port: int, urls: dict, data_dir: Path, env: dict,
                      started: list) -> list[Row]:  # fmt: skip
    """Our feed 304 / 200 beside the same ratio of an app that does nothing but answer.

    A 304 and a 200 both pay granian's per-request floor (environ, a thread handoff);
    the ratio of an app with no work at all is the most any app reaches on this machine.
    """
    own_304 = figure(mine, "feed_304") / figure(mine, "feed_gzip")
    cost = mine["feed_gzip"]["cpu_us"] / mine["feed_304"]["cpu_us"]
    floor = servers.start_fixed_answers(
        data_dir / "static-copy", feed_answers(port, urls["feed"]), env, data_dir / "fixed.log"
    )
    started.append(floor)
    run = {"seconds": SECONDS, "connections": CONNECTIONS}
    base = f"http://127.0.0.1:{floor.port}/"
    full = costed(lambda: servers.wrk(base, GZIP, **run), [floor])
    unchanged = costed(lambda: servers.wrk(base, {"If-None-Match": "x"}, **run), [floor])
    floor.stop()
    ceiling = unchanged["rps"] / full["rps"]
    note = (f"goal >= 1.5; the server's CPU per 200 / per 304: {cost:.2f}; an app doing "
            f"nothing under the same granian: {ceiling:.2f} ({full['rps']:.0f} / "
            f"{unchanged['rps']:.0f} req/s, CPU {full['cpu_us']:.0f} / "
            f"{unchanged['cpu_us']:.0f} us)")  # fmt: skip
    return [
        ("stack_procfile_feed_304_vs_own_200", round(own_304, 2), "x", note),
        ("stack_noop_granian_feed_304_vs_200", round(ceiling, 2), "x", "the floor's own ratio"),
    ]


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
        mine = cases(ours.port, urls, audio_size, lua, [ours])
        rows = rows_for("procfile", mine, theirs, nginx_figures)
        rows.append(("stack_procfile_rss", round(ours.memory_mb(), 1), "MB", "all web processes"))
        if {"feed_304", "feed_gzip"} <= mine.keys():
            rows += against_the_floor(mine, ours.port, urls, data_dir, env, started)
        if FRONT:
            front = behind_nginx(env, data_dir)
            started += front
            behind = cases(front[-1].port, urls, audio_size, lua, front)
            rows += rows_for("nginx_front", behind, theirs, nginx_figures)
        for label in filter(None, os.environ.get("BENCH_STACK_SERVERS", "").split(",")):
            other = servers.start_command(OTHER_SERVERS[label], env, data_dir / f"{label}.log")
            started.append(other)
            rows += rows_for(label, cases(other.port, urls, audio_size, lua), theirs, nginx_figures)
            other.stop()
        return rows


if __name__ == "__main__":
    for row in run():
        print("\t".join(str(cell) for cell in row))
