"""Opt-in measurement prefixes: pure chaining, then the feed apps read and the admin form."""

import io

import podcastparser
import pytest
from django.urls import reverse

from analytics.models import MeasurementPrefix
from analytics.prefixes import apply_prefixes, check_prefix

URL = "https://example.com/episodes/download/7/tone.mp3"


@pytest.mark.parametrize(
    ("prefixes", "expected"),
    [
        ((), URL),
        (("https://op3.dev/e/",), "https://op3.dev/e/example.com/episodes/download/7/tone.mp3"),
        (
            ("https://op3.dev/e/", "https://dts.podtrac.com/redirect.mp3/"),
            "https://op3.dev/e/dts.podtrac.com/redirect.mp3/example.com/episodes/download/7/tone.mp3",
        ),
        (
            ("https://chrt.fm/track/ABC123",),
            "https://chrt.fm/track/ABC123/example.com/episodes/download/7/tone.mp3",
        ),
    ],
)
def test_prefixes_chain_each_stripping_the_next_urls_scheme(prefixes, expected):
    assert apply_prefixes(URL, prefixes) == expected


@pytest.mark.parametrize(
    ("prefix", "error"),
    [
        ("http://op3.dev/e/", "an https:// URL"),
        ("op3.dev/e/", "an https:// URL"),
        ("https://op3.dev/e/?x=1", r"no \?query"),
    ],
)
def test_a_prefix_that_would_break_the_enclosure_is_refused(prefix, error):
    with pytest.raises(ValueError, match=error):
        check_prefix(prefix)


def enclosure(client) -> str:
    feed = podcastparser.parse(
        "http://testserver/episodes/rss", io.BytesIO(client.get("/episodes/rss").content)
    )
    return feed["episodes"][0]["enclosures"][0]["url"]


def test_the_feed_puts_a_shows_prefixes_before_its_enclosure_urls(admin_client, client, episode):
    plain = enclosure(client)
    assert plain.endswith(".mp3") and "op3" not in plain
    for position, (service, prefix) in enumerate(
        [("op3", "https://op3.dev/e/"), ("podtrac", "https://dts.podtrac.com/redirect.mp3/")]
    ):
        form = {"show": episode.show.pk, "service": service, "prefix": prefix, "position": position}
        response = admin_client.post(reverse("admin:analytics_measurementprefix_add"), form)
        assert response.status_code == 302, response.content.decode()[:500]
    rest = plain.split("://", 1)[1]
    assert enclosure(client) == f"https://op3.dev/e/dts.podtrac.com/redirect.mp3/{rest}"
    admin_client.post(
        reverse(
            "admin:analytics_measurementprefix_delete",
            args=[MeasurementPrefix.objects.get(service="podtrac").pk],
        ),
        {"post": "yes"},
    )
    assert enclosure(client) == f"https://op3.dev/e/{rest}"


def test_the_admin_refuses_a_plain_http_prefix_with_the_reason(admin_client, episode):
    form = {"show": episode.show.pk, "service": "op3", "prefix": "http://op3.dev/e/", "position": 0}
    response = admin_client.post(reverse("admin:analytics_measurementprefix_add"), form)
    assert response.status_code == 200
    assert "a prefix is an https:// URL" in response.content.decode()
    assert not MeasurementPrefix.objects.exists()
