from django.http import HttpRequest

from .models import Show


def show(request: HttpRequest) -> dict:
    """The show whose pages these are, for the banner and the feed link in <head>."""
    match = request.resolver_match
    slug = match.kwargs.get("show_slug") if match else None
    if slug:
        return {"current_show": Show.objects.filter(slug=slug).first()}
    return {"current_show": Show.objects.default()}
