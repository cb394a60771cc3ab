"""Identifiers that podcast apps keep for life."""

import uuid

# The Podcast Index namespace's UUIDv5 namespace for podcast:guid.
PODCAST_GUID_NAMESPACE = uuid.UUID("ead4c236-bf58-58c6-a2c6-a6b28d128cb6")


def podcast_guid(feed_url: str) -> uuid.UUID:
    """podcast:guid for a feed URL: UUIDv5 of the URL without its scheme and trailing slashes."""
    _, sep, rest = feed_url.partition("://")
    return uuid.uuid5(PODCAST_GUID_NAMESPACE, (rest if sep else feed_url).rstrip("/"))
