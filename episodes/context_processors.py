from django.http import HttpRequest

from .lookups import find_show
from .models import Show


def show(request: HttpRequest) -> dict:
    """The show whose pages these are, for the banner, the navigation and the feed link."""
    match = request.resolver_match
    current = find_show(request, match.kwargs.get("show_slug") if match else None)
    return {"current_show": current, "site_urls": site_urls(current)}


def site_urls(show: Show | None) -> dict[str, str]:
    if show is None:
        return {}
    names = {"episodes": "list", "sponsors": "sponsors", "search": "search"}
    return {key: show.reverse(name) for key, name in names.items()}
