from django.apps import AppConfig


class PodcastConfig(AppConfig):
    """The project's wiring as an app, so its system checks are registered at start-up."""

    name = "podcast"

    def ready(self) -> None:
        from . import checks  # noqa: F401 (registers the checks)
