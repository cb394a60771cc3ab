"""ASGI entry point: uvicorn serves pages and streams audio asynchronously, so
slow downloads wait on the event loop instead of holding a worker thread."""

import os

from django.core.asgi import get_asgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "podcast.settings")
application = get_asgi_application()
