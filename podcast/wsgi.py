"""WSGI entry point: the Procfile's web (granian, threads) serves this.

Measured on this machine (bench/bench_stack.py) a WSGI server with threads answers
several times the requests of the ASGI entry for the same views: every sync view
and middleware under ASGI crosses a thread boundary. Slow downloads hold a thread
here; in production audio goes to the bucket (PODCAST_AUDIO_REDIRECT) or to nginx
(PODCAST_ACCEL_REDIRECT), see docs/deploy.md.
"""

import os

from django.conf import settings
from django.core.wsgi import get_wsgi_application

from podcast.bodylimit import WSGIRequestBodyLimit
from podcast.proxyaddr import ProxyClientAddress

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "podcast.settings")
application = ProxyClientAddress(
    WSGIRequestBodyLimit(
        get_wsgi_application(), max_upload_mb=lambda: settings.PODCAST_MAX_UPLOAD_MB
    )
)
