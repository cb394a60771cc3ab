"""Log filters named in settings.LOGGING."""

import logging


class KombuNoHostname(logging.Filter):
    """Drop kombu's "No hostname was supplied" warning, logged on every connection.

    The filesystem broker (the default) has no host by design, so the warning says
    nothing; kombu's other warnings still pass.
    """

    def filter(self, record: logging.LogRecord) -> bool:
        return not record.getMessage().startswith("No hostname was supplied")


class OneLine(logging.Filter):
    """Keep the message, drop the traceback: for refusals that are routine, not errors.

    Every request with a Host outside ALLOWED_HOSTS (scanners send thousands) would
    otherwise print a 30-line traceback of Django's own code.
    """

    def filter(self, record: logging.LogRecord) -> bool:
        record.exc_info, record.exc_text, record.stack_info = None, None, None
        return True
