"""Uploaded images served to listeners and apps: artwork, its page copies, chapter images.

With the filesystem storage nothing else serves MEDIA_ROOT (WhiteNoise serves
only static files, Django's `static()` helper only with DEBUG on), so this view
does it in every setup, with the validators and ranges of `serving.py`. Only
the image folders are public: audio uploads and drafts' audio stay behind the
download view, which checks that the episode is published.

With object storage the storage's own URL is used where it is permanent; a
private bucket's signed URL expires, so a feed's `itunes:image` points here
instead and this view redirects to a freshly signed URL.
"""

import re
from pathlib import PurePosixPath

from django.conf import settings
from django.core.exceptions import SuspiciousFileOperation
from django.core.files.storage import default_storage
from django.http import Http404, HttpRequest
from django.http.response import HttpResponseBase
from django.shortcuts import redirect
from django.views.decorators.http import require_safe

from .serving import CACHE_SECONDS, file_response

PUBLIC_FOLDERS = ("artwork", "chapters", "art")
IMAGE_TYPES = {".jpg": "image/jpeg", ".jpeg": "image/jpeg", ".png": "image/png",
               ".webp": "image/webp", ".gif": "image/gif"}  # fmt: skip
# Every name we store carries a random or content hash part (show-3f2a9c1b4d5e.jpg):
# its bytes never change, so browsers and CDNs may keep it for a year.
UNIQUE_NAME = re.compile(r"[0-9a-f]{12,}")
SHORT_CACHE_SECONDS = 3600


def public_name(path: str) -> str | None:
    """The stored name a /media/ path may serve, or None when it is not a public image."""
    parts = PurePosixPath(path).parts
    if len(parts) < 2 or parts[0] not in PUBLIC_FOLDERS or ".." in parts or "\\" in path:
        return None
    if PurePosixPath(path).suffix.lower() not in IMAGE_TYPES:
        return None
    return path


def cache_control(name: str) -> str:
    seconds = CACHE_SECONDS if UNIQUE_NAME.search(PurePosixPath(name).stem) else SHORT_CACHE_SECONDS
    immutable = ", immutable" if seconds == CACHE_SECONDS else ""
    return f"public, max-age={seconds}{immutable}"


@require_safe
def media_file(request: HttpRequest, path: str) -> HttpResponseBase:
    name = public_name(path)
    if name is None:
        raise Http404("Not a public file.")
    if settings.PODCAST_STORAGE == "s3":
        return redirect(default_storage.url(name))
    try:
        if not default_storage.exists(name):
            raise Http404("No such file.")
    except SuspiciousFileOperation:
        raise Http404("No such file.") from None
    content_type = IMAGE_TYPES[PurePosixPath(name).suffix.lower()]
    response = file_response(
        request,
        storage=default_storage,
        name=name,
        content_type=content_type,
        filename=PurePosixPath(name).name,
    )
    response["Cache-Control"] = cache_control(name)
    return response
