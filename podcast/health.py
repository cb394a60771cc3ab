"""GET /healthz for load balancers and platform probes: can we reach the database and broker?

Wiring rather than domain (it knows the infrastructure, not episodes), so it
sits beside settings.py and the Celery app.
"""

import logging
import tempfile
from pathlib import Path

from django.db import connection
from django.http import HttpRequest, JsonResponse
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_safe

from .celery import app

logger = logging.getLogger(__name__)
BROKER_TIMEOUT = 2.0


def check_database() -> None:
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")
        cursor.fetchone()


def check_broker() -> None:
    """Connect to the broker the tasks are sent to; for the filesystem one, write to its folder."""
    # The write URL is the one tasks go to (Celery lets CELERY_BROKER_URL in the
    # environment win over broker_url; the write URL falls back to it).
    if app.conf.broker_write_url.startswith("filesystem"):
        folder = Path((app.conf.broker_transport_options or {})["data_folder_in"])
        with tempfile.NamedTemporaryFile(dir=folder, prefix=".healthz-"):
            return
    with app.connection_for_write(connect_timeout=BROKER_TIMEOUT) as conn:
        conn.ensure_connection(max_retries=1, interval_start=0, timeout=BROKER_TIMEOUT)


CHECKS = {"database": check_database, "broker": check_broker}


@never_cache
@require_safe
def healthz(request: HttpRequest) -> JsonResponse:
    """200 with {"database": "ok", "broker": "ok"}, or 503 naming what failed."""
    results = {}
    for name, check in CHECKS.items():
        try:
            check()
            results[name] = "ok"
        except Exception as error:  # any failure is an answer here, not a crash
            logger.warning("health check %s failed: %s", name, error)
            results[name] = "error"
    healthy = all(value == "ok" for value in results.values())
    return JsonResponse(results, status=200 if healthy else 503)
