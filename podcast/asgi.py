"""ASGI entry point: uvicorn serves pages and streams audio asynchronously, so
slow downloads wait on the event loop instead of holding a worker thread."""

import os

from django.conf import settings
from django.core.asgi import get_asgi_application

from podcast.bodylimit import RequestBodyLimit

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "podcast.settings")
application = RequestBodyLimit(
    get_asgi_application(), max_upload_mb=lambda: settings.PODCAST_MAX_UPLOAD_MB
)
