"""Pure helpers for durations and the player's start time (?t=754, ?t=12:34, #t=1:02:03)."""

import re

TIMESTAMP = re.compile(r"^(?:(\d{1,3}):)?(?:(\d{1,5}):)?(\d{1,7})(?:\.\d+)?s?$")
MAX_SECONDS = 10 * 24 * 3600


def format_duration(seconds: float | None) -> str:
    """H:MM:SS for an hour or more, else M:SS; empty for an unknown duration."""
    if seconds is None or seconds < 0:
        return ""
    total = int(seconds)
    hours, rest = divmod(total, 3600)
    minutes, secs = divmod(rest, 60)
    if hours:
        return f"{hours}:{minutes:02d}:{secs:02d}"
    return f"{minutes}:{secs:02d}"


def parse_start(value: str | None) -> int | None:
    """Whole seconds from "754", "12:34" or "1:02:03"; None for anything else."""
    if not value or len(value) > 20:
        return None
    match = TIMESTAMP.match(value.strip())
    if match is None:
        return None
    parts = [int(p) for p in match.groups() if p is not None]
    seconds = 0
    for part in parts:
        seconds = seconds * 60 + part
    return seconds if seconds <= MAX_SECONDS else None
