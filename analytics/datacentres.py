"""The data-centre list named by PODCAST_DATACENTRE_RANGES, read once per process at start-up.

IAB asks for requests from known data-centre, hosting and VPN networks to be
filtered out. Addresses are hashed before anything is stored, so the check is
made when a request is recorded, and only its outcome (a flag) is kept.
"""

from functools import cache
from pathlib import Path

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured

from .networks import Networks, parse_networks


@cache
def load(path: str) -> Networks:
    if not path:
        return Networks()
    try:
        return parse_networks(Path(path).read_text(encoding="utf-8"))
    except OSError as error:
        raise ImproperlyConfigured(
            f"PODCAST_DATACENTRE_RANGES={path!r}: {error.strerror}"
        ) from None
    except (ValueError, UnicodeDecodeError) as error:
        raise ImproperlyConfigured(f"PODCAST_DATACENTRE_RANGES={path!r}: {error}") from None


def datacentre_networks() -> Networks:
    """The configured list (empty when none is): the app's ready() loads it, so errors show at once."""
    return load(str(settings.PODCAST_DATACENTRE_RANGES or ""))


def is_datacentre(ip: str) -> bool:
    networks = datacentre_networks()
    return networks.count > 0 and ip in networks
