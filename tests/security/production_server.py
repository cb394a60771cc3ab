"""The Procfile's `web` command, run as a platform runs it, for tests on the wire."""

import re
import subprocess
import sys
import time
import urllib.parse
from pathlib import Path

from tests.conftest import ROOT, subprocess_env
from tests.episodes.test_serving_live import Server
from tests.processes import free_port


def procfile_command(process: str) -> str:
    lines = (ROOT / "Procfile").read_text().splitlines()
    return next(line.split(":", 1)[1].strip() for line in lines if line.startswith(f"{process}:"))


# What `make run` serves (Procfile.dev): uvicorn with the ASGI application.
DEV_SERVER = "uvicorn podcast.asgi:application --host 127.0.0.1 --port $PORT --no-access-log"


class ProductionServer(Server):
    """The Procfile's web command (or `command`) through a shell, which expands ${PORT}."""

    def __init__(
        self, media_root: Path, data_dir: Path, log: Path, command: str = "", **env: str
    ) -> None:
        self.port, self.log = free_port(), log
        environment = subprocess_env(
            media_root, PODCAST_DATA_DIR=str(data_dir), PORT=str(self.port), WEB_CONCURRENCY="1"
        )
        # The Procfile names `uvicorn`: the one installed next to this Python.
        environment["PATH"] = f"{Path(sys.executable).parent}:{environment.get('PATH', '')}"
        environment.update(env)
        with log.open("ab") as out:
            self.process = subprocess.Popen(
                ["sh", "-c", f"exec {command or procfile_command('web')}"],
                cwd=ROOT,
                env=environment,
                stdout=out,
                stderr=out,
            )

    def log_in(
        self, username: str, password: str, headers: dict[str, str], chunked: bool = False
    ) -> tuple[int, str]:
        """A browser's log-in: the form's CSRF token first, then the POST."""
        connection = self.connection()
        try:
            connection.request("GET", "/admin/login/", headers=headers)
            page = connection.getresponse()
            html = page.read().decode()
            cookie = page.getheader("Set-Cookie", "").split(";")[0]
            token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', html).group(1)
            body = urllib.parse.urlencode(
                {"csrfmiddlewaretoken": token, "username": username, "password": password}
            )
            connection.request(
                "POST",
                "/admin/login/",
                body=iter([body.encode()]) if chunked else body,
                encode_chunked=chunked,
                headers={
                    **headers,
                    "Cookie": cookie,
                    "Content-Type": "application/x-www-form-urlencoded",
                    "Referer": f"http://127.0.0.1:{self.port}/admin/login/",
                },
            )
            answer = connection.getresponse()
            return answer.status, answer.read().decode()
        finally:
            connection.close()


def wait_closed(sock, timeout: float) -> float | None:
    """Seconds until the server closed `sock`, or None if it stayed open for `timeout`."""
    started = time.monotonic()
    sock.settimeout(timeout)
    try:
        while sock.recv(4096):
            pass
    except TimeoutError:
        return None
    except OSError:
        pass
    return time.monotonic() - started
