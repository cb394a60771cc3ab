"""Audio downloads under uvicorn against WhiteNoise serving the same 100 MB file.

Both servers run as real uvicorn processes on loopback: ours through the ASGI
application (one worker, as `make run`), WhiteNoise as a tiny WSGI app through
`uvicorn --interface wsgi`. Reported: full-file throughput, small-range request
rates and the peak RSS of each server process, then home-page latency with more
slow downloads in flight than server workers, against an idle server.
"""

import http.client
import os
import random
import select
import shutil
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from tests.processes import free_port, stop, wait_for_port  # noqa: E402

FILE_MB = 100
FULL_GETS = 3
CONCURRENT_GETS = 4
PROBES = 1000
RANDOM_RANGES = 500
PAGES = 200
SLOW_DOWNLOADS = 50
WHITENOISE_PREFIX = "/s/"

Row = tuple[str, float, str, str]


def whitenoise_app() -> Callable:
    """The WhiteNoise baseline (a uvicorn --factory): files of BENCH_STATIC_ROOT under /s/."""
    from whitenoise import WhiteNoise

    def not_found(environ: dict, start_response: Callable) -> list[bytes]:
        start_response("404 Not Found", [("Content-Type", "text/plain")])
        return [b"not found"]

    return WhiteNoise(not_found, root=os.environ["BENCH_STATIC_ROOT"], prefix=WHITENOISE_PREFIX)


def setup_site(data_dir: Path) -> str:
    """Migrate a fresh database and publish one episode with a FILE_MB served file."""
    sys.path.insert(0, str(ROOT))
    os.environ.update(server_env(data_dir))
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0)
    call_command("collectstatic", interactive=False, verbosity=0)
    return create_episode(data_dir / "media").download_url()


def create_episode(media_root: Path):
    """A published episode whose audio is FILE_MB of real MP3 frames, written in place."""
    import datetime as dt

    from django.utils import timezone

    from episodes.audio.tones import tone_mp3
    from episodes.models import Episode, Show

    show = Show.objects.create(title="Bench Show", slug="bench", is_default=True, description="B")
    episode = Episode(show=show, number=1, title="Bench episode", slug="bench-episode")
    episode.publish_at = timezone.now() - dt.timedelta(days=1)
    episode.audio_version, episode.audio_mime_type = 1, "audio/mpeg"
    name = episode.served_audio_name()
    path = media_root / name
    path.parent.mkdir(parents=True, exist_ok=True)
    frames = tone_mp3(2.0)
    with path.open("wb") as out:
        for _ in range(FILE_MB * 1024 * 1024 // len(frames) + 1):
            out.write(frames)
    episode.audio.name, episode.audio_size = name, path.stat().st_size
    episode.save()
    return episode


def server_env(data_dir: Path, **extra: str) -> dict[str, str]:
    return {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "podcast.settings",
        "SECRET_KEY": "bench-secret-key",
        "DEBUG": "0",
        "PODCAST_DATA_DIR": str(data_dir),
        "PODCAST_MEDIA_ROOT": str(data_dir / "media"),
        **extra,
    }


class Server:
    """A uvicorn process on loopback, stopped by `stop()`."""

    def __init__(self, args: list[str], env: dict[str, str]) -> None:
        self.port = free_port()
        command = [sys.executable, "-m", "uvicorn", *args, "--host", "127.0.0.1"]
        command += ["--port", str(self.port), "--no-access-log", "--log-level", "warning"]
        self.process = subprocess.Popen(command, cwd=ROOT, env=env)
        self.wait_until_ready()

    def wait_until_ready(self, timeout: float = 30) -> None:
        wait_for_port(self.port, self.process, timeout=timeout)

    def memory_mb(self, field: str) -> float:
        """VmRSS (now) or VmHWM (peak) of the server process, in MB."""
        for line in Path(f"/proc/{self.process.pid}/status").read_text().splitlines():
            if line.startswith(field):
                return int(line.split()[1]) / 1024
        raise LookupError(field)

    def connection(self) -> http.client.HTTPConnection:
        return http.client.HTTPConnection("127.0.0.1", self.port, timeout=60)

    def stop(self) -> None:
        stop(self.process, timeout=10)


def get(connection: http.client.HTTPConnection, path: str, headers: dict | None = None) -> int:
    """Bytes of the body of one GET, read 1 MiB at a time and dropped."""
    connection.request("GET", path, headers=headers or {})
    response = connection.getresponse()
    assert response.status in (200, 206), (path, headers, response.status)
    total = 0
    while chunk := response.read(1 << 20):
        total += len(chunk)
    return total


def full_get_mb_per_s(server: Server, path: str) -> float:
    connection = server.connection()
    started = time.perf_counter()
    total = sum(get(connection, path) for _ in range(FULL_GETS))
    connection.close()
    return total / (time.perf_counter() - started) / 1e6


def concurrent_full_gets(server: Server, path: str) -> None:
    """A few listeners at once: memory must not grow with each one."""
    connections = [server.connection() for _ in range(CONCURRENT_GETS)]
    threads = [threading.Thread(target=get, args=(c, path)) for c in connections]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()


def ranges_per_s(server: Server, path: str, ranges: list[str]) -> float:
    connection = server.connection()
    started = time.perf_counter()
    for header in ranges:
        get(connection, path, {"Range": header})
    connection.close()
    return len(ranges) / (time.perf_counter() - started)


def random_ranges(size: int) -> list[str]:
    rng = random.Random(42)
    starts = (rng.randrange(0, size - 65536) for _ in range(RANDOM_RANGES))
    return [f"bytes={start}-{start + 65535}" for start in starts]


def measure_serving(server: Server, path: str, size: int) -> dict[str, float]:
    figures = {
        "full": full_get_mb_per_s(server, path),
        "probe": ranges_per_s(server, path, ["bytes=0-1"] * PROBES),
        "random": ranges_per_s(server, path, random_ranges(size)),
    }
    concurrent_full_gets(server, path)
    return {**figures, "rss": server.memory_mb("VmHWM")}


def page_latencies(server: Server) -> list[float]:
    connection = server.connection()
    get(connection, "/")  # warm templates and the connection
    samples = []
    for _ in range(PAGES):
        started = time.perf_counter()
        get(connection, "/")
        samples.append(time.perf_counter() - started)
    connection.close()
    return samples


class SlowListeners:
    """Downloads read a few KiB at a time, ten times a second, on tiny receive windows."""

    def __init__(self, server: Server, path: str, count: int) -> None:
        self.sockets = [self.open(server, path) for _ in range(count)]
        self.stopping = threading.Event()
        self.thread = threading.Thread(target=self.trickle, daemon=True)
        self.thread.start()

    @staticmethod
    def open(server: Server, path: str) -> socket.socket:
        sock = socket.socket()
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, 4096)
        sock.connect(("127.0.0.1", server.port))
        sock.sendall(f"GET {path} HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n".encode())
        return sock

    def trickle(self) -> None:
        while not self.stopping.wait(0.1):
            readable, _, _ = select.select(self.sockets, [], [], 0)
            for sock in readable:
                sock.recv(4096)

    def close(self) -> None:
        self.stopping.set()
        self.thread.join()
        for sock in self.sockets:
            sock.close()


