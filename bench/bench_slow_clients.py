"""Slow clients cannot starve pages (issue 16): page p95 idle, then under slow clients.

Against the Procfile's `web` as written (granian, DEBUG off, PostgreSQL and the
Redis cache when they answer; bench_stack's 3,000-episode show and 20 MB MP3),
then behind deploy/nginx.conf (audio by X-Accel-Redirect): wrk asks for the
episode page with 4 connections for BENCH_SLOW_SECONDS and reports its p95, on an
idle server and while BENCH_SLOW_DOWNLOADS clients download the MP3
reading 1 byte a second and BENCH_SLOW_HEADERS clients send their request
headers a line every few seconds (slowloris), reconnecting when the server
closes on them. A download answered 503 (every stream slot taken) is retried
after its Retry-After, as podcast apps do. Idle and loaded alternate
BENCH_SLOW_ROUNDS times (the machine is shared); the medians are compared. The
goal: loaded p95 within 1.5x idle.
"""

import os
import re
import socket
import statistics
import subprocess
import sys
import threading
import time
from pathlib import Path

sys.path[:0] = [str(Path(__file__).resolve().parent)]

import bench_stack  # noqa: E402
import stack_servers as servers  # noqa: E402

SECONDS = float(os.environ.get("BENCH_SLOW_SECONDS", "5"))
ROUNDS = int(os.environ.get("BENCH_SLOW_ROUNDS", "3"))
DOWNLOADS = int(os.environ.get("BENCH_SLOW_DOWNLOADS", "200"))
HEADERS = int(os.environ.get("BENCH_SLOW_HEADERS", "1000"))
HEADER_LINE_SECONDS = 3.0
RETRY_SECONDS = 10.0
P95_LUA = """
done = function(summary, latency, requests)
  io.write(string.format("p95_us %d\\n", latency:percentile(95)))
end
"""
Row = tuple[str, float, str, str]


def page_p95(url: str, lua: Path) -> tuple[float, float]:
    """(p95 in ms, requests/s) of wrk asking for `url` over 4 connections."""
    command = ["wrk", "-t1", "-c4", f"-d{SECONDS:g}s", "--timeout", "10s", "-s", str(lua), url]
    output = subprocess.run(command, capture_output=True, text=True, check=True).stdout
    p95 = int(re.search(r"p95_us (\d+)", output).group(1)) / 1000
    return p95, float(re.search(r"Requests/sec:\s+([0-9.]+)", output).group(1))


class SlowClients:
    """Slow downloads and slow headers on one thread, until stop(); counts what they saw."""

    def __init__(self, port: int, audio: str) -> None:
        self.port, self.audio = port, audio
        self.stopping = threading.Event()
        self.counts = {"streamed": 0, "busy_503": 0, "header_reconnects": 0}
        self.thread = threading.Thread(target=self.run, daemon=True)

    def start(self) -> None:
        self.thread.start()

    def stop(self) -> dict[str, int]:
        self.stopping.set()
        self.thread.join()
        return self.counts

    def connect(self, kind: str) -> socket.socket:
        sock = socket.socket()
        # A small receive buffer, so that 1 byte a second really holds the sender back.
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, 4096)
        sock.settimeout(2)  # a full accept queue must not stall every other client
        sock.connect(("127.0.0.1", self.port))
        if kind == "download":
            sock.sendall(f"GET {self.audio} HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n".encode())
        else:
            sock.sendall(b"GET / HTTP/1.1\r\nHost: 127.0.0.1\r\n")
        sock.setblocking(False)
        return sock

    def run(self) -> None:
        # Each client: (kind, socket or None, when it acts next, bytes read so far).
        clients = [["download", None, 0.0, b""] for _ in range(DOWNLOADS)]
        clients += [["header", None, 0.0, b""] for _ in range(HEADERS)]
        while not self.stopping.is_set():
            now = time.monotonic()
            for client in clients:
                if client[2] <= now:
                    self.step(client, now)
            time.sleep(0.05)
        for client in clients:
            if client[1] is not None:
                client[1].close()

    def step(self, client: list, now: float) -> None:
        kind, sock = client[0], client[1]
        try:
            if sock is None:
                client[1], client[3] = self.connect(kind), b""
                client[2] = now + 1
            elif kind == "download":
                self.read_one(client, now)
            else:
                sock.sendall(b"X-Slow: 1\r\n")
                client[2] = now + HEADER_LINE_SECONDS
        except (BlockingIOError, InterruptedError):
            client[2] = now + 1
        except OSError:  # closed by the server (header timeout, 503): start again
            self.reset(client, now)

    def read_one(self, client: list, now: float) -> None:
        data = client[1].recv(max(1, 12 - len(client[3])))
        if not data:
            raise ConnectionResetError
        client[3] += data
        client[2] = now + 1
        if len(client[3]) == 12:  # the status line has arrived: "HTTP/1.1 200"
            busy = client[3].endswith(b"503")
            self.counts["busy_503" if busy else "streamed"] += 1
            if busy:
                self.reset(client, now, wait=RETRY_SECONDS)

    def reset(self, client: list, now: float, wait: float = 0.0) -> None:
        if client[1] is not None:
            client[1].close()
        if client[0] == "header":
            self.counts["header_reconnects"] += 1
        client[1], client[2] = None, now + wait


