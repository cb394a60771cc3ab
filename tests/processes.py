"""Server processes on loopback for tests and benchmarks: a free port, ready, stopped.

Used by the live-server tests (uvicorn, nginx, the Procfile's web command) and by
bench/bench_serving.py and bench/stack_servers.py, so every one waits and stops alike.
"""

import http.client
import os
import shutil
import socket
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
NGINX = "/usr/sbin/nginx"
NGINX_MAIN = """
{user}
worker_processes {workers};
pid {dir}/nginx.pid;
error_log {dir}/error.log warn;
daemon off;
events {{ worker_connections {connections}; }}
http {{
    access_log off;
    client_body_temp_path {dir}/body;
    proxy_temp_path {dir}/proxy;
    fastcgi_temp_path {dir}/fastcgi;
    uwsgi_temp_path {dir}/uwsgi;
    scgi_temp_path {dir}/scgi;
    {body}
}}
"""


def nginx_conf(directory: Path, body: str, *, workers: int = 1, connections: int = 256) -> str:
    """A main nginx.conf keeping its pid, logs and temp files in `directory`, `body` inside http {}."""
    # As root, nginx's workers would read the caller's private folders as nobody.
    user = "user root;" if os.geteuid() == 0 else ""
    return NGINX_MAIN.format(
        user=user, workers=workers, connections=connections, dir=directory, body=body
    )


def procfile_web() -> str:
    """The Procfile's `web` command as written."""
    lines = (ROOT / "Procfile").read_text().splitlines()
    return next(line.removeprefix("web: ") for line in lines if line.startswith("web: "))


def procfile_web_command() -> list[str]:
    """The Procfile's `web` command, run by a shell that fills in $PORT and the rest."""
    return ["sh", "-c", "exec " + procfile_web()]


def granian_installed() -> bool:
    """The Procfile's server is in the venv (make install)."""
    return shutil.which("granian", path=Path(sys.executable).parent) is not None


def uvicorn_command(port: int) -> list[str]:
    """`make run`'s server: uvicorn with the ASGI application."""
    return [sys.executable, "-m", "uvicorn", "podcast.asgi:application", "--port", str(port)]


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def log_text(log: Path | None) -> str:
    return log.read_text(errors="replace")[-4000:] if log else "(no log)"


def wait_for_port(
    port: int, process: subprocess.Popen, log: Path | None = None, timeout: float = 30
) -> None:
    """Return once `port` accepts connections; RuntimeError (with the log) if `process` ends first."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(
                f"{process.args!r} exited with {process.returncode}:\n{log_text(log)}"
            )
        try:
            socket.create_connection(("127.0.0.1", port), timeout=0.5).close()
            return
        except OSError:
            time.sleep(0.1)
    raise RuntimeError(f"{process.args!r} not up in {timeout} s:\n{log_text(log)}")


def stop(process: subprocess.Popen | None, timeout: float = 20) -> None:
    """Terminate, then kill if it has not ended within `timeout` seconds."""
    if process is None or process.poll() is not None:
        return
    process.terminate()
    try:
        process.wait(timeout=timeout)
    except subprocess.TimeoutExpired:
        process.kill()
        process.wait()


def start_server(command: list[str], env: dict, port: int, log: Path) -> subprocess.Popen:
    """A server process run from the repository root, once it accepts connections on `port`."""
    with log.open("ab") as out:
        process = subprocess.Popen(command, cwd=ROOT, env=env, stdout=out, stderr=out)
    try:
        wait_for_port(port, process, log)
    except RuntimeError:
        stop(process)
        raise
    return process


def request(
    port: int, path: str, headers: dict | None = None, method: str = "GET", timeout: float = 20
) -> tuple[http.client.HTTPResponse, bytes]:
    """One HTTP request to the server on `port`: its response and whole body."""
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=timeout)
    try:
        connection.request(method, path, headers=headers or {})
        response = connection.getresponse()
        return response, response.read()
    finally:
        connection.close()
