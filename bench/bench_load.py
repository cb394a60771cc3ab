"""How many simulated listeners the production setup holds: Locust in steps.

Starts the production-like stack on loopback (the Procfile's web with 2 processes,
DEBUG off, PostgreSQL in a temporary database, Redis as cache and broker, collected static files, the demo content), then runs bench/locustfile.py
headless at increasing user counts, each step bounded. A step passes with no
failed request and a p95 under 200 ms. Prints rows `name<TAB>value<TAB>unit<TAB>note`.
"""

import csv
import importlib.util
import os
import resource
import shutil
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
import uuid
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PG_ADMIN_URL = "postgres://postgres@127.0.0.1:5432/postgres"
REDIS = "redis://127.0.0.1:6379"
STEPS = [int(n) for n in os.environ.get("BENCH_LOAD_STEPS", "25,50,100,300,600,1000").split(",")]
STEP_SECONDS = int(os.environ.get("BENCH_LOAD_SECONDS", "60"))
P95_LIMIT_MS = 200
WEB_WORKERS = os.environ.get("WEB_CONCURRENCY", "2")


def pg_admin(sql: str) -> None:
    import psycopg

    with psycopg.connect(PG_ADMIN_URL, autocommit=True, connect_timeout=3) as conn:
        conn.execute(sql)


def reachable(port: int) -> bool:
    try:
        socket.create_connection(("127.0.0.1", port), timeout=1).close()
        return True
    except OSError:
        return False


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def manage(env: dict, *args: str) -> None:
    subprocess.run([sys.executable, "manage.py", *args], cwd=ROOT, env=env, check=True, timeout=600)


def procfile_web() -> str:
    lines = (ROOT / "Procfile").read_text().splitlines()
    return next(line.removeprefix("web: ") for line in lines if line.startswith("web: "))


def start_server(env: dict, port: int, log: Path) -> subprocess.Popen:
    """The Procfile's web command as written, with WEB_CONCURRENCY and PORT."""
    env = {**env, "PORT": str(port), "WEB_CONCURRENCY": WEB_WORKERS,
           "PATH": f"{Path(sys.executable).parent}:{env['PATH']}"}  # fmt: skip
    with log.open("ab") as out:
        server = subprocess.Popen(
            ["sh", "-c", "exec " + procfile_web()], cwd=ROOT, env=env, stdout=out, stderr=out
        )
    deadline = time.monotonic() + 60
    while not reachable(port):
        if server.poll() is not None or time.monotonic() > deadline:
            raise RuntimeError(f"the Procfile's web did not start:\n{log.read_text()[-2000:]}")
        time.sleep(0.2)
    return server


def warm_up(host: str) -> None:
    """First requests per process compile templates and open pools; users come later."""
    paths = ["/", "/episodes/rss", "/episodes/show/1/why-small-tools-win", "/search?q=tools"]
    for _ in range(10):
        for path in paths:
            with urllib.request.urlopen(host + path, timeout=30) as response:
                response.read()


