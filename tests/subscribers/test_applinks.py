"""Add-to-app links: each app's own scheme, the feed URL intact inside it."""

from urllib.parse import unquote

from subscribers.applinks import app_links

FEED = "https://pod.example.com/feeds/AbC-_123/rss"


def test_each_app_gets_its_own_scheme_with_the_feed_url():
    links = {link.name: link.url for link in app_links(FEED)}
    assert links == {
        "Apple Podcasts": "podcast://pod.example.com/feeds/AbC-_123/rss",
        "Overcast": "overcast://x-callback-url/add?url=https%3A%2F%2Fpod.example.com%2Ffeeds%2FAbC-_123%2Frss",
        "Pocket Casts": "pktc://subscribe/pod.example.com/feeds/AbC-_123/rss",
        "AntennaPod": "antennapod-subscribe://https://pod.example.com/feeds/AbC-_123/rss",
    }
    assert unquote(links["Overcast"].partition("url=")[2]) == FEED


def test_no_link_goes_through_a_web_page_that_would_see_the_private_url():
    assert not [link for link in app_links(FEED) if link.url.startswith(("http:", "https:"))]
