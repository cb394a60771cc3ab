"""WSGI entry point: the Procfile's web (granian, threads) serves this.

Measured on this machine (bench/bench_stack.py) a WSGI server with threads answers
several times the requests of the ASGI entry for the same views: every sync view
and middleware under ASGI crosses a thread boundary. Slow downloads hold a thread
here; in production audio goes to the bucket (PODCAST_AUDIO_REDIRECT) or to nginx
(PODCAST_ACCEL_REDIRECT), see docs/deploy.md. Feed requests and small audio ranges a
listener repeats are answered before Django (episodes/front.py).
"""

import os
from collections.abc import Callable

from django.conf import settings
from django.core.wsgi import get_wsgi_application

from podcast.bodylimit import WSGIRequestBodyLimit
from podcast.proxyaddr import ProxyClientAddress


def listener_front(app: Callable) -> Callable:
    """episodes.front's layer around `app`, imported once Django is set up (it loads models)."""
    from episodes.front import ListenerFront

    return ListenerFront(app)


os.environ.setdefault("DJANGO_SETTINGS_MODULE", "podcast.settings")
django_application = get_wsgi_application()
# Innermost, so that REMOTE_ADDR is the client's when a kept answer is recorded.
application = ProxyClientAddress(
    WSGIRequestBodyLimit(
        listener_front(django_application), max_upload_mb=lambda: settings.PODCAST_MAX_UPLOAD_MB
    )
)
