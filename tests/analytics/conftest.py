import pytest

from episodes.audio.tones import tone_mp3
from tests.factories import published_episode


@pytest.fixture(autouse=True)
def spool(settings, tmp_path):
    """Each test buffers into a spool folder of its own (no Redis unless a test sets it)."""
    settings.PODCAST_ANALYTICS_SPOOL_DIR = tmp_path / "analytics"
    settings.PODCAST_ANALYTICS_REDIS_URL = ""
    return settings.PODCAST_ANALYTICS_SPOOL_DIR


@pytest.fixture(scope="session")
def ninety_seconds() -> bytes:
    """A real 90-second MP3 at 64 kbps: 8,000 bytes a second, a minute is 480,000 bytes."""
    return tone_mp3(90.0)


@pytest.fixture
def episode(db, ninety_seconds):
    episode = published_episode(ninety_seconds, slug="tone")
    episode.audio_duration, episode.audio_bitrate = 90.0, 64_000
    episode.save()
    return episode
