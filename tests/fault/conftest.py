"""The fault suite starts real workers as the integration suite does."""

from tests.integration.conftest import (  # noqa: F401 (fixtures)
    flush_cascades_on_postgres,
    worker_factory,
)
