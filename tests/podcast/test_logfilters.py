"""podcast.logfilters: kombu's meaningless warning dropped, the rest kept. Pure."""

import logging

import pytest

from podcast.logfilters import KombuNoHostname


@pytest.mark.parametrize(
    ("message", "kept"),
    [
        ("No hostname was supplied. Reverting to default 'localhost'", False),
        ("Connection to broker lost.", True),
    ],
)
def test_only_the_no_hostname_warning_is_dropped(message, kept):
    record = logging.LogRecord("kombu", logging.WARNING, __file__, 1, message, (), None)
    assert KombuNoHostname().filter(record) is kept
