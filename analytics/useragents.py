"""Who sent a request: a podcast app, a browser, a bot or an HTTP library, by the OPAWG lists.

The lists (github.com/opawg/user-agents-v2 at commit 8008a31, MIT licence,
vendored in `opawg/` with their LICENSE: name, pattern and category of each
`src/*.json` entry, in file order) are tried in the order their README gives: bots, apps, libraries,
browsers; within a list the first pattern found anywhere in the user agent wins.
Devices are matched apart, for anything but a bot; a browser's Referer names the
web app or host player it plays in.
"""

import json
import re
from dataclasses import dataclass
from functools import cache, lru_cache
from pathlib import Path

LISTS = Path(__file__).with_name("opawg")
KINDS = ("bot", "app", "library", "browser")  # the matching order
EMPTY = "empty"
UNKNOWN = "unknown"
# Kinds whose requests may become downloads. Libraries the lists mark as bots are
# bots; the rest are players inside apps (AppleCoreMedia, ExoPlayer, stagefright),
# so they count. An empty user agent is a choice of methodology (counting.py).
LISTENER_KINDS = frozenset({"app", "browser", "library", UNKNOWN})
SUBSCRIBERS = re.compile(r"(\d[\d,]*) (?:subscribers|subs|readers)\b", re.IGNORECASE)


@dataclass(frozen=True, slots=True)
class Entry:
    name: str
    pattern: re.Pattern[str]
    category: str = ""


@dataclass(frozen=True, slots=True)
class Classification:
    """What a user agent is: kind (app, browser, bot, library, unknown, empty), names and device."""

    kind: str
    name: str = ""
    device: str = ""
    device_category: str = ""

    @property
    def app(self) -> str:
        """The name a report shows: the app or browser, or "Unknown" when none matched."""
        return self.name or "Unknown"


@cache
def entries(list_name: str) -> tuple[Entry, ...]:
    """One OPAWG list, its patterns compiled, in file order."""
    data = json.loads((LISTS / f"{list_name}.json").read_text(encoding="utf-8"))
    return tuple(
        Entry(item["name"], re.compile(item["pattern"]), item.get("category", ""))
        for item in data["entries"]
    )


def first_match(list_name: str, text: str) -> int | None:
    """The index of the first entry of a list whose pattern occurs in `text`."""
    for index, entry in enumerate(entries(list_name)):
        if entry.pattern.search(text):
            return index
    return None


def match(user_agent: str) -> tuple[str, int] | None:
    """(list, index) of the entry a user agent resolves to, in the OPAWG order."""
    for kind in KINDS:
        index = first_match(f"{kind}s" if kind != "library" else "libraries", user_agent)
        if index is not None:
            return kind, index
    return None


@lru_cache(maxsize=4096)
def classify(user_agent: str, referrer: str = "") -> Classification:
    """Classify a User-Agent header (and a browser's Referer) by the OPAWG lists.

    A library the list marks `category: bot` is a bot. A browser playing inside
    a known web app (the Referer says which) is reported as that app.
    """
    user_agent = user_agent.replace("\r", "").replace("\n", "").strip()
    if not user_agent:
        return Classification(EMPTY)
    found = match(user_agent)
    if found is None:
        kind, name = UNKNOWN, ""
    else:
        kind, name = resolve(*found)
    if kind == "bot":
        return Classification(kind, name)
    if kind == "browser" and referrer:
        name = referrer_app(referrer) or name
    device = first_match("devices", user_agent)
    if device is None:
        return Classification(kind, name)
    entry = entries("devices")[device]
    return Classification(kind, name, entry.name, entry.category)


def resolve(kind: str, index: int) -> tuple[str, str]:
    list_name = {"bot": "bots", "app": "apps", "library": "libraries", "browser": "browsers"}[kind]
    entry = entries(list_name)[index]
    if kind == "library" and entry.category == "bot":
        return "bot", entry.name
    return kind, entry.name


def referrer_app(referrer: str) -> str:
    """The web app or host player a Referer URL belongs to, or ""."""
    index = first_match("referrers", referrer)
    return entries("referrers")[index].name if index is not None else ""


def is_apple_watch_duplicate(user_agent: str) -> bool:
    """IAB v2.2/v2.3 §8.1: Apple Watch requests that duplicate the phone's download."""
    if user_agent.startswith("atc/") and "watchOS" in user_agent:
        return True
    return "(null)/(null) watchOS" in user_agent


def reported_subscribers(user_agent: str) -> int | None:
    """The subscriber count an aggregator reports in its user agent ("… 123 subscribers")."""
    found = SUBSCRIBERS.search(user_agent)
    return int(found.group(1).replace(",", "")) if found else None
