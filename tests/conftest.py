import contextlib
import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest
from django.core.cache import cache

from episodes.audio.tones import tone_mp3
from tests.factories import published_episode
from tests.missing import missing

# Real podcast-app parsers run with node (partytime_whole, feedsmith), for any test.
pytest_plugins = ["tests.episodes.feedreaders"]

ROOT = Path(__file__).resolve().parent.parent
SHARED_DATA = ROOT.parent / "shared" / "data"
SITE = "https://pod.example.com"  # PODCAST_SITE_URL in the tests that read feeds (feed_site)


@pytest.fixture(scope="session")
def shared_data() -> Path:
    """The real material in ../shared/data; absent from a user's fresh clone (see tests.missing)."""
    if not SHARED_DATA.is_dir():
        missing(f"needs the real test material in {SHARED_DATA} (absent in a fresh clone)")
    return SHARED_DATA


@pytest.fixture(scope="session")
def tone() -> bytes:
    """A real two-second MP3 made by our encoder."""
    return tone_mp3(2.0)


@pytest.fixture
def cleanup() -> Iterator[contextlib.ExitStack]:
    """Undone when the test ends, last first: `cleanup.callback(server.stop)` for each
    process a fixture starts on demand."""
    with contextlib.ExitStack() as stack:
        yield stack


@pytest.fixture
def audio(request, tone) -> bytes:
    """Real MP3 frames to serve: the tone `AUDIO_TONES` times over, a constant of the test
    module (10 by default, several 64 KiB chunks; more where streaming must matter)."""
    return tone * getattr(request.module, "AUDIO_TONES", 10)


@pytest.fixture
def live_episode(transactional_db, audio):
    """A published episode serving `audio`, committed so that a server process reads it."""
    return published_episode(audio, slug="live")


@pytest.fixture(scope="session")
def collected_data_dir(tmp_path_factory) -> Path:
    """A data folder with collected static files, for a server process with DEBUG off
    (its pages need the manifest)."""
    import os
    import subprocess
    import sys

    data_dir = tmp_path_factory.mktemp("collected")
    env = dict(os.environ, PODCAST_DATA_DIR=str(data_dir))
    command = [sys.executable, "manage.py", "collectstatic", "--noinput", "--verbosity=0"]
    subprocess.run(command, cwd=ROOT, env=env, check=True, timeout=120)
    return data_dir


@pytest.fixture
def fast_password_hashing(settings) -> None:
    """admin_client creates a user per test; the real hasher is slow by design."""
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture(autouse=True)
def static_files_without_manifest(settings) -> None:
    """Pages render without `collectstatic`: the hashed manifest is for deployments."""
    plain = {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"}
    settings.STORAGES = {**settings.STORAGES, "staticfiles": plain}


@pytest.fixture(autouse=True)
def media_root(settings, tmp_path_factory) -> Path:
    """Every test writes uploads to a folder of its own."""
    root = tmp_path_factory.mktemp("media")
    settings.MEDIA_ROOT = root
    yield root
    shutil.rmtree(root, ignore_errors=True)


def subprocess_database_url() -> str:
    """A DATABASE_URL that lets another process open the test database (call inside a db test)."""
    from django.db import connection

    conf = connection.settings_dict
    if conf["ENGINE"].endswith("sqlite3"):
        return f"sqlite:///{conf['NAME']}"
    user = conf.get("USER") or "postgres"
    password = f":{conf['PASSWORD']}" if conf.get("PASSWORD") else ""
    host, port = conf.get("HOST") or "127.0.0.1", conf.get("PORT") or 5432
    return f"postgres://{user}{password}@{host}:{port}/{conf['NAME']}"


def subprocess_env(media_root: Path, **extra: str) -> dict[str, str]:
    """Environment for a web server or worker process sharing this test run's data."""
    import os

    from django.conf import settings

    env = dict(os.environ)
    env.update(
        DATABASE_URL=subprocess_database_url(),
        PODCAST_DATA_DIR=str(settings.DATA_DIR),
        PODCAST_MEDIA_ROOT=str(media_root),
        CELERY_BROKER_URL=settings.CELERY_BROKER_URL,
        SECRET_KEY=settings.SECRET_KEY,
        DJANGO_SETTINGS_MODULE="podcast.settings",
    )
    env.update(extra)
    return env


CLOSED_BROKER = "redis://127.0.0.1:1/0"  # nothing listens on port 1


def drop_broker_connections(app) -> None:
    # Celery caches both the connection pool and the producer pool built on it;
    # both must go, or tasks keep going to the broker used before.
    app._pool = None
    app.amqp._producer_pool = None


@contextlib.contextmanager
def sending_to(broker_url: str, **transport_options):
    """Send this process's tasks (attach_audio and the like) to another broker for a while.

    Celery lets a CELERY_BROKER_URL variable win over app.conf.broker_url (the
    PostgreSQL + Redis pass sets one), so the write URL, which it reads first, is set
    too; both settings are put back as they were, unset ones unset again.
    """
    from podcast.celery import app

    names = ["broker_url", "broker_write_url", "broker_transport_options"]
    saved = {name: app.conf.changes[name] for name in names if name in app.conf.changes}
    app.conf.broker_url = app.conf.broker_write_url = broker_url
    if transport_options:
        app.conf.broker_transport_options = transport_options
    drop_broker_connections(app)
    try:
        yield
    finally:
        for name in names:
            app.conf.changes.pop(name, None)
        app.conf.update(saved)
        drop_broker_connections(app)


def broker_down():
    """Point this process's Celery app at a port where no broker listens, then put it back."""
    return sending_to(CLOSED_BROKER)


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """Browser tests last: Playwright's event loop stays set in this thread until the run ends,
    and any later test that drives Django's ASGI handler with async_to_sync would find it."""
    items.sort(key=lambda item: item.get_closest_marker("browser") is not None)


@pytest.fixture(autouse=True)
def search_index_emptied_after_flush(request, django_db_blocker):
    """The search tables are ours, not Django's: a flush after a transactional test leaves
    their rows behind, naming episodes whose ids the next test's rows get again."""
    yield
    if not {"transactional_db", "live_server"} & set(request.fixturenames):
        return
    from django.db import connection

    if connection.vendor != "sqlite":  # PostgreSQL's search_document cascades from the episodes
        return
    with django_db_blocker.unblock(), connection.cursor() as cursor:
        cursor.execute("DELETE FROM search_document")
        cursor.execute("DELETE FROM search_meta")


@pytest.fixture
def feed_site(settings):
    """The site and feed settings the feed tests assume, the cache cleared around each.

    A module that reads feeds asks for it with `pytest.mark.usefixtures("feed_site")`.
    """
    settings.PODCAST_SITE_URL = SITE
    settings.PODCAST_WEBSUB_HUB = ""
    settings.PODCAST_FEED_PAGE_SIZE = 100
    settings.PODCAST_FEED_MAX_EPISODES = 300
    settings.PODCAST_FEED_MAX_BYTES = 5_000_000
    cache.clear()  # the locmem cache outlives each test's rolled-back database
    yield
    cache.clear()
