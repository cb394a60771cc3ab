"""Hand a stored file to nginx: `X-Accel-Redirect` names it, nginx sends the bytes.

The app still decides who may have the file (published, or a preview) and what
caches may do with it; nginx answers ranges, If-Range and 304s from the media
folder with sendfile, and slow listeners wait on nginx, not on a Python thread.
nginx keeps Cache-Control and Content-Disposition from this answer and takes
Content-Type from the internal location (deploy/nginx.conf sets it per suffix).
"""

from urllib.parse import quote

from django.conf import settings
from django.http import HttpResponse
from django.utils.http import content_disposition_header

from .serving import CACHE_SECONDS


def accel_response(name: str, content_type: str, filename: str, public: bool) -> HttpResponse:
    """An empty answer telling nginx to serve `name` from PODCAST_ACCEL_REDIRECT."""
    response = HttpResponse(content_type=content_type)
    response["X-Accel-Redirect"] = settings.PODCAST_ACCEL_REDIRECT + quote(name)
    response["Cache-Control"] = (
        f"public, max-age={CACHE_SECONDS}" if public else "private, no-cache"
    )
    response["Content-Disposition"] = content_disposition_header(False, filename)
    return response
