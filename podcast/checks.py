"""System checks for what Django's own checks cannot know about this site."""

from django.conf import settings
from django.core.checks import CheckMessage, Tags, Warning, register


@register(Tags.caches, deploy=True)
def check_cache_is_shared(app_configs, **kwargs) -> list[CheckMessage]:
    """The login lockout and page invalidation need one cache for every process."""
    backend = settings.CACHES["default"]["BACKEND"]
    if settings.DEBUG or not backend.endswith(".LocMemCache"):
        return []
    return [
        Warning(
            "The cache is local to each process (CACHE_URL is locmem://): the admin login "
            "lockout counts failed log-ins per process, so N web processes allow N x 5 "
            "guesses, and an edit drops cached pages only in the process that made it.",
            hint="Set CACHE_URL=redis://host:6379/1 so every process shares one cache.",
            id="podcast.W001",
        )
    ]
