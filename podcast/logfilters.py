"""Log filters named in settings.LOGGING."""

import logging


class KombuNoHostname(logging.Filter):
    """Drop kombu's "No hostname was supplied" warning, logged on every connection.

    The filesystem broker (the default) has no host by design, so the warning says
    nothing; kombu's other warnings still pass.
    """

    def filter(self, record: logging.LogRecord) -> bool:
        return not record.getMessage().startswith("No hostname was supplied")
