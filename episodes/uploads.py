"""Where uploaded files are stored (names made from the row, never from the editor's
file name) and the URLs that reach them."""

import uuid
from pathlib import PurePath
from typing import TYPE_CHECKING

from django.conf import settings
from django.core.files.storage import default_storage
from django.db.models.fields.files import FieldFile
from django.urls import reverse
from django.utils.text import slugify

if TYPE_CHECKING:
    from .models import Chapter, Episode, Show


def ascii_slug(text: str, fallback: str = "item") -> str:
    return slugify(text)[:80].strip("-") or fallback


def show_artwork_path(show: "Show", filename: str) -> str:
    suffix = PurePath(filename).suffix.lower()[:5]
    return f"artwork/{show.slug}/show-{uuid.uuid4().hex[:12]}{suffix}"


def episode_artwork_path(episode: "Episode", filename: str) -> str:
    suffix = PurePath(filename).suffix.lower()[:5]
    return f"artwork/{episode.show.slug}/{episode.number:04d}-{uuid.uuid4().hex[:12]}{suffix}"


def chapter_image_path(chapter: "Chapter", filename: str) -> str:
    suffix = ascii_slug(PurePath(filename).suffix.lower()[1:5], fallback="img")
    return f"chapters/{uuid.uuid4().hex}.{suffix}"


def audio_upload_path(episode: "Episode", filename: str) -> str:
    # The editor's file name never reaches the filesystem: only a short suffix.
    suffix = ascii_slug(PurePath(filename).suffix.lower()[1:5], fallback="bin")
    return f"uploads/{episode.show.slug}/{episode.number:04d}-{uuid.uuid4().hex}.{suffix}"


def signed_urls() -> bool:
    """Whether the storage hands out expiring URLs (a private bucket without a CDN)."""
    options = settings.STORAGES["default"].get("OPTIONS", {})
    return bool(options.get("querystring_auth") and not options.get("custom_domain"))


def media_url(field: FieldFile | None) -> str:
    """A URL of a stored image that keeps working: the storage's, or ours when it would expire."""
    return stored_url(field.name) if field else ""


def stored_url(name: str) -> str:
    """media_url for a stored name."""
    if not name:
        return ""
    if settings.PODCAST_STORAGE == "s3" and signed_urls():
        return reverse("media", kwargs={"path": name})
    return default_storage.url(name)
