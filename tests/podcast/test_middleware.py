"""Every response carries the Content-Security-Policy from settings."""

import re

import pytest
from django.test import Client

from tests.factories import published_episode

pytestmark = pytest.mark.django_db


def test_pages_feeds_downloads_admin_and_errors_carry_the_policy(client: Client, tone, settings):
    episode = published_episode(tone, slug="csp")
    urls = ["/", episode.get_absolute_url(), "/episodes/rss", episode.download_url(),
            "/search?q=x", "/admin/login/", "/no-such-page", "/healthz"]  # fmt: skip
    for url in urls:
        response = client.get(url)
        assert response["Content-Security-Policy"] == settings.PODCAST_CSP, url


def test_the_default_policy_allows_no_inline_code_and_no_framing(settings) -> None:
    directives = dict(d.strip().split(" ", 1) for d in settings.PODCAST_CSP.split(";"))
    assert directives["script-src"] == "'self'"
    assert directives["style-src"] == "'self'"
    assert directives["object-src"] == "'none'"
    assert directives["frame-ancestors"] == "'none'"
    assert "unsafe" not in settings.PODCAST_CSP


def test_an_empty_policy_setting_sends_no_header(client: Client, settings, db) -> None:
    settings.PODCAST_CSP = ""
    assert "Content-Security-Policy" not in client.get("/robots.txt")


def test_the_feed_shown_as_a_page_needs_no_inline_style_or_script(client: Client, tone) -> None:
    from django.contrib.staticfiles import finders

    published_episode(tone, slug="csp", show_notes="Notes with a [link](https://example.com/).")
    feed = client.get("/episodes/rss").content.decode()
    # One processing instruction naming our own CSS file; the XML holds no script.
    (href,) = re.findall(r'<\?xml-stylesheet type="text/css" href="([^"]+)"\?>', feed)
    assert finders.find(href.removeprefix("/static/"))
    assert "<script" not in feed and "<style" not in feed


@pytest.mark.parametrize("url", ["/no-such-page", "/episodes/show/999/nope"])
def test_with_debug_on_a_missing_page_is_ours_not_djangos(client: Client, settings, url):
    settings.DEBUG = True
    response = client.get(url)
    body = response.content.decode()
    assert response.status_code == 404
    assert "<h1>Page not found</h1>" in body and "DEBUG = True" not in body
