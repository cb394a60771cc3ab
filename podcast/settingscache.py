"""Values derived from settings, worked out once and again whenever a setting changes.

Reading a setting costs a Python call (Django's lazy settings object); a request
answered in microseconds (episodes/front.py) read eight. A function decorated
with @from_settings is called once, its result kept until Django's
`setting_changed` signal (override_settings, pytest-django's `settings`).
"""

import functools
from collections.abc import Callable
from typing import TypeVar

from django.core.signals import setting_changed

T = TypeVar("T")


def from_settings(function: Callable[[], T]) -> Callable[[], T]:
    kept = functools.cache(function)
    setting_changed.connect(lambda **kwargs: kept.cache_clear(), weak=False)
    return kept
