"""App configuration for indicators."""

from django.apps import AppConfig


class IndicatorsConfig(AppConfig):
    name = "indicators"
    verbose_name = "Indicators"

    def ready(self):
        from . import panels  # noqa: F401  (registers the monthly return's home-page panels)
