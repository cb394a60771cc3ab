from django.apps import AppConfig


class AnalyticsConfig(AppConfig):
    name = "analytics"
    verbose_name = "Analytics"

    def ready(self) -> None:
        from .datacentres import datacentre_networks

        datacentre_networks()  # a missing or malformed list stops the process at start-up
