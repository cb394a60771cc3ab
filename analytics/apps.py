from django.apps import AppConfig

from .datacentres import datacentre_networks


class AnalyticsConfig(AppConfig):
    name = "analytics"
    verbose_name = "Analytics"

    def ready(self) -> None:
        datacentre_networks()  # a missing or malformed list stops the process at start-up
