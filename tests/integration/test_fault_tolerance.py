"""What happens when things break: a killed worker, a broker or a database that is down.

Real worker processes (and a real uvicorn for the pages), on the embedded default
and, in .ci/run's second pass, on PostgreSQL + Redis; the retry limit is run in this
process with .apply(), retries and on_failure included, against a real database fault. The database outages need
PostgreSQL: there a database can refuse connections while the server keeps running.
"""

import contextlib
import os
import signal
import subprocess
import sys
import time
import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest
from django.conf import settings
from django.core.files.base import ContentFile
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.db import connection, transaction
from django.urls import reverse

from episodes.audio.tones import tone_mp3
from episodes.models import Episode
from episodes.services import attach_audio, store_audio_upload
from episodes.tasks import extract_audio_metadata
from podcast.queue import RETRY_POLICY
from tests.conftest import CLOSED_BROKER, ROOT, sending_to
from tests.episodes.test_serving_live import Server
from tests.factories import EpisodeFactory, ShowFactory, published_episode
from tests.formdata import admin_form_data
from tests.integration.conftest import wait_for

pytestmark = pytest.mark.integration


def on_postgres() -> bool:
    return connection.vendor == "postgresql"


def status(episode: Episode) -> str:
    episode.refresh_from_db()
    return episode.audio_status


