"""Template filters for the public pages: durations, Markdown show notes, JSON-LD."""

import hashlib
from typing import Any
from urllib.parse import urlencode

from django import template
from django.core.cache import cache
from django.utils.safestring import SafeString, mark_safe

from episodes.markup import json_for_script, render_markdown, safe_url
from episodes.models import Person, Show, Sponsor
from episodes.timecodes import format_duration

register = template.Library()

# Bump when the Markdown or sanitizer configuration changes, to drop stale renderings.
MARKDOWN_CACHE_VERSION = 1
MARKDOWN_CACHE_SECONDS = 7 * 24 * 3600


@register.filter
def duration(seconds: float | None) -> str:
    return format_duration(seconds)


@register.filter
def second(seconds: float | None) -> int:
    """The whole second a time falls in: what duration shows and what ?t= seeks to."""
    return int(seconds or 0)


@register.filter
def markdown(text: str) -> SafeString:
    """Sanitized HTML of Markdown text, cached by content so an edit is seen at once."""
    if not text:
        return mark_safe("")
    digest = hashlib.sha256(text.encode("utf-8", "surrogatepass")).hexdigest()
    key = f"markdown:{MARKDOWN_CACHE_VERSION}:{digest}"
    html = cache.get(key)
    if html is None:
        html = render_markdown(text)
        cache.set(key, html, MARKDOWN_CACHE_SECONDS)
    return mark_safe(html)  # sanitized by render_markdown


@register.filter
def ld_json(data: Any) -> SafeString:
    return mark_safe(json_for_script(data))  # <, > and & are escaped inside the JSON


@register.filter(name="safe_url")
def safe_url_filter(url: str) -> str:
    return safe_url(url or "")


@register.filter
def person_url(person: Person, show: Show) -> str:
    """The person's page within the show's URL tree."""
    return show.reverse("person", slug=person.slug)


@register.filter
def sponsor_url(sponsor: Sponsor, show: Show) -> str:
    """The counted redirect to the sponsor, within the show's URL tree."""
    return show.reverse("sponsor", slug=sponsor.slug)


@register.filter
def with_preview(url: str, token: str) -> str:
    """The URL carrying a preview visit's token on, so a shared draft's audio and transcript load."""
    if not token:
        return url
    path, hash_mark, fragment = url.partition("#")
    joiner = "&" if "?" in path else "?"
    return f"{path}{joiner}{urlencode({'preview': token})}{hash_mark}{fragment}"
