"""App configuration for benchmarking: where the council stands against comparable councils."""

from django.apps import AppConfig
from django.db.models.signals import post_migrate


def _finish_kept_positions(sender, using="default", **kwargs):
    """Positions kept before their sentences were are worked out again once `migrate` has added the columns."""
    from . import stored

    if stored.unfinished():
        stored.refresh()


class BenchmarkingConfig(AppConfig):
    name = "benchmarking"
    verbose_name = "Benchmarking"

    def ready(self):
        from . import panels  # noqa: F401  (fills the indicator page, list and dashboard slots)

        post_migrate.connect(_finish_kept_positions, sender=self)
