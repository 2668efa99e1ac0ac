"""App configuration for benchmarking: where the council stands against comparable councils."""

from django.apps import AppConfig


class BenchmarkingConfig(AppConfig):
    name = "benchmarking"
    verbose_name = "Benchmarking"
