from django.apps import AppConfig

from . import checks  # noqa: F401 (importing it registers the site's system checks)


class PodcastConfig(AppConfig):
    """The project's wiring as an app, so its system checks are registered at start-up."""

    name = "podcast"
