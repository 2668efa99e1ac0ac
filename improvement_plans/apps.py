"""App configuration for improvement_plans."""

from django.apps import AppConfig


class ImprovementPlansConfig(AppConfig):
    name = "improvement_plans"
    verbose_name = "Improvement Plans"

    def ready(self):
        from . import panels  # noqa: F401  (registers the home-page panel)
