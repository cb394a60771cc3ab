"""Processes for bench_stack: our Procfile web, WhiteNoise under gunicorn, nginx, and wrk.

Every server listens on a free loopback port and is stopped by `stop()`; wrk
runs for a few seconds with many connections and reports requests and bytes
per second.
"""

import json
import os
import re
import shlex
import signal
import subprocess
import sys
from collections.abc import Callable, Iterator
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from tests.processes import (  # noqa: E402
    NGINX,
    free_port,
    nginx_conf,
    procfile_web,
    procfile_web_command,
    wait_for_port,
)

WHITENOISE_PREFIX = "/s/"


def whitenoise_app() -> Callable:
    """The WhiteNoise baseline: the files of BENCH_STATIC_ROOT under /s/."""
    from whitenoise import WhiteNoise

    def not_found(environ: dict, start_response: Callable) -> list[bytes]:
        start_response("404 Not Found", [("Content-Type", "text/plain")])
        return [b"not found"]

    return WhiteNoise(not_found, root=os.environ["BENCH_STATIC_ROOT"], prefix=WHITENOISE_PREFIX)


def fixed_answers_app() -> Callable:
    """The floor of any WSGI app under granian: our feed's 200 and 304, from memory, no work.

    BENCH_STATIC_ROOT/feed.xml.gz is the body; BENCH_FIXED_HEADERS holds the 200's and
    the 304's headers as our server sent them (JSON); a request with If-None-Match gets
    the 304.
    """
    body = (Path(os.environ["BENCH_STATIC_ROOT"]) / "feed.xml.gz").read_bytes()
    headers = json.loads(os.environ["BENCH_FIXED_HEADERS"])
    full = [tuple(pair) for pair in headers["200"]]
    unchanged = [tuple(pair) for pair in headers["304"]]

    def answer(environ: dict, start_response: Callable) -> list[bytes]:
        if "HTTP_IF_NONE_MATCH" in environ:
            start_response("304 Not Modified", unchanged)
            return [b""]
        start_response("200 OK", full)
        return [body]

    return answer


class Process:
    """A server started in its own process group, ready once its port accepts connections."""

    def __init__(self, command: list[str], env: dict[str, str], port: int, log: Path) -> None:
        self.port, self.log = port, log
        with log.open("ab") as out:
            self.process = subprocess.Popen(
                command, cwd=ROOT, env=env, stdout=out, stderr=out, start_new_session=True
            )
        try:
            wait_for_port(port, self.process, log, timeout=60)
        except RuntimeError:
            self.stop()
            raise

    def group_stats(self) -> Iterator[list[str]]:
        """/proc/<pid>/stat of each process of the group (master and workers), after `comm`."""
        for status in Path("/proc").glob("[0-9]*/stat"):
            try:
                fields = status.read_text().rsplit(")", 1)[1].split()
                if int(fields[2]) == self.process.pid:  # the process group id
                    yield fields
            except (OSError, IndexError, ValueError):
                continue

    def memory_mb(self) -> float:
        """Resident memory of the whole process group, in MB."""
        pages = sum(int(fields[21]) for fields in self.group_stats())
        return pages * os.sysconf("SC_PAGE_SIZE") / 1e6

    def cpu_seconds(self) -> float:
        """CPU time the group's living processes have used, user and system."""
        ticks = sum(int(fields[11]) + int(fields[12]) for fields in self.group_stats())
        return ticks / os.sysconf("SC_CLK_TCK")

    def stop(self) -> None:
        try:
            os.killpg(self.process.pid, signal.SIGTERM)
            self.process.wait(timeout=20)
        except ProcessLookupError:
            pass
        except subprocess.TimeoutExpired:
            os.killpg(self.process.pid, signal.SIGKILL)
            self.process.wait()


def start_procfile_web(env: dict[str, str], log: Path) -> Process:
    """The Procfile's web command as written, with its variables, from the venv's bin."""
    port = free_port()
    env = {**env, "PORT": str(port), "PATH": f"{Path(sys.executable).parent}:{env['PATH']}"}
    return Process(procfile_web_command(), env, port, log)


def start_command(command: str, env: dict[str, str], log: Path) -> Process:
    """Another server command to compare (`{port}` is filled in), e.g. uvicorn or granian."""
    port = free_port()
    env = {**env, "PATH": f"{Path(sys.executable).parent}:{env['PATH']}"}
    return Process(shlex.split(command.format(port=port)), env, port, log)