def measure(label: str, port: int, urls: dict[str, str], lua: Path) -> list[Row]:
    """Idle and loaded p95, alternated ROUNDS times (others share this machine), medians."""
    page = f"http://127.0.0.1:{port}{urls['page']}"
    page_p95(page, lua)  # warm: the page cache, connections
    idle, loaded, counts = [], [], {}
    for _ in range(ROUNDS):
        idle.append(page_p95(page, lua))
        clients = SlowClients(port, urls["audio"])
        clients.start()
        time.sleep(5)  # every slow client connected and waiting
        loaded.append(page_p95(page, lua))
        for name, count in clients.stop().items():
            counts[name] = counts.get(name, 0) + count
    (idle_ms, idle_rate), (loaded_ms, loaded_rate) = median(idle), median(loaded)
    seen = ", ".join(f"{name} {count}" for name, count in counts.items())
    note = f"{DOWNLOADS} downloads at 1 B/s + {HEADERS} slow-header connections; {seen}"
    spread = f"idle p95s {sorted(round(p) for p, _ in idle)}, loaded {sorted(round(p) for p, _ in loaded)}"
    return [
        (
            f"slow_{label}_page_p95_idle",
            round(idle_ms, 1),
            "ms",
            f"{idle_rate:.0f} req/s; {spread}",
        ),
        (f"slow_{label}_page_p95_loaded", round(loaded_ms, 1), "ms", f"{loaded_rate:.0f} req/s"),
        (
            f"slow_{label}_page_p95_vs_idle",
            round(loaded_ms / idle_ms, 2),
            "x",
            f"goal <= 1.5; {note}",
        ),
    ]


def median(runs: list[tuple[float, float]]) -> tuple[float, float]:
    return statistics.median(p for p, _ in runs), statistics.median(r for _, r in runs)


def run() -> list[Row]:
    with bench_stack.site_and_servers("slow") as (data_dir, env, started):
        lua = data_dir / "p95.lua"
        lua.write_text(P95_LUA)
        urls = bench_stack.setup_site(env)
        ours = servers.start_procfile_web(env, data_dir / "web.log")
        started.append(ours)
        rows = measure("procfile", ours.port, urls, lua)
        ours.stop()
        if os.environ.get("BENCH_SLOW_FRONT", "1") == "0":
            return rows
        front = bench_stack.behind_nginx(env, data_dir)
        started += front
        return rows + measure("nginx_front", front[-1].port, urls, lua)


if __name__ == "__main__":
    for row in run():
        print("\t".join(str(cell) for cell in row))
