"""Cache-Control for what listeners fetch: browsers, apps, and a CDN or shared cache.

`max-age` is what a browser or app keeps; `s-maxage` (PODCAST_SHARED_CACHE_SECONDS)
is what a CDN in front keeps, after which it asks us again (a 304 when nothing
changed); `stale-while-revalidate` lets it answer from the old copy while it
asks; `stale-if-error` lets it answer while we are down. Audio URLs never change
their bytes (a new version gets a new URL), so they are kept for a year
(serving.CACHE_SECONDS). docs/deploy.md says how a CDN is purged on publish.
"""

from django.conf import settings

STALE_IF_ERROR = 24 * 3600


def listener_cache_control(max_age: int) -> str:
    shared = settings.PODCAST_SHARED_CACHE_SECONDS
    return (
        f"public, max-age={max_age}, s-maxage={shared}, "
        f"stale-while-revalidate={10 * shared}, stale-if-error={STALE_IF_ERROR}"
    )