def start_whitenoise(static_root: Path, env: dict[str, str], log: Path, workers: str) -> Process:
    port = free_port()
    command = [
        sys.executable, "-m", "gunicorn", "stack_servers:whitenoise_app()", "--chdir",
        str(ROOT / "bench"), "--bind", f"127.0.0.1:{port}", "--workers", workers,
        "--worker-class", "gthread", "--threads", "4",
    ]  # fmt: skip
    return Process(command, {**env, "BENCH_STATIC_ROOT": str(static_root)}, port, log)


def start_fixed_answers(
    static_root: Path, headers: dict, env: dict[str, str], log: Path
) -> Process:
    """fixed_answers_app under the Procfile's granian flags, the same processes and threads."""
    port = free_port()
    flags = procfile_web().split("podcast.wsgi:application", 1)[1]
    flags = flags.replace("${PORT:-8000}", str(port)).replace("0.0.0.0", "127.0.0.1")
    command = f"exec granian --interface wsgi --factory --working-dir {ROOT / 'bench'} "
    command += f"stack_servers:fixed_answers_app {flags}"
    env = {
        **env,
        "BENCH_STATIC_ROOT": str(static_root),
        "BENCH_FIXED_HEADERS": json.dumps(headers),
        "PATH": f"{Path(sys.executable).parent}:{env['PATH']}",
    }
    return Process(["sh", "-c", command], env, port, log)


def start_nginx(body: str, directory: Path, workers: int = 2) -> Process:
    """Debian's nginx with `body` inside http {}; `body` listens on the port it is given."""
    directory.mkdir(parents=True, exist_ok=True)
    port = free_port()
    conf = directory / "nginx.conf"
    body = "include /etc/nginx/mime.types;\n" + body.replace("{port}", str(port))
    conf.write_text(nginx_conf(directory, body, workers=workers, connections=4096))
    command = [NGINX, "-c", str(conf), "-p", str(directory), "-e", "stderr"]
    return Process(command, dict(os.environ), port, directory / "nginx.log")


STATIC_SERVER = """
server {{
    listen 127.0.0.1:{{port}};
    gzip_static on;
    location /s/ {{ alias {root}/; }}
}}
"""


def static_nginx(static_root: Path, directory: Path) -> Process:
    return start_nginx(STATIC_SERVER.format(root=static_root), directory)


# ---------------------------------------------------------------- wrk

RANDOM_RANGES_LUA = """
math.randomseed(42)
request = function()
  local start = math.random(0, {size} - 65537)
  return wrk.format(nil, nil, {{["Range"] = "bytes=" .. start .. "-" .. (start + 65535)}})
end
"""
UNITS = {"B": 1, "KB": 1e3, "MB": 1e6, "GB": 1e9}


def wrk(
    url: str,
    headers: dict[str, str] | None = None,
    *,
    seconds: float,
    connections: int,
    script: Path | None = None,
) -> dict[str, float]:
    """Requests/s and in all, MB/s, p99 latency (ms) and non-2xx/3xx answers of one wrk run."""
    command = ["wrk", "-t2", f"-c{connections}", f"-d{seconds:g}s", "--latency", "--timeout", "10s"]
    for name, value in (headers or {}).items():
        command += ["-H", f"{name}: {value}"]
    if script:
        command += ["-s", str(script)]
    output = subprocess.run(command + [url], capture_output=True, text=True, check=True).stdout
    rate = float(re.search(r"Requests/sec:\s+([0-9.]+)", output).group(1))
    requests = int(re.search(r"(\d+) requests in", output).group(1))
    amount, unit = re.search(r"Transfer/sec:\s+([0-9.]+)(\w+)", output).groups()
    p99 = re.search(r"99%\s+([0-9.]+)(us|ms|s)", output)
    scale = {"us": 1e-3, "ms": 1, "s": 1e3}[p99.group(2)] if p99 else 0
    errors = re.search(r"Non-2xx or 3xx responses:\s+(\d+)", output)
    return {
        "rps": rate,
        "requests": requests,
        "mbps": float(amount) * UNITS.get(unit, 1) / 1e6,
        "p99": float(p99.group(1)) * scale if p99 else float("nan"),
        "errors": float(errors.group(1)) if errors else 0.0,
    }
