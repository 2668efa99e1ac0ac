"""App configuration for risks."""

from django.apps import AppConfig


class RisksConfig(AppConfig):
    name = "risks"
    verbose_name = "Risks"

    def ready(self):
        from . import panels  # noqa: F401  (registers the home-page panel)
