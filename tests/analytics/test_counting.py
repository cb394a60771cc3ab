"""IAB v2.2 counting: the worked examples of ../shared/IAB-RULES.md, then our own cases."""

import datetime as dt
from dataclasses import replace

import pytest

from analytics.counting import Hit, count_downloads, threshold
from analytics.listeners import listener_key
from analytics.useragents import classify, is_apple_watch_duplicate

SALT = b"s" * 32
# The examples' file: 128 kbps CBR (16,000 B/s), a 40,000-byte ID3 tag, 30 minutes.
SIZE = 40_000 + 1800 * 16_000
NEEDED = threshold(SIZE, 1800, 128_000)
SHORT = 760_000  # Example 5: a 45-second episode
IPHONE = "AppleCoreMedia/1.0.0.21E236 (iPhone; U; CPU OS 17_4 like Mac OS X; en_us)"
OVERCAST = "Overcast/3.0 (+http://overcast.fm/; iOS podcast app)"
POCKETCASTS = "PocketCasts/1.0 (Pocket Casts Feed Parser; +http://pocketcasts.com/)"
SPOTIFY = "Spotify/8.9 Android/34 (SM-S918B)"


def at(text: str) -> dt.datetime:
    """A UTC time in the examples' notation: 'Mon 23:50' (Mon is 2026-11-30) or '10:00:40'."""
    days = {"Mon": 30, "Tue": 1, "Wed": 2, "Thu": 3}
    day, _, clock = text.rpartition(" ")
    date = dt.date(2026, 11, days[day]) if day in ("Mon",) else dt.date(2026, 12, days.get(day, 2))
    parts = [int(p) for p in clock.split(":")] + [0]
    return dt.datetime(date.year, date.month, date.day, parts[0], parts[1], parts[2], tzinfo=dt.UTC)


def hit(ip: str, ua: str, when: str, ranges=None, status=200, method="GET", episode=1, size=SIZE):
    """A request as the recorder keeps it: key, classification, delivered spans."""
    spans = ((0, size - 1),) if ranges is None else ranges
    kind = classify(ua).kind
    key = listener_key(ip, ua, SALT)
    return Hit(at(when), key, episode, status, spans, method, kind, is_apple_watch_duplicate(ua))


FULL_30_MIN = {1: (SIZE, NEEDED)}
SHORT_EPISODE = {1: (SHORT, threshold(SHORT, 45, 128_000))}

EX1 = [
    hit("203.0.113.5", IPHONE, "10:00:00", ((0, 1),), 206),
    hit("203.0.113.5", IPHONE, "10:00:01", ((0, 599_999),), 206),
    hit("203.0.113.5", IPHONE, "10:00:40", ((600_000, 1_099_999),), 206),
]
EX2 = [
    hit("203.0.113.5", IPHONE, "09:00", method="HEAD"),
    hit("203.0.113.5", IPHONE, "09:00", ((0, 65_535),), 206),
    hit("203.0.113.5", IPHONE, "09:01", ((15_000_000, 16_999_999),), 206),
    hit("203.0.113.5", IPHONE, "20:00", (), 304),
]
EX3 = [
    hit("198.51.100.9", OVERCAST, t) for t in ("Mon 23:50", "Tue 00:10", "Tue 23:55", "Thu 00:05")
]
EX4 = [
    hit("2001:db8:abcd:12:1111::1", OVERCAST, "10:00"),
    hit("2001:db8:abcd:12:9f3a::7", OVERCAST, "10:10"),
    hit("2001:db8:abcd:12:5555::2", POCKETCASTS, "10:20"),
    hit("198.51.100.7", OVERCAST, "10:30"),
    hit("198.51.100.7", POCKETCASTS, "10:31"),
    hit("198.51.100.7", SPOTIFY, "10:32"),
    hit("198.51.100.7", OVERCAST, "10:40"),
    hit("198.51.100.7", SPOTIFY, "10:50"),
]
EX5 = [
    hit("66.249.66.1", "Googlebot/2.1 (+http://www.google.com/bot.html)", "10:00", size=SHORT),
    replace(hit("3.5.140.2", OVERCAST, "10:00", size=SHORT), datacentre=True),  # an AWS range
    hit("203.0.113.20", "atc/1.0 watchOS/10.4 (Apple Watch)", "10:01", size=SHORT),
    hit("203.0.113.21", SPOTIFY, "10:02", ((0, 1),), 206, size=SHORT),
    hit("203.0.113.21", SPOTIFY, "10:02", ((0, 699_999),), 206, size=SHORT),
    hit("203.0.113.21", SPOTIFY, "10:05", ((700_000, 759_999),), 206, size=SHORT),
    hit("203.0.113.22", "", "10:06", size=SHORT),
]


@pytest.mark.parametrize(
    ("name", "hits", "sizes", "window", "expected"),
    [
        ("ex1 probe then progressive playback", EX1, FULL_30_MIN, "calendar", 1),
        ("ex1 without the third request", EX1[:2], FULL_30_MIN, "calendar", 0),
        ("ex2 skip ahead, HEAD and 304", EX2, FULL_30_MIN, "calendar", 1),
        ("ex2 without the skip", EX2[:2] + EX2[3:], FULL_30_MIN, "calendar", 0),
        ("ex3 calendar day", EX3, FULL_30_MIN, "calendar", 3),
        ("ex3 first-touch rolling", EX3, FULL_30_MIN, "first_touch", 3),
        ("ex3 last-touch rolling", EX3, FULL_30_MIN, "last_touch", 2),
        ("ex4 IPv6 /64 and a shared IPv4", EX4, FULL_30_MIN, "calendar", 5),
        ("ex5 filters and a 45-second episode", EX5, SHORT_EPISODE, "calendar", 1),
    ],
)
def test_worked_examples_of_the_iab_rules(name, hits, sizes, window, expected):
    assert len(count_downloads(hits, sizes, window=window)) == expected, name