@pytest.fixture(scope="module")
def long_mp3() -> bytes:
    """About 80 MB of real MP3 frames (22 hours at 8 kb/s): reading it takes a second."""
    frames = tone_mp3(2.0, bitrate=8, sample_rate=8000)
    return frames * (80_000_000 // len(frames))


def another_session(dbname: str, **options: object):
    """A psycopg connection of its own to the test's PostgreSQL server."""
    import psycopg

    conf = connection.settings_dict
    return psycopg.connect(
        host=conf["HOST"] or "127.0.0.1",
        port=conf["PORT"] or 5432,
        user=conf["USER"] or "postgres",
        password=conf["PASSWORD"] or None,
        dbname=dbname,
        **options,
    )


@contextlib.contextmanager
def database_refusing_connections() -> Iterator[None]:
    """Make the test database refuse new connections and drop every other process's.

    This process keeps its own connection, so the test can still look at the rows.
    """
    name = connection.settings_dict["NAME"]
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_backend_pid()")
        mine = cursor.fetchone()[0]
    admin = another_session("postgres", autocommit=True)
    try:
        admin.execute(f'ALTER DATABASE "{name}" ALLOW_CONNECTIONS false')
        admin.execute(
            "SELECT pg_terminate_backend(pid) FROM pg_stat_activity"
            " WHERE datname = %s AND pid <> %s",
            (name, mine),
        )
        yield
    finally:
        admin.execute(f'ALTER DATABASE "{name}" ALLOW_CONNECTIONS true')
        admin.close()


def open_change_form(client, episode: Episode) -> dict:
    """The episode's admin form as a browser would submit it unchanged."""
    url = reverse("admin:episodes_episode_change", args=[episode.pk])
    return admin_form_data(client.get(url).content.decode())


def post_change_form(client, episode: Episode, form: dict | None = None, **changes: object) -> None:
    """Save the episode's admin form the way a browser does, with some fields changed."""
    url = reverse("admin:episodes_episode_change", args=[episode.pk])
    form = {**(form or open_change_form(client, episode)), **changes}
    response = client.post(url, form)
    assert response.status_code == 302, response.content.decode()[:3000]


def served_files(media: Path) -> list[Path]:
    return sorted(p for p in (media / "audio").rglob("*") if p.is_file())


# -- 1. a worker killed mid-task ------------------------------------------------------


def test_a_worker_killed_mid_extraction_leaves_the_episode_ready_once(
    worker_factory, long_mp3, monkeypatch
):
    broker = settings.CELERY_BROKER_URL
    monkeypatch.setenv("CELERY_BROKER_VISIBILITY_TIMEOUT", "2")
    first = worker_factory(broker)
    episode = EpisodeFactory()
    attach_audio(episode=episode, upload=ContentFile(long_mp3, name="long.mp3"))
    assert wait_for(lambda: status(episode) == "processing", interval=0.01)
    first.process.send_signal(signal.SIGKILL)
    first.process.wait(timeout=10)
    assert status(episode) == "processing", "the worker was killed before it finished"

    time.sleep(2.5)  # past the visibility timeout: Redis hands the message out again
    worker_factory(broker)
    if not broker.startswith("redis"):
        # kombu's filesystem transport deleted the message when the worker took it;
        # only the sweep (run by beat every few minutes) brings the work back.
        call_command("sweep_pending", "--older-than", "0")
    assert wait_for(lambda: status(episode) in ("ready", "failed"), timeout=90)
    assert episode.audio_status == "ready", episode.audio_error
    assert episode.audio_version == 1
    assert episode.chapters.count() == 0
    with episode.audio.open("rb") as served:
        assert served.read() == long_mp3
    media = Path(settings.MEDIA_ROOT)
    assert [p.name for p in served_files(media)] == [Path(episode.audio.name).name]


# -- 2. the broker down at upload time -----------------------------------------------


def test_an_upload_while_the_broker_is_down_is_kept_and_processed_once_it_is_back(
    worker_factory, admin_client, tone, caplog
):
    show = ShowFactory(slug="main")
    episode = Episode.objects.create(show=show, number=1, title="Outage", slug="outage")
    with sending_to(CLOSED_BROKER):  # the broker is down
        upload = SimpleUploadedFile("upload.mp3", tone, "audio/mpeg")
        post_change_form(admin_client, episode, new_audio=upload)
    assert "broker unreachable" in caplog.text, "the broker really was down"
    episode.refresh_from_db()
    assert episode.title == "Outage"
    assert episode.audio_status == "pending", "queued, waiting for a worker"
    assert episode.audio_upload and not episode.audio

    worker_factory(settings.CELERY_BROKER_URL)
    call_command("sweep_pending", "--older-than", "0")
    assert wait_for(lambda: status(episode) in ("ready", "failed"))
    assert episode.audio_status == "ready", episode.audio_error
    assert episode.audio_size == len(tone)


# -- 3. failures: permanent ones stop at once, transient ones are retried ------------


def test_an_upload_gone_from_storage_fails_with_the_reason_without_retrying(worker_factory, tone):
    worker = worker_factory(settings.CELERY_BROKER_URL)
    episode = EpisodeFactory()
    with transaction.atomic():
        attach_audio(episode=episode, upload=ContentFile(tone, name="upload.mp3"))
        Path(episode.audio_upload.path).unlink()
    assert wait_for(lambda: status(episode) in ("ready", "failed"))
    assert episode.audio_status == "failed"
    assert "the uploaded file cannot be read: No such file or directory" in episode.audio_error
    assert "Retry in" not in worker.log.read_text()


@contextlib.contextmanager
def search_index_gone() -> Iterator[None]:
    """SQLite: the table is missing, as after a skipped migration (an OperationalError there)."""
    with connection.cursor() as cursor:
        cursor.execute("ALTER TABLE search_document RENAME TO search_document_away")
    try:
        yield
    finally:
        with connection.cursor() as cursor:
            cursor.execute("ALTER TABLE search_document_away RENAME TO search_document")


@contextlib.contextmanager
def search_index_locked() -> Iterator[None]:
    """PostgreSQL: another session holds the table, as a long REINDEX would; we wait 200 ms."""
    with another_session(connection.settings_dict["NAME"]) as other:
        other.execute("LOCK TABLE search_document IN ACCESS EXCLUSIVE MODE")
        with connection.cursor() as cursor:
            cursor.execute("SET lock_timeout = '200ms'")
        try:
            yield
        finally:
            other.rollback()
            with connection.cursor() as cursor:
                cursor.execute("RESET lock_timeout")


def search_index_refusing_writes() -> contextlib.AbstractContextManager:
    """Every write to the search index fails with the database's own OperationalError."""
    return search_index_locked() if on_postgres() else search_index_gone()


@pytest.fixture
def uploaded(db, media_root, tone) -> Episode:
    episode = EpisodeFactory()
    store_audio_upload(episode=episode, upload=ContentFile(tone, name="upload.mp3"))
    return episode


def assert_gave_up(episode: Episode, result, error: str) -> None:
    """The task failed after all its tries; the episode says why and serves nothing half-done."""
    assert result.failed()
    episode.refresh_from_db()
    assert episode.audio_status == "failed"
    tries = RETRY_POLICY["max_retries"] + 1
    assert episode.audio_error.startswith(f"gave up after {tries} tries: {error}: ")
    assert not episode.audio


# .apply() runs the task in this process as a worker would, retries included (without
# their countdown), then the task's on_failure.


def test_extraction_failing_every_time_gives_up_after_its_retries_with_the_reason(uploaded):
    with search_index_refusing_writes():
        result = extract_audio_metadata.apply((uploaded.pk,))
    assert_gave_up(uploaded, result, "OperationalError")


def test_failed_tries_leave_no_copies_behind_in_storage(uploaded, media_root):
    with search_index_refusing_writes():
        extract_audio_metadata.apply((uploaded.pk,))
    assert served_files(media_root) == []


def test_storage_refusing_every_write_fails_the_episode_after_its_retries_with_the_reason(
    uploaded, media_root
):
    (media_root / "audio").write_bytes(b"")  # a file where the served audio's folder goes
    result = extract_audio_metadata.apply((uploaded.pk,))
    # A storage write may succeed next time (a full disk cleaned, a bucket's 503): retried.
    assert_gave_up(uploaded, result, "StorageWriteError")
    assert "Not a directory" in uploaded.audio_error


def test_extraction_retries_through_a_database_outage_and_ends_ready(worker_factory, tone):
    if not on_postgres():
        pytest.skip("needs PostgreSQL: an SQLite file cannot refuse one process and serve another")
    worker = worker_factory(settings.CELERY_BROKER_URL)
    episode = EpisodeFactory()
    store_audio_upload(episode=episode, upload=ContentFile(tone, name="upload.mp3"))
    with database_refusing_connections():
        extract_audio_metadata.delay(episode.pk)
        retried = wait_for(lambda: worker.log.read_text().count("Retry in") >= 2, timeout=30)
        assert retried, worker.log.read_text()[-3000:]
        assert status(episode) == "pending"
    assert wait_for(lambda: status(episode) in ("ready", "failed"), timeout=60)
    assert episode.audio_status == "ready", episode.audio_error


# -- 4. editors and the worker writing the same row ----------------------------------


def worker_holds_the_row_lock() -> bool:
    """On PostgreSQL: serve_audio's SELECT ... FOR UPDATE is held by another backend."""
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT count(*) FROM pg_locks WHERE relation = 'episodes_episode'::regclass"
            " AND mode = 'RowShareLock' AND pid <> pg_backend_pid()"
        )
        return cursor.fetchone()[0] > 0


