"""Short-lived caching of public pages for anonymous listeners.

A page costs 5-40 ms of ORM and template work; the same page for the next
listener within PODCAST_PAGE_CACHE_SECONDS comes from this process's memory
instead (hot.py), with an ETag, so a browser revalidating gets a 304. Editors
(logged in) and preview links always see the page built fresh.

Every change that reaches the feeds (an edit, a publish, an unpublish, a
transcript build) also calls invalidate_pages(), which moves every page to a new
generation: with a shared cache (CACHE_URL=redis://...) listeners see the change
on their next request, in every process. With the per-process default cache,
another web process may serve its copy until it expires, at most that many
seconds later; so does a scheduled episode reaching its time, which no code path
announces.
"""

import functools
from collections.abc import Callable

from django.conf import settings
from django.db import transaction
from django.http import HttpRequest, HttpResponse

from . import front, hot

GENERATION_KEY = hot.GENERATION_KEY
# Only these parameters name a different page; any other (utm_*, a search query,
# junk) gets the page built fresh, so no one can fill the cache with variants.
CACHED_PARAMETERS = frozenset({"page", "t"})


def invalidate_pages() -> None:
    """Make every cached page (and every row kept for listeners) stale, once the transaction commits."""
    transaction.on_commit(hot.bump_generation)


def cacheable(request: HttpRequest) -> bool:
    return (
        request.method in ("GET", "HEAD")
        and not request.user.is_authenticated
        and "preview" not in request.GET
        and set(request.GET) <= CACHED_PARAMETERS
    )


def cached_for_listeners(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
    @functools.wraps(view)
    def wrapper(request: HttpRequest, *args, **kwargs) -> HttpResponse:
        seconds = settings.PODCAST_PAGE_CACHE_SECONDS
        if not seconds or not cacheable(request):
            return view(request, *args, **kwargs)
        response = hot.cached_page(request, seconds, lambda: view(request, *args, **kwargs))
        return front.offer_page(request, response)

    return wrapper