def percentile_ms(samples: list[float], q: int) -> float:
    return round(statistics.quantiles(samples, n=100)[q - 1] * 1000, 2)


def measure_pages(server: Server, path: str) -> list[Row]:
    idle = page_latencies(server)
    slow = SlowListeners(server, path, SLOW_DOWNLOADS)
    time.sleep(0.5)  # let every download start and fill its window
    try:
        busy, rss = page_latencies(server), server.memory_mb("VmRSS")
    finally:
        slow.close()
    note = f"1 uvicorn worker, {SLOW_DOWNLOADS} slow downloads in flight"
    return [
        ("page_p50_idle", percentile_ms(idle, 50), "ms", "home page, 1 worker, no downloads"),
        ("page_p95_idle", percentile_ms(idle, 95), "ms", "home page, 1 worker, no downloads"),
        ("page_p50_slow_downloads", percentile_ms(busy, 50), "ms", note),
        ("page_p95_slow_downloads", percentile_ms(busy, 95), "ms", note),
        ("page_p95_ratio", round(percentile_ms(busy, 95) / percentile_ms(idle, 95), 2), "x",
         "with slow downloads / idle"),
        ("server_rss_slow_downloads", round(rss, 1), "MB", f"VmRSS, {note}"),
    ]  # fmt: skip


def serving_rows(ours: dict[str, float], theirs: dict[str, float]) -> list[Row]:
    what = {
        "full": ("full_get", "MB/s", f"{FULL_GETS} sequential GETs of {FILE_MB} MB"),
        "probe": ("probe_0_1", "req/s", f"{PROBES} x bytes=0-1, one keep-alive connection"),
        "random": ("random_64k", "req/s", f"{RANDOM_RANGES} random 64 KiB ranges"),
        "rss": ("peak_rss", "MB", f"VmHWM after all GETs incl. {CONCURRENT_GETS} concurrent"),
    }
    rows: list[Row] = []
    for key, (name, unit, note) in what.items():
        rows.append((f"serving_{name}", round(ours[key], 1), unit, f"ours (ASGI): {note}"))
        rows.append((f"whitenoise_{name}", round(theirs[key], 1), unit, f"WhiteNoise: {note}"))
        rows.append((f"serving_{name}_ratio", round(ours[key] / theirs[key], 2), "x", "ours / WN"))
    return rows


def run() -> list[Row]:
    data_dir = Path(tempfile.mkdtemp(prefix="bench-serving-"))
    path = setup_site(data_dir)
    audio = next((data_dir / "media" / "audio").rglob("*.mp3"))
    static_root = data_dir / "static-copy"
    static_root.mkdir()
    os.link(audio, static_root / "episode.mp3")  # the same bytes, no second copy on disk
    ours = Server(["podcast.asgi:application"], server_env(data_dir))
    theirs = Server(
        ["--interface", "wsgi", "--factory", "--app-dir", str(ROOT / "bench"),
         "bench_serving:whitenoise_app"],
        server_env(data_dir, BENCH_STATIC_ROOT=str(static_root)),
    )  # fmt: skip
    try:
        size = audio.stat().st_size
        their_figures = measure_serving(theirs, f"{WHITENOISE_PREFIX}episode.mp3", size)
        our_figures = measure_serving(ours, path, size)
        return serving_rows(our_figures, their_figures) + measure_pages(ours, path)
    finally:
        ours.stop()
        theirs.stop()
        shutil.rmtree(data_dir, ignore_errors=True)


if __name__ == "__main__":
    for row in run():
        print("\t".join(str(cell) for cell in row))
