"""Reading settings from the environment: each helper names the variable it refuses.

A malformed value stops start-up with ImproperlyConfigured saying which variable
and what it expected; settings.py is the only caller (the show's time-zone field
shares is_time_zone).
"""

import ipaddress
import os
import re
import zoneinfo
from pathlib import Path
from urllib.parse import urlsplit

import dj_database_url
from django.core.exceptions import ImproperlyConfigured


def env_str(name: str, default: str = "") -> str:
    return os.environ.get(name, default)


def env_bool(name: str, default: bool) -> bool:
    raw = os.environ.get(name)
    if raw is None or raw == "":
        return default
    value = raw.strip().lower()
    if value in ("1", "true", "yes", "on"):
        return True
    if value in ("0", "false", "no", "off"):
        return False
    raise ImproperlyConfigured(f"{name}={raw!r}: expected true or false (1/0, yes/no, on/off)")


def env_int(name: str, default: int, *, minimum: int = 0) -> int:
    raw = os.environ.get(name)
    if raw is None or raw == "":
        return default
    try:
        value = int(raw)
    except ValueError:
        raise ImproperlyConfigured(f"{name}={raw!r}: expected a whole number") from None
    if value < minimum:
        raise ImproperlyConfigured(f"{name}={raw!r}: expected a whole number >= {minimum}")
    return value


def env_list(name: str, default: list[str]) -> list[str]:
    raw = os.environ.get(name)
    if raw is None or raw.strip() == "":
        return default
    return [item.strip() for item in raw.split(",") if item.strip()]


def is_url(raw: str, schemes: tuple[str, ...], hostless: tuple[str, ...] = ()) -> bool:
    """scheme://host..., or just scheme:// for a transport that needs no host."""
    try:
        parts = urlsplit(raw)
    except ValueError:  # e.g. an unclosed IPv6 bracket
        return False
    has_host = bool(parts.netloc) or (parts.scheme in hostless and raw.endswith("://"))
    return parts.scheme in schemes and has_host


def env_url(
    name: str,
    default: str,
    *,
    schemes: tuple[str, ...],
    hostless=("filesystem", "memory", "locmem"),
) -> str:
    """A URL with one of `schemes` and a host; empty when neither variable nor default is set."""
    raw = os.environ.get(name) or default
    if raw and not is_url(raw, schemes, hostless):
        raise ImproperlyConfigured(
            f"{name}={raw!r}: expected a URL starting with one of {', '.join(s + '://' for s in schemes)}"
        )
    return raw


def env_hosts(name: str, default: list[str]) -> list[str]:
    hosts = env_list(name, default)
    for host in hosts:
        if not re.fullmatch(r"[\w.*:\[\]-]+", host):
            raise ImproperlyConfigured(
                f"{name}: {host!r} is not a host name: expected names such as "
                "podcast.example.com or .example.com, without a scheme or path"
            )
    return hosts


def env_origins(name: str) -> list[str]:
    origins = env_list(name, [])
    for origin in origins:
        # Django compares a request's Origin header with these exactly: no path, no slash.
        if not is_url(origin, ("http", "https")) or urlsplit(origin).path:
            raise ImproperlyConfigured(
                f"{name}: {origin!r} is not an origin: expected a URL such as "
                "https://podcast.example.com (scheme and host, no path)"
            )
    return origins


def env_database(name: str, default: str, *, conn_max_age: int = 0) -> dict:
    raw = os.environ.get(name) or default
    try:
        config = dj_database_url.parse(raw, conn_max_age=conn_max_age)
    except ValueError as error:
        raise ImproperlyConfigured(
            f"{name}={raw!r}: expected sqlite:///path or postgres://user@host:port/name ({error})"
        ) from None
    if not config.get("ENGINE") or not config.get("NAME"):
        raise ImproperlyConfigured(f"{name}={raw!r}: expected sqlite:///path or postgres://...")
    return config


def env_choice(name: str, default: str, *, choices: tuple[str, ...]) -> str:
    """One of `choices`, in any letter case; returns the spelling in `choices`."""
    raw = os.environ.get(name) or default
    canonical = {choice.lower(): choice for choice in choices}.get(raw.strip().lower())
    if canonical is None:
        raise ImproperlyConfigured(f"{name}={raw!r}: expected one of {', '.join(choices)}")
    return canonical


def is_time_zone(name: str) -> bool:
    """Whether `name` is a time zone of the IANA database (UTC, Europe/Berlin)."""
    try:
        zoneinfo.ZoneInfo(name)
    except (zoneinfo.ZoneInfoNotFoundError, ValueError):
        return False
    return True


def env_time_zone(name: str, default: str) -> str:
    raw = os.environ.get(name) or default
    if not is_time_zone(raw):
        raise ImproperlyConfigured(
            f"{name}={raw!r}: expected a time zone of the IANA database, such as UTC or Europe/Berlin"
        )
    return raw


def env_folder(name: str, default: Path) -> Path:
    path = Path(os.environ.get(name) or default).resolve()
    if path.exists() and not path.is_dir():
        raise ImproperlyConfigured(f"{name}={str(path)!r}: expected a folder, found a file")
    return path


def env_line(name: str, default: str) -> str:
    raw = os.environ.get(name) or default
    # Django refuses a header value with a line break: every response would fail.
    if "\n" in raw or "\r" in raw:
        raise ImproperlyConfigured(f"{name}: expected one line, found a line break")
    return raw


def env_networks(name: str) -> list[str]:
    """Comma-separated CIDR networks such as 127.0.0.0/8,fd00::/8; empty by default."""
    networks = env_list(name, [])
    for network in networks:
        try:
            ipaddress.ip_network(network, strict=True)
        except ValueError as error:
            raise ImproperlyConfigured(
                f"{name}: {network!r} is not a network: expected CIDR such as 127.0.0.0/8 ({error})"
            ) from None
    return networks


def env_proxies(name: str, default: list[str]) -> list[str]:
    """Comma-separated proxy addresses or CIDR networks (uvicorn's FORWARDED_ALLOW_IPS)."""
    proxies = env_list(name, default)
    for proxy in proxies:
        if proxy == "*":
            continue  # accepted here; `check --deploy` refuses it (podcast.E001)
        try:
            ipaddress.ip_network(proxy, strict=False)
        except ValueError:
            raise ImproperlyConfigured(
                f"{name}: {proxy!r} is not an address or network: expected e.g. 10.0.0.0/8"
            ) from None
    return proxies
