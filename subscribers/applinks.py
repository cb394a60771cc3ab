"""Links that open a feed URL in a podcast app, for the subscriber page.

Only schemes the apps themselves handle, none through a third-party web page: a
private feed URL must not land in someone else's server logs.
- Apple Podcasts opens `podcast://` + the URL without its scheme (iPhone, iPad, Mac).
- Overcast: `overcast://x-callback-url/add?url=` + the URL, percent-encoded (iOS).
- Pocket Casts: `pktc://subscribe/` + the URL without its scheme (iOS, Android).
- AntennaPod: `antennapod-subscribe://` + the whole URL (Android; its UrlChecker strips
  the prefix and keeps https).
"""

from dataclasses import dataclass
from urllib.parse import quote


@dataclass(frozen=True)
class AppLink:
    name: str
    url: str
    platforms: str


def bare(url: str) -> str:
    """The URL without http:// or https://."""
    return url.split("://", 1)[1] if "://" in url else url


def app_links(feed_url: str) -> list[AppLink]:
    """The add-to-app links for one feed URL, in the order listeners look for them."""
    return [
        AppLink("Apple Podcasts", f"podcast://{bare(feed_url)}", "iPhone, iPad, Mac"),
        AppLink(
            "Overcast", f"overcast://x-callback-url/add?url={quote(feed_url, safe='')}", "iPhone"
        ),
        AppLink("Pocket Casts", f"pktc://subscribe/{bare(feed_url)}", "iPhone, Android"),
        AppLink("AntennaPod", f"antennapod-subscribe://{feed_url}", "Android"),
    ]
