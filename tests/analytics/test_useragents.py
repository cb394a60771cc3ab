"""OPAWG classification: every example of the lists resolves to its own entry, then ours."""

import json

import pytest

from analytics.useragents import (
    classify,
    entries,
    is_apple_watch_duplicate,
    match,
    reported_subscribers,
)
from tests.conftest import SHARED_DATA

EXAMPLES = SHARED_DATA / "opawg" / "user-agents-v2" / "src"
LISTS = {"bots": "bot", "apps": "app", "libraries": "library", "browsers": "browser"}


def examples() -> list:
    if not EXAMPLES.is_dir():
        return [pytest.param(None, None, None, marks=pytest.mark.skip(reason=f"needs {EXAMPLES}"))]
    cases = []
    for list_name, kind in LISTS.items():
        data = json.loads((EXAMPLES / f"{list_name}.json").read_text())
        for index, entry in enumerate(data["entries"]):
            for example in entry.get("examples", []):
                cases.append(pytest.param(kind, index, example, id=f"{list_name}[{index}]"))
    return cases


@pytest.mark.parametrize(("kind", "index", "user_agent"), examples())
def test_every_opawg_example_resolves_to_its_own_entry(kind, index, user_agent):
    assert match(user_agent.replace("\n", "")) == (kind, index)


def test_the_vendored_lists_are_the_shared_ones():
    if not EXAMPLES.is_dir():
        pytest.skip(f"needs {EXAMPLES}")
    for list_name in (*LISTS, "devices", "referrers"):
        shared = json.loads((EXAMPLES / f"{list_name}.json").read_text())
        assert len(entries(list_name)) == len(shared["entries"]), list_name


@pytest.mark.parametrize(
    ("user_agent", "kind", "name", "device_category"),
    [
        ("Overcast/3.0 (+http://overcast.fm/; iOS podcast app)", "app", "Overcast", "mobile"),
        (
            "AppleCoreMedia/1.0.0.21E236 (iPhone; U; CPU OS 17_4 like Mac OS X)",
            "library",
            "AppleCoreMedia",
            "mobile",
        ),
        ("Googlebot/2.1 (+http://www.google.com/bot.html)", "bot", "Googlebot", ""),
        ("curl/8.5.0", "bot", "curl", ""),
        ("python-requests/2.31.0", "bot", "python-requests", ""),
        ("", "empty", "", ""),
        ("  \r\n", "empty", "", ""),
        ("SomethingNobodyKnows/1.0", "unknown", "", ""),
    ],
)
def test_user_agents_are_classified_by_kind_name_and_device(
    user_agent, kind, name, device_category
):
    found = classify(user_agent)
    assert (found.kind, found.name, found.device_category) == (kind, name, device_category)


def test_a_browser_inside_a_known_web_app_is_reported_as_that_app():
    chrome = "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/120.0 Safari/537.36"
    assert classify(chrome).kind == "browser"
    assert classify(chrome, "https://podcasts.apple.com/us/podcast/x").name == "Apple Podcasts"


@pytest.mark.parametrize(
    ("user_agent", "duplicate"),
    [
        ("atc/1.0 watchOS/10.4 (Apple Watch)", True),
        ("Podcasts/1.0 (null)/(null) watchOS/9.1", True),
        ("atc/1.0 iOS/17.4", False),
        ("Overcast/3.0 (+http://overcast.fm/; iOS podcast app)", False),
    ],
)
def test_apple_watch_duplicates_are_recognised(user_agent, duplicate):
    assert is_apple_watch_duplicate(user_agent) is duplicate


@pytest.mark.parametrize(
    ("user_agent", "subscribers"),
    [
        (
            "Feedly/1.0 (+http://www.feedly.com/fetcher.html; 123 subscribers; like FeedFetcher-Google)",
            123,
        ),
        ("Inoreader/1.0 (+http://www.inoreader.com/feed-fetcher; 1,204 subscribers; )", 1204),
        ("Overcast/1.0 Podcast Sync (42 subscribers; feed-id=123; +http://overcast.fm/)", 42),
        ("Overcast/3.0 (+http://overcast.fm/; iOS podcast app)", None),
    ],
)
def test_subscriber_counts_reported_in_user_agents_are_read(user_agent, subscribers):
    assert reported_subscribers(user_agent) == subscribers
