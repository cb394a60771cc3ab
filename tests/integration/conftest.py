"""Real Celery worker processes for integration tests."""

import itertools
import shutil
import socket
import subprocess
import sys
import time
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

from tests.conftest import ROOT, subprocess_env
from tests.processes import stop

REDIS_TEST_URL = "redis://127.0.0.1:6379/15"


def redis_is_up() -> bool:
    try:
        with socket.create_connection(("127.0.0.1", 6379), timeout=1) as sock:
            sock.sendall(b"PING\r\n")
            return sock.recv(16).startswith(b"+PONG")
    except OSError:
        return False


class Worker:
    """A `celery worker` process consuming from one broker, writing to the test database."""

    def __init__(self, broker_url: str, media_root: Path, log: Path) -> None:
        self.broker_url, self.media_root, self.log = broker_url, media_root, log
        self.process: subprocess.Popen | None = None

    def start(self) -> None:
        command = [
            sys.executable,
            "-m",
            "celery",
            "-A",
            "podcast",
            "worker",
            "--pool=solo",
            "--without-gossip",
            "--without-mingle",
            "--without-heartbeat",
            "--loglevel=INFO",
        ]
        env = subprocess_env(self.media_root, CELERY_BROKER_URL=self.broker_url)
        with self.log.open("ab") as log:
            self.process = subprocess.Popen(command, cwd=ROOT, env=env, stdout=log, stderr=log)
        self.wait_until_ready()

    def wait_until_ready(self, timeout: float = 60) -> None:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if "ready." in self.log.read_text(errors="replace"):
                return
            if self.process.poll() is not None:
                raise RuntimeError(f"worker exited:\n{self.log.read_text(errors='replace')}")
            time.sleep(0.2)
        raise RuntimeError(f"worker not ready in {timeout} s:\n{self.log.read_text()}")

    def stop(self) -> None:
        # A warm shutdown ends within two of the worker's 2 s polls; longer is a task
        # still running after its test ended, which nothing after the test waits for.
        stop(self.process, timeout=6)


def purge(broker_url: str) -> None:
    from podcast.celery import app

    with app.connection_for_write(broker_url) as connection:
        connection.default_channel.queue_purge("celery")


@pytest.fixture(scope="session", autouse=True)
def flush_cascades_on_postgres() -> Iterator[None]:
    """Let transactional tests empty the tables on PostgreSQL.

    search_document (migration 0002, raw SQL) has a foreign key to episodes_episode,
    and PostgreSQL refuses to TRUNCATE a referenced table without CASCADE, which
    Django's flush adds only for tests that declare available_apps.
    """
    from django.db.backends.postgresql.operations import DatabaseOperations

    plain = DatabaseOperations.sql_flush

    def sql_flush(self, style, tables, *, reset_sequences=False, allow_cascade=False):
        return plain(self, style, tables, reset_sequences=reset_sequences, allow_cascade=True)

    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(DatabaseOperations, "sql_flush", sql_flush)
        yield


@pytest.fixture
def worker_factory(settings, tmp_path, transactional_db, cleanup) -> Callable[[str], Worker]:
    """Start real workers on a broker; the test's uploads land where the workers read them."""
    media = tmp_path / "media"
    media.mkdir()
    settings.MEDIA_ROOT = media
    cleanup.callback(shutil.rmtree, media, ignore_errors=True)
    numbers = itertools.count()

    def start(broker_url: str) -> Worker:
        purge(broker_url)
        worker = Worker(broker_url, media, tmp_path / f"worker-{next(numbers)}.log")
        cleanup.callback(worker.stop)
        worker.start()
        return worker

    return start


def wait_for(predicate, timeout: float = 60, interval: float = 0.2) -> bool:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if predicate():
            return True
        time.sleep(interval)
    return False