def test_example_five_counts_the_empty_user_agent_under_the_lenient_rule():
    assert len(count_downloads(EX5, SHORT_EPISODE, count_empty=True)) == 2


def test_the_examples_threshold_is_the_header_plus_one_minute():
    assert NEEDED == 1_000_000
    assert threshold(SHORT, 45, 128_000) == SHORT  # shorter than a minute: the whole file
    assert threshold(SIZE, None, None) == SIZE  # no bitrate known: the whole file


def test_example_one_counts_when_the_threshold_was_crossed():
    [download] = count_downloads(EX1, FULL_30_MIN)
    assert download.time == at("10:00:40")


OWN_CASES = [
    (
        "overlapping ranges count their bytes once",
        [
            hit("203.0.113.5", IPHONE, "10:00", ((0, 599_999),), 206),
            hit("203.0.113.5", IPHONE, "10:01", ((0, 599_999),), 206),
            hit("203.0.113.5", IPHONE, "10:02", ((300_000, 899_999),), 206),
        ],
        FULL_30_MIN,
        0,
    ),
    (
        "overlapping ranges that reach the threshold together",
        [
            hit("203.0.113.5", IPHONE, "10:00", ((0, 599_999),), 206),
            hit("203.0.113.5", IPHONE, "10:02", ((300_000, 999_999),), 206),
        ],
        FULL_30_MIN,
        1,
    ),
    (
        "the window edge: 23:59:59 and 00:00:00 are two calendar days",
        [
            hit("198.51.100.9", OVERCAST, "Mon 23:59:59"),
            hit("198.51.100.9", OVERCAST, "Tue 00:00:00"),
        ],
        FULL_30_MIN,
        2,
    ),
    (
        "partial ranges do not add up across the midnight edge",
        [
            hit("198.51.100.9", OVERCAST, "Mon 23:59", ((0, 599_999),), 206),
            hit("198.51.100.9", OVERCAST, "Tue 00:01", ((600_000, 999_999),), 206),
        ],
        FULL_30_MIN,
        0,
    ),
    (
        "one listener on two apps is two keys",
        [hit("203.0.113.8", OVERCAST, "10:00"), hit("203.0.113.8", SPOTIFY, "10:05")],
        FULL_30_MIN,
        2,
    ),
    (
        "bots and libraries never count",
        [
            hit("203.0.113.9", "Googlebot/2.1 (+http://www.google.com/bot.html)", "10:00"),
            hit("203.0.113.9", "curl/8.5.0", "10:00"),
            hit("203.0.113.9", "python-requests/2.31.0", "10:00"),
        ],
        FULL_30_MIN,
        0,
    ),
    ("an empty user agent never counts", [hit("203.0.113.10", "", "10:00")] * 3, FULL_30_MIN, 0),
    (
        "a 20-second episode needs every byte",
        [hit("203.0.113.11", OVERCAST, "10:00", ((0, 319_998),), 206, size=320_000)],
        {1: (320_000, threshold(320_000, 20, 128_000))},
        0,
    ),
    (
        "a 20-second episode delivered whole",
        [hit("203.0.113.11", OVERCAST, "10:00", size=320_000)],
        {1: (320_000, threshold(320_000, 20, 128_000))},
        1,
    ),
    (
        "a redirect counts the range it was asked for",
        [hit("203.0.113.12", OVERCAST, "10:00", ((0, 999_999),), 302)],
        FULL_30_MIN,
        1,
    ),
    (
        "a 416 or a 404 never counts",
        [
            hit("203.0.113.13", OVERCAST, "10:00", status=416),
            hit("203.0.113.13", OVERCAST, "10:01", status=404),
        ],
        FULL_30_MIN,
        0,
    ),
]


@pytest.mark.parametrize(("name", "hits", "sizes", "expected"), OWN_CASES)
def test_our_own_cases(name, hits, sizes, expected):
    assert len(count_downloads(hits, sizes)) == expected, name


def test_a_key_with_implausibly_many_downloads_in_a_day_counts_none():
    sizes = {n: (SIZE, NEEDED) for n in range(60)}
    many = [hit("203.0.113.14", OVERCAST, f"10:{n % 60:02}", episode=n) for n in range(60)]
    few = [hit("203.0.113.15", OVERCAST, "10:00", episode=n) for n in range(3)]
    downloads = count_downloads(many + few, sizes, implausible=50)
    assert len(downloads) == 3
    assert len(count_downloads(many, sizes, implausible=100)) == 60


def test_an_unknown_window_kind_is_refused():
    with pytest.raises(ValueError, match="unknown window"):
        count_downloads([], {}, window="weekly")


def test_an_empty_user_agent_counts_once_a_day_when_the_site_chooses_so():
    empty = [hit("203.0.113.10", "", "10:00")] * 3
    assert len(count_downloads(empty, FULL_30_MIN, count_empty=True)) == 1


def test_a_data_centre_request_never_counts_even_when_it_alone_took_the_whole_file():
    full = hit("3.5.140.2", OVERCAST, "10:00")
    assert len(count_downloads([full], FULL_30_MIN)) == 1
    assert count_downloads([replace(full, datacentre=True)], FULL_30_MIN) == []
