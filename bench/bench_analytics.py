"""Download analytics: what counting costs the download path, aggregation at scale, the admin page.

1. Range probes (`bytes=0-1`) and full GETs of a 100 MB file through uvicorn,
   driven by wrk with many connections, counting off against counting on (spool
   file; and Redis when it answers). Goal: on >= 0.9x off.
2. Aggregation of BENCH_ANALYTICS_EVENTS buffered events (default 1,000,000: ten
   million takes too long on this shared 2-core machine) on PostgreSQL and
   Redis, against storing the same raw events alone.
3. The show's analytics page with 500 episodes and a year of daily counts on
   PostgreSQL, against the admin's show list. Goal: under 300 ms.

Parts 2 and 3 run in a child process on BENCH_ANALYTICS_DATABASE_URL (default
postgres://postgres@127.0.0.1:5432/podcast_analytics, dropped and made afresh).
BENCH_ANALYTICS_PARTS picks parts (default "serving,aggregation,page"), e.g.
"aggregation" alone for ten million events.
"""

import os
import socket
import statistics
import subprocess
import sys
import tempfile
from pathlib import Path

from bench_serving import Server, server_env, setup_site
from stack_servers import wrk

ROOT = Path(__file__).resolve().parent.parent
SECONDS = float(os.environ.get("BENCH_ANALYTICS_SECONDS", "5"))
ROUNDS = 3
EVENTS = int(os.environ.get("BENCH_ANALYTICS_EVENTS", "1000000"))
DATABASE_URL = os.environ.get(
    "BENCH_ANALYTICS_DATABASE_URL", "postgres://postgres@127.0.0.1:5432/podcast_analytics"
)
REDIS_URL = os.environ.get("BENCH_ANALYTICS_REDIS_URL", "redis://127.0.0.1:6379/11")
PARTS = os.environ.get("BENCH_ANALYTICS_PARTS", "serving,aggregation,page").split(",")
OVERCAST = "Overcast/3.0 (+http://overcast.fm/; iOS podcast app)"


def row(name: str, value: float, unit: str, note: str = "") -> None:
    print(f"{name}\t{value:.3g}\t{unit}\t{note}", flush=True)


def answers(host: str, port: int) -> bool:
    try:
        socket.create_connection((host, port), timeout=1).close()
        return True
    except OSError:
        return False


# ---------------------------------------------------------------- 1. the download path


def serving(data_dir: Path) -> None:
    path = setup_site(data_dir)  # bench_serving's site: one episode of 100 MB
    modes = {"off": {"PODCAST_ANALYTICS": "0"}, "spool": {"PODCAST_ANALYTICS": "1"}}
    if answers("127.0.0.1", 6379):
        modes["redis"] = {"PODCAST_ANALYTICS": "1", "PODCAST_ANALYTICS_REDIS_URL": REDIS_URL}
    figures: dict[str, dict[str, list[float]]] = {m: {"probe": [], "full": []} for m in modes}
    for _ in range(ROUNDS):  # alternate, so a noisy neighbour hurts every mode alike
        for mode, extra in modes.items():
            server = Server(["podcast.asgi:application"], server_env(data_dir, **extra))
            url = f"http://127.0.0.1:{server.port}{path}"
            headers = {"User-Agent": OVERCAST}
            probe = wrk(url, {**headers, "Range": "bytes=0-1"}, seconds=SECONDS, connections=32)
            full = wrk(url, headers, seconds=SECONDS, connections=4)
            figures[mode]["probe"].append(probe["rps"])
            figures[mode]["full"].append(full["mbps"])
            server.stop()
    off = {kind: statistics.median(values) for kind, values in figures["off"].items()}
    row("range probes, counting off", off["probe"], "req/s", "wrk -c32, median of 3")
    row("full GETs (100 MB), counting off", off["full"], "MB/s", "wrk -c4, median of 3")
    for mode in modes.keys() - {"off"}:
        on = {kind: statistics.median(values) for kind, values in figures[mode].items()}
        row(f"range probes, counting on ({mode})", on["probe"], "req/s", "")
        row(f"  ratio on/off ({mode}, probes)", on["probe"] / off["probe"], "x", "goal >= 0.9")
        row(f"full GETs, counting on ({mode})", on["full"], "MB/s", "")
        row(f"  ratio on/off ({mode}, full GETs)", on["full"] / off["full"], "x", "goal >= 0.9")


def fresh_database(url: str) -> None:
    """Drop and create the bench database: each run starts from nothing."""
    import psycopg

    name = url.rsplit("/", 1)[1]
    with psycopg.connect(url.rsplit("/", 1)[0] + "/postgres", autocommit=True) as connection:
        connection.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        connection.execute(f'CREATE DATABASE "{name}"')


def main() -> int:
    if "serving" in PARTS:
        with tempfile.TemporaryDirectory(prefix="bench-analytics-") as folder:
            serving(Path(folder))
    if not {"aggregation", "page"} & set(PARTS):
        return 0
    if not answers("127.0.0.1", 5432) or not answers("127.0.0.1", 6379):
        row("aggregation and page on PostgreSQL", 0, "", "skipped: PostgreSQL or Redis not up")
        return 0
    fresh_database(DATABASE_URL)
    env = {**os.environ, "DATABASE_URL": DATABASE_URL, "CACHE_URL": REDIS_URL}
    env |= {"SECRET_KEY": "bench", "DJANGO_SETTINGS_MODULE": "podcast.settings"}
    child = [sys.executable, str(Path(__file__).with_name("analytics_scale.py"))]
    return subprocess.run(child, cwd=ROOT, env=env).returncode


if __name__ == "__main__":
    sys.exit(main())