def run_step(users: int, host: str, out: Path) -> dict:
    prefix = out / f"step-{users}"
    command = [
        sys.executable, "-m", "locust", "-f", str(ROOT / "bench" / "locustfile.py"),
        "--headless", "--only-summary", "--host", host, "-u", str(users),
        "-r", str(max(10, users // 10)), "-t", f"{STEP_SECONDS}s", "--csv", str(prefix),
        "--stop-timeout", "5", "--loglevel", "WARNING", "--csv-full-history",
    ]  # fmt: skip
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    subprocess.run(command, cwd=ROOT, capture_output=True, timeout=STEP_SECONDS + 120)
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    # Locust runs on the same cores as the server: what it took counts against us.
    locust_cpu = (after.ru_utime + after.ru_stime) - (before.ru_utime + before.ru_stime)
    with open(f"{prefix}_stats.csv", newline="") as stats:
        rows = list(csv.DictReader(stats))
    total = next(row for row in rows if row["Name"] == "Aggregated")
    slowest = max((r for r in rows if r["Name"] != "Aggregated"), key=lambda r: float(r["95%"]))
    return {
        "slowest": f"slowest p95: {slowest['Name']} {float(slowest['95%']):.0f} ms; "
        f"Locust used {locust_cpu / STEP_SECONDS:.2f} of the 2 cores{failures(prefix)}; "
        f"p95 of the last 10 s, every user started: {last_window_p95(prefix)} ms; "
        + "p95 by kind: "
        + ", ".join(
            f"{r['Name']} {float(r['95%']):.0f}" for r in rows if r["Name"] != "Aggregated"
        ),
        "requests": float(total["Request Count"]),
        "failures": float(total["Failure Count"]),
        "p95": float(total["95%"]),
        "rps": float(total["Requests/s"]),
    }


def last_window_p95(prefix: Path) -> str:
    """Locust's p95 over the step's last 10 s: without its ramp, when it starts users/10 a second."""
    with open(f"{prefix}_stats_history.csv", newline="") as history:
        rows = [r for r in csv.DictReader(history) if r["Name"] == "Aggregated"]
    return next((r["95%"] for r in reversed(rows) if r["95%"].isdigit()), "?")


def failures(prefix: Path) -> str:
    """What failed, as Locust lists it: '; failures: 2x GET audio range: HTTPError(...)'."""
    try:
        with open(f"{prefix}_failures.csv", newline="") as listed:
            rows = list(csv.DictReader(listed))
    except OSError:
        return ""
    kinds = [f"{r['Occurrences']}x {r['Method']} {r['Name']}: {r['Error'][:120]}" for r in rows]
    return "; failures: " + " | ".join(kinds) if kinds else ""


def run() -> list[tuple]:
    if importlib.util.find_spec("locust") is None:
        return [("load_users_held", float("nan"), "users", 'skipped: pip install -e ".[bench]"')]
    try:
        pg_admin("SELECT 1")
    except Exception as error:  # noqa: BLE001 - any failure means "no PostgreSQL here"
        return [("load_users_held", float("nan"), "users", f"skipped: no PostgreSQL ({error})")]
    if not reachable(6379):
        return [("load_users_held", float("nan"), "users", "skipped: no Redis on 127.0.0.1:6379")]
    name = f"podcast_bench_load_{uuid.uuid4().hex[:8]}"
    data_dir = Path(tempfile.mkdtemp(prefix="bench-load-"))
    env = dict(
        os.environ,
        DJANGO_SETTINGS_MODULE="podcast.settings",
        DEBUG="0",
        SECRET_KEY="bench-load-secret-key",
        PODCAST_DATA_DIR=str(data_dir),
        DATABASE_URL=PG_ADMIN_URL.rsplit("/", 1)[0] + f"/{name}",
        CACHE_URL=os.environ.get("BENCH_LOAD_CACHE_URL", f"{REDIS}/12"),
        CELERY_BROKER_URL=os.environ.get("BENCH_LOAD_BROKER_URL", f"{REDIS}/11"),
        ALLOWED_HOSTS="127.0.0.1,localhost",
        LOG_LEVEL="WARNING",
    )
    pg_admin(f'CREATE DATABASE "{name}"')
    server = None
    rows: list[tuple] = []
    try:
        for args in (("migrate", "--noinput"), ("collectstatic", "--noinput"), ("load_demo",)):
            manage(env, *args, "--verbosity=0")
        port = free_port()
        server = start_server(env, port, data_dir / "web.log")
        warm_up(f"http://127.0.0.1:{port}")
        held = 0
        for users in STEPS:
            result = run_step(users, f"http://127.0.0.1:{port}", data_dir)
            ok = result["failures"] == 0 and result["p95"] < P95_LIMIT_MS
            note = (
                f"{result['requests']:.0f} requests, {result['failures']:.0f} failed, "
                f"{result['rps']:.1f} req/s; {result['slowest']}"
            )
            rows.append((f"load_{users}_users_p95", result["p95"], "ms", note))
            if not ok:
                break
            held = users
        rows.append(
            ("load_users_held", held, "users", f"no failure and p95 < {P95_LIMIT_MS} ms; "
             f"{WEB_WORKERS} web processes (Procfile), PostgreSQL, Redis, {STEP_SECONDS} s steps")
        )  # fmt: skip
    finally:
        if server is not None:
            server.terminate()
            server.wait(timeout=30)
        pg_admin(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        shutil.rmtree(data_dir, ignore_errors=True)
    return rows


if __name__ == "__main__":
    for row in run():
        print("\t".join(str(cell) for cell in row))
