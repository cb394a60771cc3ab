"""Short-lived caching of public pages for anonymous listeners.

A page costs 20-40 ms of ORM and template work; the same page for the next
listener within PODCAST_PAGE_CACHE_SECONDS comes from the cache instead. Editors
(logged in) and preview links always see the page built fresh.

Every change that reaches the feeds (an edit, a publish, an unpublish, a
transcript build) also calls invalidate_pages(), which moves every page to a new
cache generation: with a shared cache (CACHE_URL=redis://...) listeners see the
change on their next request. With the per-process default cache, another web
process may serve its copy until it expires, at most that many seconds later;
so does a scheduled episode reaching its time, which no code path announces.
"""

import functools
import uuid
from collections.abc import Callable

from django.conf import settings
from django.core.cache import cache
from django.db import transaction
from django.http import HttpRequest, HttpResponse
from django.views.decorators.cache import cache_page

GENERATION_KEY = "pages:generation"
# Only these parameters name a different page; any other (utm_*, a search query,
# junk) gets the page built fresh, so no one can fill the cache with variants.
CACHED_PARAMETERS = frozenset({"page", "t"})


def invalidate_pages() -> None:
    """Make every cached page stale, once the transaction commits."""
    transaction.on_commit(lambda: cache.set(GENERATION_KEY, uuid.uuid4().hex, None))


def cacheable(request: HttpRequest) -> bool:
    return (
        not request.user.is_authenticated
        and "preview" not in request.GET
        and set(request.GET) <= CACHED_PARAMETERS
    )


def cached_for_listeners(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
    @functools.wraps(view)
    def wrapper(request: HttpRequest, *args, **kwargs) -> HttpResponse:
        seconds = settings.PODCAST_PAGE_CACHE_SECONDS
        if not seconds or not cacheable(request):
            return view(request, *args, **kwargs)
        generation = cache.get(GENERATION_KEY, "0")
        cached_view = cache_page(seconds, key_prefix=f"pages:{generation}")(view)
        return cached_view(request, *args, **kwargs)

    return wrapper
