"""Fixtures the episodes tests share."""

import pytest
from django.core.cache import cache

SITE = "https://pod.example.com"


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
