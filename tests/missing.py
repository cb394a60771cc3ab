"""Skipping a test whose tool or material is absent, except where every part must be there.

A user's fresh clone may lack ../shared/data (the real MP3s, transcripts and feeds),
chromium, node or a running Redis: those tests skip with the reason. `.ci/run`
installs and starts the tools, runs where ../shared/data is, and sets
PODCAST_TESTS_STRICT=1, so there a missing part (a tool, the data folder or one file
in it) fails the run instead of silently shrinking it.
"""

import os
from typing import NoReturn

import pytest


def strict() -> bool:
    return os.environ.get("PODCAST_TESTS_STRICT", "") == "1"


def missing(reason: str) -> NoReturn:
    """Skip with the reason, or fail with it when the run must have every part."""
    if strict():
        pytest.fail(f"PODCAST_TESTS_STRICT=1 and this test {reason}", pytrace=False)
    pytest.skip(reason)
