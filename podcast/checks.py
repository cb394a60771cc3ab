"""System checks for what Django's own checks cannot know about this site."""

from urllib.parse import urlsplit

from django.conf import settings
from django.core.checks import CheckMessage, Error, Tags, Warning, register
from django.http.request import validate_host
from django.urls import Resolver404, resolve


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


@register(Tags.urls)
def check_artwork_is_reachable(app_configs, **kwargs) -> list[CheckMessage]:
    """Feeds name artwork by absolute URL: Apple refuses a feed whose itunes:image fails."""
    errors = []
    host = urlsplit(settings.PODCAST_SITE_URL).hostname or ""
    if not validate_host(host, settings.ALLOWED_HOSTS):
        errors.append(
            Error(
                f"PODCAST_SITE_URL's host {host!r} is not in ALLOWED_HOSTS: the artwork, "
                "audio and feed URLs written into the feed would answer 400.",
                hint=f"Add {host} to ALLOWED_HOSTS or correct PODCAST_SITE_URL.",
                id="podcast.E001",
            )
        )
    if settings.PODCAST_STORAGE == "filesystem" and not media_is_served():
        errors.append(
            Error(
                f"Nothing serves MEDIA_URL ({settings.MEDIA_URL}): show and episode artwork "
                "would be 404 on the pages and in the feed.",
                hint="MEDIA_URL must be a path of this site, such as /media/.",
                id="podcast.E002",
            )
        )
    return errors


def media_is_served() -> bool:
    try:
        match = resolve(settings.MEDIA_URL + "artwork/x/show-0123456789ab.jpg")
    except Resolver404:
        return False
    return match.url_name == "media"


@register(Tags.security, deploy=True)
def check_forwarded_for_trust(app_configs, **kwargs) -> list[CheckMessage]:
    """Trusting X-Forwarded-For from anyone lets every client pick its own address."""
    if "*" not in settings.FORWARDED_ALLOW_IPS:
        return []
    return [
        Error(
            "FORWARDED_ALLOW_IPS=* makes uvicorn believe X-Forwarded-For from any client, "
            "taking the left-most address, which the client writes: the login lockout's "
            "per-address limit is then bypassed by a new made-up address per guess.",
            hint="Name your proxies' addresses or networks, e.g. FORWARDED_ALLOW_IPS=10.0.0.0/8 "
            "(docs/deploy.md says what each platform needs).",
            id="podcast.E003",
        )
    ]
