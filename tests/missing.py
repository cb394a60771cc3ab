"""Skipping a test whose tool or material is absent, except where every part must be there.

A user's fresh clone may lack chromium, node or a running Redis: those tests skip
with the reason. `.ci/run` installs and starts all of them and sets
PODCAST_TESTS_STRICT=1, so there a missing part fails the run instead of silently
shrinking it. The real material in ../shared/data is not something a run can
install: tests that need it always skip (pytest.skip) where it is absent.
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
