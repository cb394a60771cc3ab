"""ASGI entry point: uvicorn serves pages and streams audio asynchronously, so
slow downloads wait on the event loop instead of holding a worker thread."""

import asyncio
import os

from django.conf import settings
from django.core.asgi import get_asgi_application

from analytics.buffer import flush_all
from podcast.bodylimit import RequestBodyLimit


class SendAnalyticsOnShutdown:
    """Answers ASGI's lifespan (Django does not): at shutdown, after the last request,
    the analytics lines gathered in this process go to Redis before it ends."""

    def __init__(self, app) -> None:
        self.app = app

    async def __call__(self, scope, receive, send) -> None:
        if scope["type"] != "lifespan":
            return await self.app(scope, receive, send)
        while True:
            message = await receive()
            if message["type"] == "lifespan.startup":
                await send({"type": "lifespan.startup.complete"})
            elif message["type"] == "lifespan.shutdown":
                await asyncio.to_thread(flush_all)
                await send({"type": "lifespan.shutdown.complete"})
                return


os.environ.setdefault("DJANGO_SETTINGS_MODULE", "podcast.settings")
application = SendAnalyticsOnShutdown(
    RequestBodyLimit(get_asgi_application(), max_upload_mb=lambda: settings.PODCAST_MAX_UPLOAD_MB)
)