def test_editors_saving_while_the_worker_writes_lose_nothing(
    worker_factory, admin_client, long_mp3
):
    worker_factory(settings.CELERY_BROKER_URL)
    show = ShowFactory(slug="main")
    episode = Episode.objects.create(show=show, number=1, title="Draft", slug="draft")
    attach_audio(episode=episode, upload=ContentFile(long_mp3, name="long.mp3"))
    assert wait_for(lambda: status(episode) == "processing", interval=0.01)

    # One editor saves a field from code, as a script would.
    editor = Episode.objects.get(pk=episode.pk)
    editor.show_notes = "Notes written while the worker reads."
    editor.save(update_fields=["show_notes", "updated_at"])
    # Another opens the admin form and saves it whole; on PostgreSQL, at the moment the
    # worker holds the row to write the audio fields, so the request reads the row before
    # they land and writes after. (Two editors with the same form open: the last wins.)
    form = open_change_form(admin_client, episode)
    if on_postgres():
        # Aim for the worst moment; on a loaded machine the worker may pass it first,
        # and what the editors saved must survive either way.
        wait_for(worker_holds_the_row_lock, interval=0.002)
    post_change_form(admin_client, episode, form, title="Final title")

    assert wait_for(lambda: status(episode) in ("ready", "failed"), timeout=90)
    assert episode.audio_status == "ready", episode.audio_error
    assert episode.title == "Final title"
    assert episode.show_notes == "Notes written while the worker reads."
    assert episode.audio_version == 1 and episode.audio_size == len(long_mp3)
    assert episode.audio_duration > 3600


# -- 5. the database down under the web server ---------------------------------------


@pytest.fixture(scope="module")
def collected_static(tmp_path_factory) -> Path:
    """A data folder with collected static files: pages need the manifest when DEBUG is off."""
    data_dir = tmp_path_factory.mktemp("live-server")
    env = dict(os.environ, PODCAST_DATA_DIR=str(data_dir))
    command = [sys.executable, "manage.py", "collectstatic", "--noinput", "--verbosity=0"]
    subprocess.run(command, cwd=ROOT, env=env, check=True, timeout=120)
    return data_dir


def fetch(server: Server, path: str) -> tuple[int, dict[str, str], str]:
    conn = server.connection()
    try:
        conn.request("GET", path)
        response = conn.getresponse()
        return response.status, dict(response.getheaders()), response.read().decode()
    finally:
        conn.close()


def test_pages_answer_503_while_the_database_is_down_and_recover_by_themselves(
    transactional_db, media_root, collected_static, tmp_path, tone
):
    if not on_postgres():
        pytest.skip("needs PostgreSQL: an SQLite file cannot refuse the server and serve the test")
    episode = published_episode(tone, slug="live")
    server = Server(media_root, collected_static, tmp_path / "uvicorn.log")
    try:
        server.wait_until_ready()
        pages = ["/", episode.get_absolute_url(), episode.transcript_url()]
        assert fetch(server, pages[1])[0] == 200
        with database_refusing_connections():
            search = f"{reverse('episodes:search')}?q=outage{uuid.uuid4().hex[:8]}"
            for path in [search, *pages]:
                code, headers, body = fetch(server, path)
                # A page may still come from the cache; none may fail with a 500.
                assert code in (200, 404, 503), (path, code)
                assert "Traceback" not in body
            code, headers, body = fetch(server, search)
            assert code == 503, body[:500]
            assert headers.get("Retry-After") == "30"
            assert "Temporarily unavailable" in body
        recovered = wait_for(lambda: fetch(server, search)[0] == 200, timeout=10)
        assert recovered, server.log.read_text()[-3000:]
        assert fetch(server, pages[1])[0] == 200
    finally:
        server.stop()
