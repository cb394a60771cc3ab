"""Third-party measurement prefixes (OP3, Podtrac, Chartable-style) in front of enclosure URLs.

A prefix service counts the request and redirects to the URL after its prefix;
chained prefixes each strip the next URL's scheme, as the services document
(https://op3.dev/e/dts.podtrac.com/redirect.mp3/example.com/ep.mp3).
"""

from urllib.parse import urlsplit

EXAMPLES = {
    "op3": "https://op3.dev/e/",
    "podtrac": "https://dts.podtrac.com/redirect.mp3/",
    "chartable": "https://chrt.fm/track/YOUR-ID/",
}


def without_scheme(url: str) -> str:
    parts = urlsplit(url)
    return (
        url[len(parts.scheme) + 3 :]
        if parts.scheme and url[len(parts.scheme) :].startswith("://")
        else url
    )


def apply_prefixes(url: str, prefixes: tuple[str, ...]) -> str:
    """The URL behind each prefix in turn, the first prefix outermost."""
    for prefix in reversed(prefixes):
        url = prefix.rstrip("/") + "/" + without_scheme(url)
    return url


def check_prefix(prefix: str) -> str:
    """A prefix as stored: an https URL ending in "/"; ValueError with the reason otherwise."""
    parts = urlsplit(prefix.strip())
    if parts.scheme != "https" or not parts.netloc:
        raise ValueError("a prefix is an https:// URL, e.g. https://op3.dev/e/")
    if parts.query or parts.fragment:
        raise ValueError("a prefix has no ?query or #fragment: the enclosure URL follows it")
    return prefix.strip().rstrip("/") + "/"
