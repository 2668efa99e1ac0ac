"""App configuration for benchmarking: where the council stands against comparable councils."""

from django.apps import AppConfig


class BenchmarkingConfig(AppConfig):
    name = "benchmarking"
    verbose_name = "Benchmarking"

    def ready(self):
        from . import panels  # noqa: F401  (fills the indicator page, list and dashboard slots)
