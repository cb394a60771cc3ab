"""Loaded by pytest before Django reads its settings (`-p tests.environment`).

Each test run gets a data folder of its own (SQLite test database, broker
queue, media), so a running `make run` never consumes a test's task and two
test runs never share a database file; and a secret key of its own.
"""

import atexit
import os
import shutil
import tempfile

if "PODCAST_DATA_DIR" not in os.environ:
    data_dir = tempfile.mkdtemp(prefix="podcast-test-")
    os.environ["PODCAST_DATA_DIR"] = data_dir
    atexit.register(shutil.rmtree, data_dir, ignore_errors=True)
os.environ.setdefault("SECRET_KEY", "test-only-secret-key")
# Pages built fresh on every request; tests/episodes/test_pagecache.py turns the cache on.
os.environ.setdefault("PODCAST_PAGE_CACHE_SECONDS", "0")
# Rows read from the database on every request: most tests change rows without the
# on-commit announcement; tests/episodes/test_hot.py turns the memory on.
os.environ.setdefault("PODCAST_HOT_SECONDS", "0")
# The test client leaves a streamed body it never reads open: no per-process limit
# on streamed downloads here; tests/episodes/test_streamslots.py sets one.
os.environ.setdefault("PODCAST_STREAM_SLOTS", "0")
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "podcast.settings")
