"""`make run` as a new user runs it: demo site up, a real worker doing work, Ctrl-C stops both.

The commands come from `make -n run` (the install step taken as done), so this test
follows the Makefile; they run on a fresh data folder of their own, on a free port.
"""

import os
import re
import shlex
import signal
import subprocess
import time
import urllib.request
from collections.abc import Iterator
from pathlib import Path

import pytest

from episodes.audio.tones import tone_mp3
from episodes.demo import EPISODES
from tests.conftest import ROOT
from tests.episodes.test_serving_live import free_port
from tests.podcast.test_settings import SETTINGS_VARIABLES

pytestmark = pytest.mark.integration

VENV_BIN = ROOT / ".venv" / "bin"
STAMP = ".venv/.installed-stamp"


def make_run_commands(port: int) -> list[str]:
    """What `make run PORT=port` runs once the virtual environment is installed."""
    dry_run = ["make", "--no-print-directory", "-n", "-o", STAMP, "run", f"PORT={port}"]
    lines = subprocess.run(dry_run, cwd=ROOT, capture_output=True, text=True, check=True)
    return [line for line in lines.stdout.splitlines() if not line.startswith("echo ")]


def split_assignments(line: str) -> tuple[dict[str, str], list[str]]:
    """`A=1 B=2 cmd args` -> ({A: 1, B: 2}, [cmd, args]): run honcho itself, not a shell."""
    words = shlex.split(line)
    assignments = {}
    while re.fullmatch(r"[A-Z_][A-Z0-9_]*=.*", words[0]):
        name, _, value = words.pop(0).partition("=")
        assignments[name] = value
    return assignments, words


def fresh_environment(data_dir: Path) -> dict[str, str]:
    """A new user's shell: none of the test run's settings, the venv first on PATH."""
    skip = SETTINGS_VARIABLES | {"DJANGO_ALLOW_ASYNC_UNSAFE", "DJANGO_SETTINGS_MODULE", "PORT"}
    env = {k: v for k, v in os.environ.items() if k not in skip}
    env.update(PODCAST_DATA_DIR=str(data_dir), PATH=f"{VENV_BIN}{os.pathsep}{env['PATH']}")
    return env


def fetch(url: str) -> str:
    with urllib.request.urlopen(url, timeout=10) as response:
        return response.read().decode()


def wait_for_site(url: str, honcho: subprocess.Popen, log: Path, timeout: float = 60) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if honcho.poll() is not None:
            raise AssertionError(f"honcho exited:\n{log.read_text(errors='replace')[-3000:]}")
        try:
            fetch(url)
            return
        except OSError:
            time.sleep(0.3)
    raise AssertionError(f"{url} did not answer in {timeout} s:\n{log.read_text()[-3000:]}")


def process_groups(log: Path) -> dict[str, int]:
    """honcho starts each Procfile process in a group of its own and logs its pid."""
    found = re.findall(r"(\w+)\.1 started \(pid=(\d+)\)", log.read_text(errors="replace"))
    return {name: int(pid) for name, pid in found}


def group_alive(pgid: int) -> bool:
    try:
        os.killpg(pgid, 0)
        return True
    except ProcessLookupError:
        return False


@pytest.fixture
def make_run(tmp_path) -> Iterator[tuple[int, dict[str, str], subprocess.Popen, Path]]:
    port = free_port()
    env = fresh_environment(tmp_path / "var")
    *setup, start = make_run_commands(port)
    assert start.endswith(f"-m podcast.devrun -f Procfile.dev start --port {port}"), start
    for command in setup:
        result = subprocess.run(command, shell=True, cwd=ROOT, env=env, capture_output=True,
                                text=True, timeout=300)  # fmt: skip
        assert result.returncode == 0, f"{command}\n{result.stdout}\n{result.stderr}"
    log = tmp_path / "honcho.log"
    assignments, command = split_assignments(start)
    with log.open("wb") as out:
        honcho = subprocess.Popen(command, cwd=ROOT, env={**env, **assignments}, stdout=out,
                                  stderr=subprocess.STDOUT, start_new_session=True)  # fmt: skip
    try:
        yield port, env, honcho, log
    finally:
        for pgid in [*process_groups(log).values(), honcho.pid]:
            if group_alive(pgid):
                os.killpg(pgid, signal.SIGKILL)
        honcho.wait(timeout=10)


def test_make_run_serves_the_demo_with_a_worker_and_ctrl_c_stops_both(make_run, tmp_path):
    port, env, honcho, log = make_run
    site = f"http://127.0.0.1:{port}/"
    wait_for_site(site, honcho, log)
    home = fetch(site)
    for episode in EPISODES:
        assert episode["title"] in home
    assert set(process_groups(log)) == {"web", "worker"}

    # The worker of `make run` processes what a script publishes into the same data folder.
    audio = tmp_path / "new.mp3"
    audio.write_bytes(tone_mp3(1.5))
    add = [str(VENV_BIN / "python"), "manage.py", "add_episode", "--number", "4", "--title",
           "Made while running", "--audio", str(audio), "--publish", "--wait", "--timeout", "60"]  # fmt: skip
    # As printed in the README, in a second terminal: no DEBUG=1, no SECRET_KEY typed; the
    # settings come from the .env that `make run` wrote in the data folder.
    result = subprocess.run(add, cwd=ROOT, env=env, capture_output=True, text=True,
                            timeout=120)  # fmt: skip
    assert result.returncode == 0, result.stderr + log.read_text(errors="replace")[-3000:]
    assert "Audio ready: 1.5 s" in result.stdout
    assert "No hostname was supplied" not in result.stderr
    assert "Made while running" in fetch(site)

    groups = process_groups(log)
    honcho.send_signal(signal.SIGINT)  # what Ctrl-C delivers
    honcho.wait(timeout=10)
    deadline = time.monotonic() + 10
    while any(group_alive(pgid) for pgid in groups.values()) and time.monotonic() < deadline:
        time.sleep(0.1)
    assert not [name for name, pgid in groups.items() if group_alive(pgid)]
    output = log.read_text(errors="replace")
    assert "SIGKILL" not in output, "both stopped on SIGTERM, without being killed"
    with pytest.raises(OSError):
        fetch(site)
