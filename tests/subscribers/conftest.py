"""A show with a public and a premium episode (transcript, chapters) and a subscriber."""

import pytest

from episodes.models import Episode, Show
from subscribers.models import Subscriber
from tests.conftest import SITE
from tests.factories import ChapterFactory, ShowFactory, published_episode

# Transactional tests here (web processes, the webhook's shell example) empty the
# tables on PostgreSQL too: the integration tests' TRUNCATE ... CASCADE.
from tests.integration.conftest import flush_cascades_on_postgres  # noqa: F401
from tests.security.conftest import built_transcript


@pytest.fixture
def show(feed_site) -> Show:
    return ShowFactory(slug="main", title="Paid Show", subscribe_url="https://pay.example.com/")


@pytest.fixture
def public_episode(show, tone) -> Episode:
    return published_episode(tone, show=show, number=1, slug="free", title="Free for all")


@pytest.fixture
def premium_episode(show, tone) -> Episode:
    episode = published_episode(
        tone * 2, show=show, number=2, slug="bonus", title="Members only bonus", premium=True
    )
    built_transcript(episode, "00:00:01 words only members hear\n")
    ChapterFactory(episode=episode, title="Members chapter")
    return episode


@pytest.fixture
def subscriber(show) -> Subscriber:
    return Subscriber.objects.create(show=show, email="ann@example.com", name="Ann")


def local(url: str) -> str:
    """The path and query of one of our absolute URLs, for the test client."""
    assert url.startswith(SITE), url
    return url.removeprefix(SITE)
